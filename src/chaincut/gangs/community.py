"""Groups in the weighted link graph: Leiden (graspologic-native, MIT), NetworkX Louvain when
the wheel is missing. Both are seeded, so a run is repeatable.

Connected parts are grouped one at a time: a part with a single report, or a small one, is one
group as it is (nothing to split); Leiden splits the larger ones where they hang together by a
thin thread (a card dealer serving two dens, a victim's relative calling a second gang).

With `CORE_HOPS` set, Leiden sees a part's report-bearing core only (`reduce_part`): the
nodes within that many links of a report, the rest held as whole pieces that keep their weight.
Unset (the default: it split foreign worlds' gangs), it sees the whole part. The full rebuild
and the live join (`chaincut.gangs.incremental`) group a part the same way either way.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import DisjointSet
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

log = logging.getLogger("chaincut.gangs.community")

#: modularity resolution: below 1 keeps a gang's sub-chains (two SIM boxes, two mule trees)
#: together, while two dens joined by one person (a dealer paid fees by both) still come apart.
#: (0.5-0.8 grouped the training worlds' reports a little better but cut a gang's mule
#: branches off and gave them to another gang: docs/gangs.md, Evaluation)
RESOLUTION = 0.3
#: Leiden's runs over a part (the one of highest modularity kept) and its passes in each run.
#: One or two runs cost a third to a half less CPU (most of a live join's) but grouped a
#: training world's reports worse (fw461 report-pair F1 1.0 -> 0.765; one pass, fw460 1.0 ->
#: 0.774: docs/gangs.md, "Round eleven: the live join"), so three runs of two passes
TRIALS = 3
ITERATIONS = 2
#: parts up to this many nodes are kept whole
SMALL_PART = 12
#: with a number: Leiden sees the nodes within this many links of a report one by one and
#: holds what lies farther (on the fw5 world 4/5 of a part's edges: numbers called by the
#: numbers a report's people call) as whole pieces (`reduce_part`). 2 made a join 6x cheaper
#: in grouping but split gangs of two of the seven evaluation worlds (report-pair F1 fw-1007
#: 0.93 -> 0.87, fw-1013 0.86 -> 0.67: docs/gangs.md, How it works 3), so None: Leiden sees
#: the whole part
CORE_HOPS: int | None = None
#: the name of a far piece's node in what Leiden sees (no node kind of the graph has it)
PIECE = "piece:"

Edges = list[tuple[str, str, float]]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


class _Graph:
    """A graph's edges of positive weight, indexed: its nodes sorted by name, and each edge's
    two ends (node numbers, the smaller first) and weight, in the order of the sorted pairs."""

    def __init__(self, weights: dict[tuple[str, str], float]) -> None:
        # (the ends and weights as columns, each node's number looked up in compiled code)
        pairs = [pair for pair, w in weights.items() if w > 0]
        firsts, seconds = (list(x) for x in zip(*pairs, strict=True)) if pairs else ([], [])
        self.names = sorted(set(firsts).union(seconds))
        at = dict(zip(self.names, range(len(self.names)), strict=True))
        one = np.fromiter(map(at.__getitem__, firsts), dtype=np.int64, count=len(pairs))
        two = np.fromiter(map(at.__getitem__, seconds), dtype=np.int64, count=len(pairs))
        lo, hi = np.minimum(one, two), np.maximum(one, two)
        order = np.lexsort((hi, lo))
        self.a: Ints = lo[order]
        self.b: Ints = hi[order]
        w = np.fromiter(map(weights.__getitem__, pairs), dtype=np.float64, count=len(pairs))
        self.w: Floats = w[order]

    def parts(self) -> Ints:
        """Each node's connected part (a number)."""
        return _labels(len(self.names), self.a, self.b)


def _labels(n: int, a: Ints, b: Ints) -> Ints:
    """Connected parts of the graph on nodes 0..n-1 with edges a[i]-b[i]."""
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    return np.asarray(connected_components(graph, directed=False)[1], dtype=np.int64)


def _sorted_groups(groups: list[list[str]]) -> list[list[str]]:
    return sorted(groups, key=lambda g: (-len(g), g[0]))


