"""The append-only audit log as admins read it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from chaincut.services.schemas import AuditPublic
from chaincut.services.views import audit_public
from chaincut.store import audit


def query(
    s: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    subject_kind: str | None = None,
    subject_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditPublic]:
    """Entries matching every filter, newest first, within [since, until)."""
    found = audit.query(
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
    return [audit_public(e) for e in found]
