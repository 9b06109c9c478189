"""Read-only questions the service asks the lake, as a thin adapter over `chaincut.lake.readers`.

The readers are written once over the lake engine (`Settings.engine`: DuckDB or Spark). The
engine is opened once and shared by the request threads (DuckDB gives each look-up its own
cursor): opening it costs ~50 ms, a point query a few. It is reopened when the lake file changes
and closed after `IDLE_CLOSE_S` without use, so an import in another process (which needs the
file's write lock) only has to wait for the service to go quiet; an import through the service
itself takes the `LakeGate`. When the lake is missing or locked by a writer the answers are
empty rather than errors.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from chaincut.lake.engine import Engine, EngineError, get_engine
from chaincut.lake.readers import events, subjects
from chaincut.lake.readers.subjects import FRAUD_LISTINGS
from chaincut.model.schema import TABLE_ORDER
from chaincut.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
E = TypeVar("E", bound=Engine)

__all__ = ["FRAUD_LISTINGS", "IDLE_CLOSE_S", "LakeGate", "LakeView"]

#: seconds without a query after which the shared engine is closed
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
    """The lake of one home, read-only, through one shared engine (see the module doc)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._engine: Engine | None = None
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

    def _acquire(self) -> Engine | None:
        """The shared engine, opened when the lake exists; the caller must `_release()` it."""
        with self._lock:
            stat = self._file_stat()
            if self._engine is not None and stat != self._stat and not self._busy:
                self._close_locked()
            if self._engine is None:
                if stat is None:
                    return None
                try:
                    self._engine = self._open(get_engine(self.settings))
                except EngineError as exc:
                    log.warning("lake unavailable: %s", exc)
                    return None
                self._stat = stat
                self._start_reaper()
            engine: Engine = self._engine
            self._busy += 1
            self._used = time.monotonic()
            return engine

    @staticmethod
    def _open(engine: E) -> E:
        try:
            engine.tables(TABLE_ORDER)  # connect, and open every table before threads share it
        except EngineError:
            engine.close()
            raise
        return engine

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
                if self._engine is None:
                    return
                if not self._busy and time.monotonic() - self._used > IDLE_CLOSE_S:
                    self._close_locked()
                    return

    def _close_locked(self) -> None:
        if self._engine is not None:
            self._engine.close()
        self._engine = None
        self._stat = None

    def close(self) -> None:
        with self._lock:
            self._close_locked()

    def _ask(self, reader: Callable[[Engine], T], empty: T) -> T:
        """`reader(engine)` on the shared engine; `empty` when the lake is missing or busy."""
        with self.gate.reading():
            engine = self._acquire()
            if engine is None:
                return empty
            try:
                return reader(engine)
            finally:
                self._release()

    def run(self, reader: Callable[[Engine], T], empty: T) -> T:
        """`reader(engine)` run on the shared lake engine under the view's read gate (a
        service module's own lake query, e.g. a filed report's gang evidence); `empty` when
        the lake is missing or being rebuilt."""
        return self._ask(reader, empty)

    def account(self, account_id: str) -> dict[str, Any] | None:
        return self._ask(lambda e: subjects.account(e, account_id), None)

    def number(self, number: str) -> dict[str, Any] | None:
        return self._ask(lambda e: subjects.number(e, number), None)

    def person(self, person_id: str) -> dict[str, Any] | None:
        return self._ask(lambda e: subjects.person(e, person_id), None)

    def person_names(self, person_ids: Sequence[str]) -> dict[str, str | None]:
        """The names the lake records for `person_ids` (those it holds); empty when the lake
        is missing or being rebuilt."""
        return self._ask(lambda e: subjects.person_names(e, person_ids), {})

    def standing(self, kind: str, forms: Sequence[str]) -> tuple[str | None, bool]:
        """The fraud listing of an account or number written in any of `forms`, and whether
        the lake knows it (`chaincut.lake.readers.subjects.standing`)."""
        nothing: tuple[str | None, bool] = (None, False)
        return self._ask(lambda e: subjects.standing(e, kind, forms), nothing)

    def listed(self, kind: str, entity_id: str) -> str | None:
        """The fraud listing of an account or number, if it has one."""
        return self._ask(lambda e: subjects.listed(e, kind, entity_id), None)

    def own_accounts(self, victim_account: str, accounts: Sequence[str]) -> set[str]:
        """Those of `accounts` held by the holder of `victim_account`."""
        return self._ask(lambda e: subjects.own_accounts(e, victim_account, accounts), set())

    def transfers(self, txn_ids: Sequence[str]) -> list[tuple[str, datetime, str, str]]:
        """txn_id, ts, src and dst of `txn_ids` (a scan of the transactions: the trace's own
        reading is used instead whenever the trace ran)."""
        return self._ask(lambda e: events.transfers(e, txn_ids), [])

    def new_contacts(
        self,
        victim_account: str,
        victim_id: str | None,
        since: datetime,
        until: datetime,
        history: timedelta,
    ) -> list[tuple[str, datetime]]:
        """Numbers that first called or messaged the victim in [`since`, `until`] and never in
        the `history` before `since` (`chaincut.lake.readers.events.new_contacts`)."""
        return self._ask(
            lambda e: events.new_contacts(e, victim_account, victim_id, since, until, history),
            [],
        )

    def report_losses(self) -> list[tuple[str, datetime, str | None, str | None, Decimal]]:
        """Every lake report: id, time, victim, fraud type and loss (sum of its transfers)."""
        return self._ask(events.report_losses, [])

    def report(self, report_id: str) -> dict[str, Any] | None:
        """The lake's row of report `report_id` (imported, perhaps never filed), or None."""
        return self._ask(lambda e: events.report_row(e, report_id), None)

    def latest_reports(self) -> list[dict[str, Any]]:
        """The lake's 500 latest reports, newest first (`events.latest_reports`)."""
        return self._ask(events.latest_reports, [])

    def txn_amounts(self, txn_ids: Sequence[str]) -> Decimal:
        return self._ask(lambda e: events.txn_amounts(e, txn_ids), Decimal("0.00"))

    def transfer_rows(
        self, txn_ids: Sequence[str]
    ) -> list[tuple[str, datetime, str, str, Decimal, str | None]]:
        """txn_id, ts, src, dst, amount and channel of those of `txn_ids` the lake has."""
        return self._ask(lambda e: events.transfer_rows(e, txn_ids), [])

    def devices_of(self, caller: str) -> list[str]:
        """The first 20 handsets (IMEIs, sorted) a number called from."""
        return self._ask(lambda e: subjects.devices_of(e, caller), [])

    def institution_accounts(self, institution: str) -> set[str]:
        """The ids of the accounts an institution keeps."""
        return self._ask(lambda e: subjects.institution_accounts(e, institution), set())

    def phone_holders(self) -> dict[str, str]:
        """Every phone number a person holds -> that person (`subjects.phone_holders`)."""
        return self._ask(subjects.phone_holders, {})

    def account_holders(self) -> dict[str, str]:
        """Every account with a holder -> the holder (`subjects.account_holders`)."""
        return self._ask(subjects.account_holders, {})

    def regions(self, person_ids: Sequence[str]) -> dict[str, str]:
        """Region codes (the first six digits of the ID number) of persons."""
        return self._ask(lambda e: subjects.regions(e, person_ids), {})
