"""Gang analysis records: the analyst's judgements on people and the links of gangs to cases.

`person_judgements` holds "same person" / "not the same person" decisions on pairs of person
ids (stored with the smaller id first); every later gang analysis applies them over the record
linkage model. `gang_cases` ties a gang id (`GANG-` and its earliest report) to the case opened
from it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from chaincut.store.tables import ID, Base, CaseReport


class PersonJudgement(Base):
    """An analyst's decision on whether two person ids are one person."""

    __tablename__ = "person_judgements"

    person_a: Mapped[str] = mapped_column(ID, primary_key=True)
    person_b: Mapped[str] = mapped_column(ID, primary_key=True)
    same: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    judged_by: Mapped[str] = mapped_column(String(64))
    judged_at: Mapped[datetime]


class GangCase(Base):
    """A case opened from (or attached to) a gang."""

    __tablename__ = "gang_cases"

    gang_id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), primary_key=True)
    linked_by: Mapped[str] = mapped_column(String(64))
    linked_at: Mapped[datetime]


def judge(session: Session, a: str, b: str, same: bool, reason: str, by: str) -> PersonJudgement:
    """Record (or replace) the analyst's decision on the pair `a`, `b`."""
    if not a or not b or a == b:
        raise ValueError(f"a judgement needs two different person ids, got {a!r} and {b!r}")
    first, second = sorted((a, b))
    row = session.get(PersonJudgement, (first, second))
    now = datetime.now(UTC)
    if row is None:
        row = PersonJudgement(person_a=first, person_b=second)
        session.add(row)
    row.same, row.reason, row.judged_by, row.judged_at = same, reason, by, now
    session.flush()
    return row


def judgements(session: Session) -> list[PersonJudgement]:
    """Every judgement, in pair order."""
    rows = session.scalars(
        select(PersonJudgement).order_by(PersonJudgement.person_a, PersonJudgement.person_b)
    )
    return list(rows)


def link_case(session: Session, gang_id: str, case_id: str, by: str) -> GangCase:
    """Tie `case_id` to `gang_id` (idempotent)."""
    row = session.get(GangCase, (gang_id, case_id))
    if row is None:
        row = GangCase(gang_id=gang_id, case_id=case_id, linked_by=by, linked_at=datetime.now(UTC))
        session.add(row)
        session.flush()
    return row


def cases_by_gang(session: Session) -> dict[str, list[str]]:
    """Gang id -> the ids of its cases."""
    out: dict[str, list[str]] = {}
    for row in session.scalars(select(GangCase).order_by(GangCase.gang_id, GangCase.case_id)):
        out.setdefault(row.gang_id, []).append(row.case_id)
    return out


def analyst_cases(session: Session) -> dict[str, list[str]]:
    """Case id -> its reports' ids, for the cases an analyst opened and filled by hand: a
    case opened from a gang (tied in `gang_cases`) follows the gang and ties nothing, or it
    would only repeat the grouping that made it."""
    tied = select(GangCase.case_id)
    rows = session.execute(
        select(CaseReport.case_id, CaseReport.report_id)
        .where(CaseReport.case_id.not_in(tied))
        .order_by(CaseReport.case_id, CaseReport.report_id)
    )
    out: dict[str, list[str]] = {}
    for case_id, report_id in rows:
        out.setdefault(case_id, []).append(report_id)
    return out
