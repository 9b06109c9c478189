"""Where the kernel reads the ledger from: the `Ledger` protocol and an in-memory ledger.

The kernel asks only point questions about the accounts it touches, so a ledger can be the
on-disk trace index (`chaincut.trace.index`), a per-report subgraph shipped to a Spark task, or
a handful of rows in a test. Every implementation must answer the same questions identically.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from chaincut.trace.model import AccountInfo, Activity, EventKey, Micros, ReportInfo, Txn

#: a payment received "left again" when the balance fell by this share of it within a day
PASSED_SHARE, PASSED_MICROS, PASSED_PART = 0.8, 86_400_000_000, 30

#: sorts after every (ts, txn_id) key with the same ts
_LAST = "\U0010ffff"


@dataclass(frozen=True, slots=True)
class Loaded:
    """An account's derived balance just before an event, and its events after it."""

    opening_cents: int
    events: list[Txn]


class Ledger(Protocol):
    """Point look-ups a trace needs. Balances are derived from the ledger, opening at zero."""

    def report(self, report_id: str) -> ReportInfo:
        """The report; raises KeyError if the ledger has none with this id."""
        ...

    def account(self, account_id: str) -> AccountInfo:
        """What is known about the account (a bare `AccountInfo` if nothing)."""
        ...

    def load(self, account_id: str, after: EventKey, until_ts: Micros) -> Loaded:
        """Balance over the events before `after`; events with key > `after` and ts <= until."""
        ...

    def activity(self, account_id: str, since_ts: Micros, before: EventKey) -> Activity:
        """Transactions and money received with ts >= since_ts and key < `before`."""
        ...

    def balance_at(self, account_id: str, ts: Micros) -> int:
        """The derived balance after every event with timestamp <= ts."""
        ...

    def outflows(
        self, account_id: str, after: EventKey, until_ts: Micros, lo: int, hi: int
    ) -> list[Txn]:
        """Payments out of the account with key > `after`, ts <= until and lo <= cents <= hi,
        in key order."""
        ...

    def busy_threshold(self, quantile: float, factor: float, floor: int) -> int:
        """Distinct counterparties above which an account counts as busy (a hub)."""
        ...

    def paid(self, payer: str, payee: str, since_ts: Micros, before: EventKey) -> int:
        """Cents `payer` paid `payee` in transactions with ts >= since_ts and key < `before`."""
        ...

    def reported_victim(self, account_id: str, until_ts: Micros) -> bool:
        """Whether a report filed at or before `until_ts` names the account as the victim's."""
        ...


class _Book:
    """One account's events in key order with running balances."""

    __slots__ = ("balances", "events", "keys", "opening")

    def __init__(self, opening: int, events: list[Txn], account_id: str) -> None:
        events.sort(key=lambda t: t.key)
        self.opening = opening
        self.events = events
        self.keys = [t.key for t in events]
        running = opening
        self.balances: list[int] = []
        for t in events:
            running += t.cents if t.dst == account_id else -t.cents
            self.balances.append(running)

    def balance_before(self, pos: int) -> int:
        return self.balances[pos - 1] if pos else self.opening


