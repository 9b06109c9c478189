"""The money tree of a trace for the terminal (Rich): hop by hop, with times, exits and orders.

Each account appears once, under the transfer that first brought it traced money (or money that
may be the victim's); later transfers into it are shown as "(see above)". Wide nodes are cut to
the largest branches. Amounts are what the rule traces, with "may be ¥X" where more of the
transfer may be the victim's money; `STOP ¥X` is what the account's emergency stop holds; `VERIFY` marks an account the evidence
says was merely paid (a verify-with-the-bank order that holds nothing), with its main reason.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.tree import Tree

from chaincut.trace.model import iso
from chaincut.trace.money import fmt_yuan
from chaincut.trace.restitution import Restitution
from chaincut.trace.result import Flow, Order, OrderKind, Outcome, TraceResult

MAX_CHILDREN = 12

_STYLE = {
    Outcome.exit: "red",
    Outcome.hub: "yellow",
    Outcome.established: "yellow",
    Outcome.returned: "cyan",
    Outcome.beyond_hops: "magenta",
    Outcome.below_min: "dim",
}


_FOLLOWED = (Outcome.loaded, Outcome.moved, Outcome.through_hub)


def _when(ts: int) -> str:
    return iso(ts).replace("T", " ")[:19]


def money_tree(result: TraceResult, report_id: str) -> RenderableType:
    """The report's money tree, its orders and its totals as one Rich renderable."""
    report = result.reports[report_id]
    t = result.totals[report_id]
    root = Tree(
        f"[bold]report {report_id}[/] · victim {report.victim_account} · loss "
        f"[bold]{fmt_yuan(t.loss)}[/] · reported {_when(report.ts)} · rule {result.rule.value}"
    )
    out_of: dict[str, list[Flow]] = {}
    for f in result.flows:
        if f.possible.get(report_id):
            out_of.setdefault(f.src, []).append(f)
    freeze = {o.account_id: o for o in result.orders_for(report_id, OrderKind.emergency_stop)}
    freeze |= {o.account_id: o for o in result.orders_for(report_id, OrderKind.verify)}
    requests = {o.account_id: o for o in result.hubs_for(report_id)}
    shown: set[str] = set()
    fraud = [f for f in result.flows if f.txn_id in {x.txn_id for x in report.fraud_txns}]

    def add(parent: Tree, flows: list[Flow]) -> None:
        flows = sorted(flows, key=lambda f: (f.ts, f.txn_id))
        if len(flows) > MAX_CHILDREN:
            keep = sorted(flows, key=lambda f: -f.possible[report_id])[:MAX_CHILDREN]
            hidden = len(flows) - len(keep)
            flows = sorted(keep, key=lambda f: (f.ts, f.txn_id))
        else:
            hidden = 0
        for f in flows:
            node = parent.add(_flow_label(f, report_id, freeze, requests, f.dst in shown))
            if f.dst not in shown and f.outcome in _FOLLOWED:
                shown.add(f.dst)
                add(node, out_of.get(f.dst, []))
        if hidden:
            parent.add(f"[dim]… {hidden} smaller transfers not shown (see --json)[/]")

    add(root, fraud)
    return Group(root, _orders_table(result, report_id), _totals_table(result, report_id))


def _flow_label(
    f: Flow, report_id: str, freeze: dict[str, Order], requests: dict[str, Order], seen: bool
) -> str:
    traced, maybe = f.taint.get(report_id, 0), f.possible.get(report_id, 0)
    amount = fmt_yuan(traced) + (f" [dim](may be {fmt_yuan(maybe)})[/]" if maybe > traced else "")
    head = f"{_when(f.ts)} [dim]{f.txn_id}[/] → [bold]{f.dst}[/] {amount} [dim]hop {f.hop}[/]"
    if seen:
        return f"{head} [dim](see above)[/]"
    style = _STYLE.get(f.outcome)
    if f.outcome is Outcome.through_hub:
        return f"{head} [yellow]through a hub: the same amount paid on soon after[/]"
    if f.outcome in (Outcome.loaded, Outcome.moved):
        order = freeze.get(f.dst)
        if order is None:
            return head
        note = f" [green](traced {fmt_yuan(order.amount_cents)})[/]"
        if order.kind is OrderKind.verify:
            # the strongest evidence that it was merely paid
            why = next((r for r in order.reasons if r.startswith("-")), order.reason)
            return f"{head} [yellow]VERIFY with the bank (holds nothing) · {why}[/]"
        return f"{head} [bold green]STOP {fmt_yuan(order.claim_cents)}[/]{note}"
    if f.outcome in (Outcome.hub, Outcome.established):
        req = requests.get(f.dst)
        why = req.reason if req else f.outcome.value
        return f"{head} [{style}]request sub-account detail · {why}[/]"
    return f"{head} [{style}]{f.outcome.value.replace('_', ' ')} · {f.channel or ''}[/]"


