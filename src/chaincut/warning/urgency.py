"""The worklist's order: who is urgent and can still be stopped (紧迫度), beside the score.

The score says how likely a subject is being defrauded; a day's worklist has room for a few,
and round twelve found its slots taken by victims who had already paid (a matter for the stop
and recovery side, not dissuasion) and by people a gang had worked days ago, while victims
about to pay ranked below them. The **priority** a warning is ranked by is a logistic model over
the score's logit and a few facts about the moment, each a number in [0, 1]: how recent the last
suspicious contact, fraud script, reply to the stranger and payment-shaped message are, how new
the subject is to the list, and whether they have already paid a new payee since the contact.
Its weights are fitted with scikit-learn on training worlds (`training/warning/urgency.py`); a
feature is a weight, never a veto. Each warning also says why it is urgent (`urgency_why`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Final

from chaincut.warning.evidence import minutes
from chaincut.warning.scoring import ModelError, shipped
from chaincut.warning.why import Why, joined, why

if TYPE_CHECKING:
    from chaincut.warning.state import SubjectState

#: feature name -> what it means (docs/warning.md, "Round thirteen", lists the same)
URGENCY: Final[dict[str, str]] = {
    "score": "the warning's score, as a logit",
    "contact_hour": "a suspicious contact very recently (halves every hour)",
    "contact_day": "a suspicious contact today (halves every 12 hours)",
    "script_recent": "a fraud script recently (halves every 6 hours)",
    "reply_recent": "they called or wrote back to the stranger recently (halves every 6 hours)",
    "payment_lure": "a message naming an account, link, number or chat id to use, recently "
    "(halves every 6 hours)",
    "fresh": "new to the list: first warned recently (halves every day)",
    "paid": "already paid a new payee after a suspicious contact, in the last 3 days",
    "by_payment": "the warning was raised by a transfer or the reverse trace",
}
URGENCY_NAMES: Final[tuple[str, ...]] = tuple(URGENCY)
_HOUR: Final = 3600
#: half-lives of the features' recency
_HALF: Final[dict[str, int]] = {
    "contact_hour": _HOUR,
    "contact_day": 12 * _HOUR,
    "script_recent": 6 * _HOUR,
    "reply_recent": 6 * _HOUR,
    "payment_lure": 6 * _HOUR,
    "fresh": 24 * _HOUR,
}
#: a payment this recent counts as "already paid"
PAID_WINDOW_S: Final = 3 * 86_400
#: the score's logit is clipped to this, so that one feature cannot run away
_LOGIT_CAP: Final = 12.0


def _recency(now: int, then: int, half_s: int) -> float:
    return 0.5 ** (max(0, now - then) / half_s) if then >= 0 else 0.0


def _logit(p: float) -> float:
    p = min(1 - 1e-6, max(1e-6, p))
    return max(-_LOGIT_CAP, min(_LOGIT_CAP, math.log(p / (1 - p))))


def urgency_features(subject: SubjectState, score: float, now: int, kind: str) -> list[float]:
    """The urgency features (`URGENCY_NAMES`) of `subject` at `now`, for a warning of `score`
    raised by a signal of `kind` (call, message, transfer, report)."""
    return [
        _logit(score),
        _recency(now, subject.contact_last_ts, _HALF["contact_hour"]),
        _recency(now, subject.contact_last_ts, _HALF["contact_day"]),
        _recency(now, subject.script_ts, _HALF["script_recent"]),
        _recency(now, subject.reply_ts, _HALF["reply_recent"]),
        _recency(now, subject.lure_ts, _HALF["payment_lure"]),
        _recency(
            now, subject.first_warned_ts if subject.first_warned_ts >= 0 else now, _HALF["fresh"]
        ),  # fmt: skip
        1.0 if subject.paid_ts >= 0 and now - subject.paid_ts <= PAID_WINDOW_S else 0.0,
        1.0 if kind in ("transfer", "report") else 0.0,
    ]


def urgency_why(subject: SubjectState, now: int) -> Why:
    """Why the warning is urgent, or why it belongs to recovery: the moments behind the
    priority, newest facts first, by codes (`chaincut.warning.why`)."""
    if subject.paid_ts >= 0 and now - subject.paid_ts <= PAID_WINDOW_S:
        return why("urgent_paid", span=minutes(now - subject.paid_ts))
    parts: list[Why] = []
    if subject.contact_last_ts >= 0:
        since = minutes(now - subject.contact_last_ts)
        recent = now - subject.contact_last_ts <= 86_400
        parts.append(
            why("urgent_contact", span=since) if recent else why("urgent_quiet", span=since)
        )
    if subject.reply_ts >= 0 and now - subject.reply_ts <= 86_400:
        parts.append(why("urgent_reply", span=minutes(now - subject.reply_ts)))
    if subject.lure_ts >= 0 and now - subject.lure_ts <= 86_400:
        parts.append(why("urgent_lure", span=minutes(now - subject.lure_ts)))
    if not parts:
        return why("urgent_none")
    return joined(parts)


@dataclass(frozen=True)
class UrgencyModel:
    """Logistic weights over `URGENCY_NAMES`: priority = sigmoid(intercept + w . x)."""

    intercept: float
    weights: tuple[float, ...]
    trained_on: str = ""

    def priority(self, x: list[float]) -> float:
        """The chance (0 < p < 1) that the subject is a victim who has not paid yet."""
        if len(x) != len(self.weights):
            raise ValueError(f"{len(x)} urgency features given, the model has {len(self.weights)}")
        z = self.intercept + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(URGENCY_NAMES),
            "intercept": self.intercept,
            "weights": list(self.weights),
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> UrgencyModel:
        if data.get("features") != list(URGENCY_NAMES):
            raise ModelError("the urgency model's features do not match this version")
        weights, intercept = data.get("weights"), data.get("intercept")
        if not isinstance(weights, list) or not isinstance(intercept, int | float):
            raise ModelError("the urgency model has no weights")
        return cls(float(intercept), tuple(float(w) for w in weights),
                   str(data.get("trained_on", "")))  # fmt: skip


#: ranks by the score alone (what the worklist did before round thirteen)
BY_SCORE: Final = UrgencyModel(0.0, (1.0,) + (0.0,) * (len(URGENCY_NAMES) - 1), "the score")


@cache
def default_urgency() -> UrgencyModel:
    """The model shipped in `chaincut/warning/model/urgency.json`."""
    return UrgencyModel.from_json(shipped("urgency.json", "urgency"))
