"""Turning a finished kernel run into a `TraceResult`: holdings, orders, exits, totals, evidence.

An account the trace followed gets an emergency stop for a report when the most of its balance
that may be the report's money (the claim: `Possible`, capped by the ledger balance at the
horizon) reaches the minimum amount. The order's `amount` is what the rule attributes (capped
by the balance; zero where that is below the minimum): the totals conserve it; the claim is
what the stop holds while it is not known which account holds the money.

Evidence is a list of chains of txn_ids, each from a victim's transfer to the account: one chain
per transfer into the account that carried (or may have carried) the report's money (the largest
first, at most `evidence_chains`), extended backwards through the transfer that brought the most
of that report's money into each account before it left, and through a hub by the inflow its
matched outflow continues.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from chaincut.trace.bystander import Facts, Judgement, facts_of, judge, relay_counts
from chaincut.trace.chain import MOST, split_counts, split_of, split_weight, ties_of
from chaincut.trace.money import allocate_map
from chaincut.trace.reasons import said
from chaincut.trace.relay import relay_of
from chaincut.trace.result import (
    ExitRecord,
    Flow,
    Holding,
    Order,
    OrderKind,
    Outcome,
    Totals,
    TraceResult,
)

if TYPE_CHECKING:
    from chaincut.trace.kernel import Kernel, Node
    from chaincut.trace.model import Micros, Txn

_REQUEST = (Outcome.hub, Outcome.established)


class Evidence:
    """Backtracks chains of traced transfers (the taint DAG is ordered in time)."""

    def __init__(
        self, flows: list[Flow], fraud: set[str], limit: int, links: dict[str, str]
    ) -> None:
        self.fraud = fraud
        self.limit = limit
        self.links = links
        self.into: dict[str, list[Flow]] = {}
        self.through: dict[str, Flow] = {}
        for f in flows:
            self.into.setdefault(f.dst, []).append(f)
            if f.outcome is Outcome.through_hub:
                self.through[f.txn_id] = f

    def chain(self, flow: Flow, report_id: str) -> list[str]:
        """The txn_ids from the victim's transfer to `flow`, oldest first."""
        out = [flow.txn_id]
        cur = flow
        while cur.txn_id not in self.fraud:
            linked = self.links.get(cur.txn_id)
            if linked is not None and linked in self.through:
                cur = self.through[linked]
                out.append(cur.txn_id)
                continue
            key = (cur.ts, cur.txn_id)
            best: Flow | None = None
            for g in self.into.get(cur.src, ()):
                if (g.ts, g.txn_id) >= key:
                    break
                if g.outcome is Outcome.through_hub or not g.possible.get(report_id):
                    continue
                if best is None or _weight(g, report_id) > _weight(best, report_id):
                    best = g
            if best is None:
                break
            out.append(best.txn_id)
            cur = best
        out.reverse()
        return out

    def chains(self, flows: list[Flow], report_id: str) -> list[list[str]]:
        """Chains for the largest of `flows` carrying the report's money."""
        mine = [f for f in flows if f.possible.get(report_id, 0) > 0]
        mine.sort(key=lambda f: (*(-w for w in _weight(f, report_id)), f.ts, f.txn_id))
        return [self.chain(f, report_id) for f in mine[: self.limit]]

    def into_account(self, account_id: str, report_id: str) -> list[list[str]]:
        return self.chains(self.into.get(account_id, []), report_id)


def _weight(f: Flow, report_id: str) -> tuple[int, int]:
    """What a transfer brought of the report's money: traced by the rule, then possible."""
    return f.taint.get(report_id, 0), f.possible.get(report_id, 0)


def assemble(k: Kernel) -> TraceResult:
    """The result of a finished run; every report's totals conserve its loss."""
    totals = {r.report_id: Totals(loss=r.loss_cents) for r in k.reports}
    evidence = Evidence(k.flows, set(k.fraud), k.params.evidence_chains, k.links)
    exits: list[ExitRecord] = []
    requests: dict[tuple[str, str], list[Flow]] = {}
    for f in k.flows:
        for r, c in f.taint.items():
            t = totals[r]
            if f.outcome is Outcome.exit:
                t.exited += c
                reason = k.router.reasons.get(f.dst, "exit")
                exits.append(
                    ExitRecord(r, f.txn_id, f.ts, f.src, f.dst, f.channel, c, f.hop, reason)
                )
            elif f.outcome in _REQUEST:
                t.hubs += c
                requests.setdefault((r, f.dst), []).append(f)
            elif f.outcome is Outcome.returned:
                t.returned += c
            elif f.outcome is Outcome.beyond_hops:
                t.beyond_hops += c
            elif f.outcome is Outcome.below_min:
                t.below_min += c
    holdings, orders = _freeze(k, totals, evidence)
    hubs = _requests(k, requests, evidence)
    orders.extend(h for h in hubs if h.amount_cents >= max(k.router.min_cents, 1))
    orders.sort(key=lambda o: (o.report_id, o.kind, -o.claim_cents, -o.amount_cents, o.account_id))
    return TraceResult(
        rule=k.params.rule,
        until=k.until,
        reports={r.report_id: r for r in k.reports},
        flows=k.flows,
        holdings=holdings,
        orders=orders,
        exits=exits,
        hubs=hubs,
        totals=totals,
        min_cents=k.router.min_cents,
        events=k.events,
        accounts_loaded=len(k.nodes),
    )


