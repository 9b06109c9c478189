"""Assemble the link graph from the evidence (`collect`) and the resolved people (`people`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from chaincut.gangs.collect import Evidence
from chaincut.gangs.contact_edges import contact_edges
from chaincut.gangs.graph import (
    INDICATOR_NODES,
    WEIGHTS,
    LinkGraph,
    account_infra,
    cell_infra,
    device_infra,
    indicator_infra,
    node,
    phone_infra,
)
from chaincut.gangs.people import PersonLink
from chaincut.gangs.rowset import values


def _money(g: LinkGraph, ev: Evidence) -> set[str]:
    hubs: set[str] = set()
    for t in ev.transfers:
        r = node("report", t["report_id"])
        g.add(r, node("account", t["dst_account"]), "paid", WEIGHTS["paid"], [t["txn_id"]])
        if t["victim_account"]:
            victim = node("account", t["victim_account"])
            g.add(r, victim, "victim", WEIGHTS["victim"], [t["txn_id"]])
    for tr in ev.traces:
        r = node("report", tr["report_id"])
        loss = max(Decimal(tr["totals"]["loss"]), Decimal("0.01"))
        for key in ("freeze", "verify"):
            for o in tr[key]:
                chain = [t for path in o["evidence"] for t in path][:6]
                # the share of the victim's loss it received: a card that carried the money
                # ties strongly; an account paid a fee or a purchase from it (a dealer serving
                # several dens, a shop) ties weakly
                share = min(float(Decimal(o["amount"]) / loss), 1.0)
                w = WEIGHTS["traced"] * (1.0 if key == "freeze" else 0.4) * (0.1 + 0.9 * share**0.5)
                g.add(r, node("account", o["account_id"]), "traced", w, chain)
        for h in tr["hubs"]:
            hubs.add(h["account_id"])
            chain = [t for path in h["evidence"] for t in path][:6]
            g.add(r, node("account", h["account_id"]), "traced", WEIGHTS["traced"], chain)
        for e in tr["exits"]:
            g.add(r, node("account", e["from"]), "exit", WEIGHTS["exit"], [e["txn_id"]])
            g.add(r, node("account", e["to"]), "exit", WEIGHTS["exit"], [e["txn_id"]])
    # accounts the traces reached only as "verify" (a bystander's look: a shop, a landlord)
    strong = {t["dst_account"] for t in ev.transfers}
    for tr in ev.traces:
        strong.update(o["account_id"] for o in tr["freeze"])
        strong.update(e["from"] for e in tr["exits"])
    weak = {o["account_id"] for tr in ev.traces for o in tr["verify"]} - strong
    for m in ev.abroad:
        # the same account abroad that a report's money exited to
        ids = [str(m["first_id"])] + ([str(m["last_id"])] if m["last_id"] != m["first_id"] else [])
        g.add(node("account", m["src"]), node("account", m["dst"]), "exit", WEIGHTS["exit"], ids)
    for m in ev.transfers_between:
        # the money between a chain account and a card the mule model flags (or between two
        # chain accounts): the chain's unreported branches; through a bystander it says little
        w = WEIGHTS["transfer"] * min(1.0, 0.5 + 0.25 * int(m["n"]))
        w *= 0.2 if m["src"] in weak or m["dst"] in weak else 1.0
        ids = [str(m["first_id"])] + ([str(m["last_id"])] if m["last_id"] != m["first_id"] else [])
        g.add(node("account", m["src"]), node("account", m["dst"]), "transfer", w, ids)
    return hubs


def _people(g: LinkGraph, ev: Evidence, links: list[PersonLink]) -> None:
    for r in ev.reports:
        if r["victim_id"]:
            g.add(node("report", r["report_id"]), node("person", r["victim_id"]), "victim",
                  WEIGHTS["victim"], [f"report {r['report_id']}"])  # fmt: skip
    for h in ev.holders:
        g.add(node("account", h["account_id"]), node("person", h["person_id"]), "holder",
              WEIGHTS["holder"], [f"accounts row {h['account_id']}"])  # fmt: skip
    present = {k for k in g.infra if k.startswith("person:")}
    for person, kind, value in values(ev.registrations, "person_id", "kind", "value"):
        p = node("person", person)
        if p in present:
            g.add(p, node(kind, value), "registered", WEIGHTS["registered"],
                  [f"persons row {person}"])  # fmt: skip
    # a person's own phone ties their cards fully; a card dealer's phone, which registered the
    # cards of many people (often for several dens), ties each of them weakly: one over the
    # number of different holders, so that a dealer serving two gangs does not merge them
    holders: dict[str, set[str]] = {}
    for row in ev.account_phones:
        holders.setdefault(row["phone"], set()).add(str(row.get("holder") or row["account_id"]))
    for row in ev.account_phones:
        acc = node("account", row["account_id"])
        if acc in g.infra or row["account_id"] in ev.degrees:
            weight = WEIGHTS["registered"] / len(holders[row["phone"]])
            g.add(acc, node("phone", row["phone"]), "registered", weight,
                  [f"accounts row {row['account_id']} reg_phone"])  # fmt: skip
    for link in links:
        a, b = node("person", link.a), node("person", link.b)
        if a in g.infra or b in g.infra:
            g.add(a, b, "same_person", WEIGHTS["same_person"] * link.probability,
                  [f"record linkage: match weight {link.match_weight:.1f}"])  # fmt: skip


def _phones(g: LinkGraph, ev: Evidence, memo: dict[str, Any] | None) -> None:
    # a call links two numbers when the caller is focused on victims, or when the number is
    # shared by several of the chain's people (`contact_edges`; `memo`: a live join's, which
    # decides again only the contacts the report changes)
    chain = {k.partition(":")[2] for k in g.infra if k.startswith("phone:")}
    edges, nodes = contact_edges(ev.contacts, ev.reach, chain, memo)
    for n in nodes:  # (what `g.add` does for each edge, in the same order)
        g.infra.setdefault(n, 0.0)
    g.edges.extend(edges)
    for d in ev.devices:
        g.add(node("phone", d["phone"]), node("device", d["imei"]), "device", WEIGHTS["device"],
              [str(d["first_id"])])  # fmt: skip


def _indicators(g: LinkGraph, ev: Evidence) -> dict[str, int]:
    """Edges from each message's sender (or report) to the identifiers in it; returns how
    many senders each identifier node has."""
    senders: dict[str, set[str]] = defaultdict(set)
    for i in ev.indicators:
        key = node(INDICATOR_NODES[i["kind"]], i["value"])
        senders[key].add(i["sender"])
        g.add(i["sender"], key, "indicator", WEIGHTS["indicator"], [i["source"]])
    return {k: len(v) for k, v in senders.items()}


def _infra(g: LinkGraph, ev: Evidence, hubs: set[str], senders: dict[str, int]) -> None:
    kinds = {h["account_id"]: h["kind"] for h in ev.holders}
    persons = {pid for (pid,) in values(ev.persons, "person_id")}
    # an account held by someone the persons table does not know is an organisation's
    org = {h["account_id"] for h in ev.holders if h["person_id"] not in persons}
    victims_of_device: dict[str, int] = defaultdict(int)
    for d in ev.devices:
        if ev.reach.get(d["phone"], (0, 0))[1] > 0:
            victims_of_device[str(d["imei"])] += 1
    lines_at: dict[str, set[str]] = defaultdict(set)
    for row in ev.cells:
        lines_at[str(row["cell"])].add(str(row["phone"]))
    for key in list(g.infra):
        kind, ident = key.split(":", 1)
        if kind == "account":
            score, why = account_infra(
                kinds.get(ident, ""), ev.degrees.get(ident, 0), ident in hubs, ident in org
            )
        elif kind == "phone":
            contacts, victims = ev.reach.get(ident, (0, 0))
            score, why = phone_infra(ident, contacts, victims)
        elif kind == "device":
            phones, contacts = ev.device_reach.get(ident, (1, 0))
            score, why = device_infra(phones, contacts, victims_of_device[ident])
        elif kind == "cell":
            score, why = cell_infra(ev.cell_callers.get(ident, 0), len(lines_at[ident]))
        elif key in senders and kind != "account":
            score, why = indicator_infra(senders[key])
        else:
            continue
        g.infra[key] = score
        g.reasons[key] = why


def _cells(g: LinkGraph, ev: Evidence) -> None:
    # a den's lines call from the same few cells (a SIM-box site): each line that reached
    # several reported victims ties to the cells it called from, more the more calls; a busy
    # cell is weighed down as shared infrastructure (`graph.cell_infra`, in `_infra`)
    for row in ev.cells:
        ids = [str(row["first_id"])]
        ids += [str(row["last_id"])] if row["last_id"] != row["first_id"] else []
        w = WEIGHTS["cell"] * min(1.0, 0.3 + 0.1 * int(row["n"]))
        g.add(node("phone", str(row["phone"])), node("cell", str(row["cell"])), "cell", w, ids)


def _cases(g: LinkGraph, cases: Mapping[str, Iterable[str]]) -> None:
    # an analyst put these reports in one case: analyst evidence, as strong as a payment
    for case_id, reports in sorted(cases.items()):
        for report_id in sorted(set(reports)):
            g.add(node("report", report_id), node("case", case_id), "case", WEIGHTS["case"],
                  [f"case {case_id}"])  # fmt: skip


def build_graph(
    ev: Evidence,
    links: list[PersonLink],
    cases: Mapping[str, Iterable[str]] | None = None,
    *,
    memo: dict[str, Any] | None = None,
) -> LinkGraph:
    """The link graph of the reports' money, people, numbers, handsets and cells, and of the
    `cases` analysts opened (case id -> the ids of the reports they put in it). `memo` (a live
    join's, kept between joins) holds parts of the last graph built with it, reused where
    their inputs are equal: the graph is the same as without it."""
    g = LinkGraph()
    hubs = _money(g, ev)
    _people(g, ev, links)
    _phones(g, ev, memo)
    _cells(g, ev)
    _cases(g, cases or {})
    senders = _indicators(g, ev)
    _infra(g, ev, hubs, senders)
    return g
