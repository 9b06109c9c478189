"""Fraud-list use cases: add (one or a feed), list, read, remove; each audited.

Analysts and admins manage every entry; banks submit their own institution's accounts and
operators numbers, links and domains, and see only their own submissions
(`chaincut.services.listings`). Every value is normalised (`chaincut.model`) before any check,
so `6217 0046 7904 3769 455` meets the same institution check as `6217004679043769455`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from chaincut.model.identifier import normalize_or_none
from chaincut.service.lakeview import LakeView
from chaincut.services.context import Principal
from chaincut.services.errors import ServiceError
from chaincut.services.listings import entry_public, feed_scope, owned_by
from chaincut.services.schemas import (
    BatchProblem,
    FraudBatchResult,
    FraudEntryBatch,
    FraudEntryCreate,
    FraudEntryPublic,
)
from chaincut.settings import Settings
from chaincut.store import audit, fraud_list
from chaincut.store.enums import ListedKind, ListSource, Role
from chaincut.store.errors import NotFound
from chaincut.store.tables import FraudListEntry
from chaincut.store.types import utc_now


def _add(
    s: Session, who: Principal, body: FraudEntryCreate, settings: Settings, lake: LakeView | None
) -> tuple[FraudListEntry, bool]:
    source = feed_scope(who, body.kind, body.source)
    value = normalize_or_none(body.kind, body.value, settings.phone_region) or body.value
    if who.role is Role.bank and body.kind is ListedKind.account and lake is not None:
        facts = lake.account(value)
        if facts is not None and facts.get("institution") not in (None, who.institution):
            raise ServiceError(403, "this account is held at another institution", "value")
    try:
        entry, created = fraud_list.add(
            s,
            body.kind,
            value,
            source=source,
            reason=body.reason,
            added_by=who.username,
            risk=body.risk,
            expires_at=body.expires_at,
            institution=who.institution,
        )
    except ValueError as exc:
        field = str(exc).split(":", 1)[0]
        raise ServiceError(
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


def add_entry(
    s: Session,
    who: Principal,
    body: FraudEntryCreate,
    settings: Settings,
    lake: LakeView | None = None,
) -> tuple[FraudEntryPublic, bool]:
    """List a number, link, domain, account, QQ or WeChat id (normalised; an entry already in
    force from the same source is refreshed instead of copied); the entry and whether it is
    new. A bank's account is checked against the `lake`'s institution. Commits `s`."""
    entry, created = _add(s, who, body, settings, lake)
    out = entry_public(entry)
    s.commit()
    return out, created


def add_batch(
    s: Session,
    who: Principal,
    body: FraudEntryBatch,
    settings: Settings,
    lake: LakeView | None = None,
) -> FraudBatchResult:
    """A feed: every good entry is listed, each bad one comes back with its index and field.
    Commits `s`."""
    added = refreshed = 0
    problems: list[BatchProblem] = []
    for i, item in enumerate(body.entries):
        try:
            with s.begin_nested():
                _, created = _add(s, who, item, settings, lake)
        except ServiceError as exc:
            problems.append(BatchProblem(index=i, field=exc.field, message=exc.message))
            continue
        added += created
        refreshed += not created
    s.commit()
    return FraudBatchResult(added=added, refreshed=refreshed, rejected=problems)


def list_entries(
    s: Session,
    who: Principal,
    purpose: str | None,
    settings: Settings,
    *,
    kind: ListedKind | None = None,
    value: str | None = None,
    source: ListSource | None = None,
    include_inactive: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[FraudEntryPublic]:
    """Entries in force (or all, with `include_inactive`), newest first, within `who`'s scope;
    audited with `purpose`. Commits `s`."""
    scoped: dict[str, object] = {}
    if who.role in (Role.bank, Role.telecom):
        scoped["source"] = feed_scope(who, kind or _any_kind(who), source)
        scoped["institution" if who.institution else "added_by"] = who.institution or who.username
    elif source is not None:
        scoped["source"] = source
    if value is not None and kind is not None:
        value = normalize_or_none(kind, value, settings.phone_region) or value
    try:
        found = fraud_list.list_entries(
            s, kind=kind, value=value, active=not include_inactive, limit=limit, offset=offset,
            **scoped,  # type: ignore[arg-type]
        )  # fmt: skip
    except ValueError as exc:
        raise ServiceError(400, str(exc), "value") from exc
    audit.record(
        s, who.username, "fraud_list_query", kind.value if kind else "any", value or "*", purpose,
        {"found": len(found)},
    )  # fmt: skip
    out = [entry_public(e) for e in found]
    s.commit()
    return out


def _any_kind(who: Principal) -> ListedKind:
    return ListedKind.account if who.role is Role.bank else ListedKind.phone


def _own(s: Session, who: Principal, entry_id: int) -> FraudListEntry:
    entry = fraud_list.get(s, entry_id)
    if not owned_by(entry, who):
        raise NotFound("fraud-list entry", entry_id)  # others' entries do not exist for you
    return entry


def get_entry(s: Session, who: Principal, entry_id: int, purpose: str) -> FraudEntryPublic:
    """One entry within `who`'s scope (404 otherwise), audited with `purpose`. Commits `s`."""
    entry = _own(s, who, entry_id)
    audit.record(s, who.username, "fraud_list_view", entry.kind.value, entry.value, purpose,
                 {"entry": entry.id})  # fmt: skip
    out = entry_public(entry)
    s.commit()
    return out


def remove_entry(s: Session, who: Principal, entry_id: int, reason: str) -> FraudEntryPublic:
    """Take an entry off the list (the record stays, with who, when and why); 404 outside
    `who`'s scope, 409 when it is off the list already. Commits `s`."""
    entry = _own(s, who, entry_id)
    fraud_list.remove(s, entry.id, by=who.username, reason=reason, now=utc_now())
    audit.record(s, who.username, "fraud_list_remove", entry.kind.value, entry.value, None,
                 {"entry": entry.id, "reason": reason})  # fmt: skip
    out = entry_public(entry)
    s.commit()
    return out
