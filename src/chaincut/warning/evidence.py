"""What a warning says: who it is about, and the sentences and texts behind its evidence.

`RaisedWarning` is the issue's JSON object; `Directory` says who holds which phone and account;
the fraud-script cache (`prime_scripts`) classifies a batch's texts in one vectorised pass and
remembers each text's verdict and lures, so the warner pays the text model once per text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from chaincut.warning.events import iso
from chaincut.warning.lures import lures_in
from chaincut.warning.state import NumberState, Signal


@dataclass(frozen=True)
class Directory:
    """Who holds which phone and account (from the lake's persons and accounts tables)."""

    phone_holder: Mapping[str, str] = field(default_factory=dict)
    account_holder: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RaisedWarning:
    """A warning at the moment it is raised: the issue's JSON object (`to_json`)."""

    warning_id: str
    subject_kind: str
    subject_id: str
    raised_at: int
    score: float
    fraud_type: str
    action: str
    signals: tuple[Signal, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "warning_id": self.warning_id,
            "subject_kind": self.subject_kind,
            "subject_id": self.subject_id,
            "raised_at": iso(self.raised_at),
            "score": round(self.score, 4),
            "fraud_type": self.fraud_type,
            "action": self.action,
            "signals": [s.to_dict() for s in self.signals],
        }


#: text -> (score, fraud type, phrases, lures) of texts already read; cleared when full
_SCRIPTS: dict[str, tuple[float, str | None, str, tuple[str, ...]]] = {}
_SCRIPTS_CAP = 16_384


def prime_scripts(texts: Iterable[str]) -> None:
    """Classify the texts not yet seen in one vectorised pass (`classify_many`), so that a
    batch of events pays the text model's arithmetic once, not once per message."""
    from chaincut.text import classify_many

    todo = sorted({t for t in texts if t and t not in _SCRIPTS})
    if len(_SCRIPTS) + len(todo) > _SCRIPTS_CAP:
        _SCRIPTS.clear()
    for text, verdict in zip(todo, classify_many(todo), strict=True):
        _SCRIPTS[text] = (
            (verdict.score, verdict.fraud_type, "、".join(verdict.phrases[:3]), lures_in(text))
            if verdict.fraud
            else (0.0, None, "", lures_in(text))
        )


def script_verdict(text: str) -> tuple[float, str | None, str, tuple[str, ...]]:
    """(score, fraud type, phrases, lures): the score is 0 unless the classifier calls `text` a
    fraud script; the lures are the links, accounts, numbers and chat ids it names."""
    if text not in _SCRIPTS:
        prime_scripts([text])
    return _SCRIPTS[text]


def minutes(seconds: int) -> str:
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def contact_why(
    src: str, number: NumberState, reach_n: int, imei: str, duration: int, script: str, repeat: int
) -> str:
    """The analyst's sentence for a call or message that raised evidence."""
    reach = f"a number that has contacted {number.reach} people"
    if number.reach < reach_n:
        reach += f" (its handset {imei}: {reach_n} people)"
    if script:
        why = f"{script}, from {src}, {reach}"
    elif duration:
        why = f"a {minutes(duration)} call from {src}, {reach}"
    else:
        why = f"a message from {src}, {reach}"
    if number.flagged:
        why += f"; the number is {number.flagged}"
    if repeat > 1:
        why += f" (contact number {repeat} from it)"
    return why