def _freeze(
    k: Kernel, totals: dict[str, Totals], evidence: Evidence
) -> tuple[list[Holding], list[Order]]:
    holdings: list[Holding] = []
    floor = max(k.router.min_cents, 1)
    held_by: list[tuple[str, dict[str, int], dict[str, int], dict[str, int], int]] = []
    for acc in sorted(k.nodes):
        node = k.nodes[acc]
        held = node.state.held()
        balance = k.ledger.balance_at(acc, k.until)
        cap = max(balance, 0)
        claim = {r: min(c, cap) for r, c in node.possible.cents.items() if min(c, cap) > 0}
        if not held and not claim:
            continue
        frozen = dict(held) if sum(held.values()) <= cap else allocate_map(cap, held)
        info = k.ledger.account(acc)
        stops: dict[str, int] = {}
        for r in sorted(set(held) | set(claim)):
            t = totals[r]
            amount = held.get(r, 0)
            if frozen.get(r, 0) < floor:
                t.below_min += amount
                frozen[r] = 0
            else:
                t.frozen += frozen[r]
                t.over_balance += amount - frozen[r]
            stop = max(claim.get(r, 0), frozen[r])
            if stop >= floor:
                stops[r] = stop
        held_by.append((acc, frozen, stops, claim, balance))
        holdings.append(
            Holding(
                acc,
                info.institution,
                info.kind,
                node.hop,
                node.loaded_ts,
                balance,
                held,
                {r: c for r, c in frozen.items() if c},
                claim,
            )
        )
    verdicts = _verdicts(
        k, evidence, {a: sum(frozen.values()) for a, frozen, stops, _, _ in held_by if stops}
    )
    orders: list[Order] = []
    for acc, frozen, stops, _, _ in held_by:
        verdict = verdicts.get(acc)
        node = k.nodes[acc]
        for r, stop in stops.items():
            kind = OrderKind.emergency_stop
            why = said("holds") if frozen[r] else said("may_hold")
            if verdict is not None and not verdict.stop:
                kind = OrderKind.verify
                why = said("bona_fide", score=f"{verdict.score:+.1f}",
                           threshold=f"{k.params.stop_score:+.1f}")  # fmt: skip
                totals[r].verify += stop
            else:
                totals[r].claimed += stop
            orders.append(
                Order(
                    report_id=r,
                    account_id=acc,
                    institution=k.ledger.account(acc).institution,
                    kind=kind,
                    amount_cents=frozen[r],
                    hop=node.hop,
                    rule=k.params.rule,
                    evidence=evidence.into_account(acc, r),
                    reason=why.text,
                    claim_cents=stop,
                    score=verdict.score if verdict is not None else None,
                    reasons=verdict.reasons if verdict is not None else (),
                    reason_code=why.as_dict(),
                    reason_codes=verdict.codes if verdict is not None else (),
                )
            )
    return holdings, orders


def _verdicts(k: Kernel, evidence: Evidence, traced: dict[str, int]) -> dict[str, Judgement]:
    """The judge's verdict on every account that would get a stop (`traced`: what the rule
    attributes to it), first on its own evidence, then with its ties to the accounts stopped
    (`chaincut.trace.chain`) until no further account is stopped."""
    if not k.params.judge_accounts:
        return {}
    facts = {a: _facts(k, k.nodes[a], evidence, t) for a, t in traced.items()}
    verdicts = {a: judge(f, k.params) for a, f in facts.items()}
    finder = getattr(k.ledger, "earlier_stop_times", None)
    first = min((r.ts, r.report_id) for r in k.reports)
    before: dict[str, tuple[Micros, ...]] = {}

    def stopped_before(a: str) -> tuple[Micros, ...]:
        if a not in before:
            before[a] = tuple(finder(a, first)) if callable(finder) else ()
        return before[a]

    history: dict[str, list[Txn]] = {}
    paid = {a: _paid_by(k, evidence, a, f) for a, f in facts.items()}
    while True:
        here = {a for a, v in verdicts.items() if v.stop}
        more = False
        for a, f in facts.items():
            if verdicts[a].stop:
                continue
            # paid beside accounts stopped in this trace (no look-up: the payer's own events)
            by = paid[a]
            split = split_of(a, by, k.nodes[by[1]].tally.outs if by else (), here)
            lift = split_weight() if split_counts(split) and relay_counts(f, k.params) else 0.0
            # ties only add points: an account they cannot lift to a stop is not looked up
            if verdicts[a].score + MOST + lift < k.params.stop_score:
                continue
            node = k.nodes[a]
            if a not in history:
                since = node.loaded_ts - k.params.established_micros
                got = k.ledger.load(a, (since, ""), node.loaded_ts).events
                history[a] = [t for t in got if t.key < node.key]
            ties = ties_of(
                a, history[a], node.tally.outs, stopped_before, here, k.params.window_micros
            )
            ties = replace(ties, split=split)
            if ties == f.ties:
                continue
            facts[a] = replace(f, ties=ties)
            verdicts[a] = judge(facts[a], k.params)
            more |= verdicts[a].stop
        if not more:
            return verdicts


