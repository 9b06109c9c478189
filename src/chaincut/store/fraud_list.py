"""The managed fraud list (涉诈黑名单): phone numbers, links, domains, accounts, QQ and WeChat ids
flagged by reports, analysts, operators' and banks' feeds or the lake's labels.

An entry is active from `added_at` until it expires or is removed; removal keeps the record (who,
when, why). Entries belong to who submitted them: adding what is already actively listed by the
same submitter (the same source, report and institution; for a feed without an institution, the
same user) refreshes that entry (later expiry, higher risk) instead of adding a copy, so
re-running a feed or an import changes nothing. Another submitter listing the same value adds an
entry of its own, its own sighting, and never changes anyone else's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select, tuple_
from sqlalchemy.orm import Session

from chaincut.store.enums import ListedKind, ListRisk, ListSource
from chaincut.store.errors import IllegalTransition, NotFound
from chaincut.store.identifiers import normalize
from chaincut.store.tables import FraudListEntry
from chaincut.store.types import as_utc, utc_now

MAX_REASON = 2000

#: sources whose entries belong to the user who submitted them when no institution is given
FEED_SOURCES = frozenset({ListSource.bank_feed, ListSource.operator_feed})


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


@dataclass(frozen=True)
class Listing:
    """One identifier to list, as written (`add_many` normalises it)."""

    kind: ListedKind | str
    value: str
    reason: str
    risk: ListRisk | str = ListRisk.high
    expires_at: datetime | None = None


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
    done, problems = add_many(
        session,
        [Listing(kind, value, reason, risk, expires_at)],
        source=source,
        added_by=added_by,
        report_id=report_id,
        institution=institution,
        now=now,
    )
    if problems:
        raise problems[0][1]
    return done[0]


def add_many(
    session: Session,
    items: Sequence[Listing],
    *,
    source: ListSource | str,
    added_by: str,
    report_id: str | None = None,
    institution: str | None = None,
    now: datetime | None = None,
) -> tuple[list[tuple[FraudListEntry, bool]], list[tuple[int, ValueError]]]:
    """List every good item of `items` in one query and one flush (a report's listings are
    written while the store's writer lock is held); returns the entries with whether each is
    new, and the index and error of each bad item. Only the submitter's own entries (see the
    module docstring) are refreshed."""
    source = ListSource(source)
    at = as_utc(now) if now is not None else utc_now()
    good: list[tuple[ListedKind, str, str, ListRisk, datetime | None]] = []
    problems: list[tuple[int, ValueError]] = []
    for i, item in enumerate(items):
        try:
            good.append(_checked(item, at))
        except ValueError as exc:
            problems.append((i, exc))
    if not good:
        return [], problems
    stmt = (
        select(FraudListEntry)
        .where(tuple_(FraudListEntry.kind, FraudListEntry.value).in_([(k, v) for k, v, *_ in good]))
        .where(FraudListEntry.source == source)
        .where(
            FraudListEntry.report_id == report_id
            if report_id is not None
            else FraudListEntry.report_id.is_(None)
        )
    )
    stmt = stmt.where(
        FraudListEntry.institution == institution
        if institution is not None
        else FraudListEntry.institution.is_(None)
    )
    if institution is None and source in FEED_SOURCES:
        stmt = stmt.where(FraudListEntry.added_by == added_by)
    held = {(e.kind, e.value): e for e in session.scalars(_active(stmt, at))}
    out: list[tuple[FraudListEntry, bool]] = []
    for kind, value, reason, risk, expires_at in good:
        existing = held.get((kind, value))
        if existing is not None:
            if existing.expires_at is not None:  # the later expiry wins; none is latest
                later = None if expires_at is None else max(existing.expires_at, expires_at)
                existing.expires_at = later
            if risk is ListRisk.high:
                existing.risk = ListRisk.high
            out.append((existing, False))
            continue
        entry = FraudListEntry(
            kind=kind,
            value=value,
            source=source,
            risk=risk,
            reason=reason,
            report_id=report_id,
            institution=institution,
            added_by=added_by,
            added_at=at,
            expires_at=expires_at,
        )
        session.add(entry)
        held[(kind, value)] = entry
        out.append((entry, True))
    session.flush()
    return out, problems


def _checked(item: Listing, at: datetime) -> tuple[ListedKind, str, str, ListRisk, datetime | None]:
    kind = ListedKind(item.kind)
    risk = ListRisk(item.risk)
    value = normalize(kind, item.value)
    reason = item.reason.strip()
    if not reason:
        raise ValueError("reason: say why this is listed")
    expires_at = as_utc(item.expires_at) if item.expires_at is not None else None
    if expires_at is not None and expires_at <= at:
        raise ValueError(f"expires_at: {expires_at.isoformat()} is not in the future")
    return kind, value, reason[:MAX_REASON], risk, expires_at


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
