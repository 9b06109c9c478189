"""The console's two languages: Simplified Chinese (default) and English, through gettext.

The English is the message id: templates say `{{ _('Freeze orders') }}` or `{% trans %}`, the
code marks its messages with `N_`/`NP_` (`chaincut.markers`), and the translations live in the
catalogues under `chaincut/web/locale/<lang>/LC_MESSAGES/messages.po` (compiled `.mo` beside
them; `python -m chaincut.catalogues` extracts, updates and compiles them, and
`tests/service/test_console_catalogues.py` fails on any message without its Chinese). A few
messages are chosen in code by key (an error, a step, a closed vocabulary's value):
`translate(key, lang)`.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from pathlib import Path

from chaincut.markers import N_, NP_, Plural
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
    # the gang pages
    "unknown_gang": N_("No such gang"),
    "no_gang": N_("This report is in no gang of the last analysis"),
    "bad_case": N_("give the case an id (letters, digits and _.:@- only) and a name"),
}
#: the keys the templates said everything by before the catalogues (`t('dashboard')`): kept so
#: that a template written that way still speaks both languages; new text says `_('English')`
LEGACY_KEYS: dict[str, str | tuple[str, str]] = {
    "app": N_("chaincut anti-fraud console"),
    "sign_in": N_("Sign in"),
    "sign_out": N_("Sign out"),
    "token": N_("Access token"),
    "token_help": N_("made by an admin with chaincut users token"),
    "dashboard": N_("Dashboard"),
    "reports": N_("Reports"),
    "orders": N_("Freeze orders"),
    "lookup": N_("Look-up"),
    "cases": N_("Supervised cases"),
    "registry": N_("Punishment registry"),
    "audit": N_("Audit log"),
    "cases_count": N_("Cases"),
    "reports_count": NP_("dashboard figure", "Reports"),
    "victims": N_("Victims"),
    "lost": N_("Money lost"),
    "intercepted": N_("Money intercepted"),
    "returned": N_("Money returned"),
    "dissuasions": N_("Dissuasions"),
    "punishments": N_("Punishments"),
    "by_period": N_("By month"),
    "by_region": N_("By region"),
    "by_type": N_("By fraud type"),
    "file_report": N_("File a report"),
    "report_id": N_("Report id"),
    "victim_account": N_("Victim's account"),
    "fraud_txns": N_("Fraud transfers (txn ids, ';'-separated)"),
    "fraud_type": N_("Fraud type"),
    "rule": N_("Tracing rule"),
    "submit": N_("Submit"),
    "money_flow": N_("Money flow"),
    "graph_help": N_("wheel to zoom, drag to pan, hover for details"),
    "trace_not_run": N_("Not traced"),
    "account": N_("Account"),
    "institution": N_("Institution"),
    "kind": N_("Kind"),
    "amount": N_("Amount"),
    "status": N_("Status"),
    "expires": N_("Expires"),
    "evidence": N_("Evidence"),
    "actions": N_("Actions"),
    "exits": N_("Exits"),
    "totals": N_("Where the money went"),
    "number": N_("Phone number"),
    "look_up": N_("Look up"),
    "reasons": N_("Reasons"),
    "facts": N_("Facts"),
    "name": N_("Name"),
    "batch": N_("Batch"),
    "den": N_("Den location"),
    "methods": N_("Methods"),
    "involved": N_("Amount involved"),
    "frozen": N_("Frozen"),
    "seized": N_("Seized"),
    "financiers": N_("Financiers caught / at large"),
    "core": N_("Core members caught / at large"),
    "timeline": N_("Timeline"),
    "suspects": N_("Suspects"),
    "subject": N_("Subject"),
    "measure": N_("Measure"),
    "basis": N_("Basis"),
    "appeal": N_("Appeal"),
    "action": N_("Action"),
    "allow": N_("Allowed"),
    "deny": N_("Denied"),
    "when": N_("When"),
    "who": N_("Who"),
    "what": N_("What"),
    "masked_note": N_("identifiers your institution does not hold are masked"),
    "none": N_("none"),
    "scores": N_("Risk scores"),
    "scores_pending": N_("the scores are being computed; reload in a moment"),
    "not_scored": N_("the lake gives no score for this"),
    "label_guess": N_("Label guess"),
    "flagged": N_("Flagged"),
    "top_reasons": N_("Top reasons"),
    "reason": N_("Reason"),
    "value": N_("Value"),
    "weight": N_("Weight"),
    "patterns": N_("Patterns"),
    "examples": N_("examples"),
    "devices": N_("Handsets used (SIM-box score)"),
    "simbox_score": N_("SIM-box score"),
    "fraud_list": N_("Fraud list"),
    "victim_node": N_("victim"),
    "hub_node": N_("hub"),
    "join_duplicate": N_("join transfers already reported to that report"),
    "all": N_("all"),
    "utc": N_("UTC"),
    "create_case": N_("Open a case"),
    "edit_case": N_("Edit the case"),
    "attach_report": N_("Attach report id"),
    "save": N_("Save"),
    "start": N_("Start"),
    "retained_phone": N_("Phone card kept"),
    "appeal_note": N_("Appeal note"),
    "uphold": N_("Uphold"),
    "reject": N_("Reject"),
    "scored": N_("Scored"),
    "risk_score": N_("Score"),
    "clue": N_("Number clue"),
    "holders": N_("Holders"),
    "same_id_numbers": N_("numbers on the same ID"),
    "active": N_("Active"),
    "calls_out_in": N_("Calls out / in"),
    "callees": N_("callees"),
    "messages_out_in": N_("Messages out / in"),
    "sims": N_("SIMs"),
    "cells": N_("Cells"),
    "den_candidate": N_("Candidate den"),
    "role": N_("Role"),
    "link": N_("Link"),
    "simboxes": N_("SIM boxes"),
    "add": N_("Add"),
    "remove": N_("Remove"),
    "risk": N_("Risk"),
    "source": N_("Source"),
    "issued_from": N_("Issued from"),
    "issued_to": N_("to"),
    "filter": N_("Filter"),
    "export_csv": N_("Export CSV"),
    "queue_accounts": N_("Accounts"),
    "queue_orders": N_("Orders"),
    "queue_held_page": N_("Held on this page"),
    "orders_unit": N_("order(s)"),
    "open_orders": N_("in force"),
    "held": N_("held"),
    "previous": N_("Previous"),
    "next": N_("Next"),
    "page": N_("Page"),
    "document": N_("Legal document no."),
    "cancel": N_("Cancel"),
    "step_reason": N_("Reason (audited)"),
    "warnings": N_("Early warning"),
    "worklist": N_("Warning worklist"),
    "warnings_count": N_("Warnings"),
    "reached": N_("Reached"),
    "dissuaded": N_("Dissuaded"),
    "money_kept": N_("Money kept"),
    "score": NP_("warning", "Score"),
    "suggested_action": N_("Suggested action"),
    "assigned_to": N_("Assigned to"),
    "signals": N_("Signals"),
    "outcome": N_("Outcome"),
    "channel": N_("Channel"),
    "attempts": N_("Attempts"),
    "note": N_("Note"),
    "capacity": N_("Today's capacity"),
    # the gang pages (wt/graph)
    "gangs": N_("Gangs"),
    "gang": N_("Gang"),
    "gangs_not_run": N_(
        "No gang analysis yet: run this command on the server (see docs/gangs.md), then reload this page"
    ),
    "gang_network": N_("The network"),
    "gang_graph_help": N_("wheel to zoom, drag to pan, hover for roles and evidence"),
    "gang_members": N_("Members and roles"),
    "gang_role": N_("Role"),
    "gang_confidence": N_("Confidence"),
    "gang_reports": N_("Reports"),
    "gang_cases": N_("Cases"),
    "gang_no_cases": N_("No case yet"),
    "gang_money_reported": N_("Money reported"),
    "gang_money_stopped": N_("Money stopped"),
    "gang_money_exited": N_("Money exited"),
    "gang_span": N_("Time span"),
    "gang_dens": N_("Dens"),
    "gang_device": N_("Handset"),
    "gang_lines": N_("Lines"),
    "gang_members_count": N_("Members"),
    "gang_open_case": N_("Open a supervised case"),
    "gang_open_case_help": N_(
        "the gang's reports join the case, and its named persons become suspects at large"
    ),
    "gang_case_id": N_("Case id"),
    "gang_of_report": N_("Its gang"),
    "gang_member_of": N_("Member of gangs"),
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


def ngettext(message: Plural, n: int, lang: str, context: str | None = None) -> str:
    """The form of English `message` (singular and plural) for a count of `n` in `lang`, by
    that language's plural rule (the catalogue's Plural-Forms: Chinese has one form), under
    msgctxt `context` where given; the English where the catalogue lacks it."""
    if context is None:
        return catalogue(lang).ngettext(message.singular, message.plural, n)
    return catalogue(lang).npgettext(context, message.singular, message.plural, n)


def translate(key: str, lang: str) -> str:
    """The message or vocabulary word that `key` names, in `lang`. A value under a vocabulary
    prefix that no table knows (a new fraud type from the data) shows as itself; any other
    unknown key shows raw, so the gap is visible rather than fatal."""
    if key in MESSAGES:
        return gettext(MESSAGES[key], lang)
    if key in LEGACY_KEYS:
        said = LEGACY_KEYS[key]
        return gettext(said, lang) if isinstance(said, str) else pgettext(*said, lang)
    if key in VOCABULARY:
        context, english = VOCABULARY[key]
        said = pgettext(context, english, lang)
        if said == english and lang == "zh-CN" and key.startswith("type_"):
            return FRAUD_TYPES.get(key[5:], said)  # the schema names every type in Chinese
        return said
    prefix = key.split("_", 1)[0] + "_"
    return key[len(prefix) :] if prefix in PREFIXES else key
