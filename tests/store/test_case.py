"""Supervised cases: register, figures, attached reports and suspects, progress timeline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from chaincut.store import AlreadyExists, NotFound
from chaincut.store import case as cs
from chaincut.store.enums import CaseStatus, SuspectRole, SuspectStatus

from .factory import NOW, add_report


def test_register_and_update_a_case(session: Session) -> None:
    c = cs.create_case(
        session,
        "ZJ-1230",
        '浙江"12.30"',
        batch="2023-1",
        den_location="Myawaddy, Myanmar",
        fraud_methods=["fake_investment", "romance"],
        amount_involved=Decimal("123456789.01"),
        actor="a1",
        now=NOW,
    )
    assert c.status is CaseStatus.open and c.amount_frozen == Decimal("0.00")
    with pytest.raises(AlreadyExists):
        cs.create_case(session, "ZJ-1230", "again", now=NOW)
    later = NOW + timedelta(days=3)
    cs.update_case(
        session,
        "ZJ-1230",
        amounts={"amount_frozen": Decimal("2000000.00"), "amount_returned": Decimal("150000.50")},
        counts={"financiers_caught": 2, "financiers_at_large": 1, "core_members_caught": 14},
        actor="a1",
        now=later,
    )
    assert c.amount_frozen == Decimal("2000000.00") and c.financiers_at_large == 1
    assert c.updated_at == later
    assert [e.kind for e in cs.timeline(session, "ZJ-1230")] == ["registered", "updated"]
    cs.update_case(session, "ZJ-1230", counts={"financiers_caught": 2}, now=later)  # no change
    assert len(cs.timeline(session, "ZJ-1230")) == 2
    assert [x.case_id for x in cs.list_cases(session, batch="2023-1")] == ["ZJ-1230"]
    assert cs.list_cases(session, status=CaseStatus.closed) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amounts": {"amount_stolen": Decimal("1")}}, "unknown amount"),
        ({"amounts": {"amount_seized": Decimal("-1")}}, "negative"),
        ({"counts": {"victims": 3}}, "unknown count"),
        ({"counts": {"financiers_caught": -1}}, "negative"),
    ],
)
def test_update_rejects_bad_figures(session: Session, kwargs: dict[str, Any], message: str) -> None:
    cs.create_case(session, "C1", "x", now=NOW)
    with pytest.raises(ValueError, match=message):
        cs.update_case(session, "C1", **kwargs)


def test_reports_and_suspects(session: Session) -> None:
    cs.create_case(session, "C1", "x", now=NOW)
    add_report(session, "R1")
    cs.attach_report(session, "C1", "R1", now=NOW)
    cs.attach_report(session, "C1", "R1", now=NOW)  # idempotent
    with pytest.raises(NotFound):
        cs.attach_report(session, "C1", "R-missing")
    boss = cs.add_suspect(session, "C1", SuspectRole.financier, person_id="P9", name="Boss")
    assert boss.status is SuspectStatus.at_large
    cs.update_suspect(session, boss.id, status="arrested", arrested_at=NOW + timedelta(days=1))
    cs.update_suspect(
        session, boss.id, status="sentenced", sentence="13 years", sentence_months=156
    )
    c = cs.get_case(session, "C1")
    assert [r.report_id for r in c.reports] == ["R1"]
    assert c.suspects[0].sentence_months == 156 and c.suspects[0].status is SuspectStatus.sentenced
    kinds = [e.kind for e in cs.timeline(session, "C1")]
    assert kinds == ["registered", "arrested", "sentenced", "sentence"]
    with pytest.raises(NotFound):
        cs.update_suspect(session, 10**9, status="arrested")


def test_add_event_and_close(session: Session) -> None:
    cs.create_case(session, "C1", "x", now=NOW)
    cs.add_event(session, "C1", "seizure", "¥2,000,000 seized at the den", at=NOW + timedelta(1))
    cs.update_case(session, "C1", status=CaseStatus.closed, note="judgment final")
    events = cs.timeline(session, "C1")
    assert [e.note for e in events][-2:] == ["¥2,000,000 seized at the den", "judgment final"]
    with pytest.raises(NotFound):
        cs.add_event(session, "nope", "note", "x")
