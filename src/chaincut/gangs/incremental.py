"""A new report joins its gang without collecting the lake or grouping the whole graph again.

`live_join` is what the service runs (`chaincut.services.gang_join`): the report's evidence
(`chaincut.gangs.filed`) added to the link graph saved with the last analysis
(`chaincut.gangs.saved`), only the connected parts whose weights changed grouped again
(`regroup_to`: community detection runs on each connected part alone, so the other groups are
the ones a full rebuild gives) and the gangs made from the groups as `analyse` makes them.

`join` is the look-up of earlier rounds, kept for a home whose graph is stale or missing: the
gang whose member accounts the report's money reached, weighted by each member's confidence.
"""

from __future__ import annotations

import copy
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from chaincut.gangs.ahead import grow_contacts
from chaincut.gangs.analyse import (
    Gang,
    _dens,
    _money,
    follow_dealers,
    follow_lines,
    follow_traces,
    openings,
    sibling_cards,
    vet_cards,
)
from chaincut.gangs.bosses import keep_partners, kept_partners, partners
from chaincut.gangs.build import build_graph
from chaincut.gangs.cards import kin_cards
from chaincut.gangs.collect import Evidence
from chaincut.gangs.community import communities
from chaincut.gangs.graph import LinkGraph, split
from chaincut.gangs.kept import changed as changed_ids
from chaincut.gangs.kept import clone, footprint, untouched
from chaincut.gangs.people import Judgement, apply_judgements
from chaincut.gangs.quick import quick_regroup
from chaincut.gangs.related import join_ends, relate_gangs
from chaincut.gangs.roles import assign_roles, money_facts
from chaincut.gangs.rowset import values
from chaincut.gangs.saved import SavedGraph, merge_added

#: how much member confidence the report's accounts must share with a gang to join it
MIN_SHARED = 0.5


def join(
    gangs: list[dict[str, Any]], report_id: str, accounts: Iterable[str]
) -> dict[str, Any] | None:
    """The gang (as saved, plus `joined`: the report and the shared accounts) that the report
    whose money reached `accounts` belongs to; None when it shares no member with any gang."""
    reached = set(accounts)
    best: tuple[float, str, dict[str, Any], list[str]] | None = None
    for g in gangs:
        if report_id in g["reports"]:
            return g
        shared = [m for m in g["members"] if m["kind"] == "account" and m["id"] in reached]
        weight = sum(float(m["confidence"]) for m in shared)
        if weight >= MIN_SHARED and (best is None or (weight, g["gang_id"]) > best[:2]):
            best = (weight, g["gang_id"], g, sorted(m["id"] for m in shared))
    if best is None:
        return None
    out = dict(best[2])
    out["joined"] = {"report_id": report_id, "shared_accounts": best[3]}
    return out


def regroup(
    groups: list[list[str]],
    weights: dict[tuple[str, str], float],
    changed: dict[tuple[str, str], float],
    *,
    seed: int = 0,
) -> list[list[str]]:
    """The groups of the link graph `weights` (grouped as `groups`) once a new report's
    edges change it by `changed` (pair -> weight to add; negative where the report made a
    node look more like shared infrastructure), recomputing only the connected parts the
    change touches and the groups overlapping them: the other groups stay as they were.
    Community detection runs on each connected part alone (`community.communities`), so this
    gives exactly the groups a full rebuild gives."""
    merged = dict(weights)
    for pair, w in changed.items():
        merged[pair] = merged.get(pair, 0.0) + w
    merged = {pair: w for pair, w in merged.items() if w > 1e-12}
    return regroup_to(groups, weights, merged, seed=seed)