def _orders_table(result: TraceResult, report_id: str) -> Table:
    table = Table(title="orders", show_lines=False)
    for col in ("kind", "account", "institution", "stop", "traced", "hop", "evidence", "why"):
        # ids and amounts fold onto a second line in a narrow terminal rather than lose digits
        table.add_column(
            col, justify="right" if col in ("stop", "traced", "hop") else "left", overflow="fold"
        )
    for o in result.orders_for(report_id):
        chain = " → ".join(o.evidence[0]) if o.evidence else ""
        more = f" (+{len(o.evidence) - 1})" if len(o.evidence) > 1 else ""
        table.add_row(
            o.kind.value,
            o.account_id,
            o.institution or "",
            fmt_yuan(o.claim_cents),
            fmt_yuan(o.amount_cents),
            str(o.hop),
            chain + more,
            "; ".join(o.reasons[:3]) if o.reasons else o.reason,
        )
    return table


def _totals_table(result: TraceResult, report_id: str) -> Table:
    t = result.totals[report_id]
    table = Table(title="where the money went", show_header=False)
    table.add_column("what")
    table.add_column("amount", justify="right")
    rows = [
        ("frozen (traced by the rule)", t.frozen),
        ("exited (cash, crypto OTC, cross-border)", t.exited),
        ("at hubs / established accounts", t.hubs),
        ("back to victims", t.returned),
        ("unaccounted: above the balance", t.over_balance),
        ("unaccounted: beyond the hop bound", t.beyond_hops),
        ("unaccounted: below the minimum", t.below_min),
        ("reported loss", t.loss),
    ]
    if t.verify:
        rows.append(("[dim]verify orders (would hold; nothing held)[/]", t.verify))
    for what, cents in rows:
        table.add_row(what, fmt_yuan(cents))
    table.add_row(
        "[dim]held by the emergency stops (what may be the victim's money; overlaps)[/]",
        f"[dim]{fmt_yuan(t.claimed)}[/]",
    )
    return table


def restitution_tables(result: TraceResult, plan: Restitution) -> RenderableType:
    """Per victim where the money went and what comes back; per account how it is split."""
    victims = Table(title=f"victims (rule {result.rule.value}, as of {_when(result.until)})")
    for col in ("report", "victim", "loss", "frozen", "exited", "hubs", "unaccounted", "returned"):
        victims.add_column(
            col, justify="left" if col in ("report", "victim") else "right", overflow="fold"
        )
    for v in plan.victims:
        t = v.totals
        victims.add_row(
            v.report_id,
            v.victim_account,
            *(fmt_yuan(c) for c in (t.loss, t.frozen, t.exited, t.hubs, t.unaccounted)),
            f"[bold green]{fmt_yuan(v.returned_now)}[/]",
        )
    accounts = Table(title="recovered money and its return")
    for col in ("account", "recovered", "basis", "returns", "surplus"):
        accounts.add_column(
            col, justify="right" if col in ("recovered", "surplus") else "left", overflow="fold"
        )
    for a in plan.allocations:
        returns = ", ".join(f"{r} {fmt_yuan(c)}" for r, c in sorted(a.returns.items()))
        accounts.add_row(a.account_id, fmt_yuan(a.recovered), a.basis, returns, fmt_yuan(a.surplus))
    total = (
        f"recovered {fmt_yuan(plan.recovered)} · returned {fmt_yuan(plan.returned)} · "
        f"unallocated {fmt_yuan(plan.surplus)}"
    )
    if not plan.allocations:  # an empty table read as "nothing came back" to a newcomer
        return Group(
            victims,
            "no recovered money given: pass --recovered FILE.csv (account_id,amount) to split "
            "what was recovered among the victims",
        )
    return Group(victims, accounts, total)
