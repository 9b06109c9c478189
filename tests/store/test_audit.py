"""The audit log records and filters, and refuses every change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable

from chaincut.store import Store, audit
from chaincut.store.tables import AuditEntry

from .factory import NOW


def test_record_and_query(store: Store) -> None:
    with store.session() as s:
        audit.record(
            s, "a1", "lookup", "account", "6222", "report R1", {"fields": ["holder"]}, at=NOW
        )
        audit.record(s, "bank1", "lookup", "account", "6223", "kyc", at=NOW + timedelta(hours=1))
        audit.record(
            s, "a1", "confirm_order", "freeze_order", "FO1", None, at=NOW + timedelta(hours=2)
        )
    with store.session(readonly=True) as s:
        assert [e.subject_id for e in audit.query(s)] == ["FO1", "6223", "6222"]
        assert [e.subject_id for e in audit.query(s, actor="a1", newest_first=False)] == [
            "6222",
            "FO1",
        ]
        first = audit.query(s, subject_kind="account", subject_id="6222")[0]
        assert first.detail == {"fields": ["holder"]} and first.purpose == "report R1"
        assert first.at == NOW
        window = audit.query(s, since=NOW + timedelta(minutes=30), until=NOW + timedelta(hours=2))
        assert [e.subject_id for e in window] == ["6223"]
        assert len(audit.query(s, action="lookup", limit=1)) == 1


def test_the_log_is_append_only(store: Store) -> None:
    with store.session() as s:
        audit.record(s, "a1", "lookup", "person", "P1", "case C1", {})
    forbidden: list[Executable] = [
        update(AuditEntry).values(actor="someone else"),
        delete(AuditEntry),
        text("UPDATE audit_log SET purpose = 'x'"),
    ]
    if store.dialect == "postgresql":
        forbidden.append(text("TRUNCATE audit_log"))
    for statement in forbidden:
        with pytest.raises(DBAPIError, match="append-only"), store.session() as s:
            s.execute(statement)
    with store.session(readonly=True) as s:
        (entry,) = audit.query(s)
        assert entry.actor == "a1" and entry.purpose == "case C1"


def test_audit_module_offers_no_way_to_change_entries() -> None:
    public = {name for name in dir(audit) if not name.startswith("_")}
    assert not {n for n in public if any(w in n for w in ("update", "delete", "remove", "edit"))}
