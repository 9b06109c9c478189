"""Money kept is a column of the dissuasion (revision 0005), backfilled from the audit log."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from chaincut.store import open_store, warning
from chaincut.store.enums import DissuasionOutcome, WarningStatus
from chaincut.store.tables import Dissuasion


def _insert_old_dissuasion(conn: object, wid: int, outcome: str, kept: str | None) -> None:
    """A dissuasion and its audit entry as revision 0004 wrote them (amount in the detail)."""
    run = conn.execute  # type: ignore[attr-defined]
    run(text("INSERT INTO dissuasions (warning_id, at, channel, outcome) "
             "VALUES (:w, '2026-01-02 10:00:00', 'call', :o)"), {"w": wid, "o": outcome})  # fmt: skip
    detail = json.dumps({"channel": "call", "outcome": outcome, "money_kept": kept})
    run(text("INSERT INTO audit_log (at, actor, action, subject_kind, subject_id, detail) "
             "VALUES ('2026-01-02 10:00:00', 'a', 'dissuasion', 'warning', :w, :d)"),
        {"w": str(wid), "d": detail})  # fmt: skip


def test_upgrade_backfills_money_kept_from_the_audit_log(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}", migrate=False)
    store.upgrade("0004")
    with store.engine.begin() as conn:
        for wid in (1, 2):
            conn.execute(text("INSERT INTO warnings (warning_id, created_at, subject_kind, "
                              "subject_id, score, signals, status, updated_at) VALUES (:w, "
                              "'2026-01-01', 'person', :p, 0.9, '[]', 'open', '2026-01-01')"),
                         {"w": wid, "p": f"P{wid}"})  # fmt: skip
        _insert_old_dissuasion(conn, 1, "unreachable", None)
        _insert_old_dissuasion(conn, 1, "stopped", "1234.5")
        _insert_old_dissuasion(conn, 2, "continued", None)
    store.upgrade()
    with store.session(readonly=True) as s:
        rows = {(d.warning_id, d.outcome): d.money_kept for d in s.query(Dissuasion)}
    store.close()
    assert rows[(1, DissuasionOutcome.stopped)] == Decimal("1234.50")
    assert rows[(1, DissuasionOutcome.unreachable)] is None
    assert rows[(2, DissuasionOutcome.continued)] is None


def test_money_kept_is_kept_only_when_dissuaded(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store, store.session() as s:
        w = warning.create_warning(s, "person", "P1", 0.8, [])
        missed = warning.record_dissuasion(s, w.warning_id, "sms", "unreachable",
                                           money_kept=Decimal("5"))  # fmt: skip
        kept = warning.record_dissuasion(s, w.warning_id, "call", "stopped",
                                         money_kept=Decimal("20000"))  # fmt: skip
        assert missed.money_kept is None
        assert kept.money_kept == Decimal("20000.00") and w.status is WarningStatus.dissuaded
        with pytest.raises(ValueError, match="money_kept"):
            warning.record_dissuasion(s, w.warning_id, "visit", "stopped",
                                      money_kept=Decimal("-1"))  # fmt: skip
