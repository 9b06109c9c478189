"""The transparent score: named indicators with thresholds and points, no labels needed.

Each indicator is an operator's rule of thumb from the literature on SIM boxes and fraud
callers (docs/telecom.md): it fires when a feature passes its threshold on enough activity,
adds its points, and says which kind of entity it suggests (`simbox` or `fraud`, a fraud caller
in a handset) and which example records show it. The score is `1 - exp(-points / SCALE)`: no
single weak indicator flags a number, and every flag comes with the rules that fired.

The cold-calling indicators (`CALLING`: outbound only, no callbacks, low answer rate, many
callees, one cell, short calls, bursts) describe one behaviour from several sides, so together
they count for at most `CALLING_CAP` points: enough to flag a number that does all of it, not
enough to put an outbound campaign in sync above a box whose SIMs share devices, IDs or victims.

A *veto* indicator cancels the points of the kind it names: a number that answers the calls it
receives is staffed (a business, a call centre, a person), which no SIM box is, and a line that
has called the same way for weeks is established (a SIM that cold-calls strangers is reported and
blocked within days, which is why dens swap their SIMs), so its box-like calling pattern counts
for nothing; what it did to victims still counts. Numbers in sync that each call from a handset
of their own (none of them shares an IMEI with another number, none was swapped into a used
slot) and whose group talked at length with many people, few of them victims, are a room of
phones, an outbound campaign or a call centre, not the reused slots of a box (`own_handsets`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from chaincut.telecom.features import FeatureFrame, FloatArray

BoolArray = npt.NDArray[np.bool_]
Suggests = Literal["simbox", "fraud"]

#: points that give a score of 1 - 1/e (0.63)
SCALE: Final = 3.0
#: points from which an entity is flagged (a label guess other than "normal")
FLAG_POINTS: Final = 2.5
#: the score of `FLAG_POINTS`
THRESHOLD: Final = 1.0 - float(np.exp(-FLAG_POINTS / SCALE))
#: share of a number's contacts who later reported fraud from which victim counts are evidence
#: (a bank's or an operator's notice number reaches victims too, among thousands of others)
VICTIM_SHARE: Final = 0.4
#: calls and messages per victim from which a number worked its victims (not a friend's note)
GROOMING: Final = 2.0
#: victims, and contacts with each, that show it worked them whatever else it called
MIN_WORKED: Final = 3
GROOMING_MANY: Final = 3.0
#: calls an entity must have made before behaviour-based rules apply to it
MIN_CALLS: Final = 5
#: indicators of one behaviour, cold calling, and the most points they give together
CALLING: Final = frozenset(
    {"outbound_only", "no_callbacks", "low_answer_rate", "many_callees", "one_cell",
     "short_calls", "call_bursts"}
)  # fmt: skip
CALLING_CAP: Final = 2.5
#: calls received, and the share of them answered, from which a line is staffed (veto)
MIN_CALLBACKS: Final = 3
STAFFED: Final = 0.5
#: calling on this many local days over at least `SPAN_DAYS` makes a line established (veto)
ESTABLISHED_DAYS: Final = 10
SPAN_DAYS: Final = 14
#: people the group in sync talked to for 5 minutes or more from which it is a room of people at
#: work (with no IMEI shared and few victims among them: veto `own_handsets`)
ROOM_TALKS: Final = 3


@dataclass(frozen=True)
class Indicator:
    """One rule: `test(frame)` says where it fires; `text` is formatted with the row's values."""

    code: str
    points: float
    suggests: Suggests
    evidence: str  # the example kind that shows it (see `chaincut.lake.jobs.number_examples`)
    text: str
    test: Callable[[FeatureFrame], BoolArray]
    veto: bool = False  # cancels the points of `suggests` instead of adding its own


def _f(frame: FeatureFrame, name: str) -> FloatArray:
    return frame.column(name)


def _worked(frame: FeatureFrame) -> BoolArray:
    """It worked its victims: they are a large share of its contacts and each was reached again
    and again, or (a line that also cold-calls strangers) 3 or more of them each reached 3
    times or more. A fraud line grooms its victims with calls and chats for days; a friend who
    messaged two people once each before they happened to report fraud did not, and a bank's
    notice number reaches each victim among thousands of others once or twice."""
    each = _f(frame, "victim_contacts_each")
    share = (_f(frame, "victim_share") >= VICTIM_SHARE) & (each >= GROOMING)
    many = (_f(frame, "victims_contacted") >= MIN_WORKED) & (each >= GROOMING_MANY)
    out: BoolArray = share | many
    return out


