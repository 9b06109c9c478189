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
from chaincut.warning.why import Why, why


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
    #: what the day's worklist ranks by (`chaincut.warning.urgency`; None: the score)
    priority: float | None = None
    #: why it is urgent, or that it is for recovery (already paid)
    urgent: Why | None = None
    #: the urgency features behind `priority` (`urgency.URGENCY_NAMES`)
    urgency: tuple[float, ...] = ()

    @property
    def rank(self) -> float:
        """What the worklist orders by: the priority, else the score."""
        return self.score if self.priority is None else self.priority

    def to_json(self) -> dict[str, Any]:
        """The issue's JSON object, as it always was (the priority goes to the worklist)."""
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


def minutes(seconds: int) -> Why:
    """`seconds` as a span: "45 s", "3 min 0 s", from an hour "36 h 2 min" (was "2162 min 45
    s" on a warning's worklist, round twelve's new-user run)."""
    if seconds >= 3600:
        return why("hours", h=str(seconds // 3600), m=str(seconds % 3600 // 60))
    if seconds >= 60:
        return why("minutes", m=str(seconds // 60), s=str(seconds % 60))
    return why("seconds", s=str(seconds))


def contact_why(
    src: str,
    number: NumberState,
    reach_n: int,
    imei: str,
    duration: int,
    script: Why,
    repeat: int,
    kind: str = "message",
) -> Why:
    """The analyst's sentence for a call or message (`kind`) that raised evidence."""
    reach = why("reach", n=str(number.reach))
    if number.reach < reach_n:
        reach = why("reach_handset", n=str(number.reach), imei=imei, handset_n=str(reach_n))
    if script:
        said = why("script_from", script=script, src=src, reach=reach)
    elif duration:
        said = why("call_from", duration=minutes(duration), src=src, reach=reach)
    elif kind == "call":  # a call nobody answered was said "a message from" (round twelve)
        said = why("missed_call_from", src=src, reach=reach)
    else:
        said = why("message_from", src=src, reach=reach)
    if number.flagged:
        said += why("number_is", flagged=number.flagged)
    if repeat > 1:
        said += why("repeat", n=str(repeat))
    return said
