"""Whole-chain gang analysis (全链条打击): from the lake to gangs with their members' roles.

    evidence = collect(engine)                      # traces, holders, contacts, handsets
    gangs = analyse(evidence, judgements=[...])     # -> list[Gang], JSON via Gang.json()

A gang is a group of the weighted link graph (`community`) that holds at least one report. Its
id is `GANG-` and its earliest report id, so that a gang keeps its id as reports join it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chaincut.gangs.ahead import RECENT_DAYS, when
from chaincut.gangs.ahead_model import COEF
from chaincut.gangs.bosses import partners
from chaincut.gangs.build import build_graph
from chaincut.gangs.cards import kin_cards
from chaincut.gangs.collect import Evidence, dealer_phones
from chaincut.gangs.community import communities
from chaincut.gangs.graph import LinkGraph, split
from chaincut.gangs.member import MIN_CONFIDENCE, ROLES, Member, member, sig
from chaincut.gangs.people import Judgement, PersonLink, apply_judgements, resolve
from chaincut.gangs.related import join_ends, relate_gangs
from chaincut.gangs.roles import MoneyFacts, assign_roles, money_facts
from chaincut.gangs.rowset import values
from chaincut.gangs.sentences import said

CENT = Decimal("0.01")


@dataclass
class Gang:
    gang_id: str
    reports: list[str]
    members: list[Member]
    money: dict[str, Decimal]
    dens: list[dict[str, Any]]
    victims: list[str] = field(default_factory=list)
    span: tuple[str, str] = ("", "")
    cases: list[str] = field(default_factory=list)
    #: other gangs tied to this one by evidence the grouping did not merge on
    #: (`chaincut.gangs.related`): an analyst merges them by opening a case holding both
    related: list[dict[str, Any]] = field(default_factory=list)
    #: how firm the grouping is, 0..1 (`chaincut.gangs.stability`): how far the grouping was
    #: from merging the gang with the one it is most tied to; that gang, the tie and the
    #: report leaning least to the gang in `firmness`
    stability: float = 1.0
    firmness: dict[str, Any] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        """The object `chaincut gangs` writes: issue 14's shape, `related`, `stability` and
        `firmness`."""
        return {
            "gang_id": self.gang_id,
            "reports": self.reports,
            "cases": self.cases,
            "members": [m.json() for m in self.members],
            "money": {k: str(v.quantize(CENT)) for k, v in self.money.items()},
            "dens": self.dens,
            "related": self.related,
            "stability": self.stability,
            "firmness": self.firmness,
        }

    def detail(self) -> dict[str, Any]:
        """`json()` with the victims and the time span, as the API answers."""
        return self.json() | {
            "victims": self.victims,
            "span": {"first": self.span[0], "last": self.span[1]},
        }


@dataclass
class Analysis:
    """The graph, the person links and the gangs of one run."""

    graph: LinkGraph
    links: list[PersonLink]
    gangs: list[Gang]
    #: the graph's weights and their grouping (`communities` with `seed`) before the analysis
    #: placed dealers' idle cards and lines' targets: what the saved graph keeps
    #: (`chaincut.gangs.saved`), made once for the run
    weights: dict[tuple[str, str], float] = field(default_factory=dict)
    grouping: list[list[str]] = field(default_factory=list)
    seed: int = 0

    def gang_of(self, report_id: str) -> Gang | None:
        return next((g for g in self.gangs if report_id in g.reports), None)


def _dens(group: set[str], ev: Evidence) -> list[dict[str, Any]]:
    lines: dict[str, set[str]] = {}
    cells: dict[str, set[str]] = {}
    for d in ev.devices:
        imei = str(d["imei"])
        if f"device:{imei}" in group:
            lines.setdefault(imei, set()).add(d["phone"])
            cells.setdefault(imei, set()).update(c for c in (d.get("cell"),) if c)
    boxes = [
        {"device": imei, "lines": sorted(p), "cells": sorted(cells[imei])}
        for imei, p in sorted(lines.items())
        if len(p) >= 2
    ]
    return boxes


def _money(
    reports: list[str],
    traces: dict[str, dict[str, Any]],
    stops: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Decimal]:
    """The gang's money: `reported` the reports' losses, `exited` what their traces saw leave,
    `stopped` the sum of the emergency stops' claims `trace --all` issues for the reports (each
    report's `totals.claimed` as `trace --all` judges it: `stops`, `Evidence.stops`; the
    graph's trace where a report has none there, as a report filed since its run)."""
    out = {"reported": Decimal(0), "stopped": Decimal(0), "exited": Decimal(0)}
    for r in reports:
        t = traces.get(r, {}).get("totals", {})
        judged = (stops or {}).get(r, t)
        out["reported"] += Decimal(t.get("loss", "0"))
        out["stopped"] += Decimal(judged.get("claimed", "0"))
        out["exited"] += Decimal(t.get("exited", "0"))
    return out


