"""The ledger engine: events on a heap, executed in time order against account balances.

A payment happens only if its payer has the money at that moment (employers and the pension fund
are the only accounts whose money comes from outside the ledger), so no account ever spends
money it never had. Stolen money is followed as it moves: each account holds, per fraud case,
the cents of that victim's money in its balance; a payment carries away each case's share in
proportion to the balance (the pro-rata, "rolling charge" rule), except a payment platform's
pooled account, which forwards exactly the victim's payment it was asked to forward.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from chaincut.foreign.core import DAY, World

Action = Callable[..., None]


class Ledger:
    """Balances, the per-case taint of each balance, and the event heap."""

    def __init__(self, w: World, sources: list[str], sinks: set[str]) -> None:
        self.w = w
        self.end = w.days * DAY
        self.balance: dict[str, int] = {}
        self.taint: dict[str, dict[int, int]] = {}
        self.holders_of: dict[int, set[str]] = {}  # case -> accounts holding some of its money
        self.sources = set(sources)
        self.sinks = sinks  # exits: money that reaches them has left the ledger's reach
        self.pools: set[str] = set()  # pooled accounts pass on only earmarked stolen money
        self.watch: Callable[[int, str, str, str, int], None] | None = None
        self._heap: list[tuple[int, int, Action, tuple[Any, ...]]] = []
        self._seq = 0

    # -- scheduling ---------------------------------------------------------------------------
    def at(self, t: float, action: Action, *args: Any) -> None:
        """Run `action(t, *args)` at time `t` (dropped when past the end of the period)."""
        ti = int(t)
        if 0 <= ti < self.end:
            self._seq += 1
            heapq.heappush(self._heap, (ti, self._seq, action, args))

    def run(self) -> None:
        while self._heap:
            t, _, action, args = heapq.heappop(self._heap)
            action(t, *args)

    # -- money --------------------------------------------------------------------------------
    def transfer(
        self,
        t: int,
        src: str,
        dst: str,
        cents: int,
        channel: str,
        case: int | None = None,
        *,
        extra: bool = False,
    ) -> str | None:
        """Move `cents` now if `src` has them; the new txn id, or None when it cannot pay.

        With `case`, exactly that case's money moves with the payment (an earmarked forward);
        otherwise every case's share moves pro rata. An `extra` payment (one the members' roles
        add) gets an `FX` id and its own list, so the other payments keep their ids.
        """
        if cents <= 0:
            return None
        have = self.balance.get(src, 0)
        if src not in self.sources and have < cents:
            return None
        held = self.taint.get(src)
        stolen = 0
        if held:
            moved: dict[int, int] = {}
            if case is not None:
                if case in held:
                    moved[case] = min(cents, held[case])
            elif src not in self.pools:
                for c, amount in held.items():
                    moved[c] = amount * cents // have
            # never leave more stolen money than the balance left (rounding, or a pool paying
            # out more than its own money)
            excess = sum(held.values()) - sum(moved.values()) - (have - cents)
            for c in held:
                if excess <= 0:
                    break
                add = min(excess, held[c] - moved.get(c, 0))
                moved[c] = moved.get(c, 0) + add
                excess -= add
            for c, amount in moved.items():
                stolen += amount
                if amount:
                    self._untaint(src, c, amount)
                    self.add_taint(dst, c, amount)
        self.balance[src] = have - cents
        self.balance[dst] = self.balance.get(dst, 0) + cents
        txn = self.w.next_id("FX" if extra else "FT", 8)
        rows = self.w.extra_transactions if extra else self.w.transactions
        rows.append((txn, t, src, dst, cents, channel))
        if self.watch is not None and stolen:
            self.watch(t, txn, src, dst, stolen)
        return txn

    def add_taint(self, account: str, case: int, cents: int) -> None:
        if account in self.sinks:
            return
        held = self.taint.setdefault(account, {})
        held[case] = held.get(case, 0) + cents
        self.holders_of.setdefault(case, set()).add(account)

    def _untaint(self, account: str, case: int, cents: int) -> None:
        held = self.taint[account]
        left = held[case] - cents
        if left > 0:
            held[case] = left
        else:
            del held[case]
            self.holders_of[case].discard(account)

    def holdings(self, case: int) -> list[tuple[str, int]]:
        """Where case `case`'s money is now: (account, cents), largest first."""
        out = [(a, self.taint[a][case]) for a in self.holders_of.get(case, ())]
        return sorted(out, key=lambda x: (-x[1], x[0]))

    # -- ordinary actions (scheduled with `at`) -----------------------------------------------
    def pay(self, t: int, src: str, dst: str, cents: int, channel: str) -> None:
        self.transfer(t, src, dst, cents, channel)

    def sweep(self, t: int, src: str, dst: str, permille: int, channel: str) -> None:
        """Pay `permille`/1000 of the balance, in whole yuan (a merchant's weekly settlement)."""
        cents = self.balance.get(src, 0) * permille // 1000 // 100 * 100
        self.transfer(t, src, dst, cents, channel)
