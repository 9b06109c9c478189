"""The link graph's contact edges (`build._phones`), kept between live joins.

A call links two numbers when the caller is focused on victims (`ev.reach`), or when either
number shares `MIN_SHARED` contacts with the chain's numbers (a dealer or recruiter calling
many mules). Those edges are most of the graph, and a report filed later rarely changes the
contacts: it adds a few numbers to the chain (its victim's) and perhaps some numbers' reach.
`ContactEdges` keeps each contact's edge and decision and, given new chain numbers or reach,
decides again only the contacts of the numbers whose count of chain contacts or whose reach
changed: the edges are the ones deciding every contact again gives, in the same order.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from chaincut.gangs.graph import WEIGHTS, Edge, node

#: how many callers a phone must share with other chain phones before a call links them
MIN_SHARED = 2


class ContactEdges:
    """The contact edges of one list of contact rows, for any chain and reach."""

    def __init__(self, contacts: list[dict[str, Any]]) -> None:
        self.rows = list(contacts)
        self.partners: dict[str, set[str]] = defaultdict(set)
        self.at: dict[str, list[int]] = defaultdict(list)
        self.edge: list[Edge | None] = []
        for k, c in enumerate(self.rows):
            src, dst = c["src"], c["dst"]
            self.partners[dst].add(src)
            self.partners[src].add(dst)
            self.at[src].append(k)
            self.at[dst].append(k)
            w = WEIGHTS["contact"] * min(1.0, 0.3 + 0.1 * int(c["n"]))
            ids = [str(c["first_id"])]
            ids += [str(c["last_id"])] if c["last_id"] != c["first_id"] else []
            # (a number calling itself links nothing: `LinkGraph.add` drops it)
            self.edge.append(None if src == dst else Edge(node("phone", src), node("phone", dst),
                                                          "contact", w, ids))  # fmt: skip
        self.keep = [False] * len(self.rows)
        self.chain: set[str] = set()
        self.shared: dict[str, int] = {}
        self.reach: dict[str, Any] | None = None

    def _decide(self, k: int) -> None:
        c = self.rows[k]
        reach = (self.reach or {}).get(c["src"])
        focused = reach is not None and reach[1] > 0
        shared = self.shared.get(c["src"], 0) >= MIN_SHARED
        shared = shared or self.shared.get(c["dst"], 0) >= MIN_SHARED
        self.keep[k] = self.edge[k] is not None and (focused or shared)

    def update(self, reach: dict[str, Any], chain: set[str]) -> None:
        """Decide the contacts again for the numbers' `reach` and the `chain`'s numbers."""
        if self.reach is None:
            self.reach, self.chain = dict(reach), set(chain)
            self.shared = {p: len(ps & self.chain) for p, ps in self.partners.items()}
            for k in range(len(self.rows)):
                self._decide(k)
            return
        moved = {p for q in chain ^ self.chain for p in self.partners.get(q, ())}
        self.chain = set(chain)
        for p in moved:
            self.shared[p] = len(self.partners[p] & self.chain)
        if reach != self.reach:
            old = self.reach
            moved |= {p for p in old.keys() | reach.keys() if old.get(p) != reach.get(p)}
            self.reach = dict(reach)
        for k in sorted({k for p in moved for k in self.at.get(p, ())}):
            self._decide(k)

    def edges(self) -> tuple[list[Edge], list[str]]:
        """The kept edges in the rows' order, and their nodes in first-seen order."""
        out = [e for e, keep in zip(self.edge, self.keep, strict=True) if keep and e is not None]
        return out, list(dict.fromkeys(n for e in out for n in (e.a, e.b)))


def contact_edges(
    contacts: list[dict[str, Any]],
    reach: dict[str, Any],
    chain: set[str],
    memo: dict[str, Any] | None = None,
) -> tuple[list[Edge], list[str]]:
    """The contact edges and their nodes in first-seen order; `memo` keeps the work for the
    next call (used again only while the contact rows are equal)."""
    held = memo.get("contacts") if memo is not None else None
    if not isinstance(held, ContactEdges) or held.rows != contacts:
        held = ContactEdges(contacts)
        if memo is not None:
            memo["contacts"] = held
    held.update(reach, chain)
    return held.edges()
