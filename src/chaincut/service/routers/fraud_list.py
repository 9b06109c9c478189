"""`/v1/fraud-list`: the managed fraud list the public self-check reads.

Analysts and admins manage every entry; banks submit their accounts and operators their
numbers, links and domains, and see only their own submissions (`chaincut.service.fraudlist`).
Every change and every look-up is audited; look-ups need a purpose.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from chaincut.service.deps import (
    Principal,
    Purpose,
    RowId,
    State,
    WriteSession,
    require,
)
from chaincut.service.errors import ApiError
from chaincut.service.fraudlist import entry_public, feed_scope, owned_by
from chaincut.service.schemas import (
    BatchProblem,
    FraudBatchResult,
    FraudEntryBatch,
    FraudEntryCreate,
    FraudEntryPublic,
    Removal,
)
from chaincut.store import audit, fraud_list
from chaincut.store.enums import ListedKind, ListSource, Role
from chaincut.store.errors import NotFound
from chaincut.store.tables import FraudListEntry
from chaincut.store.types import utc_now

router = APIRouter(prefix="/v1/fraud-list", tags=["fraud list"])

#: who works the list: the police, and banks and operators for their own submissions
ListDesk = Annotated[Principal, Depends(require(Role.bank, Role.telecom, Role.analyst, Role.admin))]


def _add(
    s: WriteSession, who: Principal, body: FraudEntryCreate, state: State
) -> tuple[FraudListEntry, bool]:
    source = feed_scope(who, body.kind, body.source)
    if who.role is Role.bank and body.kind is ListedKind.account:
        facts = state.lake.account(body.value.strip())
        if facts is not None and facts.get("institution") not in (None, who.institution):
            raise ApiError(403, "this account is held at another institution", "value")
    try:
        entry, created = fraud_list.add(
            s,
            body.kind,
            body.value,
            source=source,
            reason=body.reason,
            added_by=who.username,
            risk=body.risk,
            expires_at=body.expires_at,
            institution=who.institution,
        )
    except ValueError as exc:
        field = str(exc).split(":", 1)[0]
        raise ApiError(
            400, str(exc), field if field in ("reason", "expires_at") else "value"
        ) from exc
    audit.record(
        s,
        who.username,
        "fraud_list_add" if created else "fraud_list_refresh",
        entry.kind.value,
        entry.value,
        None,
        {"entry": entry.id, "source": source.value, "risk": entry.risk.value},
    )
    return entry, created


@router.post("", status_code=201, response_model=FraudEntryPublic)
def add_entry(
    body: FraudEntryCreate, s: WriteSession, who: ListDesk, state: State
) -> FraudEntryPublic:
    """List a number, link, domain, account, QQ or WeChat id (normalised; an entry already in
    force from the same source is refreshed instead of copied)."""
    entry, _ = _add(s, who, body, state)
    return entry_public(entry)


@router.post("/batch", response_model=FraudBatchResult)
def add_batch(
    body: FraudEntryBatch, s: WriteSession, who: ListDesk, state: State
) -> FraudBatchResult:
    """A feed: every good entry is listed, each bad one comes back with its index and field."""
    added = refreshed = 0
    problems: list[BatchProblem] = []
    for i, item in enumerate(body.entries):
        try:
            with s.begin_nested():
                _, created = _add(s, who, item, state)
        except ApiError as exc:
            problems.append(BatchProblem(index=i, field=exc.field, message=exc.message))
            continue
        added += created
        refreshed += not created
    return FraudBatchResult(added=added, refreshed=refreshed, rejected=problems)


@router.get("", response_model=list[FraudEntryPublic])
def list_entries(
    s: WriteSession,
    who: ListDesk,
    why: Purpose,
    kind: ListedKind | None = None,
    value: Annotated[str | None, Query(max_length=255)] = None,
    source: ListSource | None = None,
    include_inactive: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> list[FraudEntryPublic]:
    """Entries in force (or all, with `include_inactive`), newest first; audited."""
    scoped: dict[str, object] = {}
    if who.role in (Role.bank, Role.telecom):
        scoped["source"] = feed_scope(who, kind or _any_kind(who), source)
        scoped["institution" if who.institution else "added_by"] = who.institution or who.username
    elif source is not None:
        scoped["source"] = source
    try:
        found = fraud_list.list_entries(
            s, kind=kind, value=value, active=not include_inactive, limit=limit, offset=offset,
            **scoped,  # type: ignore[arg-type]
        )  # fmt: skip
    except ValueError as exc:
        raise ApiError(400, str(exc), "value") from exc
    audit.record(
        s, who.username, "fraud_list_query", kind.value if kind else "any", value or "*", why,
        {"found": len(found)},
    )  # fmt: skip
    return [entry_public(e) for e in found]


def _any_kind(who: Principal) -> ListedKind:
    return ListedKind.account if who.role is Role.bank else ListedKind.phone


def _own(s: WriteSession, who: Principal, entry_id: int) -> FraudListEntry:
    entry = fraud_list.get(s, entry_id)
    if not owned_by(entry, who):
        raise NotFound("fraud-list entry", entry_id)  # others' entries do not exist for you
    return entry


@router.get("/{entry_id}", response_model=FraudEntryPublic)
def get_entry(entry_id: RowId, s: WriteSession, who: ListDesk, why: Purpose) -> FraudEntryPublic:
    entry = _own(s, who, entry_id)
    audit.record(s, who.username, "fraud_list_view", entry.kind.value, entry.value, why,
                 {"entry": entry.id})  # fmt: skip
    return entry_public(entry)


@router.post("/{entry_id}/removal", response_model=FraudEntryPublic)
def remove_entry(
    entry_id: RowId, body: Removal, s: WriteSession, who: ListDesk
) -> FraudEntryPublic:
    """Take an entry off the list (the record stays, with who, when and why)."""
    entry = _own(s, who, entry_id)
    fraud_list.remove(s, entry.id, by=who.username, reason=body.reason, now=utc_now())
    audit.record(s, who.username, "fraud_list_remove", entry.kind.value, entry.value, None,
                 {"entry": entry.id, "reason": body.reason})  # fmt: skip
    return entry_public(entry)
