"""What the warner remembers, per number, per account and per subject; all of it bounded.

Every collection here has a fixed cap (the `*_CAP` constants) or a time window, so the memory a
number, an account or a subject takes does not grow with the length of the stream; entities idle
for `IDLE_S` are forgotten by `Warner.sweep` (docs/warning.md, "State").
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Final

from chaincut.warning.events import iso
from chaincut.warning.why import Why

#: distinct contacts counted per number (the plain rule needs 30; more changes little)
REACH_CAP: Final = 64
#: payers kept per account, for fan-in and the reverse trace
PAYERS_CAP: Final = 64
#: recent outgoing transfers kept per account (to resolve a report's txn_ids)
OUTGOING_CAP: Final = 32
#: payees and contacts a subject is known to have (to tell a stranger or a new payee)
KNOWN_CAP: Final = 64
#: signals kept as evidence per subject, and fraud types counted
SIGNALS_CAP: Final = 12
TYPES_CAP: Final = 12
#: how far back the reverse trace looks for other payers of a reported account
REVERSE_WINDOW_S: Final = 14 * 86_400
#: "within hours": the window for repeated transfers and for payment after contact
BURST_WINDOW_S: Final = 6 * 3600
CONTACT_PAY_WINDOW_S: Final = 3 * 86_400
#: an entity not seen for this long is forgotten
IDLE_S: Final = 30 * 86_400
#: evidence fades: a subject's features (and its last warned score) halve every three days,
#: so a stranger's call weeks ago counts little beside one this morning
HALF_LIFE_S: Final = 3 * 86_400


def add_capped(values: set[str], value: str, cap: int) -> None:
    if len(values) < cap:
        values.add(value)


@dataclass(slots=True)
class Signal:
    """One piece of evidence: a call, message, transfer or report, and why it counts (`why`
    in English; `said`: the same by codes and values, `chaincut.warning.why`)."""

    kind: str
    id: str
    ts: int
    #: `why` as given, or rendered from `said` when first asked (compare `said` instead)
    _why: str = field(default="", compare=False)
    weight: float = 0.0
    said: Why | None = None

    @staticmethod
    def of(kind: str, id: str, ts: int, said: Why) -> Signal:
        """The signal whose `why` is `said` in English (rendered only when asked: most signals
        never reach a warning, and rendering every one cost a tenth of the live CPU)."""
        return Signal(kind, id, ts, said=said)

    @property
    def why(self) -> str:
        """Why the signal counts, in English."""
        if not self._why and self.said is not None:
            self._why = self.said.text
        return self._why

    def to_dict(self) -> dict[str, object]:
        """The signal as the replay's JSON writes it: kind, id, ts, why."""
        return {"kind": self.kind, "id": self.id, "ts": iso(self.ts), "why": self.why}

    def record(self) -> dict[str, object]:
        """`to_dict` with "why_code" (`said` as JSON) where it has one: what the worklist keeps."""
        out = self.to_dict()
        if self.said is not None:
            out["why_code"] = self.said.as_list()
        return out


@dataclass(slots=True)
class NumberState:
    """A phone number or IM id that calls or messages people."""

    last_ts: int
    contacts: set[str] = field(default_factory=set)
    #: why the number is flagged (a report id, "fraud list"), when it is
    flagged: Why | None = None
    #: the handset (IMEI) it last called from, if any
    handset: str = ""

    @property
    def reach(self) -> int:
        return len(self.contacts)


