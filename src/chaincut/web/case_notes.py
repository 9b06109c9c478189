"""A case's timeline notes that the use cases write (`chaincut.services.gangs.sync_case`,
`chaincut.services.cases` on a suspect's status, `chaincut.store.case.update_case`'s summary of an
edit made without a reason) said in the console's language.

The store keeps each note as English text, with no code (the timeline also holds what analysts
type). The notes the use cases write have a fixed shape, so they are read back here into the
gang they came from and their items, and each item is said with the console's own words for
the roles and statuses: `FP0002499 · 金主` rather than `FP0002499 named financier` on a Chinese
page (round ten's new-user run). A note of any other shape is shown as written, in English.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from chaincut.store.enums import SuspectRole, SuspectStatus
from chaincut.web.i18n import translate

#: the note `sync_case` writes: "figures from gang G" and, after a colon, its items
_FROM_GANG = re.compile(r"figures from gang (?P<gang>\S+?)(?:: (?P<items>.*))?", re.S)
_NAMED = re.compile(r"(?P<who>\S+) named (?P<role>\w+)")
_NOW = re.compile(r"(?P<who>\S+) now (?P<role>\w+) \(was (?P<was>\w+)\)")
_ATTACHED = re.compile(r"report (?P<report>\S+) attached")
#: the note a suspect's new status writes (`services.cases`)
_STATUS = re.compile(r"(?P<who>.+) \((?P<role>\w+)\) (?P<status>\w+): counts follow", re.S)

#: the summary `store.case.update_case` writes when an edit gives no reason: `field=value, ...`
#: (figures and status only: a name or a place may hold ", " itself, and stays as written)
_FIGURE = re.compile(
    r"(?P<field>amount_(?:involved|frozen|seized|returned)|(?:financiers|core_members)_"
    r"(?:caught|at_large))=(?P<value>[0-9]+(?:\.[0-9]+)?)|status=(?P<status>open|closed)"
)

_ROLES = {r.value for r in SuspectRole}
#: a role key that is not an English word (`core_member`: round thirteen's new-user run read
#: `FP0002648 named core_member` on an English case page)
_ROLE_KEY = re.compile(r"\b(?:" + "|".join(sorted(r for r in _ROLES if "_" in r)) + r")\b")
_STATUSES = {s.value for s in SuspectStatus}


class CaseNote(NamedTuple):
    """A note in the console's language: the gang it came from (for a link, or None), its
    text, and the language the text is in (`en` for a note shown as written)."""

    gang: str | None
    text: str
    lang: str


def _role(value: str, lang: str) -> str:
    if value not in _ROLES:
        raise ValueError(value)
    return translate(f"suspect_{value}", lang)


def _item(item: str, lang: str) -> str:
    if m := _NAMED.fullmatch(item):
        return f"{m['who']} · {_role(m['role'], lang)}"
    if m := _NOW.fullmatch(item):
        return f"{m['who']} · {_role(m['was'], lang)} → {_role(m['role'], lang)}"
    if m := _ATTACHED.fullmatch(item):
        return f"{translate('event_report_attached', lang)} {m['report']}"
    if item == "figures recomputed":
        return translate("event_updated", lang)
    raise ValueError(item)


def _figure(m: re.Match[str], lang: str) -> str:
    if m["status"]:
        return f"{translate('status', lang)} {translate('case_' + m['status'], lang)}"
    return f"{translate(m['field'], lang)} {m['value']}"


def case_note(note: str | None, lang: str) -> CaseNote:
    """Timeline note `note` in `lang` where the use cases wrote it, else as written."""
    text = note or ""
    if lang == "en":  # as written, but a role key said as the English page says the role
        if _FROM_GANG.fullmatch(text) or _STATUS.fullmatch(text):
            text = _ROLE_KEY.sub(lambda m: translate(f"suspect_{m[0]}", "en"), text)
        return CaseNote(None, text, "en")
    sep = "；" if lang.startswith("zh") else "; "
    try:
        if m := _FROM_GANG.fullmatch(text):
            items = [_item(i, lang) for i in (m["items"] or "").split("; ") if i]
            return CaseNote(m["gang"], sep.join(items), lang)
        if m := _STATUS.fullmatch(text):
            if m["status"] not in _STATUSES:
                raise ValueError(m["status"])
            said = [m["who"], _role(m["role"], lang), translate(f"suspect_{m['status']}", lang)]
            return CaseNote(None, " · ".join(said), lang)
        figures = [_FIGURE.fullmatch(i) for i in text.split(", ")] if text else []
        if figures and all(figures):
            return CaseNote(None, sep.join(_figure(m, lang) for m in figures if m), lang)
    except ValueError:  # an item of another shape: the whole note as written
        pass
    return CaseNote(None, text, "en" if text and text[:1] < "\u2e80" else lang)