def components(weights: dict[tuple[str, str], float]) -> list[list[str]]:
    """Connected parts of the graph (edges of positive weight), each sorted, largest first."""
    g = _Graph(weights)
    parts: dict[int, list[str]] = defaultdict(list)
    for name, k in zip(g.names, g.parts().tolist(), strict=True):
        parts[k].append(name)
    return _sorted_groups(list(parts.values()))


def _leiden(edges: Edges, seed: int) -> dict[str, int]:
    try:
        from graspologic_native import leiden
    except ImportError:
        return _louvain(edges, seed)
    _, partition = leiden(
        edges,
        resolution=RESOLUTION,
        seed=seed,
        use_modularity=True,
        iterations=ITERATIONS,
        trials=TRIALS,
    )
    return {str(k): int(v) for k, v in partition.items()}


def _louvain(edges: Edges, seed: int) -> dict[str, int]:
    import networkx as nx

    g = nx.Graph()
    g.add_weighted_edges_from(edges)
    parts = nx.community.louvain_communities(g, weight="weight", resolution=RESOLUTION, seed=seed)
    return {n: k for k, part in enumerate(parts) for n in part}


@dataclass
class Reduced:
    """What a part's grouping works on (`reduce_part`)."""

    #: what Leiden sees: the near nodes' edges, each near node's ties to the far pieces on a
    #: leaf of its own, and the far pieces' inner weight on a pair apart
    leiden: Edges
    #: what groups are attached and joined on: the near nodes' edges and each near node's
    #: summed edges to each far piece (`piece:K`)
    ties: Edges
    #: each far piece's nodes
    pieces: dict[str, list[str]]


def reduce_part(names: list[str], a: Ints, b: Ints, w: Floats, hops: int | None = None) -> Reduced:
    """One connected part (nodes `names`, sorted; edges `a[i]-b[i]` of weight `w[i]`, in the
    sorted pairs' order) reduced to its report-bearing core: the nodes within `hops` links of a
    report are near (None: every node), and each connected piece of the others is a far piece.

    Leiden sees the near nodes and their edges as they are; a near node's edges to far nodes go
    to a leaf of its own (`piece:out:NODE`) and the far pieces' inner weight to a pair of nodes
    apart (`piece:rest`), so every near node keeps its strength and the part its total weight:
    modularity's null model is the whole part's, the far side a group of its own. Each far
    piece is then attached (`_attach`) to the gang it is most tied to, whole."""
    n = len(names)
    near = np.fromiter((x.startswith("report:") for x in names), dtype=bool, count=n)
    near |= hops is None
    both_a, both_b = np.concatenate([a, b]), np.concatenate([b, a])
    for _ in range(hops or 0):
        reached = np.zeros(n, dtype=bool)
        reached[both_b[near[both_a]]] = True
        near |= reached
    far = ~near
    inside = far[a] & far[b]
    comp = _labels(n, a[inside], b[inside])
    piece = np.full(n, -1, dtype=np.int64)
    first: dict[int, int] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for i in np.flatnonzero(far).tolist():  # pieces numbered by their first node's name
        piece[i] = first.setdefault(int(comp[i]), len(first))
        members[f"{PIECE}{piece[i]}"].append(names[i])
    keep = near[a] & near[b]
    core: Edges = list(zip([names[i] for i in a[keep].tolist()],
                           [names[j] for j in b[keep].tolist()], w[keep].tolist(), strict=True))  # fmt: skip
    cross = near[a] != near[b]
    ca, cb, cw = a[cross], b[cross], w[cross]
    mine = np.where(near[ca], ca, cb)
    theirs = piece[np.where(near[ca], cb, ca)]
    tie: dict[tuple[int, int], float] = defaultdict(float)
    out: dict[int, float] = defaultdict(float)
    for i, k, x in zip(mine.tolist(), theirs.tolist(), cw.tolist(), strict=True):
        tie[(i, k)] += x
        out[i] += x
    leaves = [(names[i], f"{PIECE}out:{names[i]}", x) for i, x in sorted(out.items())]
    rest = float(w[inside].sum())
    apart = [(f"{PIECE}rest", f"{PIECE}rest:inner", rest)] if rest > 0 else []
    ties = [(names[i], f"{PIECE}{k}", x) for (i, k), x in sorted(tie.items())]
    return Reduced(core + leaves + apart, core + ties, dict(members))


