"""Ties to the chain: money an account got from, or paid on to, accounts already stopped.

A rented card keeps its owner's ordinary life, and on one report's ledger it can look like the
landlord PRODUCT.md rules out freezing (`tests/trace/test_kernel.py`): years old, money staying
for days, the victim's payment a small part of what it receives. What the ledger says around it
separates many of them: the chain funds its cards again and again, so a real share of what such
a card received in the weeks before came from accounts that are themselves stopped (for an
earlier report of another victim, or in this trace), and what it does with the victim's money
is pass it on to the chain's next card, which this trace stops. A landlord is paid from a
salary, a shop by its customers: one payment from a mule is a sliver of their income.

A third tie (round fourteen) is how it was paid: the chain splits a victim's money over several
of its cards at once, so a card that got a real part (`SPLIT_PART`) of what its payer paid out
within `SPLIT_MINUTES`, beside accounts this trace stops, was paid as one of the chain's cards,
even where the report came before it did anything with the money. A mule that pays a shop or a
debt in the same minutes as its next card pays it a small part of the split. The weight was
fitted with scikit-learn (`training/trace/fit_split.py`: +4.28, `weights/split.json`). It
counts only while how the account was handed the money does (`bystander.relay_counts`): a
bystander that a mule paid three quarters of a split and that kept the money a day was stopped
with it on round fourteen's confirming worlds; a card that kept what it was paid is judged on
that (round fifteen, confirmed on fresh worlds: docs/tracing.md "Round fifteen: stops at the
report").

Both are weights, never a veto (`chaincut.trace.bystander`), with their accounts named so that
the analyst can check them. The judge first weighs every account on its own evidence; the
accounts it stops are then the "stopped in this trace" of the others, which are weighed again
with their ties until no further account is stopped (ties only add points, so this ends).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from chaincut.trace.model import Micros, Txn
from chaincut.trace.money import fmt_yuan
from chaincut.trace.reasons import Reason, said

#: the share of the money it received in the window before that came from stopped accounts
#: (at least) and the points it is worth; a tenth (+1.5) also stopped a mule's regular payee
#: on the training worlds, where a fifth stopped none
FROM_SHARE, FROM_POINTS = 0.2, 3.0
#: paid on to accounts stopped in this trace at least this share of the victims' money
ONWARD_SHARE, ONWARD_POINTS = 0.3, 2.5
#: the most the ties can add: an account further below the stop is not looked at
MOST = FROM_POINTS + ONWARD_POINTS
#: at most this many accounts are named in a reason
NAMED = 3
#: the payer's payments within this many minutes of the one that brought an account most of
#: the victims' money are one split; the account's part of it at least this share
SPLIT_MINUTES, SPLIT_PART = 10.0, 0.3
SPLIT_WEIGHTS = Path(__file__).with_name("weights") / "split.json"


@dataclass(frozen=True, slots=True)
class Split:
    """How `payer` paid an account (`txn_id`, `cents`): `total` cents it paid within
    `SPLIT_MINUTES` of that payment, this one included, and to which accounts stopped in this
    trace (`with_stopped`)."""

    txn_id: str
    payer: str
    cents: int
    total: int
    with_stopped: tuple[str, ...] = ()

    @property
    def part(self) -> float:
        """The account's part of what the payer paid in those minutes."""
        return self.cents / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Ties:
    """What an account got from stopped accounts in the window before the victims' money
    arrived (`from_cents` of `received` cents, from `payers`) and what it paid on after it to
    accounts stopped in this trace (`onward_cents`, to `payees`)."""

    from_cents: int = 0
    received: int = 0
    payers: tuple[str, ...] = ()
    onward_cents: int = 0
    payees: tuple[str, ...] = ()
    split: Split | None = None  # paid beside accounts this trace stops (`split_of`)


