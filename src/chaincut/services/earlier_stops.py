"""The stops the store holds for other reports, as evidence for the judge of a new trace.

`chaincut trace --all` judges each report with the emergency stops its traces issued for the
reports filed before it (`chaincut.trace.earlier`). A desk that files reports one at a time —
`POST /v1/reports`, the console, `chaincut trace REPORT_ID` — has those stops in the store: each
filing issued its trace's orders there. `HeldStops` hands them to the judge in the shape
`earlier.py` expects (account id -> sorted (report time, report id)), read on demand: one
indexed look-up per account the judge asks about (tens per trace), never a scan of the store.

Which orders count: emergency stops and freezes (a stop the bank applied and a legal document
turned into a freeze) of other reports, whatever their status but `released`. An order that
expired or was superseded lapsed by time or became a freeze: the judgement it records stands
(chains reuse a card for weeks, far longer than a 48-hour stop, and `trace --all`, which the
evaluation measured, counts every earlier stop). A released order was lifted by the bank or an
analyst, most often because the owner explained the money: it is not held against the account.
Verify orders never count.

A report's time is the time its trace uses: the lake's report time where the lake has the
report, else its filing time in the store. Only reports before this one in (time, report id)
count (`chaincut.trace.earlier.earlier`), so a report is never judged with a later one's stop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only by the reader that uses it
    from sqlalchemy.orm import Session

#: the orders that say an account was stopped for a report (`OrderKind` values)
STOP_KINDS = ("emergency_stop", "freeze")
#: the one status that does not count (`OrderStatus.released`; see the module doc)
RELEASED = "released"

#: an account's stops held: (report id, filing time in the store)
ReadStops = Callable[[str], Sequence[tuple[str, datetime]]]
#: a report's time (kernel microseconds) from its id and its filing time in the store
ReportTime = Callable[[str, datetime], int]

#: `store_reader`'s query in SQL, for a SQLite store read without SQLAlchemy
_SQLITE = """
SELECT DISTINCT o.report_id, r.filed_at FROM freeze_orders o
JOIN reports r ON r.report_id = o.report_id
WHERE o.account_id = ? AND o.kind IN (?, ?) AND o.status <> ? AND o.report_id <> ?
"""


def store_reader(session: Session, report_id: str) -> ReadStops:
    """Read, per account, the stops `session`'s store holds for reports other than
    `report_id` (every status but released), each report once."""
    from sqlalchemy import bindparam, select

    from chaincut.store.enums import OrderKind, OrderStatus
    from chaincut.store.tables import FreezeOrder, Report

    # built once, run per account on the session's connection (no ORM work per look-up)
    query = (
        select(FreezeOrder.report_id, Report.filed_at)
        .join(Report, Report.report_id == FreezeOrder.report_id)
        .where(FreezeOrder.account_id == bindparam("account"))
        .where(FreezeOrder.kind.in_([OrderKind(k) for k in STOP_KINDS]))
        .where(FreezeOrder.status != OrderStatus(RELEASED))
        .where(FreezeOrder.report_id != report_id)
        .distinct()
    )
    con = session.connection()

    def read(account_id: str) -> list[tuple[str, datetime]]:
        return [(str(rid), at) for rid, at in con.execute(query, {"account": account_id})]

    return read


def sqlite_reader(con: sqlite3.Connection, report_id: str) -> ReadStops:
    """`store_reader` on a SQLite store opened with the standard library: a fresh
    `chaincut trace REPORT_ID` reads its stops without importing SQLAlchemy (about a second)."""

    def read(account_id: str) -> list[tuple[str, datetime]]:
        rows = con.execute(_SQLITE, (account_id, *STOP_KINDS, RELEASED, report_id))
        # the store writes naive UTC text ("2024-05-01 10:00:00.000000")
        return [(str(rid), datetime.fromisoformat(str(filed))) for rid, filed in rows]

    return read


class HeldStops(Mapping[str, Sequence[tuple[int, str]]]):
    """The stops of each account (sorted (report time, report id)), read when first asked for.

    Iterating gives only the accounts read so far; an account without stops maps to ()."""

    def __init__(self, read: ReadStops, when: ReportTime) -> None:
        self._read = read
        self._when = when
        self._seen: dict[str, list[tuple[int, str]]] = {}

    def __getitem__(self, account_id: str) -> Sequence[tuple[int, str]]:
        got = self._seen.get(account_id)
        if got is None:
            rows = self._read(account_id)
            got = self._seen[account_id] = sorted({(self._when(r, at), r) for r, at in rows})
        return got

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._seen))

    def __len__(self) -> int:
        return len(self._seen)

    def __bool__(self) -> bool:
        # true before anything is read: `ScoredLedger(stops=...)` keeps only a true mapping
        return True
