"""`/v1/audit`: the append-only audit log, for admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service.deps import MAX_OFFSET, Admin, ReadSession
from chaincut.services import audit_log
from chaincut.services.schemas import AuditPublic

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=list[AuditPublic])
def query_audit(
    s: ReadSession,
    _who: Admin,
    actor: str | None = None,
    action: str | None = None,
    subject_kind: str | None = None,
    subject_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[AuditPublic]:
    """Entries matching every filter, newest first, within [since, until)."""
    return audit_log.query(
        s,
        actor=actor,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
