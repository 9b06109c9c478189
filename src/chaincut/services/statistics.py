"""The figures an anti-fraud centre publishes (capability 10), by period, region and fraud type.

Reports come from the lake (imported or simulated) and the store (filed through the service),
each counted once; a victim's region is named from the division code of their ID number
through the table shipped with the package (`chaincut.services.regions`); a loss is the sum of the report's fraud transfers in the lake. Money
intercepted is what open or applied orders hold; money returned is what cases record.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chaincut.service.lakeview import LakeView
from chaincut.services.regions import region_name
from chaincut.services.schemas import Breakdown, Statistics
from chaincut.store.enums import HOLDING_KINDS, OrderStatus
from chaincut.store.tables import Case, Dissuasion, FreezeOrder, Punishment, Report

ZERO = Decimal("0.00")
#: statuses of orders whose money was (or is) held
HELD = (OrderStatus.issued, OrderStatus.confirmed, OrderStatus.renewed, OrderStatus.expired)


def statistics(session: Session, lake: LakeView, *, period: str = "month") -> Statistics:
    """Figures over everything the lake and the store hold; `period` is `month` or `day`."""
    reports: dict[str, tuple[datetime, str | None, str | None, Decimal]] = {}
    for rid, ts, victim, fraud_type, loss in lake.report_losses():
        reports[rid] = (ts, victim, fraud_type, loss)
    for r in session.scalars(select(Report)):
        if r.report_id not in reports:
            loss = lake.txn_amounts(r.fraud_txn_ids) if r.fraud_txn_ids else ZERO
            reports[r.report_id] = (r.filed_at, r.victim_id or r.victim_account, r.fraud_type, loss)
    regions = lake.regions(sorted({v for _, v, _, _ in reports.values() if v}))
    fmt = "%Y-%m-%d" if period == "day" else "%Y-%m"
    groups: dict[str, dict[str, list[tuple[str | None, Decimal]]]] = {
        "period": defaultdict(list),
        "region": defaultdict(list),
        "type": defaultdict(list),
    }
    for ts, victim, fraud_type, loss in reports.values():
        code = regions.get(victim or "", "unknown")
        groups["period"][ts.strftime(fmt)].append((victim, loss))
        groups["region"][region_name(code) if code != "unknown" else code].append((victim, loss))
        groups["type"][fraud_type or "other"].append((victim, loss))
    intercepted = session.scalar(
        select(func.coalesce(func.sum(FreezeOrder.amount), 0))
        .where(FreezeOrder.kind.in_(sorted(HOLDING_KINDS)))
        .where(FreezeOrder.status.in_(HELD))
    )
    punishments_by_period: dict[str, int] = defaultdict(int)
    for start in session.scalars(select(Punishment.start_at)):
        punishments_by_period[start.strftime(fmt)] += 1
    return Statistics(
        cases=session.scalar(select(func.count()).select_from(Case)) or 0,
        reports=len(reports),
        victims=len({v for _, v, _, _ in reports.values() if v}),
        money_lost=sum((loss for *_, loss in reports.values()), ZERO),
        money_intercepted=Decimal(intercepted or 0).quantize(Decimal("0.01")),
        money_returned=session.scalar(select(func.coalesce(func.sum(Case.amount_returned), 0)))
        or ZERO,
        dissuasions=session.scalar(select(func.count()).select_from(Dissuasion)) or 0,
        punishments=session.scalar(select(func.count()).select_from(Punishment)) or 0,
        by_period=_breakdown(groups["period"], by_key=True),
        by_region=_breakdown(groups["region"]),
        by_fraud_type=_breakdown(groups["type"]),
        punishments_by_period=dict(sorted(punishments_by_period.items())),
    )


def _breakdown(
    group: dict[str, list[tuple[str | None, Decimal]]], *, by_key: bool = False
) -> list[Breakdown]:
    rows = [
        Breakdown(
            key=key,
            reports=len(items),
            victims=len({v for v, _ in items if v}),
            lost=sum((loss for _, loss in items), ZERO),
        )
        for key, items in group.items()
    ]
    return sorted(rows, key=lambda b: b.key if by_key else (-b.lost, b.key))
