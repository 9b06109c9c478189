"""Trace results as JSON-ready dicts: amounts as "123.45" strings, times as ISO-8601 (UTC).

`report_json` is the object `chaincut trace --all --format jsonl` writes per report:
{"report_id", "freeze": [{"account_id", "amount", "hop", "evidence", ..., "claim", "score",
"reasons", "reason_code", "reason_codes"}], "verify": [... as freeze ...], "exits", "hubs", ...}. `freeze` lists the
emergency stops, `verify` the verify-with-the-bank orders (they hold nothing). Within one
report, the amounts of `freeze`, `verify`, `exits` and `hubs` add up to the matching totals
(`frozen` is the rule's attribution in the accounts followed, whatever their order's kind); the
claims of `freeze` (what each emergency stop holds) add up to `totals.claimed`, those of
`verify` to `totals.verify`. `reason_code` and `reason_codes` are `reason` and `reasons` as
codes and values (`chaincut.trace.reasons`: `{"code", "args"}`, a reason's with its "sign").
"""

from __future__ import annotations

from typing import Any

from chaincut.trace.model import iso
from chaincut.trace.money import fmt
from chaincut.trace.result import ExitRecord, Order, OrderKind, Totals, TraceResult


def order_json(o: Order) -> dict[str, Any]:
    return {
        "account_id": o.account_id,
        "amount": fmt(o.amount_cents),
        "hop": o.hop,
        "evidence": o.evidence,
        "institution": o.institution,
        "kind": o.kind.value,
        "rule": o.rule.value,
        "reason": o.reason,
        "claim": fmt(o.claim_cents),
        "score": o.score,
        "reasons": list(o.reasons),
        "reason_code": o.reason_code,
        "reason_codes": list(o.reason_codes),
    }


def exit_json(e: ExitRecord) -> dict[str, Any]:
    return {
        "txn_id": e.txn_id,
        "ts": iso(e.ts),
        "from": e.src,
        "to": e.dst,
        "channel": e.channel,
        "amount": fmt(e.amount_cents),
        "hop": e.hop,
        "reason": e.reason,
    }


def totals_json(t: Totals) -> dict[str, str]:
    return {
        "loss": fmt(t.loss),
        "frozen": fmt(t.frozen),
        "exited": fmt(t.exited),
        "hubs": fmt(t.hubs),
        "returned": fmt(t.returned),
        "unaccounted": fmt(t.unaccounted),
        "over_balance": fmt(t.over_balance),
        "beyond_hops": fmt(t.beyond_hops),
        "below_min": fmt(t.below_min),
        "claimed": fmt(t.claimed),
        "verify": fmt(t.verify),
    }


def report_json(result: TraceResult, report_id: str, *, flows: bool = False) -> dict[str, Any]:
    """One report's trace as data; `flows=True` adds every transfer that carried its money."""
    report = result.reports[report_id]
    freeze = result.orders_for(report_id, OrderKind.emergency_stop)
    out: dict[str, Any] = {
        "report_id": report_id,
        "rule": result.rule.value,
        "as_of": iso(result.until),
        "victim_account": report.victim_account,
        "freeze": [order_json(o) for o in freeze],
        "verify": [order_json(o) for o in result.orders_for(report_id, OrderKind.verify)],
        "exits": [exit_json(e) for e in result.exits_for(report_id)],
        "hubs": [
            order_json(h) | {"order": h.amount_cents >= result.min_cents}
            for h in result.hubs_for(report_id)
        ],
        "totals": totals_json(result.totals[report_id]),
        "missing_txn_ids": list(report.missing_txn_ids),
    }
    if flows:
        out["flows"] = [
            {
                "txn_id": f.txn_id,
                "ts": iso(f.ts),
                "from": f.src,
                "to": f.dst,
                "channel": f.channel,
                "amount": fmt(f.cents),
                "traced": fmt(f.taint.get(report_id, 0)),
                "hop": f.hop,
                "outcome": f.outcome.value,
                "possible": fmt(f.possible.get(report_id, 0)),
            }
            for f in result.flows
            if f.possible.get(report_id)
        ]
        out["accounts_followed"] = result.accounts_loaded
        out["events"] = result.events
    return out
