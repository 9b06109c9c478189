"""The tracing kernel: an event-driven, time-ordered simulation of traced money.

Transactions are processed once each in global (ts, txn_id) order from a heap. An account is
*loaded* when traced money first reaches it: its derived balance just before that transfer
becomes its opening and its later transactions (up to the horizon) join the heap, so money that
reaches an account can only leave after it arrived. Each loaded account keeps its money per
owner (report id, or clean) under the chosen rule (`chaincut.trace.rules`). Traced money that
reaches an account not loaded is routed by `chaincut.trace.route`: exit, hub, established
recipient, back to a victim, too far, too small, or loaded. Money reaching a hub is followed
further only where the hub paid the same amount out soon after (`hub_match_minutes`), as a
pooled account's sub-account does when it forwards a payment.

Beside the rule's attribution, each loaded account keeps `Possible`: the most of each report's
money it may hold. A transfer that may carry a report's money routes and loads like traced
money, so the accounts the money may have reached are followed even where the rule attributes
nothing to them (their emergency stops hold what may be the victim's money).

The kernel is engine-free: it only asks a `Ledger` point questions.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from chaincut.trace.assemble import assemble
from chaincut.trace.bystander import Tally
from chaincut.trace.ledger import Ledger
from chaincut.trace.model import EventKey, Micros, ReportInfo, TraceParams, Txn
from chaincut.trace.money import allocate
from chaincut.trace.result import Flow, Outcome, TraceResult
from chaincut.trace.route import Router
from chaincut.trace.rules import AccountState, Piece, Possible, new_state


@dataclass(slots=True)
class Node:
    """A loaded account: its hop from the victim, when it was loaded, and its money; `key` is
    the transfer that loaded it and `tally` what it received and paid from then on (the
    evidence of what it did with the money, `chaincut.trace.bystander`)."""

    account_id: str
    hop: int
    loaded_ts: Micros
    state: AccountState
    possible: Possible
    key: EventKey
    tally: Tally


def horizon(reports: list[ReportInfo], params: TraceParams) -> Micros:
    """The last instant a trace sees: the report time (or `as_of`), capped by the window."""
    as_of = params.as_of if params.as_of is not None else max(r.ts for r in reports)
    starts = [t.ts for r in reports for t in r.fraud_txns]
    if not starts:
        return as_of
    return min(as_of, min(starts) + params.window_micros)


class Kernel:
    """One run of the simulation over one or more reports (their money traced jointly)."""

    def __init__(self, ledger: Ledger, reports: list[ReportInfo], params: TraceParams) -> None:
        if not reports:
            raise ValueError("a trace needs at least one report")
        self.ledger = ledger
        self.params = params
        self.reports = sorted(reports, key=lambda r: r.report_id)
        self.until = horizon(self.reports, params)
        self.nodes: dict[str, Node] = {}
        self.flows: list[Flow] = []
        self.heap: list[tuple[Micros, str, Txn]] = []
        self.done: set[str] = set()
        self.fraud: dict[str, str] = {}
        #: hub outflows matched to a traced inflow: txn_id -> (pieces, possible, hop)
        self.carry: dict[str, tuple[list[Piece], dict[str, int], int]] = {}
        #: matched hub outflow txn_id -> the traced inflow into the hub it continues
        self.links: dict[str, str] = {}
        self.events = 0
        #: each report's loss: no account may hold more of its money
        self.losses = {r.report_id: r.loss_cents for r in self.reports}
        victims = {r.victim_account for r in self.reports}
        for r in self.reports:
            for t in r.fraud_txns:
                self.fraud.setdefault(t.txn_id, r.report_id)
                victims.add(t.src)
                heapq.heappush(self.heap, (t.ts, t.txn_id, t))
        loss = min(r.loss_cents for r in self.reports)
        self.router = Router(ledger, params, victims, params.min_cents(loss), self.until)

    def run(self) -> TraceResult:
        """Process every reachable transaction up to the horizon; return the assembled result."""
        heap, done = self.heap, self.done
        while heap:
            _, txn_id, txn = heapq.heappop(heap)
            if txn_id in done:
                continue
            done.add(txn_id)
            self.events += 1
            self._process(txn)
        return assemble(self)

    def _process(self, txn: Txn) -> None:
        src = self.nodes.get(txn.src)
        if src is not None:
            src.tally.outs.append((txn.ts, txn.cents, txn.dst, txn.channel))
        owner = self.fraud.get(txn.txn_id)
        carried = self.carry.pop(txn.txn_id, None) if self.carry else None
        maybe: dict[str, int]
        if owner is not None:
            pieces: list[Piece] = [(owner, txn.cents)]
            maybe = {owner: txn.cents}
            hop = 1
        elif carried is not None:
            pieces, maybe, hop = carried
        elif src is not None:
            pieces = src.state.withdraw(txn.cents)
            maybe = src.possible.withdraw(txn.cents, src.state.balance)
            hop = src.hop + 1
        else:
            pieces, maybe, hop = [(None, txn.cents)], {}, 0
        dst = self.nodes.get(txn.dst)
        taint: dict[str, int] = {}
        for o, c in pieces:
            if o is not None:
                taint[o] = taint.get(o, 0) + c
        if dst is not None:
            dst.tally.inflow += txn.cents
            dst.state.deposit(pieces)
            dst.possible.deposit(maybe)
            if maybe:  # every report with traced money here may have money here
                dst.hop = min(dst.hop, hop)
                self._flow(txn, taint, maybe, dst.hop, Outcome.moved)
            return
        if not maybe:
            return
        # money that may be a victim's routes as traced money: what it may be decides
        outcome = self.router.route(txn, min(txn.cents, sum(maybe.values())), hop)
        if outcome is Outcome.hub and self.params.hub_match_minutes > 0:
            taint, maybe = self._through_hub(txn, taint, maybe, hop)
            if not maybe:  # (it covers every report with taint left)
                return
        self._flow(txn, taint, maybe, hop, outcome)
        if outcome is Outcome.loaded:
            self._load(txn, hop, pieces, maybe)

    def _through_hub(
        self,
        txn: Txn,
        taint: dict[str, int],
        maybe: dict[str, int],
        hop: int,
    ) -> tuple[dict[str, int], dict[str, int]]:
        """Follow traced money through a hub when the hub paid out the same amount soon after
        (a pooled account's sub-account forwarding it); returns what is left at the hub."""
        p = self.params
        lo = txn.cents - txn.cents * p.hub_match_fee_bp // 10_000
        end = min(txn.ts + p.hub_match_minutes * 60_000_000, self.until)
        match = next(
            (
                m
                for m in self.ledger.outflows(txn.dst, txn.key, end, lo, txn.cents)
                if m.txn_id not in self.links and m.txn_id not in self.done
            ),
            None,
        )
        if match is None:
            return taint, maybe
        owners = sorted(taint)
        moved = allocate(
            match.cents, [taint[o] for o in owners] + [txn.cents - sum(taint.values())]
        )
        carry = {o: c for o, c in zip(owners, moved, strict=False) if c}
        clean = match.cents - sum(carry.values())
        onward = {r: min(c, match.cents) for r, c in maybe.items()}
        self.carry[match.txn_id] = (
            [*carry.items(), (None, clean)] if clean else list(carry.items()),
            onward,
            hop + 1,
        )
        self.links[match.txn_id] = txn.txn_id
        heapq.heappush(self.heap, (match.ts, match.txn_id, match))
        self._flow(txn, carry, onward, hop, Outcome.through_hub)
        left = {o: c - carry.get(o, 0) for o, c in taint.items() if c - carry.get(o, 0)}
        rest = {r: max(c - onward[r], left.get(r, 0)) for r, c in maybe.items()}
        return left, {r: c for r, c in rest.items() if c}

    def _load(self, txn: Txn, hop: int, pieces: list[Piece], maybe: dict[str, int]) -> None:
        loaded = self.ledger.load(txn.dst, txn.key, self.until)
        state = new_state(self.params.rule, loaded.opening_cents)
        state.deposit(pieces)
        possible = Possible(self.losses)
        possible.deposit(maybe)
        self.nodes[txn.dst] = Node(txn.dst, hop, txn.ts, state, possible, txn.key, Tally(txn.cents))
        done, heap = self.done, self.heap
        for ev in loaded.events:
            if ev.txn_id not in done:
                heapq.heappush(heap, (ev.ts, ev.txn_id, ev))

    def _flow(
        self,
        txn: Txn,
        taint: dict[str, int],
        maybe: dict[str, int],
        hop: int,
        outcome: Outcome,
    ) -> None:
        self.flows.append(
            Flow(
                txn.txn_id,
                txn.ts,
                txn.src,
                txn.dst,
                txn.channel,
                txn.cents,
                taint,
                hop,
                outcome,
                maybe,
            )
        )


def trace_reports(ledger: Ledger, reports: list[ReportInfo], params: TraceParams) -> TraceResult:
    """Trace the money of `reports` jointly under `params` (one report: a stop-payment trace).

    Promises: each report's totals conserve its loss to the cent; no order freezes more than the
    traced money still in the account nor more than the account's derived balance; traced money
    leaves an account only in a transaction that comes after it arrived in (ts, txn_id) order;
    an order's claim (what the emergency stop holds) is at least its amount, at most the
    balance and at most the report's loss, and no order of lots puts more of the report's money
    in the account than the claim.
    """
    return Kernel(ledger, reports, params).run()


def trace_one(ledger: Ledger, report_id: str, params: TraceParams) -> TraceResult:
    """Trace one report as the stop-payment desk would at the report's time."""
    return trace_reports(ledger, [ledger.report(report_id)], params)