def _box_pitches(frame: FeatureFrame, peers: str) -> BoolArray:
    """The numbers in sync with it pitched people who then reported fraud (see `box_victims`)."""
    out: BoolArray = (
        (_f(frame, peers) >= 3)
        & (_f(frame, "sync_victims") >= 2)
        & (_f(frame, "sync_victim_share") >= VICTIM_SHARE)
    )
    return out


def _own_handsets(frame: FeatureFrame, peers: str) -> BoolArray:
    """In sync with 3 or more numbers, none of which shares an IMEI, and its group talked at
    length with `ROOM_TALKS` people or more, few of whom reported fraud: people at work in a
    room of phones. A box that has not yet swapped a SIM shows no shared IMEI either, but its
    dials that connect last seconds, so it has not shown that it talks to people."""
    out: BoolArray = (
        (_f(frame, peers) >= 3)
        & (_f(frame, "sync_sharers") == 0)
        & (_f(frame, "sync_pitched") >= ROOM_TALKS)
        & ~_box_pitches(frame, peers)
    )
    return out


def _active(frame: FeatureFrame, calls: str) -> BoolArray:
    out: BoolArray = _f(frame, calls) >= MIN_CALLS
    return out


NUMBER_INDICATORS: Final[tuple[Indicator, ...]] = (
    Indicator(
        "synchronised", 3.0, "simbox", "sync",
        "calls from one cell in the same hours as {sync_peers:.0f} other numbers (up to "
        "{sync_shared_max:.0f} hours shared with one): SIMs of one box",
        lambda f: _f(f, "sync_peers") >= 3,
    ),
    Indicator(
        "box_victims", 2.0, "simbox", "sync",
        "numbers in sync with it pitched {sync_victims:.0f} people who then reported fraud "
        "({sync_victim_share:.0%} of the people they talked to for 5 minutes or more): its box "
        "pitches victims",
        lambda f: _box_pitches(f, "sync_peers"),
    ),
    Indicator(
        "shared_device", 2.0, "simbox", "device",
        "one of its IMEIs carried {max_sims_per_imei:.0f} SIMs",
        lambda f: _f(f, "max_sims_per_imei") >= 3,
    ),
    Indicator(
        "imei_rotation", 1.5, "simbox", "imei",
        "called from {imeis:.0f} IMEIs (IMEI rotation)",
        lambda f: _f(f, "imeis") >= 3,
    ),
    Indicator(
        "outbound_only", 1.0, "simbox", "out",
        "{out_calls:.0f} calls made, {in_calls:.0f} received",
        lambda f: _active(f, "out_calls") & (_f(f, "out_share") >= 0.95),
    ),
    Indicator(
        "no_callbacks", 1.0, "simbox", "out",
        "none of its {distinct_callees:.0f} callees ever called back "
        "(reciprocity {reciprocity:.0%})",
        lambda f: (_f(f, "distinct_callees") >= MIN_CALLS) & (_f(f, "reciprocity") <= 0.05),
    ),
    Indicator(
        "low_answer_rate", 1.0, "simbox", "unanswered",
        "only {answer_rate:.0%} of its {out_calls:.0f} calls were answered",
        lambda f: _active(f, "out_calls") & (_f(f, "answer_rate") <= 0.4),
    ),
    Indicator(
        "many_callees", 0.5, "simbox", "out",
        "{distinct_callees:.0f} distinct numbers in {out_calls:.0f} calls",
        lambda f: _active(f, "out_calls") & (_f(f, "callee_spread") >= 0.95),
    ),
    Indicator(
        "one_cell", 0.5, "simbox", "out",
        "every call from one cell",
        lambda f: _active(f, "out_calls") & (_f(f, "cells") == 1),
    ),
    Indicator(
        "short_calls", 0.5, "simbox", "short",
        "{short_share:.0%} of answered calls under 30 s",
        lambda f: (_f(f, "answer_rate") * _f(f, "out_calls") >= 3) & (_f(f, "short_share") >= 0.6),
    ),
    Indicator(
        "call_bursts", 0.5, "simbox", "out",
        "{calls_per_day:.1f} calls a day on its active days",
        lambda f: _f(f, "calls_per_day") >= 4,
    ),
    Indicator(
        "staffed", 0.0, "simbox", "answered_in",
        "answered {in_answer_rate:.0%} of the {in_calls:.0f} calls it received: a staffed line "
        "(a business, a call centre, a person), not a SIM box, so its calling pattern does not "
        "count",
        lambda f: (_f(f, "in_calls") >= MIN_CALLBACKS) & (_f(f, "in_answer_rate") >= STAFFED),
        veto=True,
    ),
    Indicator(
        "established", 0.0, "simbox", "out",
        "called on {active_days:.0f} days over {lifetime_d:.0f} days: an established line, not "
        "a box's SIM (those are blocked and swapped within days), so its calling pattern does "
        "not count",
        lambda f: (_f(f, "active_days") >= ESTABLISHED_DAYS) & (_f(f, "lifetime_d") >= SPAN_DAYS),
        veto=True,
    ),
    Indicator(
        "own_handsets", 0.0, "simbox", "sync",
        "in sync with {sync_peers:.0f} numbers at one cell, but it and each of them call from a "
        "handset of their own (no IMEI shared, no SIM swapped into a slot) and they talked at "
        "length with {sync_pitched:.0f} people, few of whom reported fraud: a room of phones (an outbound campaign, a call centre), not a box's slots, so "
        "its calling pattern does not count",
        lambda f: _own_handsets(f, "sync_peers") & (_f(f, "imeis") <= 1),
        veto=True,
    ),
    Indicator(
        "shared_id", 1.0, "fraud", "",
        "its holder's ID number registered {id_numbers:.0f} numbers",
        lambda f: _f(f, "id_numbers") >= 3,
    ),
    Indicator(
        "victims_reached", 2.0, "fraud", "victim",
        "called or messaged {victims_contacted:.0f} people who later reported fraud "
        "({victim_share:.0%} of the people it contacted), {victim_contacts_each:.1f} times each",
        lambda f: (_f(f, "victims_contacted") >= 2) & _worked(f),
    ),
    Indicator(
        "victims_many", 1.0, "fraud", "victim",
        "reached 4 or more people who later reported fraud",
        lambda f: (_f(f, "victims_contacted") >= 4) & _worked(f),
    ),
    Indicator(
        "victim_share", 1.5, "fraud", "victim",
        "{victim_share:.0%} of the people it contacted later reported fraud",
        lambda f: (_f(f, "victims_contacted") >= 1) & (_f(f, "victim_share") >= 0.5),
    ),
    Indicator(
        "victims_talked", 1.0, "fraud", "victim",
        "talked at length or chatted with {victims_talked:.0f} of them in the week before "
        "their report",
        lambda f: (_f(f, "victims_talked") >= 2) & _worked(f),
    ),
    Indicator(
        "short_lived", 0.5, "fraud", "out",
        "active for only {lifetime_d:.1f} days",
        lambda f: (_f(f, "lifetime_d") < 7) & (_f(f, "out_calls") + _f(f, "msgs_out") >= MIN_CALLS),
    ),
)  # fmt: skip

