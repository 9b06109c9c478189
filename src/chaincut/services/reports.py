"""File a victim's report and read it back: the trace runs, freeze orders are issued, what the
report involves goes on the fraud list, and every step is audited (the API's `/v1/reports` and
the console's report pages call these)."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.services import gang_join, listings, warnings
from chaincut.services.context import Principal, ServiceState
from chaincut.services.earlier_stops import store_reader
from chaincut.services.errors import invalid_input
from chaincut.services.filing import check_filing
from chaincut.services.graph import money_graph
from chaincut.services.schemas import ReportCreate, ReportFiled, ReportPublic, TracePublic
from chaincut.services.tracing import FiledReport, TraceOutcome
from chaincut.services.views import order_public, report_public
from chaincut.store import audit, freeze_order, report
from chaincut.store.enums import ReportStatus, TracingRule
from chaincut.store.errors import AlreadyExists, NotFound
from chaincut.store.tables import FreezeOrder, Report
from chaincut.store.types import as_utc, utc_now

#: filings tracing at once: more only compete for the interpreter with the one filing that
#: holds the store's writer lock, so under load every filing slows down together
TRACE_SLOTS = threading.BoundedSemaphore(4)


def trace_public(outcome: TraceOutcome, orders: list[FreezeOrder], mask: bool) -> TracePublic:
    """A trace as the API and the console show it (exits and hubs hidden when `mask`)."""
    data = outcome.data
    return TracePublic(
        ran=outcome.ran,
        note=outcome.note,
        note_code=outcome.note_code,
        rule=data.get("rule"),
        totals=data.get("totals", {}),
        exits=data.get("exits", []) if not mask else [],
        hubs=data.get("hubs", []) if not mask else [],
        graph=money_graph(data, orders, mask=mask),
    )


def file_report(
    body: ReportCreate, s: Session, who: Principal, state: ServiceState, *, source: str = "api"
) -> ReportFiled:
    """File a report; when the lake has its transfers, trace them and issue freeze orders.

    What the report involves (the accounts its fraud transfers paid into, the numbers that
    first contacted the victim just before, the identifiers the victim names) goes on the
    fraud list. The filing is checked against the ledger first (`chaincut.services.filing`):
    with `on_duplicate="join"` transfers another report holds are added to that report, which
    is traced again. The trace and the lake's questions run before the store is written, so
    one slow trace never holds up other writers. Once committed, the report joins its gang
    live when a gang analysis is saved in the home (`gang_join.after_filing`). Commits `s`.
    """
    report_id = body.report_id or f"R{utc_now():%Y%m%d}{secrets.token_hex(4).upper()}"
    filed_at = as_utc(body.filed_at or utc_now())
    named = listings.named_identifiers(body.fraud_identifiers, state.settings.phone_region)
    txn_ids = list(body.fraud_txn_ids)
    with state.store.session(readonly=True) as r:
        if r.get(Report, report_id) is not None:
            raise AlreadyExists("report", report_id)
        joins = check_filing(r, state, body.victim_account, txn_ids, body.on_duplicate).joins
        if joins is not None:  # the filing's transfers join the report that holds them
            report_id, filed_at = joins.report_id, as_utc(joins.filed_at)
            txn_ids = list(dict.fromkeys([*joins.fraud_txn_ids, *txn_ids]))
    # the judge weighs the stops the store holds for reports filed earlier (as `trace --all`);
    # a read session: WAL readers never hold up the store's writer
    with TRACE_SLOTS, state.lake.gate.reading(), state.store.session(readonly=True) as held:
        outcome = state.tracer.trace(
            FiledReport(report_id, filed_at, body.victim_account, txn_ids),
            body.rule,
            store_reader(held, report_id),
        )
        found = listings.report_listings(
            state.lake,
            report_id,
            body.victim_account,
            body.victim_id,
            outcome.transfers,
            named,
            txn_ids,
        )
    if joins is not None:
        stored = report.get_report(s, report_id)
        stored.fraud_txn_ids = txn_ids
    else:
        with invalid_input("fraud_txn_ids"):
            stored = report.file_report(
                s,
                report_id=report_id,
                filed_at=filed_at,
                victim_account=body.victim_account,
                fraud_txn_ids=txn_ids,
                victim_id=body.victim_id,
                fraud_type=body.fraud_type,
                narrative=body.narrative,
                source=source,
            )
    orders: list[FreezeOrder] = []
    if outcome.ran:
        orders = freeze_order.issue_orders(
            s, report_id, outcome.order_specs(), actor=who.username
        ).orders
        report.set_report_status(s, report_id, ReportStatus.traced)
    listed = listings.add_listings(s, found, report_id, who.username, utc_now())
    # early warning: the others who paid the stopped accounts are likely victims still paying
    warnings.report_filed(s, state, report_id, filed_at, orders, body.fraud_type)
    audit.record(
        s,
        who.username,
        "join_report" if joins is not None else "file_report",
        "report",
        report_id,
        "stop-payment",
        {
            "victim_account": body.victim_account,
            "fraud_txn_ids": list(body.fraud_txn_ids),
            "orders": [o.order_id for o in orders],
            "listed": [e.id for e in listed],
        },
    )
    s.commit()
    # the report joins its gang now, not at the next `chaincut gangs` (docs/gangs.md)
    same = outcome.ran and body.rule is TracingRule.libr  # the rule `chaincut gangs` traces by
    gang_join.after_filing(state, who, report_id, outcome.data if same else None)
    return ReportFiled(
        report=report_public(stored, False),
        orders=[order_public(o, False) for o in orders],
        trace=trace_public(outcome, orders, False),
        listed=[listings.entry_public(e) for e in listed],
    )


def list_reports(s: Session, *, limit: int = 100, offset: int = 0) -> list[ReportPublic]:
    """Reports, newest first."""
    return [report_public(r, False) for r in report.list_reports(s, limit=limit, offset=offset)]


def unfiled_reports(state: ServiceState, s: Session, limit: int = 100) -> list[dict[str, Any]]:
    """The lake's latest imported reports that nobody filed yet (none of the store's), newest
    first: the console lists them beside the filed ones so that an import is never invisible."""
    rows = state.lake.latest_reports()
    ids = [r["report_id"] for r in rows]
    stored = (
        set(s.scalars(select(Report.report_id).where(Report.report_id.in_(ids)))) if ids else set()
    )
    return [r for r in rows if r["report_id"] not in stored][:limit]


def view_report(s: Session, who: Principal, report_id: str, purpose: str) -> ReportPublic:
    """One report, audited with `purpose` (it names a victim and an account)."""
    found = report.get_report(s, report_id)
    audit.record(s, who.username, "view_report", "report", report_id, purpose)
    return report_public(found, False)


@dataclass(frozen=True)
class ReportTrace:
    """A report, its orders and its money flow traced again now."""

    report: Report
    orders: list[FreezeOrder]
    trace: TracePublic
    #: False for a report the lake imported that nobody filed yet (no orders, not stored)
    filed: bool = True


def trace_report(
    state: ServiceState,
    who: Principal,
    report_id: str,
    rule: TracingRule,
    purpose: str,
    *,
    action: str = "trace_report",
) -> ReportTrace:
    """The report's money flow traced again now under `rule` (read-only: no orders are
    issued), judged with the stops the store holds for reports filed before it; audited as
    `action` with `purpose`."""
    filed = True
    with state.store.session(readonly=True) as r:
        try:
            found = report.get_report(r, report_id)
        except NotFound:
            found, filed = lake_report(state, report_id), False
    # before the audit write takes the store's writer lock; with the stops held for earlier
    # reports, as at filing
    with state.lake.gate.reading(), state.store.session(readonly=True) as held:
        outcome = state.tracer.trace(
            FiledReport(report_id, found.filed_at, found.victim_account, found.fraud_txn_ids),
            rule,
            store_reader(held, report_id),
        )
    with state.store.session() as s:
        audit.record(s, who.username, action, "report", report_id, purpose, {"rule": rule.value})
        orders = freeze_order.list_orders(s, report_id=report_id)
        s.expunge_all()
    return ReportTrace(found, orders, trace_public(outcome, orders, False), filed)


def lake_report(state: ServiceState, report_id: str) -> Report:
    """Report `report_id` as the lake imported it, not stored (nobody filed it yet: no order
    was issued); raises `NotFound` when the lake does not have it either."""
    row = state.lake.report(report_id)
    if row is None:
        raise NotFound("report", report_id)
    return Report(
        report_id=row["report_id"],
        filed_at=as_utc(row["ts"]),
        victim_id=row["victim_id"],
        victim_account=row["victim_account"],
        fraud_txn_ids=list(row["fraud_txn_ids"] or []),
        fraud_type=row["fraud_type"],
        narrative=row["narrative"],
        status=ReportStatus.received,
        source="import",
        created_at=as_utc(row["ts"]),
    )
