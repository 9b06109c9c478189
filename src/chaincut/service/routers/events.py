"""`/v1/events`: calls, messages and transactions pushed live by operators and banks, for early
warning (`chaincut.services.warnings.push_events`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from chaincut.service.deps import State, WriteSession, require
from chaincut.services import warnings
from chaincut.services.context import Principal
from chaincut.services.warning_schemas import EventBatch, EventResult
from chaincut.store.enums import Role

router = APIRouter(prefix="/v1/events", tags=["early warning"])

#: operators push calls and messages, banks transactions; the police anything
Pusher = Annotated[Principal, Depends(require(Role.bank, Role.telecom, Role.analyst, Role.admin))]


@router.post("", response_model=EventResult)
def push_events(body: EventBatch, s: WriteSession, who: Pusher, state: State) -> EventResult:
    """Take events in the interchange shapes; every good one is used, each bad one comes back
    with its index and field; the warnings raised are on the worklist when this answers."""
    return warnings.push_events(s, who, state, body)
