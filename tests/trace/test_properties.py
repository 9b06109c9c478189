"""Invariants of tracing and restitution on random ledgers (Hypothesis)."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.trace import (
    AccountInfo,
    MemoryLedger,
    OrderKind,
    ReportInfo,
    Rule,
    TraceParams,
    TraceResult,
    Txn,
    allocate_recovered,
    ensure_index,
    report_json,
    trace_reports,
)
from tests.trace.helpers import at, write_lake

ACCOUNTS = [f"A{i}" for i in range(6)]
VICTIMS = ["V0", "V1"]
KINDS = [None, "bank_card", "merchant", "cash"]
CHANNELS = [None, "transfer", "transfer", "transfer", "atm_withdrawal", "payment"]


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[list[Txn], list[ReportInfo], list[AccountInfo]]:
    n = draw(st.integers(1, 40))
    txns: list[Txn] = []
    for i in range(n):
        src = draw(st.sampled_from(ACCOUNTS + ["C"]))
        dst = draw(st.sampled_from(ACCOUNTS + ["C", "V0"]))
        hour = draw(st.integers(0, 60))
        cents = draw(st.integers(1, 200_000))
        txns.append(Txn(at(hour), f"t{i:03d}", src, dst, cents, draw(st.sampled_from(CHANNELS))))
    reports = []
    for k, victim in enumerate(VICTIMS[: draw(st.integers(1, 2))]):
        fraud = []
        for j in range(draw(st.integers(1, 2))):
            dst = draw(st.sampled_from(ACCOUNTS))
            t = Txn(
                at(draw(st.integers(0, 40))), f"F{k}{j}", victim, dst, draw(st.integers(1, 500_000))
            )
            fraud.append(t)
        txns += fraud
        reports.append(ReportInfo(f"R{k}", at(draw(st.integers(40, 70))), victim, tuple(fraud)))
    accounts = [AccountInfo(a, draw(st.sampled_from(KINDS))) for a in ACCOUNTS]
    return txns, reports, accounts


def check_invariants(result: TraceResult) -> None:
    for t in result.totals.values():
        assert t.check(), t
    balance = {}
    for h in result.holdings:
        balance[h.account_id] = max(h.balance_cents, 0)
        assert sum(h.frozen.values()) <= max(h.balance_cents, 0)
        for r, c in h.frozen.items():
            assert 0 < c <= h.held[r] and c <= h.claim[r]
    # an emergency stop holds its claim: at least the traced amount, at most the balance and
    # the loss; the claims add up to the report's `claimed`
    claimed: dict[str, int] = defaultdict(int)
    for o in (o for o in result.orders if o.kind is OrderKind.emergency_stop):
        assert o.amount_cents <= o.claim_cents <= balance[o.account_id]
        assert o.claim_cents <= result.totals[o.report_id].loss
        claimed[o.report_id] += o.claim_cents
    assert all(t.claimed == claimed[r] for r, t in result.totals.items())
    for f in result.flows:
        assert all(f.possible.get(r, 0) >= c for r, c in f.taint.items()), f
    # time-respecting: an account never passes on more of a report's money than it has received
    running: dict[tuple[str, str], int] = defaultdict(int)
    fraud = {t.txn_id for r in result.reports.values() for t in r.fraud_txns}
    for f in sorted(result.flows, key=lambda f: (f.ts, f.txn_id)):
        for r, c in f.taint.items():
            if f.txn_id not in fraud and f.src not in {"POOL"}:
                running[(f.src, r)] -= c
                assert running[(f.src, r)] >= 0, (f, running[(f.src, r)])
            running[(f.dst, r)] += c


PARAMS = {rule: TraceParams(rule=rule, established_min_txns=3) for rule in Rule}


@settings(max_examples=150, deadline=None)
@given(ledgers(), st.sampled_from(list(Rule)), st.booleans())
def test_conservation_bounds_and_time(data, rule: Rule, jointly: bool) -> None:  # type: ignore[no-untyped-def]
    txns, reports, accounts = data
    ledger = MemoryLedger.complete(txns, accounts, reports)
    if jointly:
        check_invariants(trace_reports(ledger, reports, PARAMS[rule]))
    else:
        for r in reports:
            check_invariants(trace_reports(ledger, [r], PARAMS[rule]))


@settings(max_examples=60, deadline=None)
@given(ledgers(), st.sampled_from(list(Rule)), st.randoms(use_true_random=False))
def test_independent_of_row_order(data, rule: Rule, rnd: random.Random) -> None:  # type: ignore[no-untyped-def]
    txns, reports, accounts = data
    shuffled = list(txns)
    rnd.shuffle(shuffled)
    a = trace_reports(MemoryLedger.complete(txns, accounts, reports), reports, PARAMS[rule])
    b = trace_reports(
        MemoryLedger.complete(shuffled, accounts[::-1], reports[::-1]), reports, PARAMS[rule]
    )
    for r in a.reports:
        assert report_json(a, r, flows=True) == report_json(b, r, flows=True)


@settings(max_examples=100, deadline=None)
@given(ledgers(), st.sampled_from(list(Rule)), st.data())
def test_restitution_never_returns_more_than_recovered_or_lost(data, rule: Rule, draw) -> None:  # type: ignore[no-untyped-def]
    txns, reports, accounts = data
    result = trace_reports(MemoryLedger.complete(txns, accounts, reports), reports, PARAMS[rule])
    targets = sorted({h.account_id for h in result.holdings} | {"A0", "C"})
    recovered = {a: draw.draw(st.integers(0, 300_000)) for a in targets}
    plan = allocate_recovered(result, recovered)
    back: dict[str, int] = defaultdict(int)
    for a in plan.allocations:
        assert sum(a.returns.values()) + a.surplus == a.recovered == recovered[a.account_id]
        for r, c in a.returns.items():
            assert 0 <= c <= a.traced[r]
            back[r] += c
    for v in plan.victims:
        assert v.returned_now == back[v.report_id] <= v.totals.loss
    assert plan.returned + plan.surplus == sum(recovered.values())


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ledgers(), st.sampled_from(list(Rule)))
def test_index_equals_memory_on_random_ledgers(data, rule: Rule) -> None:  # type: ignore[no-untyped-def]
    txns, reports, accounts = data
    with TemporaryDirectory() as tmp:
        index = ensure_index(write_lake(Path(tmp), txns, reports, accounts))
        memory = MemoryLedger.complete(txns, accounts, reports)
        for r in reports:
            a = trace_reports(index, [index.report(r.report_id)], PARAMS[rule])
            b = trace_reports(memory, [r], PARAMS[rule])
            assert report_json(a, r.report_id, flows=True) == report_json(
                b, r.report_id, flows=True
            )
