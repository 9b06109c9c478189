"""Sessions commit or roll back as a unit; concurrent writers queue instead of failing."""

from __future__ import annotations

import shutil
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chaincut.store import Store, audit, open_store
from chaincut.store import freeze_order as fo
from chaincut.store.database import WriterGate
from chaincut.store.enums import OrderKind, TracingRule
from chaincut.store.errors import StoreBusy
from chaincut.store.tables import AuditEntry, FreezeOrder

from .factory import NOW, add_report


def count_audit(store: Store) -> int:
    with store.session(readonly=True) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_session_commits_on_success_and_rolls_back_on_error(store: Store) -> None:
    with store.session() as s:
        audit.record(s, "a1", "lookup", "person", "P1")
    with pytest.raises(RuntimeError), store.session() as s:
        audit.record(s, "a1", "lookup", "person", "P2")
        raise RuntimeError("boom")
    assert count_audit(store) == 1


def test_readonly_session_discards_writes_and_keeps_objects_usable(store: Store) -> None:
    with store.session() as s:
        add_report(s, "R1")
    with store.session(readonly=True) as s:
        audit.record(s, "a1", "lookup", "person", "P1")
        (entry,) = audit.query(s)
    assert entry.subject_id == "P1"  # still readable after the session
    assert count_audit(store) == 0


def test_store_url_and_dialect(store: Store) -> None:
    assert store.dialect in ("sqlite", "postgresql")
    assert store.is_sqlite == (store.dialect == "sqlite")


def test_concurrent_issues_for_one_report_never_duplicate(store_url: str) -> None:
    specs = [
        fo.OrderSpec(f"A{i}", OrderKind.emergency_stop, Decimal("10.00"), 1, TracingRule.fifo, [])
        for i in range(3)
    ]
    errors: list[BaseException] = []
    with open_store(store_url) as store:
        with store.session() as s:
            add_report(s, "R1")

        def issue() -> None:
            try:
                for _ in range(5):
                    with store.session() as s:
                        fo.issue_orders(s, "R1", specs, NOW)
            except BaseException as exc:  # noqa: BLE001  (reported by the assert below)
                errors.append(exc)

        threads = [threading.Thread(target=issue) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with store.session(readonly=True) as s:
            assert s.scalar(select(func.count()).select_from(FreezeOrder)) == 3


def _sqlite_store(tmp_path: Path, store_template: Path) -> Store:
    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    return open_store(f"sqlite:///{path}")


def test_sqlite_writers_of_one_process_take_turns_and_readers_never_wait(
    tmp_path: Path, store_template: Path
) -> None:
    store = _sqlite_store(tmp_path, store_template)
    gate = WriterGate.for_file(str(tmp_path / "store.db"), 30)
    events: list[str] = []
    first_writing = threading.Event()

    def first() -> None:
        with store.session() as s:
            audit.record(s, "a", "first", "person", "P1")
            events.append("first wrote")
            first_writing.set()
            time.sleep(0.3)
            events.append("first commits")

    def second() -> None:
        first_writing.wait(5)
        with store.session() as s:
            audit.record(s, "b", "second", "person", "P2")
            events.append("second wrote")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_writing.wait(5)
    assert gate.held
    started = time.monotonic()
    with store.session(readonly=True) as s:  # a reader does not queue behind the writer
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert time.monotonic() - started < 0.2
    for thread in threads:
        thread.join(10)
    assert events == ["first wrote", "first commits", "second wrote"]
    assert not gate.held
    assert count_audit(store) == 2
    store.close()


def test_a_failed_write_hands_the_gate_on(tmp_path: Path, store_template: Path) -> None:
    store = _sqlite_store(tmp_path, store_template)
    gate = WriterGate.for_file(str(tmp_path / "store.db"), 30)
    with pytest.raises(RuntimeError), store.session() as s:
        audit.record(s, "a", "x", "person", "P1")
        raise RuntimeError("boom")
    assert not gate.held
    with store.session() as s:
        audit.record(s, "a", "y", "person", "P1")
    assert count_audit(store) == 1
    store.close()


def test_a_writer_that_waits_too_long_gets_store_busy(
    tmp_path: Path, store_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _sqlite_store(tmp_path, store_template)
    gate = WriterGate.for_file(str(tmp_path / "store.db"), 30)
    monkeypatch.setattr(gate, "timeout_s", 0.1)
    holding = threading.Event()
    done = threading.Event()

    def hold() -> None:
        with store.session() as s:
            audit.record(s, "a", "hold", "person", "P1")
            holding.set()
            done.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    try:
        with pytest.raises(StoreBusy, match="busy"), store.session() as s:
            audit.record(s, "b", "late", "person", "P2")
    finally:
        done.set()
        thread.join(5)
    assert count_audit(store) == 1
    store.close()


def test_many_concurrent_writers_all_succeed(tmp_path: Path, store_template: Path) -> None:
    store = _sqlite_store(tmp_path, store_template)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                with store.session() as s:
                    audit.record(s, f"u{n}", "write", "person", f"P{i}")
        except BaseException as exc:  # noqa: BLE001  (reported by the assert below)
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert count_audit(store) == 160
    store.close()
