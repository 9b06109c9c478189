"""Restitution (追赃挽损): where each victim's money went and who gets recovered money back.

Recovered money in an account goes back to the victims whose traced money is there: all of it
to the owner where the account holds one victim's money, pro rata to the traced amounts where
it holds several (largest-remainder rounding to the cent, so the parts add up exactly). No
victim gets back more than was traced to the account, so never more than the loss; recovered
money beyond the traced amounts stays unallocated (surplus).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chaincut.trace.model import iso
from chaincut.trace.money import allocate_map, fmt
from chaincut.trace.result import Totals, TraceResult


@dataclass(frozen=True)
class Allocation:
    """The recovered money of one account and how it is returned."""

    account_id: str
    recovered: int
    traced: dict[str, int]
    returns: dict[str, int]
    surplus: int
    basis: str  # "owner", "pro rata" or "untraced"


@dataclass(frozen=True)
class VictimSummary:
    """One victim's (report's) money: where it went and what comes back."""

    report_id: str
    victim_account: str
    totals: Totals
    returned_now: int


@dataclass(frozen=True)
class Restitution:
    victims: list[VictimSummary]
    allocations: list[Allocation]

    @property
    def recovered(self) -> int:
        return sum(a.recovered for a in self.allocations)

    @property
    def returned(self) -> int:
        return sum(sum(a.returns.values()) for a in self.allocations)

    @property
    def surplus(self) -> int:
        return sum(a.surplus for a in self.allocations)


def claims(result: TraceResult) -> dict[str, dict[str, int]]:
    """Traced money per account and report that recovery can return: what was frozen in the
    accounts holding it, and what reached hubs (recoverable from the sub-account)."""
    out: dict[str, dict[str, int]] = {}
    for h in result.holdings:
        for r, c in h.frozen.items():
            out.setdefault(h.account_id, {})[r] = out.get(h.account_id, {}).get(r, 0) + c
    for o in result.hubs:
        acc = out.setdefault(o.account_id, {})
        acc[o.report_id] = acc.get(o.report_id, 0) + o.amount_cents
    return out


def allocate_recovered(result: TraceResult, recovered: Mapping[str, int]) -> Restitution:
    """Split recovered cents per account among the victims traced there (see module doc).

    Promises: per account, returns + surplus == recovered; no victim's returns exceed the money
    traced to that account, hence never the victim's loss.
    """
    traced = claims(result)
    allocations: list[Allocation] = []
    back: dict[str, int] = {r: 0 for r in result.reports}
    for acc in sorted(recovered):
        amount = recovered[acc]
        if amount < 0:
            raise ValueError(f"recovered amount for {acc} is negative")
        here = {r: c for r, c in traced.get(acc, {}).items() if c > 0}
        pay = min(amount, sum(here.values()))
        if not here:
            returns: dict[str, int] = {}
            basis = "untraced"
        elif len(here) == 1:
            returns = {next(iter(here)): pay}
            basis = "owner"
        else:
            returns = allocate_map(pay, here)
            basis = "pro rata"
        for r, c in returns.items():
            back[r] += c
        allocations.append(Allocation(acc, amount, here, returns, amount - pay, basis))
    victims = [
        VictimSummary(r, info.victim_account, result.totals[r], back[r])
        for r, info in sorted(result.reports.items())
    ]
    return Restitution(victims, allocations)


def restitution_json(result: TraceResult, plan: Restitution) -> dict[str, Any]:
    """The restitution as data: per victim where the money went and what comes back, per
    account how the recovered money is split (amounts as "123.45")."""
    return {
        "rule": result.rule.value,
        "as_of": iso(result.until),
        "victims": [
            {
                "report_id": v.report_id,
                "victim_account": v.victim_account,
                "loss": fmt(v.totals.loss),
                "frozen": fmt(v.totals.frozen),
                "exited": fmt(v.totals.exited),
                "hubs": fmt(v.totals.hubs),
                "returned_in_trace": fmt(v.totals.returned),
                "unaccounted": fmt(v.totals.unaccounted),
                "returned_now": fmt(v.returned_now),
            }
            for v in plan.victims
        ],
        "allocations": [
            {
                "account_id": a.account_id,
                "recovered": fmt(a.recovered),
                "basis": a.basis,
                "traced": {r: fmt(c) for r, c in sorted(a.traced.items())},
                "returns": {r: fmt(c) for r, c in sorted(a.returns.items())},
                "surplus": fmt(a.surplus),
            }
            for a in plan.allocations
        ],
        "totals": {
            "recovered": fmt(plan.recovered),
            "returned": fmt(plan.returned),
            "surplus": fmt(plan.surplus),
        },
    }