def _moved(groups: list[list[str]], moves: Mapping[str, int]) -> list[list[str]]:
    """`groups` with each node of `moves` taken out of its group and put in the group of that
    position; the groups left empty dropped, the rest sorted (`groups` itself without moves)."""
    if not moves:
        return groups
    out: list[list[str]] = [[n for n in g if n not in moves] for g in groups]
    for n, k in moves.items():
        out[k].append(n)
    return [sorted(g) for g in out if g]


def follow_dealers(groups: list[list[str]], ev: Evidence, f: MoneyFacts) -> list[list[str]]:
    """`groups` with each card that a dealer's phone registered and that no money ties to the
    chain moved to the group holding most of that phone's cards the money does reach: a
    dealer's idle cards belong to the gang that uses its other cards, not to whichever gang
    its phone talks to most."""
    owners = {str(ph): str(pid) for pid, ph in values(ev.persons, "person_id", "phone") if ph}
    money = set(f.score) | set(f.paid_by) | {a for a, linked in f.links.items() if linked}
    where = {n: k for k, group in enumerate(groups) for n in group}
    moves: dict[str, int] = {}
    for found in dealer_phones(ev.account_phones, set(f.score) | set(f.paid_by), owners).values():
        votes = Counter(
            where[f"account:{a}"] for a in found if a in money and f"account:{a}" in where
        )
        if not votes:
            continue
        home = min(votes, key=lambda k: (-votes[k], k))
        for a in found - money:
            if where.get(f"account:{a}", home) != home:
                moves[f"account:{a}"] = home
    return _moved(groups, moves)


#: (round fourteen) an account whose infrastructure score (`LinkGraph.infra`) reaches this is
#: shared by many people and stays where the grouping put it
SHARED = 0.5


def follow_traces(groups: list[list[str]], ev: Evidence, graph: LinkGraph) -> list[list[str]]:
    """`groups` with each account the reports' money reached (a victim's transfer, a trace's
    freeze or verify order, an exit) that the grouping put in a group holding none of those
    reports moved to the group holding most of them (the first by position on a tie): the
    money says whose card it is, the ties that drew it elsewhere (a holder, a registration, a
    contact) are weaker evidence of the gang. Shared infrastructure stays where it is."""
    reached: dict[str, set[str]] = {}
    for t in ev.transfers:
        reached.setdefault(str(t["dst_account"]), set()).add(str(t["report_id"]))
    for tr in ev.traces:
        hit = [o["account_id"] for key in ("freeze", "verify") for o in tr[key]]
        for a in [*hit, *(e["from"] for e in tr["exits"])]:
            reached.setdefault(str(a), set()).add(str(tr["report_id"]))
    where = {n: k for k, group in enumerate(groups) for n in group}
    moves: dict[str, int] = {}
    for a, reports in sorted(reached.items()):
        n = f"account:{a}"
        if n not in where or graph.infra.get(n, 0.0) >= SHARED:
            continue
        votes = Counter(where[f"report:{r}"] for r in reports if f"report:{r}" in where)
        if votes and where[n] not in votes:
            moves[n] = min(votes, key=lambda k: (-votes[k], k))
    return _moved(groups, moves)


def follow_lines(groups: list[list[str]], ev: Evidence) -> list[list[str]]:
    """`groups` with each card that people the gang's lines talked to paid (`ev.targeted`)
    added to the group of the first such line that has one. The payment names a member, it
    does not tie gangs: the cards are placed after the grouping, never part of it."""
    where = {n: k for k, group in enumerate(groups) for n in group}
    out = [list(g) for g in groups]
    for m in sorted(ev.targeted, key=lambda m: (m["dst"], m["line"])):
        card, line = f"account:{m['dst']}", f"phone:{m['line']}"
        if card not in where and line in where:
            where[card] = where[line]
            out[where[line]].append(card)
    return [sorted(g) for g in out]