def regroup_to(
    groups: list[list[str]],
    before: dict[tuple[str, str], float],
    after: dict[tuple[str, str], float],
    *,
    seed: int = 0,
) -> list[list[str]]:
    """`regroup` given the graph's weights after the change (`after`) rather than the change:
    the pairs whose weight differs are the change, and the parts they touch are grouped on
    `after`'s own weights (no sum rounded differently from a rebuild's)."""
    # (the pairs whose weight differs, found by the dicts' items compared in compiled code;
    # a pair counts where it weighs more than nothing on either side)
    redo = {n for pair, _ in after.items() ^ before.items()
            if after.get(pair, 0) > 0 or before.get(pair, 0) > 0 for n in pair}  # fmt: skip
    if not redo:
        return groups
    member = {n: k for k, g in enumerate(groups) for n in g}
    grown = set(redo)

    def touched(parts: list[list[str]]) -> set[str]:
        """The parts and old groups the change reaches, to a fixed point."""
        part_of = {n: k for k, part in enumerate(parts) for n in part}
        nonlocal grown
        while True:
            more = set(grown)
            for k in {member[n] for n in grown if n in member}:
                more.update(groups[k])
            for k in {part_of[n] for n in more if n in part_of}:
                more.update(parts[k])
            if more == grown:
                return grown
            grown = more

    fresh = communities(after, seed=seed, touched=touched)
    kept = [g for g in groups if not grown.intersection(g)]
    return sorted(kept + fresh, key=lambda g: (-len(g), g[0]))


def gangs_of(
    groups: list[list[str]],
    ev: Evidence,
    graph: LinkGraph,
    memo: dict[str, Any] | None = None,
    changed: Callable[[], set[str] | None] | None = None,
) -> list[Gang]:
    """The gangs of a grouping of `graph` (`communities`' output), exactly as `analyse` makes
    them: the cards the reports' money reached, dealers' idle cards and the lines' targets
    placed, roles named, cards vetted, each gang's money, dens, victims and span, and the
    holders' other flagged cards and other accounts tied to the gang added. `memo` (a live join's, kept between joins): each gang as
    made before the steps across gangs: one whose group (its nodes and how much each looks like
    shared infrastructure) is the call before's and that the new report leaves alone
    (`kept.untouched`) is kept. `changed` gives the identifiers the report may alter
    (`kept.changed`; None: nothing kept), asked only once a gang's group is the one before."""
    facts = money_facts(ev)
    # each number's contacts, the same for every gang: made once, not three times a gang, and
    # kept while the contact lists are the same (`bosses.kept_partners`; grown by `live_join`)
    talks = partners(ev)
    kept: dict[Any, tuple[set[str], Gang]] = {}
    if memo is not None and changed is not None:
        kept = memo.get("gangs", {})
    made: dict[Any, tuple[set[str], Gang]] = {}
    ids: list[set[str] | None] = []
    traces = {t["report_id"]: t for t in ev.traces}
    info = {r["report_id"]: r for r in ev.reports}
    opened = openings(ev)
    gangs: list[Gang] = []
    grouped = follow_traces(join_ends(groups, ev, graph), ev, graph)
    placed = follow_lines(follow_dealers(grouped, ev, facts), ev)
    for group in placed:
        reports = sorted(i for k, i in map(split, group) if k == "report")
        if not reports:
            continue
        ident = tuple((n, graph.infra.get(n)) for n in group)
        old = kept.get(ident)
        if old is not None and changed is not None and not ids:
            ids.append(changed())  # (made once, and only where a gang may be kept)
        if old is not None and ids and ids[0] is not None and untouched(old[0], ids[0], memo or {}):
            made[ident] = old
            gangs.append(clone(old[1]))
            continue
        times = sorted(str(info[r]["ts"]) for r in reports if r in info)
        victims = {str(info[r]["victim_id"]) for r in reports if info.get(r, {}).get("victim_id")}
        gang = Gang(
            gang_id=f"GANG-{reports[0]}",
            reports=reports,
            members=vet_cards(
                assign_roles(group, graph, ev, facts, talks),
                ev,
                facts,
                first=times[0] if times else "",
                opened=opened,
            ),
            money=_money(reports, traces, ev.stops),
            dens=_dens(set(group), ev),
            victims=sorted(victims),
            span=(times[0], times[-1]) if times else ("", ""),
            cases=sorted(i for k, i in map(split, group) if k == "case"),
        )
        made[ident] = (footprint(group, gang), clone(gang))
        gangs.append(gang)
    if memo is not None:
        memo["gangs"], memo["gangs_ev"] = made, ev
    gangs.sort(key=lambda g: g.gang_id)
    sibling_cards(gangs, ev, graph)
    kin_cards(gangs, ev, graph)
    relate_gangs(gangs, placed, graph, ev)
    return gangs


