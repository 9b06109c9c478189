"""Victims' reports as the store keeps them: filed through the service or registered from the lake.

A report must be in the store before freeze orders can be issued for it (`freeze_order`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store.enums import ReportStatus
from chaincut.store.errors import AlreadyExists, NotFound
from chaincut.store.tables import Report
from chaincut.store.types import as_utc, utc_now


def file_report(
    session: Session,
    *,
    report_id: str,
    filed_at: datetime,
    victim_account: str,
    fraud_txn_ids: Sequence[str],
    victim_id: str | None = None,
    fraud_type: str | None = None,
    narrative: str | None = None,
    source: str = "api",
) -> Report:
    """Record a new report; raises `AlreadyExists` if `report_id` is taken.

    `source` says where it came from (`api`, `console`, `import`, ...).
    """
    if session.get(Report, report_id) is not None:
        raise AlreadyExists("report", report_id)
    if not fraud_txn_ids:
        raise ValueError(f"report {report_id!r} lists no fraud transactions")
    report = Report(
        report_id=report_id,
        filed_at=as_utc(filed_at),
        victim_id=victim_id,
        victim_account=victim_account,
        fraud_txn_ids=list(fraud_txn_ids),
        fraud_type=fraud_type,
        narrative=narrative,
        status=ReportStatus.received,
        source=source,
        created_at=utc_now(),
    )
    session.add(report)
    session.flush()
    return report


def ensure_report(
    session: Session,
    *,
    report_id: str,
    filed_at: datetime,
    victim_account: str,
    fraud_txn_ids: Sequence[str],
    victim_id: str | None = None,
    fraud_type: str | None = None,
    narrative: str | None = None,
    source: str = "import",
) -> Report:
    """The stored report `report_id`, recording it first if it is not there (idempotent)."""
    existing = session.get(Report, report_id)
    if existing is not None:
        return existing
    return file_report(
        session,
        report_id=report_id,
        filed_at=filed_at,
        victim_account=victim_account,
        fraud_txn_ids=fraud_txn_ids,
        victim_id=victim_id,
        fraud_type=fraud_type,
        narrative=narrative,
        source=source,
    )


def get_report(session: Session, report_id: str) -> Report:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound("report", report_id)
    return report


def list_reports(
    session: Session,
    *,
    status: ReportStatus | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Report]:
    """Reports filed in [since, until), newest first."""
    query = select(Report)
    if status is not None:
        query = query.where(Report.status == status)
    if since is not None:
        query = query.where(Report.filed_at >= as_utc(since))
    if until is not None:
        query = query.where(Report.filed_at < as_utc(until))
    query = query.order_by(Report.filed_at.desc(), Report.report_id).limit(limit).offset(offset)
    return list(session.scalars(query))


def set_report_status(session: Session, report_id: str, status: ReportStatus) -> Report:
    report = get_report(session, report_id)
    report.status = status
    session.flush()
    return report
