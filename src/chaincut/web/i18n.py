"""The console's two languages: Simplified Chinese (default) and English, through gettext.

The English is the message id: templates say `{{ _('Freeze orders') }}` or `{% trans %}`, the
code marks its messages with `N_`/`NP_` (`chaincut.markers`), and the translations live in the
catalogues under `chaincut/web/locale/<lang>/LC_MESSAGES/messages.po` (compiled `.mo` beside
them; `python -m chaincut.web.catalogues` extracts, updates and compiles them, and
`tests/web/test_catalogues.py` fails on any message without its Chinese). A few messages are
chosen in code by key (an error, a step, a closed vocabulary's value): `translate(key, lang)`.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from pathlib import Path

from chaincut.markers import N_
from chaincut.model.schema import FRAUD_TYPES
from chaincut.web.vocabulary import PREFIXES, VOCABULARY

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
#: a console language -> its catalogue's locale name
LOCALES = {"zh-CN": "zh_CN", "en": "en"}

#: messages the code picks by key: form errors, order steps, case fields, dissuasion outcomes
MESSAGES: dict[str, str] = {
    "bad_token": N_("unknown or disabled token"),
    "forbidden": N_("Not allowed for your role"),
    "unknown_report": N_("No such report"),
    "not_found": N_("Not found"),
    "bad_form": N_("check what was filled in"),
    "purpose_needed": N_("give the purpose (it is audited)"),
    "clue_pending": N_("the clue index is being built; reload soon"),
    "bad_entry": N_("give the kind, the value and the reason"),
    "reason_needed": N_("give the reason"),
    "region_unknown": N_("region unknown"),
    "confirm_needed": N_("tick the confirmation first"),
    "step_not_allowed": N_("this step is not open for the order now"),
    "bad_report_id": N_("a report id is letters, digits and _.:@- only, at most 64"),
    "bad_filing": N_("give the victim's account and the transfers"),
    "check": N_("Check"),
    "purpose": N_("Purpose (audited)"),
    "hop": N_("Hop"),
    # order steps
    "confirm": N_("Confirm"),
    "renew": N_("Renew"),
    "release": N_("Release"),
    "freeze": N_("Turn into a freeze"),
    "escalate": N_("Escalate to an emergency stop"),
    # a case's figures
    "amount_involved": N_("Amount involved"),
    "amount_frozen": N_("Amount frozen"),
    "amount_seized": N_("Amount seized"),
    "amount_returned": N_("Amount returned"),
    "financiers_caught": N_("Financiers caught"),
    "financiers_at_large": N_("Financiers at large"),
    "core_members_caught": N_("Core members caught"),
    "core_members_at_large": N_("Core members at large"),
    # dissuasion outcomes
    "not_reached": N_("Not reached"),
    "reached_continued": N_("Reached, still paying"),
    "reached_dissuaded": N_("Reached, dissuaded"),
    "already_paid": N_("Already paid (file a report, trace it)"),
}


@cache
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of console language `lang` (a missing one: the English ids)."""
    locale = LOCALES.get(lang, LOCALES[DEFAULT_LANGUAGE])
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[locale], fallback=True)


def gettext(message: str, lang: str) -> str:
    """English `message` in `lang`; itself where the catalogue has no translation."""
    return catalogue(lang).gettext(message)


def pgettext(context: str, message: str, lang: str) -> str:
    """English `message` under msgctxt `context`, in `lang`."""
    return catalogue(lang).pgettext(context, message)


def translate(key: str, lang: str) -> str:
    """The message or vocabulary word that `key` names, in `lang`. A value under a vocabulary
    prefix that no table knows (a new fraud type from the data) shows as itself; any other
    unknown key shows raw, so the gap is visible rather than fatal."""
    if key in MESSAGES:
        return gettext(MESSAGES[key], lang)
    if key in VOCABULARY:
        context, english = VOCABULARY[key]
        said = pgettext(context, english, lang)
        if said == english and lang == "zh-CN" and key.startswith("type_"):
            return FRAUD_TYPES.get(key[5:], said)  # the schema names every type in Chinese
        return said
    prefix = key.split("_", 1)[0] + "_"
    return key[len(prefix) :] if prefix in PREFIXES else key
