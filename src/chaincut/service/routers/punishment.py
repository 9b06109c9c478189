"""`/v1/punishment`: the joint-punishment registry (联合惩戒) and the allow/deny check.

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
    WriteSession,
    committed,
)
from chaincut.service.errors import invalid_input
from chaincut.service.schemas import (
    AppealCreate,
    AppealDecision,
    PunishmentAnswer,
    PunishmentCreate,
    PunishmentPublic,
    PunishmentQuestion,
    Removal,
)
from chaincut.service.views import punishment_public
from chaincut.store import audit, punishment

router = APIRouter(prefix="/v1/punishment", tags=["joint punishment"])


@router.post("/check", response_model=PunishmentAnswer)
def check(body: PunishmentQuestion, s: WriteSession, who: Institution) -> PunishmentAnswer:
    """May this subject do this action now? Allow or deny, with the reason, measure and expiry."""
    institution = body.institution or who.institution
    with invalid_input("action"):
        decision = punishment.check(s, body.subject_id, body.action, institution, phone=body.phone)
    audit.record(
        s,
        who.username,
        "punishment_check",
        "person",
        body.subject_id,
        f"{body.action} at {institution or 'unknown institution'}",
        {"allow": decision.allow, "punishment_id": decision.punishment_id},
    )
    return committed(
        s,
        PunishmentAnswer(
            allow=decision.allow,
            reason=decision.reason,
            measure=decision.measure,
            expires_at=decision.expires_at,
        ),
    )


@router.get("/measures", response_model=list[PunishmentPublic])
def list_measures(
    s: ReadSession,
    who: Analyst,
    subject_id: str | None = None,
    include_removed: Annotated[bool, Query()] = True,
) -> list[PunishmentPublic]:
    found = punishment.list_punishments(s, subject_id=subject_id, include_removed=include_removed)
    return [punishment_public(p, False) for p in found]


@router.post("/measures", status_code=201, response_model=PunishmentPublic)
def add_measure(
    body: PunishmentCreate, s: WriteSession, who: Analyst, why: Purpose
) -> PunishmentPublic:
    with invalid_input():
        added = punishment.add(
            s,
            body.subject_id,
            body.measure,
            body.basis,
            body.start,
            subject_name=body.subject_name,
            retained_phone=body.retained_phone,
            actor=who.username,
        )
    audit.record(
        s,
        who.username,
        "punishment_add",
        "person",
        body.subject_id,
        why,
        {"punishment_id": added.id, "measure": added.measure.value, "basis": added.basis.value},
    )
    return committed(s, punishment_public(added, False))


@router.get("/measures/{punishment_id}", response_model=PunishmentPublic)
def get_measure(punishment_id: RowId, s: ReadSession, who: Analyst) -> PunishmentPublic:
    return punishment_public(punishment.get(s, punishment_id), False)


@router.post("/measures/{punishment_id}/appeal", response_model=PunishmentPublic)
def appeal(
    punishment_id: RowId, body: AppealCreate, s: WriteSession, who: Analyst
) -> PunishmentPublic:
    """Record the subject's appeal (申诉); the measure stays in force meanwhile."""
    found = punishment.appeal(s, punishment_id, body.note)
    audit.record(
        s, who.username, "punishment_appeal", "person", found.subject_id, body.note,
        {"punishment_id": punishment_id},
    )  # fmt: skip
    return committed(s, punishment_public(found, False))


@router.post("/measures/{punishment_id}/appeal/decision", response_model=PunishmentPublic)
def decide(
    punishment_id: RowId, body: AppealDecision, s: WriteSession, who: Analyst
) -> PunishmentPublic:
    found = punishment.decide_appeal(s, punishment_id, body.upheld)
    audit.record(
        s, who.username, "punishment_appeal_decided", "person", found.subject_id, None,
        {"punishment_id": punishment_id, "upheld": body.upheld},
    )  # fmt: skip
    return committed(s, punishment_public(found, False))


@router.post("/measures/{punishment_id}/removal", response_model=PunishmentPublic)
def remove(punishment_id: RowId, body: Removal, s: WriteSession, who: Analyst) -> PunishmentPublic:
    found = punishment.remove(s, punishment_id, body.reason)
    audit.record(
        s, who.username, "punishment_remove", "person", found.subject_id, body.reason,
        {"punishment_id": punishment_id},
    )  # fmt: skip
    return committed(s, punishment_public(found, False))
