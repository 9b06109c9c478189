"""Read-only questions the service asks the lake: accounts, numbers, persons, listings, losses.

Every query is parameterised. The lake is opened read-only once and shared by the request
threads (each query on its own cursor): opening it costs ~50 ms, a point query a few. The
connection is reopened when the lake file changes and closed after `IDLE_CLOSE_S` without use,
so an import in another process (which needs the file's write lock) only has to wait for the
service to go quiet; an import through the service itself takes the `LakeGate`. When the lake
is missing or locked by a writer the answers are empty rather than errors.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb

from chaincut.lake.catalog import connect
from chaincut.settings import Settings

log = logging.getLogger(__name__)

#: labels that put an account or a number on the confirmed-fraud list the self-check reads
FRAUD_LISTINGS = {
    "account": ("mule_l1", "mule_l2", "mule_l3", "mule_l4", "runner", "foreign_den", "fraud"),
    "phone": ("fraud", "simbox"),
}


#: seconds without a query after which the shared read-only connection is closed
IDLE_CLOSE_S = 5.0


class LakeGate:
    """Many readers of the lake or one writer, within this process (writers go first).

    DuckDB refuses a read-write connection in a process that holds a read-only one to the same
    file, so an import through the service waits for the readers (queries, traces, scoring) to
    finish, and readers that arrive meanwhile wait for the import. Reading is re-entrant per
    thread, so a reader that reads again never waits behind a queued writer.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0
        self._mine = threading.local()

    @contextmanager
    def reading(self) -> Iterator[None]:
        depth = getattr(self._mine, "depth", 0)
        if depth == 0:
            with self._cond:
                while self._writing or self._writers_waiting:
                    self._cond.wait()
                self._readers += 1
        self._mine.depth = depth + 1
        try:
            yield
        finally:
            self._mine.depth = depth
            if depth == 0:
                with self._cond:
                    self._readers -= 1
                    if not self._readers:
                        self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class LakeView:
    """The lake of one home, read-only, through one shared connection (see the module doc)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stat: tuple[float, int] | None = None
        self._busy = 0
        self._used = 0.0
        self._reaper: threading.Thread | None = None
        self.gate = LakeGate()

    @property
    def available(self) -> bool:
        return self.settings.lake_path.exists()

    def _file_stat(self) -> tuple[float, int] | None:
        try:
            st = self.settings.lake_path.stat()
        except OSError:
            return None
        return (st.st_mtime, st.st_size)

    def _cursor(self) -> duckdb.DuckDBPyConnection | None:
        with self._lock:
            stat = self._file_stat()
            if self._con is not None and stat != self._stat and not self._busy:
                self._close_locked()
            if self._con is None:
                if stat is None:
                    return None
                try:
                    self._con = connect(self.settings, read_only=True)
                except duckdb.Error as exc:
                    log.warning("lake unavailable: %s", exc)
                    return None
                self._stat = stat
                self._start_reaper()
            self._busy += 1
            self._used = time.monotonic()
            return self._con.cursor()

    def _release(self) -> None:
        with self._lock:
            self._busy -= 1
            self._used = time.monotonic()

    def _start_reaper(self) -> None:
        if self._reaper is None or not self._reaper.is_alive():
            self._reaper = threading.Thread(target=self._reap, name="lake-reaper", daemon=True)
            self._reaper.start()

    def _reap(self) -> None:
        while True:
            time.sleep(IDLE_CLOSE_S / 5)
            with self._lock:
                if self._con is None:
                    return
                if not self._busy and time.monotonic() - self._used > IDLE_CLOSE_S:
                    self._close_locked()
                    return

    def _close_locked(self) -> None:
        if self._con is not None:
            self._con.close()
        self._con = None
        self._stat = None

    def close(self) -> None:
        with self._lock:
            self._close_locked()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of a parameterised query; [] when the lake is missing or busy."""
        with self.gate.reading():
            cursor = self._cursor()
            if cursor is None:
                return []
            try:
                return cursor.execute(sql, list(params)).fetchall()
            finally:
                cursor.close()
                self._release()

    def account(self, account_id: str) -> dict[str, Any] | None:
        rows = self.rows(
            "SELECT a.holder_id, a.kind, a.institution, a.opened_at, a.country, "
            " (SELECT count(*) FROM transactions WHERE dst_account = $1), "
            " (SELECT coalesce(sum(amount), 0) FROM transactions WHERE dst_account = $1), "
            " (SELECT count(*) FROM transactions WHERE src_account = $1), "
            " (SELECT coalesce(sum(amount), 0) FROM transactions WHERE src_account = $1), "
            " (SELECT min(ts) FROM transactions WHERE src_account = $1 OR dst_account = $1), "
            " (SELECT max(ts) FROM transactions WHERE src_account = $1 OR dst_account = $1) "
            "FROM (SELECT $1 AS account_id) q LEFT JOIN accounts a USING (account_id)",
            [account_id],
        )
        if not rows:
            return None
        holder, kind, institution, opened, country, n_in, s_in, n_out, s_out, first, last = rows[0]
        if kind is None and not n_in and not n_out:
            return None
        return {
            "holder_id": holder,
            "kind": kind,
            "institution": institution,
            "opened_at": _iso(opened),
            "country": country,
            "inflows": int(n_in),
            "inflow_amount": str(Decimal(s_in)),
            "outflows": int(n_out),
            "outflow_amount": str(Decimal(s_out)),
            "first_seen": _iso(first),
            "last_seen": _iso(last),
        }

    def number(self, number: str) -> dict[str, Any] | None:
        rows = self.rows(
            "SELECT"
            " (SELECT count(*) FROM calls WHERE caller = $1),"
            " (SELECT count(*) FROM calls WHERE callee = $1),"
            " (SELECT count(DISTINCT callee) FROM calls WHERE caller = $1),"
            " (SELECT avg(duration_s) FROM calls WHERE caller = $1),"
            " (SELECT count(DISTINCT imei) FROM calls WHERE caller = $1),"
            " (SELECT count(DISTINCT cell_id) FROM calls WHERE caller = $1),"
            " (SELECT count(*) FROM messages WHERE sender = $1),"
            " (SELECT list(person_id ORDER BY person_id) FROM persons WHERE phone = $1)",
            [number],
        )
        out_calls, in_calls, callees, mean_s, imeis, cells, sms, holders = (
            rows[0] if rows else (0,) * 8
        )
        if not (out_calls or in_calls or sms or holders):
            return None
        return {
            "calls_out": int(out_calls),
            "calls_in": int(in_calls),
            "distinct_callees": int(callees),
            "mean_call_s": round(float(mean_s), 1) if mean_s is not None else None,
            "devices": int(imeis),
            "cells": int(cells),
            "messages_sent": int(sms),
            "holders": list(holders or []),
        }

    def person(self, person_id: str) -> dict[str, Any] | None:
        rows = self.rows(
            "SELECT name, id_number, birth_date, phone, "
            " (SELECT list(account_id ORDER BY account_id) FROM accounts WHERE holder_id = $1) "
            "FROM persons WHERE person_id = $1",
            [person_id],
        )
        if not rows:
            return None
        name, id_number, birth, phone, accounts = rows[0]
        return {
            "name": name,
            "id_number": id_number,
            "birth_date": _iso(birth),
            "phone": phone,
            "accounts": list(accounts or []),
        }

    def standing(self, kind: str, forms: Sequence[str]) -> tuple[str | None, bool]:
        """In one query: the fraud listing of an account or number written in any of `forms`
        (a number with and without +86), and whether the lake knows it (as an account of
        `accounts`, or a person's phone). The event tables are not searched: at 100 M rows a
        scan takes seconds, too slow for the public self-check."""
        known = (
            "EXISTS (SELECT 1 FROM accounts WHERE account_id IN (SELECT unnest($2)))"
            if kind == "account"
            else "EXISTS (SELECT 1 FROM persons WHERE phone IN (SELECT unnest($2)))"
        )
        rows = self.rows(
            "SELECT (SELECT label FROM labels WHERE entity_kind = $1 "
            "AND entity_id IN (SELECT unnest($2)) "
            f"AND label IN (SELECT unnest($3::VARCHAR[])) LIMIT 1), {known}",
            [kind, list(forms), list(FRAUD_LISTINGS.get(kind, ()))],
        )
        if not rows:
            return None, False
        return (str(rows[0][0]) if rows[0][0] is not None else None), bool(rows[0][1])

    def listed(self, kind: str, entity_id: str) -> str | None:
        """The fraud listing of an account or number, if it has one."""
        wanted = FRAUD_LISTINGS.get(kind)
        if not wanted:
            return None
        rows = self.rows(
            "SELECT label FROM labels WHERE entity_kind = ? AND entity_id = ? "
            "AND label IN (SELECT unnest(?::VARCHAR[])) LIMIT 1",
            [kind, entity_id, list(wanted)],
        )
        return str(rows[0][0]) if rows else None

    def own_accounts(self, victim_account: str, accounts: Sequence[str]) -> set[str]:
        """Those of `accounts` held by the holder of `victim_account` (one scan of accounts)."""
        rows = self.rows(
            "SELECT a.account_id FROM accounts a WHERE a.account_id IN (SELECT unnest($1)) "
            "AND a.holder_id = (SELECT holder_id FROM accounts WHERE account_id = $2 LIMIT 1)",
            [list(accounts), victim_account],
        )
        return {str(r[0]) for r in rows}

    def transfers(self, txn_ids: Sequence[str]) -> list[tuple[str, datetime, str, str]]:
        """txn_id, ts, src and dst of `txn_ids` (a scan of the transactions: the trace's own
        reading is used instead whenever the trace ran)."""
        rows = self.rows(
            "SELECT txn_id, ts, src_account, dst_account FROM transactions "
            "WHERE txn_id IN (SELECT unnest($1::VARCHAR[]))",
            [list(txn_ids)],
        )
        return [(str(t), ts, str(src), str(dst)) for t, ts, src, dst in rows]

    def new_contacts(
        self,
        victim_account: str,
        victim_id: str | None,
        since: datetime,
        until: datetime,
        history: timedelta,
    ) -> list[tuple[str, datetime]]:
        """Numbers that first called or messaged the victim in [`since`, `until`] and never in
        the `history` before `since`, with the time of their first contact. The victim's phone
        is the one the lake has for `victim_id`, or for the holder of `victim_account`. The
        time range comes first so that DuckDB skips the row groups outside it."""
        rows = self.rows(
            "WITH phones AS (SELECT DISTINCT phone FROM persons WHERE phone IS NOT NULL AND "
            " (person_id = $2 OR person_id = (SELECT holder_id FROM accounts "
            "  WHERE account_id = $1 LIMIT 1))), "
            "seen AS (SELECT caller AS number, ts FROM calls "
            " WHERE ts >= $3 AND ts <= $4 AND callee IN (SELECT phone FROM phones) "
            " UNION ALL SELECT sender, ts FROM messages "
            " WHERE ts >= $3 AND ts <= $4 AND receiver IN (SELECT phone FROM phones)) "
            "SELECT number, min(ts) AS first FROM seen "
            "WHERE number NOT IN (SELECT phone FROM phones) GROUP BY number "
            "HAVING min(ts) >= $5 ORDER BY first, number",
            [victim_account, victim_id, since - history, until, since],
        )
        return [(str(number), first) for number, first in rows]

    def report_losses(self) -> list[tuple[str, datetime, str | None, str | None, Decimal]]:
        """Every lake report: id, time, victim, fraud type and loss (sum of its transfers)."""
        rows = self.rows(
            "SELECT r.report_id, r.ts, coalesce(r.victim_id, r.victim_account), r.fraud_type, "
            " coalesce(sum(t.amount), 0) "
            "FROM reports r LEFT JOIN (SELECT report_id, unnest(fraud_txn_ids) AS txn_id "
            " FROM reports) f USING (report_id) LEFT JOIN transactions t USING (txn_id) "
            "GROUP BY ALL"
        )
        return [(r[0], r[1], r[2], r[3], Decimal(r[4])) for r in rows]

    def txn_amounts(self, txn_ids: Sequence[str]) -> Decimal:
        rows = self.rows(
            "SELECT coalesce(sum(amount), 0) FROM transactions "
            "WHERE txn_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(txn_ids)],
        )
        return Decimal(rows[0][0]) if rows else Decimal("0.00")

    def regions(self, person_ids: Sequence[str]) -> dict[str, str]:
        """Region codes (the first six digits of the ID number) of persons."""
        rows = self.rows(
            "SELECT person_id, left(id_number, 6) FROM persons "
            "WHERE person_id IN (SELECT unnest(?::VARCHAR[])) AND id_number IS NOT NULL",
            [list(person_ids)],
        )
        return {str(p): str(code) for p, code in rows}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
