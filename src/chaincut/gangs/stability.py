"""How firm a gang is: how near the grouping came to merging it with the gang it is most tied to,
and which of its reports leans least to it.

The grouping (`community`) maximises modularity at resolution `community.RESOLUTION`: two
groups G and H of a connected part whose total weight is m are better merged once the weight
between them, w, exceeds resolution * s_G * s_H / (2m) (s: the summed weight of a group's
edges, those inside counted twice). So each pair of gangs has the resolution below which the
grouping would have merged them, 2m * w / (s_G * s_H). A gang's `stability` is 1 minus the
highest of those over the gangs it is tied to, as a share of the grouping's resolution: 1 for a
gang tied to no other, 0 where that resolution is reached (kept apart by the steps after
Leiden or by Leiden's local optimum, not by the weight of the evidence). `firmness` says which
gang (`tied_to`), by how much weight (`tie_weight`), at what resolution (`merge_resolution`,
beside the grouping's `resolution`), and the gang's report that leans least to it
(`weakest_report`): the share of the pull on it (`weakest_share`; the pull to a gang is the
chance that two steps along the weighted edges from the report end in the gang's group) that
is its own gang's against the gang pulling it most (`leans_to`).

It comes from the groups and the graph's edges alone (two passes over them; no grouping runs
again), so the live join and a full rebuild give the same figures. Round eight's training
worlds: docs/gangs.md "Round eight: grouping".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scipy.cluster.hierarchy import DisjointSet

from chaincut.gangs.community import RESOLUTION
from chaincut.gangs.graph import EVIDENCE_ONLY, LinkGraph

Weights = dict[str, dict[str, float]]


@dataclass(frozen=True)
class Firmness:
    """One gang's firmness (`firmness`)."""

    stability: float
    tied_to: str | None
    tie_weight: float
    merge_resolution: float
    weakest_report: str | None = None
    weakest_share: float = 1.0
    leans_to: str | None = None

    def json(self) -> dict[str, object]:
        return {
            "tied_to": self.tied_to,
            "tie_weight": round(self.tie_weight, 3),
            "merge_resolution": round(self.merge_resolution, 3),
            "resolution": RESOLUTION,
            "weakest_report": self.weakest_report,
            "weakest_share": round(self.weakest_share, 3),
            "leans_to": self.leans_to,
        }


@dataclass
class _Sums:
    """What the passes over the edges gather for `firmness`."""

    strength: dict[str, float]  # gang -> its edges' summed weight (inside counted twice)
    tie: dict[tuple[str, str], float]  # pair of gangs -> the weight between them
    part: dict[str, float]  # gang -> its connected part's total weight
    near: Weights  # report -> neighbour -> weight
    into: Weights  # node -> gang -> weight of its edges into the gang


def _sums(where: Mapping[str, str], graph: LinkGraph) -> _Sums:
    strength: dict[str, float] = defaultdict(float)
    tie: dict[tuple[str, str], float] = defaultdict(float)
    loose: dict[str, float] = defaultdict(float)  # edges with one end in no gang
    near: Weights = defaultdict(lambda: defaultdict(float))
    gangs = sorted(set(where.values()))
    parts: DisjointSet[str] = DisjointSet(gangs)
    infra = graph.infra
    for e in graph.edges:  # weighed as the grouping weighs them (`LinkGraph.weighted`)
        a, b = e.a, e.b
        ia, ib = infra.get(a, 0.0), infra.get(b, 0.0)
        if ia >= 0.5 or ib >= 0.5 or e.kind in EVIDENCE_ONLY:
            continue
        w = e.weight * (1 - ia) * (1 - ib)
        if a[:7] == "report:":
            near[a][b] += w
        if b[:7] == "report:":
            near[b][a] += w
        ga, gb = where.get(a), where.get(b)
        if ga is None:
            if gb is not None:
                strength[gb] += w
                loose[gb] += w
            continue
        strength[ga] += w
        if gb is None:
            loose[ga] += w
            continue
        strength[gb] += w
        if ga != gb:
            tie[(ga, gb) if ga < gb else (gb, ga)] += w
            if parts[ga] != parts[gb]:
                parts.merge(ga, gb)
    total: dict[str, float] = defaultdict(float)
    for g in gangs:
        total[parts[g]] += (strength[g] + loose[g]) / 2
    into = _into(graph, {n for r in near.values() for n in r}, where)
    return _Sums(strength, tie, {g: total[parts[g]] for g in gangs}, near, into)