@dataclass(slots=True)
class AccountState:
    """An account that pays or is paid."""

    last_ts: int
    #: payer account -> (ts, txn_id) of its last payment in, newest kept
    payers: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: (txn_id, ts, dst) of recent transfers out
    outgoing: deque[tuple[str, int, str]] = field(
        default_factory=lambda: deque(maxlen=OUTGOING_CAP)
    )
    payees: set[str] = field(default_factory=set)
    #: why the account is flagged (reported in RPT-…, on the fraud list, stopped), when it is
    flagged: Why | None = None
    fraud_type: str | None = None

    def add_payer(self, payer: str, ts: int, txn_id: str) -> None:
        """Keep `payers` in the order of their last payment (events come in time order), so
        the oldest is first: evicting it and counting the recent ones need no scan."""
        if payer in self.payers:
            del self.payers[payer]
        elif len(self.payers) >= PAYERS_CAP:
            del self.payers[next(iter(self.payers))]
        self.payers[payer] = (ts, txn_id)

    def fan_in(self, now: int) -> int:
        """Distinct payers in the last two weeks."""
        count = len(self.payers)
        for ts, _ in self.payers.values():
            if now - ts <= REVERSE_WINDOW_S:
                break
            count -= 1
        return count


@dataclass(slots=True)
class SubjectState:
    """A person (or a phone or account nobody holds that we know of) who may be a victim."""

    kind: str
    id: str
    last_ts: int
    features: list[float]
    signals: deque[Signal] = field(default_factory=lambda: deque(maxlen=SIGNALS_CAP))
    types: Counter[str] = field(default_factory=Counter)
    #: numbers this subject called or wrote to: their calls are not from strangers
    known: set[str] = field(default_factory=set)
    #: stranger number -> contacts from it
    strangers: dict[str, int] = field(default_factory=dict)
    #: stranger number -> (its longest call, as a feature value; its best fraud script score)
    marks: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: stranger number -> the subject's calls and messages back to it (one of `strangers`)
    replies: dict[str, int] = field(default_factory=dict)
    #: ts of the last suspicious contact and its strength
    contact_ts: int = -1
    contact_strength: float = 0.0
    #: ts of recent transfers to new payees
    new_payments: deque[int] = field(default_factory=lambda: deque(maxlen=8))
    scripts: int = 0
    #: the moments the worklist's order reads (`chaincut.warning.urgency`), -1: never: the
    #: last suspicious contact, fraud script, reply to a stranger, message naming a lure, first
    #: warning, and first payment to a new payee after a suspicious contact
    contact_last_ts: int = -1
    script_ts: int = -1
    reply_ts: int = -1
    lure_ts: int = -1
    first_warned_ts: int = -1
    paid_ts: int = -1
    reported: bool = False
    last_score: float = 0.0
    warnings: int = 0
    #: when the features were last faded to the present
    faded_at: int = 0

    def fade(self, now: int) -> None:
        """Fade the features and the last warned score to `now` (half-life `HALF_LIFE_S`)."""
        if now <= self.faded_at:
            return
        if self.faded_at:
            factor = 0.5 ** ((now - self.faded_at) / HALF_LIFE_S)
            if self.last_score or any(self.features):  # most subjects have none to fade
                self.features = [f * factor for f in self.features]
                self.last_score *= factor
            self.contact_strength *= factor
        self.faded_at = now

    def add_type(self, fraud_type: str | None, weight: int = 1) -> None:
        if fraud_type and (fraud_type in self.types or len(self.types) < TYPES_CAP):
            self.types[fraud_type] += weight

    def fraud_type(self) -> str:
        return self.types.most_common(1)[0][0] if self.types else "other"

    def mark(self, stranger: str, call: float = 0.0, script: float = 0.0) -> tuple[float, float]:
        """Remember the longest call and the best script from `stranger` (one already counted
        in `strangers`); returns what it had done before."""
        before = self.marks.get(stranger, (0.0, 0.0))
        if stranger in self.strangers:
            self.marks[stranger] = (max(before[0], call), max(before[1], script))
        return before

    def turns(self, stranger: str) -> int:
        """Calls and messages either way between the subject and `stranger` (a thread)."""
        return self.strangers.get(stranger, 0) + self.replies.get(stranger, 0)

    def raise_feature(self, index: int, value: float) -> bool:
        value = min(1.0, max(0.0, value))
        if value > self.features[index]:
            self.features[index] = value
            return True
        return False
