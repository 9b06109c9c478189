"""Lot bookkeeping: the ground truth of whose money is where.

Every tracked account (mule cards, runners' accounts, sub-accounts of pooled accounts) holds
lots: (origin, cents, arrival time), origin being a victim's index or CLEAN for the holder's own
money. An outgoing transfer takes lots by the policy: `random` (lots in random order: what
launderers actually do, so no tracing rule is exact), `fifo` (oldest first) or `pro_rata`
(every lot in proportion). Only lots that arrived strictly before the transfer can leave.

`Provenance` follows each victim's money per account and records what leaves the chain before
the victim's report: exits (cash, crypto OTC, cross-border) and spending (merchants, others).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from chaincut.simulate.params import LotPolicy

CLEAN = -1
COMPACT_AT = 48


class LotBook:
    def __init__(self, policy: LotPolicy, rng: random.Random) -> None:
        self.policy = policy
        self.rng = rng
        self.lots: dict[int, list[list[int]]] = defaultdict(list)

    def add(self, slot: int, origin: int, cents: int, ts: int) -> None:
        lots = self.lots[slot]
        if lots and lots[-1][0] == origin and lots[-1][2] == ts:
            lots[-1][1] += cents
        else:
            lots.append([origin, cents, ts])

    def available(self, slot: int, ts: int) -> int:
        return sum(lot[1] for lot in self.lots.get(slot, ()) if lot[2] < ts)

    def take(self, slot: int, cents: int, ts: int) -> list[tuple[int, int]]:
        """Remove `cents` (at most what is available) and return the (origin, cents) pieces."""
        lots = self.lots[slot]
        eligible = [lot for lot in lots if lot[2] < ts]
        pieces: list[tuple[int, int]] = []
        if self.policy == "pro_rata":
            pieces = _pro_rata(eligible, cents)
        else:
            if self.policy == "random":
                self.rng.shuffle(eligible)
            left = cents
            for lot in eligible:
                if left == 0:
                    break
                part = min(left, lot[1])
                lot[1] -= part
                left -= part
                pieces.append((lot[0], part))
            if left:
                raise ValueError(f"slot {slot}: {left} cents more than available at {ts}")
        self.lots[slot] = [lot for lot in lots if lot[1] > 0]
        if len(self.lots[slot]) > COMPACT_AT and self.policy != "fifo":
            self._compact(slot, ts)
        return pieces

    def _compact(self, slot: int, ts: int) -> None:
        merged: dict[int, list[int]] = {}
        rest = []
        for origin, cents, at in self.lots[slot]:
            if at < ts:
                m = merged.setdefault(origin, [origin, 0, at])
                m[1] += cents
                m[2] = max(m[2], at)
            else:
                rest.append([origin, cents, at])
        self.lots[slot] = list(merged.values()) + rest


def _pro_rata(eligible: list[list[int]], cents: int) -> list[tuple[int, int]]:
    total = sum(lot[1] for lot in eligible)
    if cents > total:
        raise ValueError(f"{cents} cents more than the {total} available")
    shares = [lot[1] * cents // total if total else 0 for lot in eligible]
    remainders = sorted(
        range(len(eligible)),
        key=lambda i: (-(eligible[i][1] * cents % total) if total else 0, i),
    )
    for i in remainders[: cents - sum(shares)]:
        shares[i] += 1
    pieces = []
    for lot, share in zip(eligible, shares, strict=True):
        if share:
            lot[1] -= share
            pieces.append((lot[0], share))
    return pieces


@dataclass
class Outflow:
    victim: int
    uid: int  # transaction uid
    account: int  # the account the money left from
    channel: int
    cents: int


@dataclass
class Provenance:
    """Per victim: cents per account now, and what left the chain before the report."""

    n: int
    holdings: list[dict[int, int]] = field(default_factory=list)
    open: list[bool] = field(default_factory=list)
    exits: list[Outflow] = field(default_factory=list)
    spent: list[Outflow] = field(default_factory=list)
    snapshot: dict[int, dict[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.holdings = [{} for _ in range(self.n)]
        self.open = [True] * self.n

    def arrive(self, victim: int, account: int, cents: int) -> None:
        h = self.holdings[victim]
        h[account] = h.get(account, 0) + cents

    def leave(self, victim: int, account: int, cents: int) -> None:
        h = self.holdings[victim]
        left = h[account] - cents
        if left < 0:
            raise ValueError(f"victim {victim}: account {account} would hold {left} cents")
        if left:
            h[account] = left
        else:
            del h[account]

    def out(self, exit_: bool, record: Outflow) -> None:
        if self.open[record.victim]:
            (self.exits if exit_ else self.spent).append(record)

    def close(self, victim: int) -> None:
        """The victim reports: freeze the picture of where the money is."""
        self.snapshot[victim] = dict(self.holdings[victim])
        self.open[victim] = False
