"""The demo's day of work after the trace (issue 16, point 9), so every console page has
something to show: a supervised case opened on the demo's largest den (by reported loss) with
its reports, suspects and the money returned to its victims, and punishments for the card
sellers convicted with it. (The early warnings and their outcomes come from the warning work:
`chaincut.services.warning_demo`.)

Everything is keyed on the den, so running the demo again adds nothing twice. The simulated
world's truth (`truth/world.json`) stands in for the police work that finds a den.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chaincut.lake.catalog import connect
from chaincut.settings import Settings
from chaincut.store import Store, case, punishment
from chaincut.store.enums import (
    HOLDING_KINDS,
    DissuasionOutcome,
    Measure,
    PunishmentBasis,
    SuspectRole,
    SuspectStatus,
)
from chaincut.store.tables import Case, FreezeOrder, Punishment, Report

ACTOR = "demo-analyst"
WARNINGS = 6
OUTCOMES = (DissuasionOutcome.stopped, DissuasionOutcome.stopped, DissuasionOutcome.unreachable,
            DissuasionOutcome.continued)  # fmt: skip


@dataclass(frozen=True)
class DemoWork:
    case_id: str | None
    returned: Decimal
    punished: int

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case_id, "returned": str(self.returned),
                "punishments": self.punished}  # fmt: skip


def _largest_den(world: Path) -> dict[str, Any] | None:
    path = world / "truth" / "world.json"
    if not path.exists():
        return None
    dens: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8")).get("dens", [])
    return max(dens, key=lambda d: Decimal(str(d.get("loss", "0"))), default=None)


def _lake(settings: Settings, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    con = connect(settings, read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _held(s: Session, report_ids: list[str]) -> dict[str, Decimal]:
    """Per report, what its stops and freezes hold (what restitution can return)."""
    rows = s.execute(
        select(FreezeOrder.report_id, func.sum(FreezeOrder.amount))
        .where(FreezeOrder.report_id.in_(report_ids))
        .where(FreezeOrder.kind.in_(sorted(HOLDING_KINDS)))
        .group_by(FreezeOrder.report_id)
    )
    return {rid: Decimal(total) for rid, total in rows}


def _open_case(s: Session, settings: Settings, den: dict[str, Any], now: datetime) -> Decimal:
    case_id = f"CASE-{den['den_id']}"
    base = den.get("base", {})
    reports = [r for r in den.get("report_ids", []) if s.get(Report, r) is not None]
    case.create_case(
        s, case_id, f"{base.get('place', den['den_id'])}电诈窝点案",
        batch=f"{now:%Y}-demo", den_location=f"{base.get('place', '')} ({base.get('country', '')})",
        fraud_methods=den.get("fraud_types", []), amount_involved=Decimal(str(den["loss"])),
        actor=ACTOR, now=now,
    )  # fmt: skip
    for report_id in reports:
        case.attach_report(s, case_id, report_id, now=now)
    members = den.get("members", {})
    for role, status in (("financier", SuspectStatus.at_large), ("core", SuspectStatus.arrested),
                         ("card_dealer", SuspectStatus.sentenced)):  # fmt: skip
        for person_id in members.get(role, []):
            case.add_suspect(
                s, case_id, SuspectRole.core_member if role == "core" else SuspectRole(role),
                person_id=person_id, status=status,
                arrested_at=now if status is not SuspectStatus.at_large else None,
            )  # fmt: skip
    losses = {rid: Decimal(str(v)) for rid, v in _lake(
        settings, "SELECT r.report_id, sum(t.amount) FROM reports r, unnest(r.fraud_txn_ids) u(id) "
        "JOIN transactions t ON t.txn_id = u.id WHERE r.report_id IN (SELECT unnest(?)) GROUP BY 1",
        [reports],
    )}  # fmt: skip
    held = _held(s, reports)
    frozen = sum(held.values(), Decimal("0.00"))
    # restitution: each victim gets back what was held on the money's path, never more than lost
    returned = sum((min(v, losses.get(rid, v)) for rid, v in held.items()), Decimal("0.00"))
    caught = len(members.get("core", []))
    case.update_case(
        s, case_id, actor=ACTOR, now=now,
        amounts={"amount_frozen": frozen, "amount_returned": returned},
        counts={"financiers_at_large": len(members.get("financier", [])),
                "core_members_caught": caught, "core_members_at_large": 0},
        note=f"restitution: ¥{returned} returned to the victims of {len(held)} reports",
    )  # fmt: skip
    return returned


def _punish(s: Session, settings: Settings, den: dict[str, Any], now: datetime) -> int:
    """The den's card dealer and the holders of its first-layer cards (断卡), convicted."""
    cards = den.get("accounts", {}).get("mule_l1", [])
    rows = _lake(settings, "SELECT p.person_id, p.name, p.id_number FROM accounts a JOIN persons p "
                 "ON p.person_id = a.holder_id WHERE a.account_id IN (SELECT unnest(?))", [cards])  # fmt: skip
    dealers = den.get("members", {}).get("card_dealer", [])
    rows += _lake(settings, "SELECT person_id, name, id_number FROM persons "
                  "WHERE person_id IN (SELECT unnest(?))", [dealers])  # fmt: skip
    added = 0
    for _, name, id_number in sorted(set(rows)):
        subject = str(id_number)
        if s.scalar(select(Punishment.id).where(Punishment.subject_id == subject)) is not None:
            continue
        punishment.add(s, subject, Measure.financial, PunishmentBasis.criminal, now,
                       subject_name=name, actor=ACTOR, now=now)  # fmt: skip
        added += 1
    return added


def seed_demo_work(store: Store, settings: Settings, world: Path) -> DemoWork:
    """Open the case, return the money and punish the card sellers (see the module docstring);
    a second run finds the case and adds nothing."""
    den = _largest_den(world)
    if den is None:
        return DemoWork(None, Decimal("0.00"), 0)
    now = datetime.now(UTC)
    with store.session() as s:
        case_id = f"CASE-{den['den_id']}"
        found = s.get(Case, case_id)
        if found is not None:
            return DemoWork(case_id, found.amount_returned, 0)
        returned = _open_case(s, settings, den, now)
        punished = _punish(s, settings, den, now)
        s.commit()
    return DemoWork(case_id, returned, punished)
