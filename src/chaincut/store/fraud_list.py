"""The managed fraud list (涉诈黑名单): phone numbers, links, domains, accounts, QQ and WeChat ids
flagged by reports, analysts, operators' and banks' feeds or the lake's labels.

An entry is active from `added_at` until it expires or is removed; removal keeps the record (who,
when, why). Adding what is already actively listed from the same source for the same report
refreshes that entry (later expiry, higher risk) instead of adding a copy, so re-running a feed
or an import changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from chaincut.store.enums import ListedKind, ListRisk, ListSource
from chaincut.store.errors import IllegalTransition, NotFound
from chaincut.store.identifiers import normalize
from chaincut.store.tables import FraudListEntry
from chaincut.store.types import as_utc, utc_now

MAX_REASON = 2000


def is_active(entry: FraudListEntry, now: datetime | None = None) -> bool:
    """Whether `entry` is in force at `now`: not removed and not expired."""
    at = as_utc(now) if now is not None else utc_now()
    if entry.removed_at is not None:
        return False
    return entry.expires_at is None or entry.expires_at > at


def _active(stmt: Select[FraudListEntry], at: datetime) -> Select[FraudListEntry]:
    return stmt.where(FraudListEntry.removed_at.is_(None)).where(
        or_(FraudListEntry.expires_at.is_(None), FraudListEntry.expires_at > at)
    )


def add(
    session: Session,
    kind: ListedKind | str,
    value: str,
    *,
    source: ListSource | str,
    reason: str,
    added_by: str,
    risk: ListRisk | str = ListRisk.high,
    expires_at: datetime | None = None,
    report_id: str | None = None,
    institution: str | None = None,
    now: datetime | None = None,
) -> tuple[FraudListEntry, bool]:
    """List `value` (normalised by `kind`); returns the entry and whether it is new.

    Raises `ValueError` for a value that is not of its kind, an empty reason or an expiry that
    is not in the future.
    """
    kind, source, risk = ListedKind(kind), ListSource(source), ListRisk(risk)
    at = as_utc(now) if now is not None else utc_now()
    normal = normalize(kind, value)
    reason = reason.strip()
    if not reason:
        raise ValueError("reason: say why this is listed")
    if expires_at is not None and as_utc(expires_at) <= at:
        raise ValueError(f"expires_at: {expires_at.isoformat()} is not in the future")
    stmt = (
        select(FraudListEntry)
        .where(FraudListEntry.kind == kind, FraudListEntry.value == normal)
        .where(FraudListEntry.source == source)
        .where(
            FraudListEntry.report_id == report_id
            if report_id is not None
            else FraudListEntry.report_id.is_(None)
        )
    )
    existing = session.scalars(_active(stmt, at).limit(1)).first()
    if existing is not None:
        if existing.expires_at is not None:  # the later expiry wins; none is latest
            later = None if expires_at is None else max(existing.expires_at, as_utc(expires_at))
            existing.expires_at = later
        if risk is ListRisk.high:
            existing.risk = ListRisk.high
        session.flush()
        return existing, False
    entry = FraudListEntry(
        kind=kind,
        value=normal,
        source=source,
        risk=risk,
        reason=reason[:MAX_REASON],
        report_id=report_id,
        institution=institution,
        added_by=added_by,
        added_at=at,
        expires_at=as_utc(expires_at) if expires_at is not None else None,
    )
    session.add(entry)
    session.flush()
    return entry, True


def get(session: Session, entry_id: int) -> FraudListEntry:
    entry = session.get(FraudListEntry, entry_id)
    if entry is None:
        raise NotFound("fraud-list entry", entry_id)
    return entry


def remove(
    session: Session, entry_id: int, *, by: str, reason: str, now: datetime | None = None
) -> FraudListEntry:
    """Take an entry off the list (it stays on record); `IllegalTransition` if already removed."""
    entry = get(session, entry_id)
    if entry.removed_at is not None:
        raise IllegalTransition(f"fraud-list entry {entry_id} was removed already")
    if not reason.strip():
        raise ValueError("reason: say why this is taken off the list")
    entry.removed_at = as_utc(now) if now is not None else utc_now()
    entry.removed_by = by
    entry.removal_reason = reason.strip()[:MAX_REASON]
    session.flush()
    return entry


def list_entries(
    session: Session,
    *,
    kind: ListedKind | str | None = None,
    value: str | None = None,
    source: ListSource | str | None = None,
    sources: Iterable[ListSource] | None = None,
    institution: str | None = None,
    added_by: str | None = None,
    active: bool = True,
    limit: int = 100,
    offset: int = 0,
    now: datetime | None = None,
) -> list[FraudListEntry]:
    """Entries matching every filter given, newest first; only those in force when `active`.

    `value` is normalised by `kind` when `kind` is given, and compared as written otherwise.
    """
    stmt = select(FraudListEntry)
    if kind is not None:
        kind = ListedKind(kind)
        stmt = stmt.where(FraudListEntry.kind == kind)
        if value is not None:
            value = normalize(kind, value)
    if value is not None:
        stmt = stmt.where(FraudListEntry.value == value)
    if source is not None:
        stmt = stmt.where(FraudListEntry.source == ListSource(source))
    if sources is not None:
        stmt = stmt.where(FraudListEntry.source.in_(list(sources)))
    if institution is not None:
        stmt = stmt.where(FraudListEntry.institution == institution)
    if added_by is not None:
        stmt = stmt.where(FraudListEntry.added_by == added_by)
    if active:
        stmt = _active(stmt, as_utc(now) if now is not None else utc_now())
    stmt = stmt.order_by(FraudListEntry.added_at.desc(), FraudListEntry.id.desc())
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def matches(
    session: Session,
    kind: ListedKind | str,
    values: Sequence[str],
    now: datetime | None = None,
) -> list[FraudListEntry]:
    """The entries in force that list any of `values` (already in normal form) as `kind`."""
    if not values:
        return []
    at = as_utc(now) if now is not None else utc_now()
    stmt = select(FraudListEntry).where(
        FraudListEntry.kind == ListedKind(kind), FraudListEntry.value.in_(list(values))
    )
    stmt = _active(stmt, at).order_by(FraudListEntry.id)
    return list(session.scalars(stmt))