DEVICE_INDICATORS: Final[tuple[Indicator, ...]] = (
    Indicator(
        "many_sims", 3.0, "simbox", "sims",
        "{sims:.0f} SIMs called with this IMEI",
        lambda f: _f(f, "sims") >= 3,
    ),
    Indicator(
        "sims_in_sync", 3.0, "simbox", "sync",
        "its SIMs call from one cell in the same hours as up to {max_sync_peers:.0f} other "
        "numbers",
        lambda f: _f(f, "max_sync_peers") >= 3,
    ),
    Indicator(
        "box_victims", 2.0, "simbox", "sync",
        "the numbers in sync with one of its SIMs pitched {sync_victims:.0f} people who then "
        "reported fraud: the box pitches victims",
        lambda f: _box_pitches(f, "max_sync_peers"),
    ),
    Indicator(
        "imei_rotation", 1.5, "simbox", "sims",
        "a SIM of it used {sims_max_imeis:.0f} IMEIs (IMEI rotation)",
        lambda f: _f(f, "sims_max_imeis") >= 3,
    ),
    Indicator(
        "outbound_only", 1.0, "simbox", "out",
        "{calls:.0f} calls made; its SIMs received {sims_in_share:.2f} calls per call made",
        lambda f: _active(f, "calls") & (_f(f, "sims_in_share") <= 0.05),
    ),
    Indicator(
        "low_answer_rate", 1.0, "simbox", "unanswered",
        "only {answer_rate:.0%} of its {calls:.0f} calls were answered",
        lambda f: _active(f, "calls") & (_f(f, "answer_rate") <= 0.4),
    ),
    Indicator(
        "many_callees", 0.5, "simbox", "out",
        "{distinct_callees:.0f} distinct numbers in {calls:.0f} calls",
        lambda f: _active(f, "calls") & (_f(f, "callee_spread") >= 0.95),
    ),
    Indicator(
        "one_cell", 0.5, "simbox", "out",
        "every call from one cell",
        lambda f: _active(f, "calls") & (_f(f, "cells") == 1),
    ),
    Indicator(
        "short_calls", 0.5, "simbox", "short",
        "{short_share:.0%} of answered calls under 30 s",
        lambda f: (_f(f, "answer_rate") * _f(f, "calls") >= 3) & (_f(f, "short_share") >= 0.6),
    ),
    Indicator(
        "staffed", 0.0, "simbox", "",
        "its SIMs answered {sims_in_answer_rate:.0%} of the {sims_in_calls:.0f} calls they "
        "received: a staffed phone, not a SIM box, so its calling pattern does not count",
        lambda f: (_f(f, "sims_in_calls") >= MIN_CALLBACKS)
        & (_f(f, "sims_in_answer_rate") >= STAFFED),
        veto=True,
    ),
    Indicator(
        "established", 0.0, "simbox", "out",
        "called on {active_days:.0f} days over {lifetime_d:.0f} days with {sims:.0f} SIMs: an "
        "established phone, not a box (its SIMs would be blocked and swapped within days), so "
        "its calling pattern does not count",
        lambda f: (_f(f, "active_days") >= ESTABLISHED_DAYS)
        & (_f(f, "lifetime_d") >= SPAN_DAYS) & (_f(f, "sims") <= 2),
        veto=True,
    ),
    Indicator(
        "own_handsets", 0.0, "simbox", "sync",
        "its one SIM is in sync with {max_sync_peers:.0f} numbers at one cell, each on a handset "
        "of its own (no IMEI shared, no SIM swapped into a slot), and they talked at length with "
        "{sync_pitched:.0f} people, few of whom reported fraud: a phone in a room of phones (an outbound campaign, a call centre), not a box, so its "
        "calling pattern does not count",
        lambda f: _own_handsets(f, "max_sync_peers") & (_f(f, "sims") <= 1)
        & (_f(f, "sims_max_imeis") <= 1),
        veto=True,
    ),
    Indicator(
        "victims_reached", 2.0, "fraud", "victim",
        "called {victims_contacted:.0f} people who later reported fraud",
        lambda f: (_f(f, "victims_contacted") >= 2) & (_f(f, "victim_share") >= VICTIM_SHARE),
    ),
    Indicator(
        "victim_share", 1.5, "fraud", "victim",
        "{victim_share:.0%} of the numbers called from it later reported fraud",
        lambda f: (_f(f, "victims_contacted") >= 1) & (_f(f, "victim_share") >= 0.5),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class RuleResult:
    """Per row: points, score, the kind its points suggest, and which indicators fired."""

    points: FloatArray
    scores: FloatArray
    simbox_points: FloatArray
    fraud_points: FloatArray
    fired: npt.NDArray[np.bool_]  # rows x indicators
    cancelled: FloatArray  # points a veto took away (0 where none fired or nothing to cancel)
    calling_scale: FloatArray  # what each cold-calling indicator's points count for (the cap)

    def weight(self, i: int, indicator: Indicator) -> float:
        """The points `indicator` adds to row i (a veto: minus what it cancelled)."""
        if indicator.veto:
            return -float(self.cancelled[i])
        if indicator.code in CALLING:
            return round(indicator.points * float(self.calling_scale[i]), 4)
        return indicator.points


def apply(frame: FeatureFrame, indicators: tuple[Indicator, ...]) -> RuleResult:
    """Evaluate every indicator on every row of `frame`."""
    n = len(frame)
    fired = np.zeros((n, len(indicators)), dtype=bool)
    points = {"simbox": np.zeros(n), "fraud": np.zeros(n)}
    vetoed = {"simbox": np.zeros(n, bool), "fraud": np.zeros(n, bool)}
    calling = np.zeros(n)
    for j, ind in enumerate(indicators):
        hit = np.asarray(ind.test(frame), dtype=bool)
        fired[:, j] = hit
        if ind.veto:
            vetoed[ind.suggests] |= hit
        elif ind.code in CALLING:
            calling += np.where(hit, ind.points, 0.0)
        else:
            points[ind.suggests] += np.where(hit, ind.points, 0.0)
    scale = np.minimum(1.0, CALLING_CAP / np.maximum(calling, CALLING_CAP))
    points["simbox"] += calling * scale  # every cold-calling indicator suggests a box
    cancelled = np.zeros(n)
    for kind, hit in vetoed.items():
        cancelled += np.where(hit, points[kind], 0.0)
        points[kind] = np.where(hit, 0.0, points[kind])
    simbox, fraud = points["simbox"], points["fraud"]
    total = simbox + fraud
    return RuleResult(total, to_score(total), simbox, fraud, fired, cancelled, scale)


def to_score(points: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 - np.exp(-points / SCALE)
    return out


def suggestion(simbox_points: float, fraud_points: float) -> Suggests:
    """The kind a flagged entity most looks like: a box's SIM or IMEI, or a fraud caller."""
    return "simbox" if simbox_points >= fraud_points else "fraud"