def ties_of(
    account_id: str,
    history: Iterable[Txn],
    outs: Iterable[tuple[Micros, int, str, str | None]],
    stopped: Callable[[str], Sequence[Micros]],
    here: Collection[str],
    window: Micros = 0,
) -> Ties:
    """The ties of `account_id`: `history` is its transactions in the window before the
    victims' money arrived, `outs` what it paid from then on (ts, cents, payee, channel);
    `stopped(a)` the times of the earlier reports that stopped `a`, `here` the accounts
    stopped in this trace. A payment from an account stopped for an earlier report counts
    unless it fell in the `window` before that report (its trace saw that money, judged this
    account on it, and an analyst may have released that order)."""
    received = 0
    got: dict[str, int] = {}
    for t in history:
        if t.dst != account_id or t.src == account_id:
            continue
        received += t.cents
        if t.src in here or any(not r - window <= t.ts <= r for r in stopped(t.src)):
            got[t.src] = got.get(t.src, 0) + t.cents
    paid: dict[str, int] = {}
    for _, cents, payee, _ in outs:
        if payee in here and payee != account_id:
            paid[payee] = paid.get(payee, 0) + cents
    return Ties(
        from_cents=sum(got.values()),
        received=received,
        payers=_largest(got),
        onward_cents=sum(paid.values()),
        payees=_largest(paid),
    )


def split_of(
    account_id: str,
    paid: tuple[str, str, Micros, int] | None,
    payer_outs: Iterable[tuple[Micros, int, str, str | None]],
    here: Collection[str],
) -> Split | None:
    """How `account_id` was paid: `paid` is the transfer that brought it most of the victims'
    money (txn_id, payer, ts, cents), `payer_outs` what that payer paid from when the trace
    reached it (ts, cents, payee, channel), `here` the accounts stopped in this trace. None
    where the payer is no account the trace followed."""
    if paid is None:
        return None
    txn_id, payer, ts, cents = paid
    near = int(SPLIT_MINUTES * 60_000_000)
    total, beside = 0, set()
    for t, c, payee, _ in payer_outs:
        if abs(t - ts) > near:
            continue
        total += c
        if payee in here and payee != account_id:
            beside.add(payee)
    return Split(txn_id, payer, cents, max(total, cents), tuple(sorted(beside)))


@cache
def split_weight() -> float:
    """The points of a split beside stopped accounts (`weights/split.json`)."""
    return float(json.loads(SPLIT_WEIGHTS.read_text("utf-8"))["weight"])


def split_counts(split: Split | None) -> bool:
    """Whether the account was paid as one of the chain's cards (module doc)."""
    return split is not None and bool(split.with_stopped) and split.part >= SPLIT_PART


def _largest(amounts: dict[str, int]) -> tuple[str, ...]:
    return tuple(sorted(amounts, key=lambda a: (-amounts[a], a)))


def _named(accounts: tuple[str, ...]) -> str:
    return ", ".join(accounts[:NAMED]) + (" …" if len(accounts) > NAMED else "")


def tie_points(ties: Ties, tainted_in: int, window: float) -> list[tuple[float, Reason]]:
    """The points the ties are worth (module doc), each with its reason."""
    out: list[tuple[float, Reason]] = []
    share = ties.from_cents / ties.received if ties.received else 0.0
    if share >= FROM_SHARE:
        out.append((FROM_POINTS, said("funded_by_chain", share=f"{share:.0%}", window=f"{window:g}",
            amount=fmt_yuan(ties.from_cents), total=fmt_yuan(ties.received),
            accounts=_named(ties.payers))))  # fmt: skip
    if tainted_in and ties.onward_cents >= ONWARD_SHARE * tainted_in:
        out.append((ONWARD_POINTS, said("paid_to_chain", amount=fmt_yuan(ties.onward_cents),
            accounts=_named(ties.payees))))  # fmt: skip
    split = ties.split
    if split is not None and split_counts(split):
        out.append((split_weight(), said("split_with_chain", payer=split.payer,
            txn=split.txn_id, part=f"{split.part:.0%}", total=fmt_yuan(split.total),
            minutes=f"{SPLIT_MINUTES:g}", accounts=_named(split.with_stopped))))  # fmt: skip
    return out
