"""`/v1/reports`: file a victim's report (the trace runs and freeze orders come back), read it."""

from __future__ import annotations

import secrets
import threading
from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service import fraudlist
from chaincut.service.deps import Analyst, Purpose, ReadSession, State, WriteSession, commit_now
from chaincut.service.errors import invalid_input
from chaincut.service.graph import money_graph
from chaincut.service.schemas import ReportCreate, ReportFiled, ReportPublic, TracePublic
from chaincut.service.tracing import FiledReport, TraceOutcome
from chaincut.service.views import order_public, report_public
from chaincut.store import audit, freeze_order, report
from chaincut.store.enums import ReportStatus, TracingRule
from chaincut.store.errors import AlreadyExists
from chaincut.store.tables import FreezeOrder, Report
from chaincut.store.types import as_utc, utc_now

router = APIRouter(prefix="/v1/reports", tags=["reports"])

#: filings tracing at once: more only compete for the interpreter with the one filing that
#: holds the store's writer lock, so under load every filing slows down together
TRACE_SLOTS = threading.BoundedSemaphore(4)


def trace_public(outcome: TraceOutcome, orders: list[FreezeOrder], mask: bool) -> TracePublic:
    data = outcome.data
    return TracePublic(
        ran=outcome.ran,
        note=outcome.note,
        rule=data.get("rule"),
        totals=data.get("totals", {}),
        exits=data.get("exits", []) if not mask else [],
        hubs=data.get("hubs", []) if not mask else [],
        graph=money_graph(data, orders, mask=mask),
    )


@router.post("", status_code=201, response_model=ReportFiled)
def file_report(body: ReportCreate, s: WriteSession, who: Analyst, state: State) -> ReportFiled:
    """File a report; when the lake has its transfers, trace them and issue freeze orders.

    What the report involves (the accounts its fraud transfers paid into, the numbers that
    first contacted the victim just before, the identifiers the victim names) goes on the
    fraud list. The trace and the lake's questions run before the store is written, so one
    slow trace never holds up other writers.
    """
    report_id = body.report_id or f"R{utc_now():%Y%m%d}{secrets.token_hex(4).upper()}"
    filed_at = as_utc(body.filed_at or utc_now())
    named = fraudlist.named_identifiers(body.fraud_identifiers)
    with state.store.session(readonly=True) as r:
        if r.get(Report, report_id) is not None:
            raise AlreadyExists("report", report_id)
    with TRACE_SLOTS, state.lake.gate.reading():
        outcome = state.tracer.trace(
            FiledReport(report_id, filed_at, body.victim_account, body.fraud_txn_ids), body.rule
        )
        listings = fraudlist.report_listings(
            state.lake,
            report_id,
            body.victim_account,
            body.victim_id,
            outcome.transfers,
            named,
            body.fraud_txn_ids,
        )
    with invalid_input("fraud_txn_ids"):
        stored = report.file_report(
            s,
            report_id=report_id,
            filed_at=filed_at,
            victim_account=body.victim_account,
            fraud_txn_ids=body.fraud_txn_ids,
            victim_id=body.victim_id,
            fraud_type=body.fraud_type,
            narrative=body.narrative,
            source="api",
        )
    orders: list[FreezeOrder] = []
    if outcome.ran:
        orders = freeze_order.issue_orders(
            s, report_id, outcome.order_specs(), actor=who.username
        ).orders
        report.set_report_status(s, report_id, ReportStatus.traced)
    listed = fraudlist.add_listings(s, listings, report_id, who.username, utc_now())
    audit.record(
        s,
        who.username,
        "file_report",
        "report",
        report_id,
        "stop-payment",
        {
            "victim_account": body.victim_account,
            "orders": [o.order_id for o in orders],
            "listed": [e.id for e in listed],
        },
    )
    commit_now(s)
    return ReportFiled(
        report=report_public(stored, False),
        orders=[order_public(o, False) for o in orders],
        trace=trace_public(outcome, orders, False),
        listed=[fraudlist.entry_public(e) for e in listed],
    )


@router.get("", response_model=list[ReportPublic])
def list_reports(
    s: ReadSession,
    who: Analyst,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ReportPublic]:
    return [report_public(r, False) for r in report.list_reports(s, limit=limit, offset=offset)]


@router.get("/{report_id}", response_model=ReportPublic)
def get_report(report_id: str, s: WriteSession, who: Analyst, why: Purpose) -> ReportPublic:
    """One report (audited: it names a victim and an account)."""
    found = report.get_report(s, report_id)
    audit.record(s, who.username, "view_report", "report", report_id, why)
    return report_public(found, False)


@router.get("/{report_id}/trace", response_model=TracePublic)
def trace_report(
    report_id: str,
    s: WriteSession,
    who: Analyst,
    why: Purpose,
    state: State,
    rule: TracingRule = TracingRule.libr,
) -> TracePublic:
    """The report's money flow traced again now (read-only: no orders are issued)."""
    with state.store.session(readonly=True) as r:
        found = report.get_report(r, report_id)
    with state.lake.gate.reading():  # before the audit write takes the store's writer lock
        outcome = state.tracer.trace(
            FiledReport(report_id, found.filed_at, found.victim_account, found.fraud_txn_ids), rule
        )
    audit.record(s, who.username, "trace_report", "report", report_id, why, {"rule": rule.value})
    return trace_public(outcome, freeze_order.list_orders(s, report_id=report_id), False)
