"""The fraud list in the service: what filing a report puts on it, who may manage which entries,
and how an entry reads in JSON.

A filed report lists what it involves:

- the accounts its fraud transfers paid into (the victim's own accounts left out), `high`;
- the numbers that first called or messaged the victim in the week before the first fraud
  transfer (and never in the 90 days before that week), `medium`: suspected, not confirmed,
  since a courier's call looks the same; they expire after 180 days unless confirmed;
- the numbers, links, QQ and WeChat ids the victim names in the report, `high`.

Scopes: analysts and admins manage every entry. A bank submits accounts (`bank_feed`) of its
own institution (refused when the lake places the account at another one) and an operator
numbers, links and domains (`operator_feed`); each sees and removes only its own submissions,
since the list holds other institutions' customers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from chaincut.markers import N_
from chaincut.model.identifier import normalize
from chaincut.model.phone import DEFAULT_REGION
from chaincut.service.lakeview import LakeView
from chaincut.services.context import Principal
from chaincut.services.errors import ServiceError
from chaincut.services.schemas import FraudEntryPublic, Identifier
from chaincut.services.tracing import Transfer
from chaincut.store import fraud_list
from chaincut.store.enums import ListedKind, ListRisk, ListSource, Role
from chaincut.store.tables import FraudListEntry

log = logging.getLogger(__name__)

#: how long report-derived entries stay in force: receiving accounts and named identifiers
#: 2 years (the period of a police determination), suspected contacts 180 days
REPORT_DAYS = 730
CONTACT_DAYS = 180
CONTACT_WINDOW = timedelta(days=7)
CONTACT_HISTORY = timedelta(days=90)
#: why a report lists each thing (stored as the entry's English reason; the console says it
#: in Chinese by matching these templates)
REASON_NAMED = N_("named by the victim in report %(report)s")
REASON_PAID = N_("received a fraud transfer of report %(report)s")
REASON_CONTACT = N_(
    "first contacted the victim of report %(report)s on %(when)s, in the week before the fraud "
    "transfers"
)
REPORT_REASONS = (REASON_NAMED, REASON_PAID, REASON_CONTACT)

#: what banks and operators may submit, and as which source
FEEDS: dict[Role, tuple[ListSource, frozenset[ListedKind]]] = {
    Role.bank: (ListSource.bank_feed, frozenset({ListedKind.account})),
    Role.telecom: (
        ListSource.operator_feed,
        frozenset({ListedKind.phone, ListedKind.url, ListedKind.domain}),
    ),
}


@dataclass(frozen=True)
class Listing:
    """An entry to add: what, how strongly, why, for how many days."""

    kind: ListedKind
    value: str
    risk: ListRisk
    reason: str
    days: int


def named_identifiers(
    given: Sequence[Identifier], region: str = DEFAULT_REGION
) -> list[tuple[ListedKind, str]]:
    """The identifiers a report names, normalised (numbers read in `region`); a 400 naming
    the first bad one."""
    out = []
    for i, ident in enumerate(given):
        try:
            out.append((ident.kind, normalize(ident.kind, ident.value, region)))
        except ValueError as exc:
            raise ServiceError(400, str(exc), f"fraud_identifiers.{i}.value") from exc
    return out


def report_listings(
    lake: LakeView,
    report_id: str,
    victim_account: str,
    victim_id: str | None,
    transfers: Sequence[Transfer] | None,
    named: Sequence[tuple[ListedKind, str]],
    txn_ids: Sequence[str] = (),
) -> list[Listing]:
    """What filing report `report_id` lists (see the module doc). `transfers` are the fraud
    transfers as the trace read them; None (no trace) reads `txn_ids` from the lake."""
    if transfers is None:
        transfers = [Transfer(t, at, src, dst) for t, at, src, dst in lake.transfers(txn_ids)]
    out = [
        Listing(kind, value, ListRisk.high, REASON_NAMED % {"report": report_id}, REPORT_DAYS)
        for kind, value in named
    ]
    if not transfers:
        return out
    paid = sorted({t.dst for t in transfers} - {victim_account})
    own = lake.own_accounts(victim_account, paid) if paid else set()
    out += [
        Listing(
            ListedKind.account,
            account,
            ListRisk.high,
            REASON_PAID % {"report": report_id},
            REPORT_DAYS,
        )
        for account in paid
        if account not in own
    ]
    first = min(t.at for t in transfers)
    last = max(t.at for t in transfers)
    contacts = lake.new_contacts(
        victim_account, victim_id, first - CONTACT_WINDOW, last, CONTACT_HISTORY
    )
    out += [
        Listing(
            ListedKind.phone,
            number,
            ListRisk.medium,
            REASON_CONTACT % {"report": report_id, "when": f"{when:%Y-%m-%d %H:%M}"},
            CONTACT_DAYS,
        )
        for number, when in contacts
    ]
    return out


def add_listings(
    s: Session, listings: Sequence[Listing], report_id: str, actor: str, now: datetime
) -> list[FraudListEntry]:
    """Put `listings` on the list for `report_id` (one query, one flush); values that are not
    of their kind (odd ids in a lake) are logged and left out rather than failing the report."""
    items = [
        fraud_list.Listing(i.kind, i.value, i.reason, i.risk, now + timedelta(days=i.days))
        for i in listings
    ]
    done, problems = fraud_list.add_many(
        s, items, source=ListSource.report, added_by=actor, report_id=report_id, now=now
    )
    for index, exc in problems:
        log.info("report %s: %s not listed: %s", report_id, items[index].value, exc)
    return [entry for entry, _ in done]


def feed_scope(who: Principal, kind: ListedKind, source: ListSource | None) -> ListSource:
    """The source an entry from `who` is recorded under; 403 when it is outside their scope."""
    if who.role in (Role.analyst, Role.admin):
        return source or ListSource.analyst
    feed = FEEDS.get(who.role)
    if feed is None:
        raise ServiceError(403, f"role {who.role} may not change the fraud list")
    own, kinds = feed
    if source not in (None, own):
        raise ServiceError(
            403, f"a {who.role} user may not submit as {source}, only as {own}", "source"
        )
    if kind not in kinds:
        names = ", ".join(sorted(kinds))
        raise ServiceError(403, f"a {who.role} user may not list a {kind}, only: {names}", "kind")
    return own


def owned_by(entry: FraudListEntry, who: Principal) -> bool:
    """Whether `who` may see and remove `entry`: everything for analysts, own submissions else."""
    if who.role in (Role.analyst, Role.admin):
        return True
    feed = FEEDS.get(who.role)
    if feed is None or entry.source is not feed[0]:
        return False
    if who.institution is not None:
        return entry.institution == who.institution
    return entry.added_by == who.username


def entry_public(entry: FraudListEntry, now: datetime | None = None) -> FraudEntryPublic:
    return FraudEntryPublic(
        id=entry.id,
        kind=entry.kind,
        value=entry.value,
        source=entry.source,
        risk=entry.risk,
        reason=entry.reason,
        report_id=entry.report_id,
        institution=entry.institution,
        added_by=entry.added_by,
        added_at=entry.added_at,
        expires_at=entry.expires_at,
        active=fraud_list.is_active(entry, now),
        removed_at=entry.removed_at,
        removed_by=entry.removed_by,
        removal_reason=entry.removal_reason,
    )