#: the share of a card's counterparties that must be the chain's accounts for the money with
#: them to back the mule-card model fully: a rented card deals mostly with the chain; a trader,
#: a customer or a victim who did not report pays a few of its cards among many others
CHAIN_SHARE = 0.6
#: (round nine b) the weight, in log-odds, of a vetted card opened at most `RECENT_DAYS` before
#: the gang's first report: the freeze-ahead leads' weight (`ahead_model.COEF["recent"]`, set
#: from an assumed base rate of one account in forty opened in any two months). A rented card
#: (断卡) is opened weeks before use and also pays the gang's strangers' shops: the share of
#: chain counterparties alone drops it, its opening day wins back what the share took
RECENT_WEIGHT = COEF["recent"]


def openings(ev: Evidence) -> dict[str, str]:
    """Account -> opening time, of the accounts `collect` gathered with theirs (`kin`, `ahead`)."""
    rows = (values(part, "account_id", "opened_at") for part in (ev.kin, ev.ahead))
    return {str(a): str(at) for part in rows for a, at in part}  # (two columns, no dicts)


def vet_cards(
    members: list[Member],
    ev: Evidence,
    f: MoneyFacts,
    *,
    first: str = "",
    opened: Mapping[str, str] | None = None,
) -> list[Member]:
    """`members` with each card whose only tie is the mule-card model and money with some of
    the chain's cards (evidence `model_links`, no dealer's registration) trusted in proportion
    to the share of its counterparties that are the chain's (full at `CHAIN_SHARE`), left out
    below `MIN_CONFIDENCE`; a holder listed for its cards alone goes with them. A card opened
    at most `RECENT_DAYS` before `first` (the gang's first report; `opened`: account ->
    opening time, `openings(ev)` when not given) gets `RECENT_WEIGHT` back in log-odds, never
    above its confidence before the vetting, and says when it was opened."""
    start = when(first)
    if opened is None and start is not None:
        opened = openings(ev)
    kept: dict[str, float] = {}
    out: list[Member] = []
    for m in members:
        codes = [c["code"] for c in m.codes if c]
        if m.kind == "account" and codes[:1] == ["model_links"] and "registered_like" not in codes:
            degree = ev.degrees.get(m.id, 0)
            share = len(f.links.get(m.id, ())) / degree if degree else 1.0
            before = m.confidence
            m.confidence *= min(1.0, share / CHAIN_SHARE) ** 0.5
            day = when((opened or {}).get(m.id, ""))
            days = (start - day).days if start and day else None
            if days is not None and 0 <= days <= RECENT_DAYS:
                # (held inside (0, 1): a card none of whose counterparties is the chain's)
                c = min(max(m.confidence, 1e-6), 1.0 - 1e-6)
                odds = math.log(c / (1.0 - c))
                m.confidence = max(m.confidence, min(before, sig(odds + RECENT_WEIGHT)))
                why = said("opened_before", day=str(day)[:10], days=str(days))
                m.evidence.insert(1, why.text)
                m.codes.insert(1, why.as_dict())
            if m.confidence < MIN_CONFIDENCE:
                continue
        if m.kind == "account":
            kept[m.id] = m.confidence
        out.append(m)
    vetted: list[Member] = []
    for m in out:
        if m.kind == "person" and m.codes and m.codes[0] and m.codes[0]["code"] == "holder_of":
            held = [kept[a] for a in str(m.codes[0]["args"]["accounts"]).split(", ") if a in kept]
            if not held:
                continue
            m.confidence = min(m.confidence, max(held) * 0.95)
            if m.confidence < MIN_CONFIDENCE:
                continue
        vetted.append(m)
    return sorted(vetted, key=_order)


#: how much a flagged card's model score counts when its holder holds one of the gang's cards
SIBLING_WEIGHT = 0.9


