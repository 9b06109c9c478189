"""`/v1/cases`: supervised cases (挂牌督办): register, figures, reports, suspects, timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service.deps import Analyst, ReadSession, RowId, WriteSession, committed
from chaincut.service.errors import invalid_input
from chaincut.service.schemas import (
    CaseCreate,
    CaseEventCreate,
    CasePublic,
    CaseUpdate,
    SuspectCreate,
    SuspectPublic,
    SuspectUpdate,
)
from chaincut.service.views import case_public
from chaincut.store import audit, case
from chaincut.store.enums import CaseStatus
from chaincut.store.errors import NotFound
from chaincut.store.tables import CaseSuspect

router = APIRouter(prefix="/v1/cases", tags=["supervised cases"])


@router.get("", response_model=list[CasePublic])
def list_cases(
    s: ReadSession,
    who: Analyst,
    batch: str | None = None,
    status: Annotated[CaseStatus | None, Query()] = None,
) -> list[CasePublic]:
    return [case_public(c) for c in case.list_cases(s, batch=batch, status=status)]


@router.post("", status_code=201, response_model=CasePublic)
def create_case(body: CaseCreate, s: WriteSession, who: Analyst) -> CasePublic:
    with invalid_input():
        created = case.create_case(
            s,
            body.case_id,
            body.name,
            batch=body.batch,
            den_location=body.den_location,
            fraud_methods=body.fraud_methods,
            amount_involved=body.amount_involved,
            actor=who.username,
        )
    audit.record(s, who.username, "case_create", "case", body.case_id, None, {"name": body.name})
    return committed(s, case_public(created))


@router.get("/{case_id}", response_model=CasePublic)
def get_case(case_id: str, s: ReadSession, who: Analyst) -> CasePublic:
    return case_public(case.get_case(s, case_id))


@router.patch("/{case_id}", response_model=CasePublic)
def update_case(case_id: str, body: CaseUpdate, s: WriteSession, who: Analyst) -> CasePublic:
    given = body.model_dump(exclude_unset=True, exclude_none=True)
    amounts = {k: given.pop(k) for k in case.MONEY_FIELDS if k in given}
    counts = {k: given.pop(k) for k in case.COUNT_FIELDS if k in given}
    with invalid_input():
        updated = case.update_case(
            s, case_id, amounts=amounts, counts=counts, actor=who.username, **given
        )
    audit.record(
        s, who.username, "case_update", "case", case_id, body.note,
        {k: str(v) for k, v in (given | amounts | counts).items()},
    )  # fmt: skip
    s.refresh(updated)
    return committed(s, case_public(updated))


@router.post("/{case_id}/reports/{report_id}", response_model=CasePublic)
def attach_report(case_id: str, report_id: str, s: WriteSession, who: Analyst) -> CasePublic:
    case.attach_report(s, case_id, report_id)
    audit.record(
        s, who.username, "case_attach_report", "case", case_id, None, {"report_id": report_id}
    )
    found = case.get_case(s, case_id)
    s.refresh(found)
    return committed(s, case_public(found))


@router.post("/{case_id}/events", status_code=201, response_model=CasePublic)
def add_event(case_id: str, body: CaseEventCreate, s: WriteSession, who: Analyst) -> CasePublic:
    case.add_event(s, case_id, body.kind, body.note, actor=who.username, at=body.at)
    audit.record(s, who.username, "case_event", "case", case_id, None, {"kind": body.kind})
    return committed(s, case_public(case.get_case(s, case_id)))


@router.post("/{case_id}/suspects", status_code=201, response_model=SuspectPublic)
def add_suspect(case_id: str, body: SuspectCreate, s: WriteSession, who: Analyst) -> SuspectPublic:
    added = case.add_suspect(
        s,
        case_id,
        body.role,
        person_id=body.person_id,
        name=body.name,
        status=body.status,
        arrested_at=body.arrested_at,
    )
    audit.record(s, who.username, "case_add_suspect", "case", case_id, None, {"suspect": added.id})
    return committed(s, SuspectPublic.model_validate(added, from_attributes=True))


@router.patch("/{case_id}/suspects/{suspect_id}", response_model=SuspectPublic)
def update_suspect(
    case_id: str, suspect_id: RowId, body: SuspectUpdate, s: WriteSession, who: Analyst
) -> SuspectPublic:
    found = s.get(CaseSuspect, suspect_id)
    if found is None or found.case_id != case_id:
        raise NotFound("suspect", suspect_id)
    with invalid_input():
        updated = case.update_suspect(
            s,
            suspect_id,
            status=body.status,
            arrested_at=body.arrested_at,
            sentence=body.sentence,
            sentence_months=body.sentence_months,
            actor=who.username,
        )
    audit.record(
        s, who.username, "case_update_suspect", "case", case_id, None,
        {"suspect": suspect_id, "status": updated.status.value},
    )  # fmt: skip
    return committed(s, SuspectPublic.model_validate(updated, from_attributes=True))