def _split(part: Reduced, seed: int) -> list[list[str]]:
    """One part's groups: Leiden's on the near nodes, each far piece a group of its own, each
    group without a report attached to the gang it is most tied to, groups a strong tie spans
    joined; the far pieces' nodes put where their piece went."""
    labels = {n: k for n, k in _leiden(part.leiden, seed).items() if not n.startswith(PIECE)}
    fresh = max(labels.values(), default=-1) + 1
    labels.update((name, fresh + k) for k, name in enumerate(part.pieces))
    out: list[list[str]] = []
    for group in join_strong(_attach(labels, part.ties), part.ties):
        nodes: list[str] = []
        for n in group:
            nodes += part.pieces.get(n, [n])
        out.append(sorted(nodes))
    return out


def communities(
    weights: dict[tuple[str, str], float],
    *,
    seed: int = 0,
    touched: Callable[[list[list[str]]], set[str]] | None = None,
) -> list[list[str]]:
    """A partition of the graph's nodes into groups, each sorted, largest first: each
    connected part grouped alone, so a part's groups depend on its own edges only.

    With `touched` (a live join's: given the graph's connected parts, the nodes whose groups
    must be made again), only the parts holding one of those nodes are grouped, and only
    their groups returned: each the group a call without `touched` gives."""
    g = _Graph(weights)
    if not g.names:
        return []
    labels = g.parts()
    nodes: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(labels.tolist()):
        nodes[k].append(i)
    if touched is not None:
        at = {n: i for i, n in enumerate(g.names)}
        redo = touched([[g.names[i] for i in members] for members in nodes.values()])
        wanted = {int(labels[at[n]]) for n in redo if n in at}
        nodes = {k: members for k, members in nodes.items() if k in wanted}
    count = np.bincount(labels[g.a])
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    by_part = np.argsort(labels[g.a], kind="stable")  # each part's edges, in the pairs' order
    out: list[list[str]] = []
    for k, members in nodes.items():
        names = [g.names[i] for i in members]
        if sum(1 for n in names if n.startswith("report:")) <= 1 or len(names) <= SMALL_PART:
            out.append(names)
            continue
        edges = by_part[start[k] : start[k] + count[k]]
        index = np.asarray(members, dtype=np.int64)
        a, b = np.searchsorted(index, g.a[edges]), np.searchsorted(index, g.b[edges])
        out.extend(_split(reduce_part(names, a, b, g.w[edges], CORE_HOPS), seed))
    return _sorted_groups(out)


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
        if w < STRONG_TIE:  # (most edges: their ends' kinds not looked at)
            continue
        kinds = {a.partition(":")[0], b.partition(":")[0]}
        if kinds in ({"report", "account"}, {"report", "case"}):
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
        # (groups only merge from one round to the next, so an edge inside a group stays
        # inside: each round passes over the last round's edges between groups, in order)
        edges = [(a, b, w) for a, b, w in edges if labels[a] != labels[b]]
        ties: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for a, b, w in edges:
            ka, kb = labels[a], labels[b]
            ties[ka][kb] += w
            ties[kb][ka] += w
        moved = _moves(ties, has_report)
        if not moved:
            break
        labels = {n: moved.get(k, k) for n, k in labels.items()}
    groups: dict[int, list[str]] = defaultdict(list)
    for n, k in labels.items():
        groups[k].append(n)
    return [sorted(g) for g in groups.values()]


def _moves(ties: dict[int, dict[int, float]], has_report: dict[int, bool]) -> dict[int, int]:
    """One round of `_attach`: each group without a report whose strongest tie is to a group
    with one, moved there; where none is, each moved to its strongest tie with a report."""
    moved = {
        k: max(sorted(t), key=lambda j: t[j])
        for k, t in ties.items()
        if not has_report[k] and any(has_report[j] for j in t)
    }
    return {k: j for k, j in moved.items() if has_report[j]} or {
        k: max((j for j in t if has_report[j]), key=lambda j: t[j])
        for k, t in ties.items()
        if not has_report[k] and any(has_report[j] for j in t)
    }
