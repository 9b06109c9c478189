"""Groups in the weighted link graph: Leiden (graspologic-native, MIT), NetworkX Louvain when
the wheel is missing. Both are seeded, so a run is repeatable.

Connected parts are grouped one at a time: a part with a single report, or a small one, is one
group as it is (nothing to split); Leiden splits the larger ones where they hang together by a
thin thread (a card dealer serving two dens, a victim's relative calling a second gang).
"""

from __future__ import annotations

import logging
from collections import defaultdict

from scipy.cluster.hierarchy import DisjointSet

log = logging.getLogger("chaincut.gangs.community")

#: modularity resolution: below 1 keeps a gang's sub-chains (two SIM boxes, two mule trees)
#: together, while two dens joined by one person (a dealer paid fees by both) still come apart.
#: (0.5-0.8 grouped the training worlds' reports a little better but cut a gang's mule
#: branches off and gave them to another gang: docs/gangs.md, Evaluation)
RESOLUTION = 0.3
#: parts up to this many nodes are kept whole
SMALL_PART = 12


def components(weights: dict[tuple[str, str], float]) -> list[list[str]]:
    """Connected parts of the graph (edges of positive weight), each sorted, largest first."""
    parts: DisjointSet[str] = DisjointSet()
    for (a, b), w in weights.items():
        if w > 0:
            parts.add(a)
            parts.add(b)
            parts.merge(a, b)
    groups = parts.subsets()
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))


def _leiden(edges: list[tuple[str, str, float]], seed: int) -> dict[str, int]:
    try:
        from graspologic_native import leiden
    except ImportError:
        return _louvain(edges, seed)
    _, partition = leiden(
        edges, resolution=RESOLUTION, seed=seed, use_modularity=True, iterations=2, trials=3
    )
    return {str(k): int(v) for k, v in partition.items()}


def _louvain(edges: list[tuple[str, str, float]], seed: int) -> dict[str, int]:
    import networkx as nx

    g = nx.Graph()
    g.add_weighted_edges_from(edges)
    parts = nx.community.louvain_communities(g, weight="weight", resolution=RESOLUTION, seed=seed)
    return {n: k for k, part in enumerate(parts) for n in part}


def communities(weights: dict[tuple[str, str], float], *, seed: int = 0) -> list[list[str]]:
    """A partition of the graph's nodes into groups, each sorted, largest first."""
    out: list[list[str]] = []
    by_part: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    parts = components(weights)
    root = {n: part[0] for part in parts for n in part}
    for (a, b), w in sorted(weights.items()):
        if w > 0:
            by_part[root[a]].append((a, b, w))
    for part in parts:
        reports = sum(1 for n in part if n.startswith("report:"))
        if reports <= 1 or len(part) <= SMALL_PART:
            out.append(part)
            continue
        labels = _leiden(by_part[part[0]], seed)
        out.extend(join_strong(_attach(labels, by_part[part[0]]), by_part[part[0]]))
    return sorted(out, key=lambda g: (-len(g), g[0]))


#: a report's tie to an account at least this strong (a victim's payment into it, or most of
#: the loss traced to it) says the account is the gang's: groups it spans are one gang
STRONG_TIE = 2.5


def join_strong(groups: list[list[str]], edges: list[tuple[str, str, float]]) -> list[list[str]]:
    """`groups` with any two joined where a report of one is tied at least `STRONG_TIE` to an
    account or a case of the other: reports whose victims paid the same card, or that an
    analyst put in one case, are one gang's, however Leiden cut the rest of their chains."""
    where = {n: k for k, g in enumerate(groups) for n in g}
    parts = DisjointSet(range(len(groups)))
    for a, b, w in edges:
        kinds = {a.partition(":")[0], b.partition(":")[0]}
        if w >= STRONG_TIE and kinds in ({"report", "account"}, {"report", "case"}):
            parts.merge(where[a], where[b])
    joined: dict[int, list[str]] = defaultdict(list)
    for k, g in enumerate(groups):
        joined[parts[k]].extend(g)
    return [sorted(g) for g in joined.values()]


def _attach(labels: dict[str, int], edges: list[tuple[str, str, float]]) -> list[list[str]]:
    """Leiden's groups, each group without a report joined to the group with a report it is
    most strongly tied to (a SIM box's numbers to the gang whose victims they called). A group
    joins one gang only, so it never merges two."""
    has_report: dict[int, bool] = defaultdict(bool)
    for n, k in labels.items():
        has_report[k] |= n.startswith("report:")
    for _ in range(3):  # a group may reach a gang through another group without reports
        ties: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for a, b, w in edges:
            ka, kb = labels[a], labels[b]
            if ka != kb:
                ties[ka][kb] += w
                ties[kb][ka] += w
        moved = {
            k: max(sorted(t), key=lambda j: t[j])
            for k, t in ties.items()
            if not has_report[k] and any(has_report[j] for j in t)
        }
        moved = {k: j for k, j in moved.items() if has_report[j]} or {
            k: max((j for j in t if has_report[j]), key=lambda j: t[j])
            for k, t in ties.items()
            if not has_report[k] and any(has_report[j] for j in t)
        }
        if not moved:
            break
        labels = {n: moved.get(k, k) for n, k in labels.items()}
    groups: dict[int, list[str]] = defaultdict(list)
    for n, k in labels.items():
        groups[k].append(n)
    return [sorted(g) for g in groups.values()]
