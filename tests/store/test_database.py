"""Sessions commit or roll back as a unit; concurrent writers queue instead of failing."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from chaincut.store import Store, audit, open_store
from chaincut.store import freeze_order as fo
from chaincut.store.enums import OrderKind, TracingRule
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
