"""`/v1/punishment`: the joint-punishment registry (联合惩戒) and the allow/deny check, through
`chaincut.services.registry`.

Banks, operators and the police ask `POST /v1/punishment/check`; analysts and admins add
measures, file and decide appeals, and remove measures. Every question and change is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service.deps import (
    Analyst,
    Institution,
    Purpose,
    ReadSession,
    RowId,
    State,
    WriteSession,
)
from chaincut.services import registry
from chaincut.services.schemas import (
    AppealCreate,
    AppealDecision,
    PunishmentAnswer,
    PunishmentCreate,
    PunishmentPublic,
    PunishmentQuestion,
    Removal,
)

router = APIRouter(prefix="/v1/punishment", tags=["joint punishment"])


@router.post("/check", response_model=PunishmentAnswer)
def check(
    body: PunishmentQuestion, s: WriteSession, who: Institution, state: State
) -> PunishmentAnswer:
    """May this subject do this action now? Allow or deny, with the reason, measure and expiry."""
    return registry.check(s, who, body, state)


@router.get("/measures", response_model=list[PunishmentPublic])
def list_measures(
    s: ReadSession,
    _who: Analyst,
    subject_id: str | None = None,
    include_removed: Annotated[bool, Query()] = True,
) -> list[PunishmentPublic]:
    return registry.list_measures(s, subject_id=subject_id, include_removed=include_removed)


@router.post("/measures", status_code=201, response_model=PunishmentPublic)
def add_measure(
    body: PunishmentCreate, s: WriteSession, who: Analyst, why: Purpose, state: State
) -> PunishmentPublic:
    return registry.add_measure(s, who, body, why, state)


@router.get("/measures/{punishment_id}", response_model=PunishmentPublic)
def get_measure(punishment_id: RowId, s: ReadSession, _who: Analyst) -> PunishmentPublic:
    return registry.get_measure(s, punishment_id)


@router.post("/measures/{punishment_id}/appeal", response_model=PunishmentPublic)
def appeal(
    punishment_id: RowId, body: AppealCreate, s: WriteSession, who: Analyst
) -> PunishmentPublic:
    """Record the subject's appeal (申诉); the measure stays in force meanwhile."""
    return registry.appeal(s, who, punishment_id, body.note)


@router.post("/measures/{punishment_id}/appeal/decision", response_model=PunishmentPublic)
def decide(
    punishment_id: RowId, body: AppealDecision, s: WriteSession, who: Analyst
) -> PunishmentPublic:
    return registry.decide(s, who, punishment_id, body.upheld)


@router.post("/measures/{punishment_id}/removal", response_model=PunishmentPublic)
def remove(punishment_id: RowId, body: Removal, s: WriteSession, who: Analyst) -> PunishmentPublic:
    return registry.remove(s, who, punishment_id, body.reason)
