"""The money-flow graph of a trace: accounts as nodes, traced transfers as edges.

Built from the trace's JSON (`flows`, `freeze`, `exits`, `hubs`) and the report's stored freeze
orders, so the console can mark which accounts have an order and in which status. Amounts stay
decimal strings; identifiers are masked for callers below analyst.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from chaincut.services.masking import masked
from chaincut.store.tables import FreezeOrder


def money_graph(
    data: dict[str, Any], orders: Iterable[FreezeOrder], *, mask: bool = False
) -> dict[str, Any]:
    """`{"nodes": [...], "edges": [...]}` for one report's trace (empty when it did not run)."""
    nodes: dict[str, dict[str, Any]] = {}

    def node(account: str, hop: int) -> dict[str, Any]:
        found = nodes.get(account)
        if found is None:
            found = nodes[account] = {
                "id": account,
                "label": masked(account, mask),
                "hop": hop,
                "role": "account",
                "order": None,
            }
        found["hop"] = min(found["hop"], hop)
        return found

    victim = data.get("victim_account")
    if victim:
        node(victim, 0)["role"] = "victim"
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for flow in data.get("flows", []):
        src, dst, hop = flow["from"], flow["to"], int(flow.get("hop", 1))
        node(src, max(hop - 1, 0))
        target = node(dst, hop)
        if flow.get("outcome") in ("exit", "hub", "established", "returned"):
            target["role"] = flow["outcome"]
        key = (src, dst)
        edge = edges.get(key)
        if edge is None:
            edge = edges[key] = {
                "source": src,
                "target": dst,
                "amount": Decimal("0.00"),
                "txns": [],
                "channel": flow.get("channel"),
            }
        edge["amount"] += Decimal(str(flow.get("traced", flow.get("amount", "0"))))
        edge["txns"].append(flow["txn_id"])
    for order in orders:
        target = node(order.account_id, order.hop)
        target["order"] = {
            "order_id": order.order_id,
            "kind": order.kind.value,
            "status": order.status.value,
            "amount": str(order.amount),
        }
        if target["role"] == "account":
            target["role"] = "frozen"
    # node ids are positions, so masked labels that look alike never merge two accounts
    ids = {account: f"n{i}" for i, account in enumerate(nodes)}
    return {
        "nodes": [n | {"id": ids[account]} for account, n in nodes.items()],
        "edges": [
            e | {"source": ids[e["source"]], "target": ids[e["target"]], "amount": str(e["amount"])}
            for e in edges.values()
        ],
    }