def _into(graph: LinkGraph, nbrs: set[str], where: Mapping[str, str]) -> Weights:
    """Where the edges of the reports' neighbours `nbrs` go (node -> gang -> weight): the
    second step of a report's pull."""
    into: Weights = defaultdict(lambda: defaultdict(float))
    infra = graph.infra
    for e in graph.edges:
        a, b = e.a, e.b
        if (a not in nbrs and b not in nbrs) or e.kind in EVIDENCE_ONLY:
            continue
        ia, ib = infra.get(a, 0.0), infra.get(b, 0.0)
        if ia >= 0.5 or ib >= 0.5:
            continue
        w = e.weight * (1 - ia) * (1 - ib)
        ga, gb = where.get(a), where.get(b)
        if gb is not None and a in nbrs:
            into[a][gb] += w
        if ga is not None and b in nbrs:
            into[b][ga] += w
    return into


def firmness(members: Mapping[str, Sequence[str]], graph: LinkGraph) -> dict[str, Firmness]:
    """Each gang's firmness (`members`: gang id -> the nodes of its group; a node in two groups
    counts in the first by id), from `graph`'s edges weighed as the grouping weighs them."""
    where: dict[str, str] = {}
    for gang_id, nodes in sorted(members.items()):
        for n in nodes:
            where.setdefault(n, gang_id)
    sums = _sums(where, graph)
    best: dict[str, tuple[float, float, str | None]] = {}
    for (a, b), w in sorted(sums.tie.items()):
        if sums.strength[a] <= 0 or sums.strength[b] <= 0:
            continue
        gamma = 2 * sums.part[a] * w / (sums.strength[a] * sums.strength[b])
        for me, other in ((a, b), (b, a)):
            if gamma > best.get(me, (-1.0, 0.0, ""))[0]:
                best[me] = (gamma, w, other)
    weakest: dict[str, tuple[float, str, str | None]] = {}
    for r, (share, rival) in sorted(report_pull(sums.near, sums.into, where).items()):
        if share < weakest.get(where[r], (2.0, "", None))[0]:
            weakest[where[r]] = (share, r.partition(":")[2], rival)
    out: dict[str, Firmness] = {}
    for g in sorted(members):
        share, report, rival = weakest.get(g, (1.0, "", None))
        gamma, w, tied = best.get(g, (0.0, 0.0, None))
        value = round(max(0.0, 1.0 - gamma / RESOLUTION), 3)
        out[g] = Firmness(value, tied, w, gamma, report or None, share, rival)
    return out


def pulls(groups: Sequence[Sequence[str]], graph: LinkGraph) -> dict[str, tuple[float, str | None]]:
    """`report_pull` over `groups` (each group named by its number, as a string)."""
    where = {n: str(k) for k, g in enumerate(groups) for n in g}
    sums = _sums(where, graph)
    return report_pull(sums.near, sums.into, where)


def report_pull(
    near: Mapping[str, Mapping[str, float]],
    into: Mapping[str, Mapping[str, float]],
    where: Mapping[str, str],
) -> dict[str, tuple[float, str | None]]:
    """report node -> the share of the pull on it that is its own gang's, against the gang
    pulling it most (and that gang; None and 1.0 where no other pulls): the pull to a gang is
    the chance that two steps along the weighted edges from the report (not back to it) end in
    the gang's group."""
    out: dict[str, tuple[float, str | None]] = {}
    for r, nbrs in sorted(near.items()):
        mine = where.get(r)
        if mine is None:
            continue
        pull: dict[str, float] = defaultdict(float)
        total_r = sum(nbrs.values())
        for n, w in nbrs.items():
            reach = dict(into.get(n, {}))
            if mine in reach:
                reach[mine] -= w  # not back to the report itself
            s_n = sum(reach.values())
            for x, v in reach.items():
                if s_n > 0 and v > 0:
                    pull[x] += (w / total_r) * v / s_n
        own = pull.pop(mine, 0.0)
        rival = min(pull, key=lambda x: (-pull[x], x)) if pull else None
        theirs = pull[rival] if rival is not None else 0.0
        out[r] = (own / (own + theirs) if own + theirs > 0 else 1.0, rival)
    return out
