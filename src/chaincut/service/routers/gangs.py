"""`/v1/gangs`: the gangs behind the reports, members with roles and evidence
(`chaincut.services.gangs`); analysts and admins."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from chaincut.service.deps import Analyst, State, WriteSession
from chaincut.services import gangs
from chaincut.services.schemas import CaseCreate, CasePublic, Model

router = APIRouter(tags=["gangs"])


class JudgementCreate(Model):
    """An analyst's decision on whether two person ids are one person."""

    person_a: str = Field(min_length=1, max_length=64)
    person_b: str = Field(min_length=1, max_length=64)
    same: bool
    reason: str = Field(min_length=1, max_length=2000)


@router.get("/v1/gangs")
def list_gangs(state: State, s: WriteSession, who: Analyst) -> list[dict[str, Any]]:
    return gangs.list_gangs(state, s, who)


@router.get("/v1/gangs/{gang_id}")
def get_gang(gang_id: str, state: State, s: WriteSession, who: Analyst) -> dict[str, Any]:
    return gangs.get_gang(state, s, who, gang_id)


@router.get("/v1/reports/{report_id}/gang")
def report_gang(report_id: str, state: State, s: WriteSession, who: Analyst) -> dict[str, Any]:
    return gangs.report_gang(state, s, who, report_id)


@router.post("/v1/gangs/{gang_id}/case", status_code=201, response_model=CasePublic)
def open_case(
    gang_id: str, body: CaseCreate, state: State, s: WriteSession, who: Analyst
) -> CasePublic:
    return gangs.open_case(state, s, who, gang_id, body)


@router.post("/v1/person-judgements", status_code=201)
def judge_people(body: JudgementCreate, s: WriteSession, who: Analyst) -> dict[str, Any]:
    return gangs.judge_people(s, who, body.person_a, body.person_b, body.same, body.reason)
