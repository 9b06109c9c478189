"""The append-only audit log: who looked at or changed what, when, and for which purpose.

There is deliberately no function to change or delete an entry, and the database refuses it too
(triggers created by the migration raise on UPDATE and DELETE, and on TRUNCATE in PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store.tables import AuditEntry
from chaincut.store.types import as_utc, utc_now


def record(
    session: Session,
    actor: str,
    action: str,
    subject_kind: str,
    subject_id: str,
    purpose: str | None = None,
    detail: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry. `detail` must be JSON-serialisable; `at` defaults to now (UTC).

    The entry is written with the caller's session, so it commits (or rolls back) with the
    work it describes.
    """
    entry = AuditEntry(
        at=as_utc(at) if at is not None else utc_now(),
        actor=actor,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        purpose=purpose,
        detail=dict(detail or {}),
    )
    session.add(entry)
    session.flush()
    return entry


def query(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    subject_kind: str | None = None,
    subject_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
    newest_first: bool = True,
) -> list[AuditEntry]:
    """Entries matching every filter given, within [since, until)."""
    stmt = select(AuditEntry)
    if actor is not None:
        stmt = stmt.where(AuditEntry.actor == actor)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    if subject_kind is not None:
        stmt = stmt.where(AuditEntry.subject_kind == subject_kind)
    if subject_id is not None:
        stmt = stmt.where(AuditEntry.subject_id == subject_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= as_utc(since))
    if until is not None:
        stmt = stmt.where(AuditEntry.at < as_utc(until))
    order = (
        (AuditEntry.at.desc(), AuditEntry.id.desc())
        if newest_first
        else (
            AuditEntry.at,
            AuditEntry.id,
        )
    )
    stmt = stmt.order_by(*order).limit(limit).offset(offset)
    return list(session.scalars(stmt))
