"""A supervised case's figures where they follow a gang (挂牌督办 from 全链条打击): the
financiers and core members caught and at large counted from the case's suspects, and the
amount frozen what the open stops and freezes of its reports hold now. Computed when the case
is read, so the case page, the gang page and `chaincut gangs` say the same after an arrest is
recorded or an order is applied or released, not only after the next analysis."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store import case, gang
from chaincut.store.enums import HOLDING_KINDS, OPEN_ORDER_STATUSES, SuspectRole, SuspectStatus
from chaincut.store.tables import Case, CaseSuspect, FreezeOrder

#: the figures a case that follows a gang takes from its suspects and its reports' orders, not
#: from what someone types (`amount_involved` is the gang's reported money, set by each run)
DERIVED = ("amount_involved", "amount_frozen", *case.COUNT_FIELDS)


def frozen(s: Session, report_ids: Iterable[str]) -> Decimal:
    """What the orders of `report_ids` hold now: the amounts of their open emergency stops and
    freezes (the order queue's "held"). Not the gang's `stopped`, which sums what each trace
    could stop on every account along a chain, the same yuan more than once."""
    ids = sorted(set(report_ids))
    total = Decimal("0.00")
    for start in range(0, len(ids), 500):  # (a bound parameter list of bounded length)
        rows = s.scalars(
            select(FreezeOrder).where(
                FreezeOrder.report_id.in_(ids[start : start + 500]),
                FreezeOrder.kind.in_(list(HOLDING_KINDS)),
                FreezeOrder.status.in_(list(OPEN_ORDER_STATUSES)),
            )
        )
        total += sum((o.amount for o in rows), Decimal("0.00"))
    return total


def suspect_counts(suspects: Iterable[CaseSuspect]) -> dict[str, int]:
    """Financiers and core members caught (arrested or sentenced) and at large, from the
    suspects' status: the register never says "0 / 0" next to an arrested financier."""
    out = dict.fromkeys(case.COUNT_FIELDS, 0)
    for x in suspects:
        if x.role in (SuspectRole.financier, SuspectRole.core_member):
            prefix = "financiers" if x.role is SuspectRole.financier else "core_members"
            at_large = x.status is SuspectStatus.at_large
            out[f"{prefix}_{'at_large' if at_large else 'caught'}"] += 1
    return out


def followed(s: Session) -> dict[str, str]:
    """Case id -> the gang it follows (opened from it; the first by id where, oddly, two)."""
    out: dict[str, str] = {}
    for gang_id, case_ids in sorted(gang.cases_by_gang(s).items()):
        for case_id in case_ids:
            out.setdefault(case_id, gang_id)
    return out


def derived(s: Session, found: Case) -> dict[str, Decimal | int]:
    """The counts and the amount frozen of case `found` as they stand now (`DERIVED` but the
    amount involved, which the case keeps from the gang's last run)."""
    held = frozen(s, {r.report_id for r in found.reports})
    return {**suspect_counts(found.suspects), "amount_frozen": held}
