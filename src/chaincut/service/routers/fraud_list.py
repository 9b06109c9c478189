"""`/v1/fraud-list`: the managed fraud list the public self-check reads
(`chaincut.services.fraud_list`: who may manage which entries, normalising, auditing).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from chaincut.service.deps import MAX_OFFSET, Purpose, RowId, State, WriteSession, require
from chaincut.services import fraud_list
from chaincut.services.context import Principal
from chaincut.services.schemas import (
    FraudBatchResult,
    FraudEntryBatch,
    FraudEntryCreate,
    FraudEntryPublic,
    Removal,
)
from chaincut.store.enums import ListedKind, ListSource, Role

router = APIRouter(prefix="/v1/fraud-list", tags=["fraud list"])

#: who works the list: the police, and banks and operators for their own submissions
ListDesk = Annotated[Principal, Depends(require(Role.bank, Role.telecom, Role.analyst, Role.admin))]


@router.post("", status_code=201, response_model=FraudEntryPublic)
def add_entry(
    body: FraudEntryCreate, s: WriteSession, who: ListDesk, state: State
) -> FraudEntryPublic:
    """List a number, link, domain, account, QQ or WeChat id (normalised; an entry already in
    force from the same source is refreshed instead of copied)."""
    entry, _ = fraud_list.add_entry(s, who, body, state.settings, state.lake)
    return entry


@router.post("/batch", response_model=FraudBatchResult)
def add_batch(
    body: FraudEntryBatch, s: WriteSession, who: ListDesk, state: State
) -> FraudBatchResult:
    """A feed: every good entry is listed, each bad one comes back with its index and field."""
    return fraud_list.add_batch(s, who, body, state.settings, state.lake)


@router.get("", response_model=list[FraudEntryPublic])
def list_entries(
    s: WriteSession,
    who: ListDesk,
    why: Purpose,
    state: State,
    kind: ListedKind | None = None,
    value: Annotated[str | None, Query(max_length=255)] = None,
    source: ListSource | None = None,
    include_inactive: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[FraudEntryPublic]:
    """Entries in force (or all, with `include_inactive`), newest first; audited."""
    return fraud_list.list_entries(
        s, who, why, state.settings, kind=kind, value=value, source=source,
        include_inactive=include_inactive, limit=limit, offset=offset,
    )  # fmt: skip


@router.get("/{entry_id}", response_model=FraudEntryPublic)
def get_entry(entry_id: RowId, s: WriteSession, who: ListDesk, why: Purpose) -> FraudEntryPublic:
    return fraud_list.get_entry(s, who, entry_id, why)


@router.post("/{entry_id}/removal", response_model=FraudEntryPublic)
def remove_entry(
    entry_id: RowId, body: Removal, s: WriteSession, who: ListDesk
) -> FraudEntryPublic:
    """Take an entry off the list (the record stays, with who, when and why)."""
    return fraud_list.remove_entry(s, who, entry_id, body.reason)