def grow_partners(before: Evidence, after: Evidence, added: Evidence) -> None:
    """Keep the numbers' contacts of `before` (`bosses.partners`, if it is the one kept) as
    `after`'s, where `after`'s contact lists are `before`'s and the rows of `added` (a live
    join's merge): the same sets as made afresh (the map is read by number only, so where a
    new number comes in its order does not matter); the sets handed out before unchanged."""
    held = kept_partners(before)
    if held is None:
        return
    rows = list(added.contacts) + list(added.boss_contacts)
    if len(after.contacts) + len(after.boss_contacts) != held[2] + held[3] + len(rows):
        return  # (not `before`'s rows and these: made afresh when asked)
    talks: dict[str, set[str]] = defaultdict(set, held[4])
    for src, dst in values(rows, "src", "dst"):
        if src != dst:
            talks[str(src)] = talks[str(src)] | {str(dst)}
            talks[str(dst)] = talks[str(dst)] | {str(src)}
    keep_partners(after, talks)


def live_join(
    saved: SavedGraph,
    extra: Evidence,
    judgements: Iterable[Judgement] = (),
    cases: Mapping[str, Iterable[str]] | None = None,
    *,
    quick: bool = False,
) -> tuple[SavedGraph, list[Gang]]:
    """A new report's evidence (`extra`) added to the saved analysis: the link graph built
    again from the saved rows and the new ones (`build.build_graph`: no lake is read; the
    contact edges of the last join reused where the report changes none of their inputs), only
    the connected parts whose weights changed grouped again (`regroup_to`) or, `quick`, the
    nodes the report touches moved in the groups before by local moves (`quick.quick_regroup`:
    no community detection; `memo["grouped"]` says which ran), and the gangs made from the
    groups (those the report leaves alone kept from the join before:
    `kept`). Returns
    the graph to save and every gang: the same gangs as `analyse` over the merged evidence,
    the analyst's `judgements` applied and the reports of the `cases` analysts filled by hand
    (case id -> report ids) tied."""
    # (what the service holds between joins, the saved evidence and the memo, is most of the
    # objects alive: frozen, Python's cyclic collector passes over it during the join, where a
    # full collection walked its 260 000 rows; the same objects, put back as they were after)
    gc.freeze()
    try:
        return _live_join(saved, extra, judgements, cases, quick)
    finally:
        gc.unfreeze()


def _live_join(
    saved: SavedGraph,
    extra: Evidence,
    judgements: Iterable[Judgement],
    cases: Mapping[str, Iterable[str]] | None,
    quick: bool,
) -> tuple[SavedGraph, list[Gang]]:
    ev, added = merge_added(saved.evidence, extra)
    grow_contacts(saved.evidence, ev, added)  # (the freeze-ahead leads' contact map)
    grow_partners(saved.evidence, ev, added)  # (the roles' contacts)
    links = apply_judgements(saved.links, judgements)
    # (gangs kept only with the links and cases they were made with)
    memo = saved.memo
    same = links == saved.links == memo.get("gangs_links") and memo.get("gangs_cases") == cases
    saved.memo["gangs_links"], saved.memo["gangs_cases"] = links, copy.deepcopy(cases)
    graph = build_graph(ev, links, cases, memo=saved.memo)
    weights = graph.weighted()
    if quick:
        groups, saved.memo["grouped"] = quick_regroup(saved.groups, saved.weights, weights), "quick"
    else:
        groups = regroup_to(saved.groups, saved.weights, weights, seed=saved.seed)
        saved.memo["grouped"] = "exact"
    after = SavedGraph(saved.generation, ev, links, groups, weights, saved.seed, saved.memo)
    changed = (lambda: changed_ids(saved, extra, ev)) if same else None
    return after, gangs_of(groups, ev, graph, saved.memo, changed)
