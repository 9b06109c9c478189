"""Per-account money state under each tracing rule: what an outflow carries, what stays.

An account's money is a set of owners: the victims' reports (by report id) and `None`, the
clean money of everyone else. `deposit` adds pieces, `withdraw` takes an amount out and returns
the pieces it carried, in cents, summing exactly to the amount. If an outflow is larger than
the money the state knows of, the excess is the account's own money from before the ledger
(opening balance taken as zero): it is clean, and the state's `unknown_cents` records it.

`Possible` is the bound beside the rule: the most of each report's money the account may hold
whatever order its money left in (what an emergency stop holds, see `chaincut.trace.assemble`).
"""

from __future__ import annotations

from collections import deque

from chaincut.trace.model import Rule
from chaincut.trace.money import allocate

#: owner (a report id, or None for clean money) and cents
Piece = tuple[str | None, int]


class AccountState:
    """The rule-independent part: balance, unknown funds, taint per report."""

    __slots__ = ("balance", "taint", "unknown_cents")

    def __init__(self, opening_cents: int) -> None:
        self.balance = max(opening_cents, 0)
        self.unknown_cents = max(-opening_cents, 0)
        self.taint: dict[str, int] = {}

    def deposit(self, pieces: list[Piece]) -> None:
        """Add the pieces of an inflow."""
        for owner, cents in pieces:
            self.balance += cents
            if owner is not None:
                self.taint[owner] = self.taint.get(owner, 0) + cents

    def withdraw(self, cents: int) -> list[Piece]:
        """Take `cents` out; return what it carried (report pieces first, then clean)."""
        raise NotImplementedError

    def held(self) -> dict[str, int]:
        """The traced money of each report still in the account (zeros left out)."""
        return {r: c for r, c in self.taint.items() if c > 0}

    def _overdraw(self, cents: int) -> int:
        """Debit the balance; return the part paid from funds the ledger does not show."""
        excess = max(cents - self.balance, 0)
        self.unknown_cents += excess
        self.balance -= cents - excess
        return excess

    def _take(self, parts: dict[str, int]) -> None:
        for owner, c in parts.items():
            left = self.taint[owner] - c
            if left:
                self.taint[owner] = left
            else:
                del self.taint[owner]


def _pieces(parts: dict[str, int], total: int) -> list[Piece]:
    out: list[Piece] = [(r, c) for r, c in sorted(parts.items()) if c > 0]
    clean = total - sum(c for _, c in out)
    if clean:
        out.append((None, clean))
    return out


class LibrState(AccountState):
    """Lowest intermediate balance: the taint never exceeds the lowest balance since it came.

    Own money leaves first; when the balance falls below the taint, the taint falls to the
    balance and the difference leaves with the outflow, shared among reports pro rata. Later
    clean deposits do not refill it.
    """

    __slots__ = ()

    def withdraw(self, cents: int) -> list[Piece]:
        self._overdraw(cents)
        total = sum(self.taint.values())
        excess = total - self.balance
        if excess <= 0:
            return [(None, cents)]
        keys = sorted(self.taint)
        parts = dict(zip(keys, allocate(excess, [self.taint[k] for k in keys]), strict=True))
        self._take(parts)
        return _pieces(parts, cents)


class ProrataState(AccountState):
    """Rolling charge: each outflow carries every owner's money by its share at that moment."""

    __slots__ = ()

    def withdraw(self, cents: int) -> list[Piece]:
        before = self.balance
        self._overdraw(cents)
        if cents >= before:
            parts = dict(self.taint)
        else:
            keys = sorted(self.taint)
            weights = [self.taint[k] for k in keys]
            weights.append(before - sum(weights))
            split = allocate(cents, weights)
            parts = dict(zip(keys, split[:-1], strict=True))
        self._take(parts)
        return _pieces(parts, cents)


class _Lot:
    __slots__ = ("cents", "owner")

    def __init__(self, owner: str | None, cents: int) -> None:
        self.owner = owner
        self.cents = cents


class FifoState(AccountState):
    """First in, first out (Clayton's Case): a queue of lots, the earliest leaves first."""

    __slots__ = ("lots",)

    def __init__(self, opening_cents: int) -> None:
        super().__init__(opening_cents)
        self.lots: deque[_Lot] = deque()
        if self.balance:
            self.lots.append(_Lot(None, self.balance))

    def deposit(self, pieces: list[Piece]) -> None:
        super().deposit(pieces)
        for owner, cents in pieces:
            if self.lots and self.lots[-1].owner == owner:
                self.lots[-1].cents += cents
            else:
                self.lots.append(_Lot(owner, cents))

    def withdraw(self, cents: int) -> list[Piece]:
        self._overdraw(cents)
        need = cents
        out: list[Piece] = []
        while need and self.lots:
            lot = self.lots[0]
            take = min(lot.cents, need)
            if take == lot.cents:
                self.lots.popleft()
            else:
                lot.cents -= take
            need -= take
            owner = lot.owner
            if owner is not None:
                self._take({owner: take})
            if out and out[-1][0] == owner:
                out[-1] = (owner, out[-1][1] + take)
            else:
                out.append((owner, take))
        if need:
            if out and out[-1][0] is None:
                out[-1] = (None, out[-1][1] + need)
            else:
                out.append((None, need))
        return out


_STATES: dict[Rule, type[AccountState]] = {
    Rule.fifo: FifoState,
    Rule.libr: LibrState,
    Rule.prorata: ProrataState,
}


def new_state(rule: Rule, opening_cents: int) -> AccountState:
    """A fresh account state under `rule` with a derived opening balance (clamped at zero)."""
    return _STATES[rule](opening_cents)


class Possible:
    """The most of each report's money an account may hold, whichever money its outflows took.

    Every outflow may have carried all of it (so it may travel on with each of them, up to the
    outflow's amount), and none of it need have left (so it stays, up to the balance after the
    outflow: later deposits do not refill it), and no account holds more of a report's money
    than its loss (`limits`: money going round in circles is not counted twice). This is
    "poison" tainting capped by the lowest intermediate balance; no rule attributes more to an
    account than this bound, and neither can the real order of lots, given the ledger holds
    all the account's money.
    """

    __slots__ = ("cents", "limits")

    def __init__(self, limits: dict[str, int]) -> None:
        self.cents: dict[str, int] = {}
        self.limits = limits

    def deposit(self, parts: dict[str, int]) -> None:
        for owner, c in parts.items():
            self.cents[owner] = min(self.cents.get(owner, 0) + c, self.limits[owner])

    def withdraw(self, cents: int, balance_after: int) -> dict[str, int]:
        """What an outflow of `cents` may carry; the bound left is capped at the balance."""
        carried = {r: min(c, cents) for r, c in self.cents.items()}
        self.cents = {r: min(c, balance_after) for r, c in self.cents.items() if balance_after > 0}
        return carried