class MemoryLedger:
    """A `Ledger` over transactions in memory (tests, and one report's subgraph in Spark).

    Transfers from an account to itself change nothing and are left out, as in the index.
    `openings` gives, for accounts whose earlier events were left out, the balance before their
    first listed event; `busy_over` is the precomputed busy threshold (None: from the degrees);
    `victims` the earliest report time of each victim account (None: from `reports`).
    """

    def __init__(
        self,
        txns: Iterable[Txn],
        *,
        accounts: Mapping[str, AccountInfo] | None = None,
        reports: Iterable[ReportInfo] = (),
        openings: Mapping[str, int] | None = None,
        busy_over: int | None = None,
        victims: Mapping[str, Micros] | None = None,
    ) -> None:
        per_account: dict[str, list[Txn]] = {}
        seen: set[str] = set()
        for t in txns:
            if t.txn_id in seen or t.src == t.dst:
                continue
            seen.add(t.txn_id)
            per_account.setdefault(t.src, []).append(t)
            per_account.setdefault(t.dst, []).append(t)
        openings = openings or {}
        self._books = {a: _Book(openings.get(a, 0), ev, a) for a, ev in per_account.items()}
        self._accounts = dict(accounts or {})
        self._reports = {r.report_id: r for r in reports}
        self._busy_over = busy_over
        if victims is None:
            victims = {}
            for r in self._reports.values():
                victims[r.victim_account] = min(r.ts, victims.get(r.victim_account, r.ts))
        self._victims = dict(victims)

    @classmethod
    def complete(
        cls,
        txns: Iterable[Txn],
        accounts: Iterable[AccountInfo] = (),
        reports: Iterable[ReportInfo] = (),
    ) -> MemoryLedger:
        """A ledger whose account facts are derived as the trace index derives them: degree
        from the transactions, `since` the earlier of the given `since` (an opening date) and
        the first transaction."""
        bare = cls(txns, reports=reports)
        given = {a.account_id: a for a in accounts}
        facts: dict[str, AccountInfo] = {}
        for acc in set(given) | set(bare._books):
            derived = bare.account(acc)
            info = given.get(acc, derived)
            known = [t for t in (info.since, derived.since) if t is not None]
            facts[acc] = AccountInfo(
                acc,
                info.kind,
                info.institution,
                info.country,
                derived.degree,
                min(known) if known else None,
                info.org,
            )
        bare._accounts = facts
        return bare

    def report(self, report_id: str) -> ReportInfo:
        return self._reports[report_id]

    def report_ids(self) -> list[str]:
        """All report ids, sorted."""
        return sorted(self._reports)

    def account(self, account_id: str) -> AccountInfo:
        info = self._accounts.get(account_id)
        if info is not None:
            return info
        book = self._books.get(account_id)
        if book is None or not book.events:
            return AccountInfo(account_id)
        degree = len({t.dst if t.src == account_id else t.src for t in book.events})
        return AccountInfo(account_id, degree=degree, since=book.events[0].ts)

    def load(self, account_id: str, after: EventKey, until_ts: Micros) -> Loaded:
        book = self._books.get(account_id)
        if book is None:
            return Loaded(0, [])
        start = bisect_right(book.keys, after)
        end = bisect_right(book.keys, (until_ts, _LAST))
        opening = book.balance_before(bisect_left(book.keys, after))
        return Loaded(opening, book.events[start:end])

    def activity(self, account_id: str, since_ts: Micros, before: EventKey) -> Activity:
        book = self._books.get(account_id)
        if book is None:
            return Activity(0, 0)
        lo = bisect_left(book.keys, (since_ts, ""))
        hi = bisect_left(book.keys, before)
        window = book.events[lo:hi]
        return activity_of(
            since_ts,
            before[0],
            book.balance_before(lo),
            [t.ts for t in window],
            book.balances[lo:hi],
            [t.cents if t.dst == account_id else -t.cents for t in window],
        )

    def balance_at(self, account_id: str, ts: Micros) -> int:
        book = self._books.get(account_id)
        if book is None:
            return 0
        return book.balance_before(bisect_right(book.keys, (ts, _LAST)))

    def outflows(
        self, account_id: str, after: EventKey, until_ts: Micros, lo: int, hi: int
    ) -> list[Txn]:
        book = self._books.get(account_id)
        if book is None:
            return []
        start = bisect_right(book.keys, after)
        end = bisect_right(book.keys, (until_ts, _LAST))
        return [t for t in book.events[start:end] if t.src == account_id and lo <= t.cents <= hi]

    def paid(self, payer: str, payee: str, since_ts: Micros, before: EventKey) -> int:
        book = self._books.get(payer)
        if book is None:
            return 0
        lo = bisect_left(book.keys, (since_ts, ""))
        hi = bisect_left(book.keys, before)
        return sum(t.cents for t in book.events[lo:hi] if t.src == payer and t.dst == payee)

    def reported_victim(self, account_id: str, until_ts: Micros) -> bool:
        first = self._victims.get(account_id)
        return first is not None and first <= until_ts

    def busy_threshold(self, quantile: float, factor: float, floor: int) -> int:
        if self._busy_over is not None:
            return self._busy_over
        ids = set(self._books) | set(self._accounts)
        degrees = sorted(self.account(a).degree for a in ids)
        return busy_threshold(degrees, quantile, factor, floor)


def activity_of(
    since: Micros,
    end: Micros,
    opening: int,
    ts: Sequence[int],
    balances: Sequence[int],
    signed: Sequence[int],
) -> Activity:
    """The `Activity` of the window [since, end) from its rows (time, balance after the row,
    +in/-out) and the balance before it, in exact integers so that every ledger agrees."""
    low = min(opening, min(balances)) if balances else opening
    area = 0
    prev_t, prev_b = since, opening
    for t, b in zip(ts, balances, strict=True):
        area += (prev_b - low) * (t - prev_t)
        prev_t, prev_b = t, b
    area += (prev_b - low) * max(end - prev_t, 0)
    inflow = sum(a for a in signed if a > 0)
    largest = max((a for a in signed if a > 0), default=0)
    last = ts[-1] if ts else None
    return Activity(len(ts), inflow, area, passed_on(ts, balances, signed), largest, last)


def passed_on(ts: Sequence[int], balances: Sequence[int], signed: Sequence[int]) -> int:
    """The largest single payment received that left again within a day (the balance fell by
    at least `PASSED_SHARE` of it within `PASSED_MICROS` of its arrival), in cents; only
    payments of at least 1/`PASSED_PART` of all the rows received are looked at (smaller ones
    are a day or two of the account's income, nothing the judge weighs)."""
    floor = max(1, sum(c for c in signed if c > 0) // PASSED_PART)
    big = sorted(((c, i) for i, c in enumerate(signed) if c >= floor), reverse=True)
    for got, i in big:
        end = bisect_right(ts, ts[i] + PASSED_MICROS, lo=i)
        if balances[i] - min(balances[i:end]) >= PASSED_SHARE * got:
            return got
    return 0


def busy_threshold(
    sorted_degrees: Sequence[int] | npt.NDArray[np.int32],
    quantile: float,
    factor: float,
    floor: int,
) -> int:
    """max(floor, factor x the degree at `quantile` (nearest rank, lower)) of sorted degrees."""
    n = len(sorted_degrees)
    if n == 0:
        return floor
    pos = min(int(quantile * (n - 1)), n - 1)
    return max(floor, int(factor * int(sorted_degrees[pos])))
