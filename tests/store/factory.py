"""Small builders shared by the store tests."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from chaincut.store import report

NOW = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def add_report(session: Session, report_id: str = "R1") -> str:
    """Store a minimal victim's report and return its id."""
    report.file_report(
        session,
        report_id=report_id,
        filed_at=NOW,
        victim_account="6222000011112222",
        fraud_txn_ids=["T1", "T2"],
        victim_id="P1",
        fraud_type="fake_investment",
    )
    return report_id
