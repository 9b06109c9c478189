"""`/v1/warnings`: the early-warning worklist (预警) and dissuasion outcomes (劝阻)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service.deps import Analyst, ReadSession, RowId, State, WriteSession
from chaincut.services import warnings
from chaincut.services.warning_schemas import (
    Assignment,
    DissuasionCreate,
    DissuasionResult,
    WarningFigures,
    WarningPublic,
)
from chaincut.store.enums import WarningStatus

router = APIRouter(prefix="/v1/warnings", tags=["early warning"])


@router.get("", response_model=list[WarningPublic])
def worklist(
    s: ReadSession,
    _who: Analyst,
    status: WarningStatus | None = WarningStatus.open,
    assigned_to: Annotated[str | None, Query(max_length=64)] = None,
    capacity: Annotated[int, Query(ge=1, le=10_000, description="the day's capacity")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> list[WarningPublic]:
    """Warnings highest score first, at most `capacity`, with their evidence and assignment."""
    return warnings.worklist(s, capacity=capacity, status=status, assigned_to=assigned_to,
                             offset=offset)  # fmt: skip


@router.get("/figures", response_model=WarningFigures)
def figures(s: ReadSession, _who: Analyst) -> WarningFigures:
    """Warnings, attempts, reached, dissuaded, already paid and money kept."""
    return warnings.figures(s)


@router.post("/{warning_id}/assignment", response_model=WarningPublic)
def assign(warning_id: RowId, body: Assignment, s: WriteSession, who: Analyst) -> WarningPublic:
    return warnings.assign(s, who, warning_id, body.username)


@router.post("/{warning_id}/dissuasions", response_model=DissuasionResult, status_code=201)
def record_dissuasion(
    warning_id: RowId, body: DissuasionCreate, s: WriteSession, who: Analyst, state: State
) -> DissuasionResult:
    """Record one attempt: not reached -> the next channel; dissuaded -> closed as dissuaded;
    already paid -> a report is filed from the warning's transfers and traced at once."""
    return warnings.record_outcome(s, who, state, warning_id, body)
