"""How the victims' money was handed to an account: relayed at once, or paid in its time.

As of the report a rented card with an ordinary life has often not yet passed the money on
(the victim reported within hours), and the mule model of that day scores its months of
ordinary life (docs/tracing.md "Round twelve"). How the money reached it speaks for it: the
chain relays a victim's money within minutes of receiving it, while a mule pays a shop, a
landlord or a debt when it spends, hours or days after the money came.

So for the transfer that brought an account most of the victims' money, the judge weighs how
long its payer had held the victims' money (`Relay.wait`: from when the money first reached
the payer, a node of the trace; where the payer is not one, such as a payment institution's
pooled account that passed it on, from the victim's latest transfer to that payer before it
paid, else from the victim's first transfer: a victim who pays in instalments over days pays
each through the platform apart, and timed from the first one a card paid a later one within
minutes looked paid days after the victim paid, docs/tracing.md "Round thirteen"). Everything
comes from the trace's own events before the report: no look-up. The weight was fitted with scikit-learn on
report-cut training worlds (`training/trace/fit_relay.py`) and ships in `weights/relay.json`:
points on the judge's scale, a weight and never a veto, and the reason names the transfer and
the payer. The judge sets it aside once the account was watched `pass_hours` and kept the
money (`chaincut.trace.bystander.relay_counts`): what it did then speaks louder.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from chaincut.trace.model import Micros
from chaincut.trace.reasons import Reason, said

HOUR = 3_600_000_000
#: a wait shorter than this counts as this (a relay in the same minute as the deposit)
MIN_WAIT = 60_000_000
WEIGHTS = Path(__file__).with_name("weights") / "relay.json"


@dataclass(frozen=True, slots=True)
class Relay:
    """The transfer (`txn_id`) that brought an account most of the victims' money, its `payer`,
    and how long the payer had held the victims' money when it paid (`wait`, microseconds;
    `from_victim`: from the victim's first transfer)."""

    txn_id: str
    payer: str
    wait: Micros
    from_victim: bool = False  # the payer is no node of the trace: timed from the victim


@dataclass(frozen=True, slots=True)
class Weights:
    """Points for a relay per unit of ln(`fast_hours` / the wait in hours), where the wait is
    shorter than `fast_hours`: `payer` where the payer is an account the trace followed,
    `victim` where it is not (the wait timed from the victim's payment)."""

    fast_hours: float
    payer: float
    victim: float


@cache
def weights() -> Weights:
    """The shipped weights (`weights/relay.json`, written by `training/trace/fit_relay.py`)."""
    raw = json.loads(WEIGHTS.read_text("utf-8"))
    return Weights(float(raw["fast_hours"]), float(raw["payer"]), float(raw["victim"]))


def relay_of(
    into: list[tuple[str, Micros, str, int]],
    loaded: dict[str, Micros],
    first_paid: Micros | None,
    paid_to: Mapping[str, Sequence[Micros]] | None = None,
) -> Relay | None:
    """The relay of an account: `into` are the transfers that brought it victims' money
    (txn_id, ts, payer, the most of it that may be the victims'), `loaded` when the victims'
    money first reached each traced payer, `first_paid` the victim's first transfer, `paid_to`
    when the victims paid each account directly (their listed transfers): a payer the trace
    did not follow is timed from the latest of those to it at or before its payment. None for
    the victim's own transfer (hop 1: no payer held it) or where nothing dates the payer."""
    if not into:
        return None
    txn_id, ts, payer, _ = max(into, key=lambda t: (t[3], -t[1], t[0]))
    if payer in loaded:
        return Relay(txn_id, payer, max(ts - loaded[payer], 0))
    # a pooled account forwards the payment it was asked to: the victim's instalment that
    # went into it last before it paid is the one it passed on, not the victim's first one
    paid = [t for t in (paid_to or {}).get(payer, ()) if t <= ts]
    since = max(paid) if paid else first_paid
    if since is None:
        return None
    return Relay(txn_id, payer, max(ts - since, 0), True)


def fast(r: Relay, fast_hours: float) -> float:
    """What the weight applies to: ln(`fast_hours` / the wait in hours), at least 0."""
    return max(0.0, math.log(fast_hours / (max(r.wait, MIN_WAIT) / HOUR)))


def relay_points(r: Relay, span: Reason) -> list[tuple[float, Reason]]:
    """The points a relay is worth (module doc) with its reason; `span` says the wait."""
    w = weights()
    x = fast(r, w.fast_hours)
    weight = w.victim if r.from_victim else w.payer
    points = round(weight * x, 2)
    if not points:
        return []
    code = "relayed_victim" if r.from_victim else "relayed"
    return [(points, said(code, payer=r.payer, txn=r.txn_id, span=span))]
