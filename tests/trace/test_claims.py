"""The emergency stop's claim is sound: whatever order the money left accounts in, no account
the trace follows holds more of a victim's money than its claim (Hypothesis)."""

from __future__ import annotations

import random
from collections import defaultdict

from hypothesis import given, note, settings
from hypothesis import strategies as st

from chaincut.trace import MemoryLedger, ReportInfo, Rule, TraceParams, Txn, trace_reports
from tests.trace.helpers import at

ACCOUNTS = [f"A{i}" for i in range(5)]
#: nothing that stops the trace: every account that may get the money is followed
OPEN = dict(
    min_amount_cents=1,
    max_hops=50,
    busy_floor=10**6,
    established_min_txns=10**6,
    rebate_days=0,
)


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[list[Txn], list[ReportInfo]]:
    """Random ledgers in which no account pays more than it has received (the ledger holds all
    of its money, as in the simulator); C is the outside world, the victims V0 and V1 pay in."""
    events = []
    for k in range(draw(st.integers(1, 2))):
        for j in range(draw(st.integers(1, 3))):
            events.append((draw(st.integers(0, 30)), f"F{k}{j}", f"V{k}"))
    events += [(draw(st.integers(0, 40)), f"t{i:03d}", "") for i in range(draw(st.integers(1, 40)))]
    balance: dict[str, int] = defaultdict(int)
    txns: list[Txn] = []
    for hour, tid, victim in sorted(events):
        dst = draw(st.sampled_from(ACCOUNTS))
        src = victim or draw(st.sampled_from([*ACCOUNTS, "C"]))
        if src in ACCOUNTS and balance[src] == 0:
            src = "C"
        top = balance[src] if src in ACCOUNTS else 200_000
        cents = draw(st.integers(1, top))
        balance[src] -= cents
        balance[dst] += cents
        txns.append(Txn(at(hour), tid, src, dst, cents))
    reports = [
        ReportInfo(f"R{k}", at(draw(st.integers(30, 45))), f"V{k}",
                   tuple(t for t in txns if t.src == f"V{k}"))
        for k in range(2)
        if any(t.src == f"V{k}" for t in txns)
    ]  # fmt: skip
    return txns, reports


def random_lots(
    txns: list[Txn], reports: list[ReportInfo], until: int, rnd: random.Random
) -> dict[tuple[str, str], int]:
    """Where each report's money is at `until` when every transfer takes the payer's lots in a
    random order (the payer's money from before the ledger, unknown, comes last)."""
    owner = {t.txn_id: r.report_id for r in reports for t in r.fraud_txns}
    lots: dict[str, list[list[object]]] = defaultdict(list)
    for t in sorted(txns, key=lambda t: t.key):
        if t.ts > until or t.src == t.dst:
            continue
        if t.txn_id in owner:
            lots[t.dst].append([owner[t.txn_id], t.cents])
            continue
        pool = lots[t.src]
        rnd.shuffle(pool)
        need = t.cents
        for lot in pool:
            take = min(need, int(lot[1]))  # type: ignore[call-overload]
            lot[1] = int(lot[1]) - take  # type: ignore[call-overload]
            need -= take
            lots[t.dst].append([lot[0], take])
        lots[t.src] = [lot for lot in pool if lot[1]]
        if need:
            lots[t.dst].append([None, need])
    held: dict[tuple[str, str], int] = defaultdict(int)
    for acc, pool in lots.items():
        for who, cents in pool:
            if who is not None:
                held[(str(who), acc)] += int(cents)  # type: ignore[call-overload]
    return held


@settings(max_examples=200, deadline=None)
@given(ledgers(), st.sampled_from(list(Rule)), st.randoms(use_true_random=False))
def test_no_order_of_lots_puts_more_than_the_claim_in_an_account(data, rule, rnd) -> None:  # type: ignore[no-untyped-def]
    txns, reports = data
    note(f"{txns} {reports}")
    result = trace_reports(MemoryLedger(txns, reports=reports), reports, TraceParams(rule, **OPEN))  # type: ignore[arg-type]
    claims = {(r, h.account_id): c for h in result.holdings for r, c in h.claim.items()}
    truth = random_lots(txns, reports, result.until, rnd)
    for (r, acc), cents in truth.items():
        assert cents <= claims.get((r, acc), 0), (r, acc, cents, claims.get((r, acc)))
    # and the rule's attribution is one such order of lots: never above the claim either
    for h in result.holdings:
        assert all(c <= h.claim.get(r, 0) for r, c in h.held.items())
