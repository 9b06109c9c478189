"""Supervised cases (挂牌督办): the register, their figures, reports, suspects and timeline.

The arrest counts and amounts on a case are the case's reported figures; the suspects attached
to it may be only those known by name, so the counts are kept, not derived.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store.enums import CaseStatus, SuspectRole, SuspectStatus
from chaincut.store.errors import AlreadyExists, NotFound
from chaincut.store.tables import Case, CaseEvent, CaseReport, CaseSuspect, Report
from chaincut.store.types import as_utc, to_money, utc_now

MONEY_FIELDS = ("amount_involved", "amount_frozen", "amount_seized", "amount_returned")
COUNT_FIELDS = (
    "financiers_caught",
    "financiers_at_large",
    "core_members_caught",
    "core_members_at_large",
)


def _now(value: datetime | None) -> datetime:
    return as_utc(value) if value is not None else utc_now()


def create_case(
    session: Session,
    case_id: str,
    name: str,
    *,
    batch: str | None = None,
    den_location: str | None = None,
    fraud_methods: Sequence[str] = (),
    amount_involved: Decimal = Decimal("0.00"),
    actor: str | None = None,
    now: datetime | None = None,
) -> Case:
    """Register a case, e.g. `create_case(s, "ZJ-1230", '浙江"12.30"', batch="2023-1")`."""
    if session.get(Case, case_id) is not None:
        raise AlreadyExists("case", case_id)
    now = _now(now)
    case = Case(
        case_id=case_id,
        batch=batch,
        name=name,
        den_location=den_location,
        fraud_methods=list(fraud_methods),
        status=CaseStatus.open,
        amount_involved=to_money(amount_involved),
        amount_frozen=Decimal("0.00"),
        amount_seized=Decimal("0.00"),
        amount_returned=Decimal("0.00"),
        financiers_caught=0,
        financiers_at_large=0,
        core_members_caught=0,
        core_members_at_large=0,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    case.events.append(
        CaseEvent(at=now, kind="registered", note=f"case {name} registered", actor=actor)
    )
    session.flush()
    return case


def get_case(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("case", case_id)
    return case


def list_cases(
    session: Session, *, batch: str | None = None, status: CaseStatus | None = None
) -> list[Case]:
    query = select(Case).order_by(Case.created_at.desc(), Case.case_id)
    if batch is not None:
        query = query.where(Case.batch == batch)
    if status is not None:
        query = query.where(Case.status == status)
    return list(session.scalars(query))


def update_case(
    session: Session,
    case_id: str,
    *,
    name: str | None = None,
    batch: str | None = None,
    den_location: str | None = None,
    fraud_methods: Sequence[str] | None = None,
    status: CaseStatus | None = None,
    amounts: dict[str, Decimal] | None = None,
    counts: dict[str, int] | None = None,
    note: str | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> Case:
    """Change the given fields (None leaves a field as it is) and log the change on the timeline.

    `amounts` keys are `MONEY_FIELDS`, `counts` keys are `COUNT_FIELDS`.
    """
    case = get_case(session, case_id)
    changes: dict[str, object] = {}
    for field, value in (
        ("name", name),
        ("batch", batch),
        ("den_location", den_location),
        ("status", CaseStatus(status) if status is not None else None),
        ("fraud_methods", list(fraud_methods) if fraud_methods is not None else None),
    ):
        if value is not None:
            changes[field] = value
    for field, amount in (amounts or {}).items():
        if field not in MONEY_FIELDS:
            raise ValueError(f"unknown amount {field!r}; known: {', '.join(MONEY_FIELDS)}")
        if to_money(amount) < 0:
            raise ValueError(f"{field} cannot be negative")
        changes[field] = to_money(amount)
    for field, count in (counts or {}).items():
        if field not in COUNT_FIELDS:
            raise ValueError(f"unknown count {field!r}; known: {', '.join(COUNT_FIELDS)}")
        if count < 0:
            raise ValueError(f"{field} cannot be negative")
        changes[field] = count
    changed = {k: v for k, v in changes.items() if getattr(case, k) != v}
    if not changed:
        return case
    now = _now(now)
    for field, new in changed.items():
        setattr(case, field, new)
    case.updated_at = now
    summary = ", ".join(f"{k}={v}" for k, v in changed.items())
    case.events.append(CaseEvent(at=now, kind="updated", note=note or summary, actor=actor))
    session.flush()
    return case


def add_event(
    session: Session,
    case_id: str,
    kind: str,
    note: str,
    *,
    actor: str | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Add a step to the progress timeline (kind: arrest, freeze, seizure, return, sentence …)."""
    case = get_case(session, case_id)
    event = CaseEvent(at=_now(at), kind=kind, note=note, actor=actor)
    case.events.append(event)
    session.flush()
    return event


def timeline(session: Session, case_id: str) -> list[CaseEvent]:
    query = select(CaseEvent).where(CaseEvent.case_id == case_id)
    return list(session.scalars(query.order_by(CaseEvent.at, CaseEvent.id)))


def attach_report(
    session: Session, case_id: str, report_id: str, *, now: datetime | None = None
) -> CaseReport:
    """Attach a stored report to the case (idempotent)."""
    case = get_case(session, case_id)
    if session.get(Report, report_id) is None:
        raise NotFound("report", report_id)
    link = session.get(CaseReport, (case_id, report_id))
    if link is None:
        link = CaseReport(case_id=case_id, report_id=report_id, attached_at=_now(now))
        case.reports.append(link)
        session.flush()
    return link


def add_suspect(
    session: Session,
    case_id: str,
    role: SuspectRole | str,
    *,
    person_id: str | None = None,
    name: str | None = None,
    status: SuspectStatus | str = SuspectStatus.at_large,
    arrested_at: datetime | None = None,
) -> CaseSuspect:
    case = get_case(session, case_id)
    suspect = CaseSuspect(
        person_id=person_id,
        name=name,
        role=SuspectRole(role),
        status=SuspectStatus(status),
        arrested_at=as_utc(arrested_at) if arrested_at is not None else None,
    )
    case.suspects.append(suspect)
    session.flush()
    return suspect


def update_suspect(
    session: Session,
    suspect_id: int,
    *,
    status: SuspectStatus | str | None = None,
    arrested_at: datetime | None = None,
    sentence: str | None = None,
    sentence_months: int | None = None,
    actor: str | None = None,
) -> CaseSuspect:
    """Record an arrest or a sentence; each is also added to the case's timeline."""
    suspect = session.get(CaseSuspect, suspect_id)
    if suspect is None:
        raise NotFound("suspect", suspect_id)
    who = suspect.name or suspect.person_id or f"suspect {suspect_id}"
    if arrested_at is not None:
        suspect.arrested_at = as_utc(arrested_at)
    if status is not None and SuspectStatus(status) is not suspect.status:
        suspect.status = SuspectStatus(status)
        at = suspect.arrested_at if suspect.status is SuspectStatus.arrested else None
        add_event(
            session,
            suspect.case_id,
            suspect.status.value,
            f"{who} ({suspect.role}): {suspect.status}",
            actor=actor,
            at=at,
        )
    if sentence is not None or sentence_months is not None:
        if sentence_months is not None and sentence_months < 0:
            raise ValueError("sentence_months cannot be negative")
        suspect.sentence = sentence if sentence is not None else suspect.sentence
        suspect.sentence_months = (
            sentence_months if sentence_months is not None else suspect.sentence_months
        )
        text = suspect.sentence or f"{suspect.sentence_months} months"
        add_event(session, suspect.case_id, "sentence", f"{who}: {text}", actor=actor)
    session.flush()
    return suspect