def sibling_cards(gangs: list[Gang], ev: Evidence, graph: LinkGraph) -> None:
    """Add to each gang (in id order) the cards the mule-card model flags whose holder holds
    one of its listed cards: a person who rents out one card to a gang usually sells it the
    others (the holder's own accounts the model does not flag stay out). The model's score,
    weighted `SIBLING_WEIGHT`, is the confidence; the evidence, the model's score, the holder
    (person id) and the listed card it also holds. A card already in a gang stays where it is."""
    persons = {str(pid) for (pid,) in values(ev.persons, "person_id")}
    owned: dict[str, list[str]] = {}
    for row in sorted(ev.owned, key=lambda r: str(r["account_id"])):
        if str(row["person_id"]) in persons:
            owned.setdefault(str(row["person_id"]), []).append(str(row["account_id"]))
    holder = {str(h["account_id"]): str(h["person_id"]) for h in ev.holders}
    taken = {m.id for g in gangs for m in g.members if m.kind == "account"}
    victims = {str(t["victim_account"]) for t in ev.transfers if t["victim_account"]}
    for g in gangs:
        added: list[Member] = []
        for m in g.members:
            if m.kind != "account" or m.role not in ("mule", "launderer"):
                continue
            for card in owned.get(holder.get(m.id, ""), []):
                conf = ev.scores.get(card, 0.0) * SIBLING_WEIGHT
                if card in taken or card in victims or conf < MIN_CONFIDENCE:
                    continue
                if graph.infra.get(f"account:{card}", 0.0) >= 0.5:
                    continue
                taken.add(card)
                why = said("model_links", score=f"{ev.scores[card]:.2f}", cards="0")
                added.append(
                    member(
                        "account",
                        card,
                        "mule",
                        conf,
                        [why, holder[m.id], m.id],
                    )  # fmt: skip
                )
        if added:
            g.members = sorted(g.members + added, key=_order)


def _order(m: Member) -> tuple[int, float, str, str]:
    return (ROLES.index(m.role), -m.confidence, m.kind, m.id)


def analyse(
    ev: Evidence,
    judgements: Iterable[Judgement] = (),
    *,
    links: list[PersonLink] | None = None,
    seed: int = 0,
    cases: Mapping[str, Iterable[str]] | None = None,
) -> Analysis:
    """Every gang in the evidence, with roles; the analyst's `judgements` on people win, and
    the reports an analyst put in one case (`cases`: case id -> report ids) are one gang's,
    which lists the case in its `cases`."""
    if links is None:
        links = resolve(ev.persons, seed=seed)
    links = apply_judgements(links, judgements)
    graph = build_graph(ev, links, cases)
    facts = money_facts(ev)
    traces = {t["report_id"]: t for t in ev.traces}
    info = {r["report_id"]: r for r in ev.reports}
    gangs: list[Gang] = []
    weights = graph.weighted()
    grouping = communities(weights, seed=seed)
    kept = [list(g) for g in grouping]  # (as grouped, whatever the steps after do to them)
    grouped = join_ends(grouping, ev, graph)
    groups = follow_lines(follow_dealers(follow_traces(grouped, ev, graph), ev, facts), ev)
    # each number's contacts, the same for every gang: made once for the run, where each gang
    # made them again (gangs x contacts: most of `analyse` at 1 M, and sixty-fold at 10 M)
    talks = partners(ev)
    opened = openings(ev)
    for group in groups:
        reports = sorted(i for k, i in map(split, group) if k == "report")
        if not reports:
            continue
        times = sorted(str(info[r]["ts"]) for r in reports if r in info)
        first = times[0] if times else ""
        found = assign_roles(group, graph, ev, facts, talks)
        members = vet_cards(found, ev, facts, first=first, opened=opened)
        victims = sorted(
            {str(info[r]["victim_id"]) for r in reports if info.get(r, {}).get("victim_id")}
        )
        gangs.append(
            Gang(
                gang_id=f"GANG-{reports[0]}",
                reports=reports,
                members=members,
                money=_money(reports, traces, ev.stops),
                dens=_dens(set(group), ev),
                victims=victims,
                span=(times[0], times[-1]) if times else ("", ""),
                cases=sorted(i for k, i in map(split, group) if k == "case"),
            )
        )
    gangs.sort(key=lambda g: g.gang_id)
    sibling_cards(gangs, ev, graph)
    kin_cards(gangs, ev, graph)
    relate_gangs(gangs, groups, graph, ev)
    return Analysis(graph, links, gangs, weights, kept, seed)