def _paid_by(
    k: Kernel, evidence: Evidence, account_id: str, f: Facts
) -> tuple[str, str, Micros, int] | None:
    """The transfer that brought `f`'s account most of the victims' money (its relay's:
    txn_id, payer, ts, cents), where the payer is an account the trace followed."""
    r = f.relay
    if r is None or r.from_victim or r.payer not in k.nodes:
        return None
    flow = next((x for x in evidence.into.get(account_id, ()) if x.txn_id == r.txn_id), None)
    return None if flow is None else (flow.txn_id, flow.src, flow.ts, flow.cents)


def _facts(k: Kernel, node: Node, evidence: Evidence, traced: int) -> Facts:
    """The indicators of `node` on its own evidence (`chaincut.trace.bystander`)."""
    p = k.params
    acc = node.account_id
    into = [f for f in evidence.into.get(acc, ()) if sum(f.possible.values()) > 0]
    tainted = [min(f.cents, sum(f.possible.values())) for f in into]
    # the largest share of a report's loss that reached it (not what is left at the horizon)
    reached: dict[str, int] = {}
    for f in into:
        for r, c in f.possible.items():
            reached[r] = reached.get(r, 0) + c
    reach = max((c / k.losses[r] for r, c in reached.items() if k.losses.get(r)), default=0.0)
    # how long after the victim's first transfer the money reached it (the soonest report)
    paid = [t.ts for rep in k.reports if rep.report_id in reached for t in rep.fraud_txns]
    lag = node.loaded_ts - min(paid) if paid else None
    prior = k.ledger.activity(acc, node.loaded_ts - p.established_micros, node.key)
    scorer = getattr(k.ledger, "mule_score", None)
    score = scorer(acc) if callable(scorer) else None
    # stops already issued on it for other victims' reports filed before these
    finder = getattr(k.ledger, "earlier_stops", None)
    first = min((r.ts, r.report_id) for r in k.reports)
    stopped_for = tuple(finder(acc, first)) if callable(finder) else ()
    # how its payer handed it the money, from the payer's own events in this trace
    loaded = {f.src: k.nodes[f.src].loaded_ts for f in into if f.src in k.nodes}
    brought = [(f.txn_id, f.ts, f.src, sum(f.possible.values())) for f in into]
    paid_to: dict[str, list[Micros]] = {}
    for rep in k.reports:
        if rep.report_id in reached:
            for t in rep.fraud_txns:
                paid_to.setdefault(t.dst, []).append(t.ts)
    return facts_of(
        k.ledger.account(acc),
        node.hop,
        traced,
        tainted,
        [f.cents for f in into],
        reach,
        node.tally,
        node.loaded_ts,
        k.until,
        prior,
        p,
        score if isinstance(score, float) else None,
        lag,
        stopped_for,
        relay_of(brought, loaded, min(paid) if paid else None, paid_to) if node.hop > 1 else None,
    )


def _requests(
    k: Kernel, requests: dict[tuple[str, str], list[Flow]], evidence: Evidence
) -> list[Order]:
    """Sub-account detail records for every hub or established account reached."""
    orders: list[Order] = []
    for (r, acc), flows in sorted(requests.items()):
        amount = sum(f.taint[r] for f in flows)
        orders.append(
            Order(
                report_id=r,
                account_id=acc,
                institution=k.ledger.account(acc).institution,
                kind=OrderKind.request_subaccount_detail,
                amount_cents=amount,
                hop=min(f.hop for f in flows),
                rule=k.params.rule,
                evidence=evidence.chains(flows, r),
                reason=k.router.reasons.get(acc, "hub"),
                claim_cents=amount,
            )
        )
    return orders
