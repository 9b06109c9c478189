"""Issuing a trace's orders through the store (`chaincut.store.freeze_order`), idempotently.

The report is registered in the store first if the lake has it and the store does not. Issuing
the same trace again changes nothing; a trace under another rule updates the open orders'
amounts and evidence (the store keeps their history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from chaincut.settings import Settings
from chaincut.store import open_store
from chaincut.store.enums import OrderKind, ReportStatus, TracingRule
from chaincut.store.freeze_order import OrderSpec, issue_orders, judged_detail
from chaincut.store.report import ensure_report, set_report_status
from chaincut.store.tables import CaseReport
from chaincut.trace.model import from_micros
from chaincut.trace.money import to_decimal
from chaincut.trace.result import OrderKind as TraceOrderKind
from chaincut.trace.result import TraceResult


@dataclass(frozen=True)
class Issued:
    """What the store did: order ids created, updated, unchanged, and already closed."""

    created: list[str]
    updated: list[str]
    unchanged: list[str]
    closed: list[str]


def order_specs(result: TraceResult, report_id: str) -> list[OrderSpec]:
    """The store's order specs for the report's orders in `result`: an emergency stop holds
    its claim (what may be the victim's money), a sub-account request the traced amount.

    Verify-with-the-bank orders are issued as the store's `verify` kind, which holds nothing
    (the store's figures leave it out of money held); the analyst may escalate one to a stop.
    Verify orders and judged stops carry the judge's score, reasons and reason codes in their
    `detail`, as the API's filings write them (`judged_detail`)."""
    return [
        OrderSpec(
            account_id=o.account_id,
            kind=kind,
            amount=to_decimal(o.claim_cents),
            hop=o.hop,
            rule=TracingRule(o.rule.value),
            evidence=o.evidence,
            institution=o.institution,
            # as the API's filings write it (`chaincut.services.tracing`): the console shows
            # the judge's reasons on the stops the CLI and the demo issue too
            detail=judged_detail(kind, o.score, o.reasons, o.reason_codes),
        )
        for o in result.orders_for(report_id)
        if o.kind is not TraceOrderKind.verify or o.claim_cents > 0
        for kind in [OrderKind(o.kind.value)]
    ]


def issue(
    settings: Settings, result: TraceResult, report_id: str, now: datetime | None = None
) -> Issued:
    """Issue the report's orders in the store at `settings.resolved_store_url`."""
    report = result.reports[report_id]
    fraud_ids = [t.txn_id for t in report.fraud_txns] + list(report.missing_txn_ids)
    with open_store(settings.resolved_store_url) as store, store.session() as s:
        stored = ensure_report(
            s,
            report_id=report_id,
            filed_at=from_micros(report.ts),
            victim_account=report.victim_account,
            fraud_txn_ids=fraud_ids,
            source="lake",
        )
        done = issue_orders(s, report_id, order_specs(result, report_id), now)
        if stored.status is ReportStatus.received:
            set_report_status(s, report_id, ReportStatus.traced)
        return Issued(
            created=[o.order_id for o in done.created],
            updated=[o.order_id for o in done.updated],
            unchanged=[o.order_id for o in done.unchanged],
            closed=[o.order_id for o in done.closed],
        )


def case_report_ids(settings: Settings, case_id: str) -> list[str]:
    """The reports attached to case `case_id` in the store (empty if none or no such case)."""
    with open_store(settings.resolved_store_url) as store, store.session(readonly=True) as s:
        rows = s.scalars(select(CaseReport.report_id).where(CaseReport.case_id == case_id)).all()
        return sorted(rows)
