"""`/v1/cases`: supervised cases (挂牌督办): register, figures, reports, suspects, timeline
(`chaincut.services.cases`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service.deps import Analyst, ReadSession, RowId, State, WriteSession
from chaincut.services import cases
from chaincut.services.schemas import (
    CaseCreate,
    CaseEventCreate,
    CasePublic,
    CaseUpdate,
    SuspectCreate,
    SuspectPublic,
    SuspectUpdate,
)
from chaincut.store.enums import CaseStatus

router = APIRouter(prefix="/v1/cases", tags=["supervised cases"])


@router.get("", response_model=list[CasePublic])
def list_cases(
    s: ReadSession,
    _who: Analyst,
    batch: str | None = None,
    status: Annotated[CaseStatus | None, Query()] = None,
) -> list[CasePublic]:
    return cases.list_cases(s, batch=batch, status=status)


@router.post("", status_code=201, response_model=CasePublic)
def create_case(body: CaseCreate, s: WriteSession, who: Analyst) -> CasePublic:
    return cases.create_case(s, who, body)


@router.get("/{case_id}", response_model=CasePublic)
def get_case(case_id: str, s: WriteSession, who: Analyst, state: State) -> CasePublic:
    return cases.view_case(state, s, who, case_id)


@router.patch("/{case_id}", response_model=CasePublic)
def update_case(case_id: str, body: CaseUpdate, s: WriteSession, who: Analyst) -> CasePublic:
    return cases.update_case(s, who, case_id, body)


@router.post("/{case_id}/reports/{report_id}", response_model=CasePublic)
def attach_report(case_id: str, report_id: str, s: WriteSession, who: Analyst) -> CasePublic:
    return cases.attach_report(s, who, case_id, report_id)


@router.post("/{case_id}/events", status_code=201, response_model=CasePublic)
def add_event(case_id: str, body: CaseEventCreate, s: WriteSession, who: Analyst) -> CasePublic:
    return cases.add_event(s, who, case_id, body)


@router.post("/{case_id}/suspects", status_code=201, response_model=SuspectPublic)
def add_suspect(case_id: str, body: SuspectCreate, s: WriteSession, who: Analyst) -> SuspectPublic:
    return cases.add_suspect(s, who, case_id, body)


@router.patch("/{case_id}/suspects/{suspect_id}", response_model=SuspectPublic)
def update_suspect(
    case_id: str, suspect_id: RowId, body: SuspectUpdate, s: WriteSession, who: Analyst
) -> SuspectPublic:
    return cases.update_suspect(s, who, case_id, suspect_id, body)
