"""Early warnings and dissuasions: worklist order, outcomes, closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from chaincut.store import IllegalTransition
from chaincut.store import warning as wa
from chaincut.store.enums import DissuasionChannel, DissuasionOutcome, WarningStatus

from .factory import NOW


def test_worklist_ranks_open_warnings_by_score(session: Session) -> None:
    low = wa.create_warning(session, "phone", "13800000001", 0.4, [], now=NOW)
    high = wa.create_warning(
        session,
        "person",
        "P1",
        0.97,
        [{"kind": "call", "from": "+8617000000000", "flag": "fraud_number"}],
        fraud_type="impersonate_police",
        now=NOW,
    )
    mid = wa.create_warning(session, "account", "6222", 0.7, [], now=NOW)
    assert wa.worklist(session) == [high, mid, low]
    assert high.signals[0]["flag"] == "fraud_number"
    wa.assign(session, high.warning_id, "a1")
    assert wa.worklist(session, assigned_to="a1") == [high]
    wa.close_warning(session, low.warning_id, WarningStatus.false_alarm)
    assert wa.worklist(session) == [high, mid]


def test_dissuasion_outcomes(session: Session) -> None:
    w = wa.create_warning(session, "person", "P1", 0.9, [], now=NOW)
    wa.record_dissuasion(
        session, w.warning_id, DissuasionChannel.call, DissuasionOutcome.unreachable, at=NOW
    )
    assert w.status is WarningStatus.open
    wa.record_dissuasion(
        session, w.warning_id, "visit", "stopped", actor="officer7", at=NOW + timedelta(hours=2)
    )
    assert wa.get_warning(session, w.warning_id).status is WarningStatus.dissuaded
    assert [d.channel for d in w.dissuasions] == [DissuasionChannel.call, DissuasionChannel.visit]
    assert len(wa.list_dissuasions(session, since=NOW + timedelta(hours=1))) == 1
    with pytest.raises(ValueError):
        wa.record_dissuasion(session, w.warning_id, "carrier_pigeon", "stopped")


def test_bad_warnings_are_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="subject_kind"):
        wa.create_warning(session, "planet", "x", 0.5, [])
    with pytest.raises(ValueError, match="finite"):
        wa.create_warning(session, "person", "x", float("nan"), [])
    w = wa.create_warning(session, "person", "x", 0.5, [])
    with pytest.raises(IllegalTransition):
        wa.close_warning(session, w.warning_id, WarningStatus.dissuaded)
