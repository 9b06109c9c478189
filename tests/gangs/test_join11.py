"""Round eleven's live join: the grouping's passes made cheaper give exactly what the loops
they replace gave (the indexed graph of `community._Graph`, the groups without a report
attached by `_attach`, the groups a strong tie spans joined by `join_strong`), and Leiden runs
as many trials as `community.TRIALS` says, in the join and in the rebuild alike."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import DisjointSet

from chaincut.gangs import community
from chaincut.gangs.community import STRONG_TIE, _attach, _Graph, _moves, join_strong

NODES = [f"{kind}:{k}" for kind in ("report", "account", "phone", "case") for k in range(4)]
WEIGHTS = st.dictionaries(
    st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)).filter(lambda p: p[0] != p[1]),
    st.one_of(st.floats(0.01, 5.0), st.just(0.0), st.just(-1.0)),
    max_size=30,
)


def _graph_before(weights: dict[tuple[str, str], float]) -> tuple[list[str], Any, Any, Any]:
    """`_Graph` as round ten made it: a list of the pairs, each end's number looked up in turn."""
    pairs = [(a, b, w) for (a, b), w in weights.items() if w > 0]
    names = sorted({n for a, b, _ in pairs for n in (a, b)})
    at = {n: k for k, n in enumerate(names)}
    ends = np.asarray([(at[a], at[b]) for a, b, _ in pairs], dtype=np.int64).reshape(-1, 2)
    lo, hi = np.minimum(ends[:, 0], ends[:, 1]), np.maximum(ends[:, 0], ends[:, 1])
    order = np.lexsort((hi, lo))
    return names, lo[order], hi[order], np.asarray([w for *_, w in pairs], dtype=float)[order]


@settings(max_examples=100, deadline=None)
@given(weights=WEIGHTS)
def test_the_indexed_graph_is_round_tens(weights: dict[tuple[str, str], float]) -> None:
    g = _Graph(weights)
    names, a, b, w = _graph_before(weights)
    assert g.names == names
    assert g.a.tolist() == a.tolist() and g.b.tolist() == b.tolist()
    assert g.w.tolist() == w.tolist()  # (the same floats, in the same order)
    assert g.a.dtype == np.int64 and g.w.dtype == np.float64


def _attach_before(labels: dict[str, int], edges: list[tuple[str, str, float]]) -> list[list[str]]:
    """`_attach` as round ten made it: every edge looked at in each of the three rounds."""
    has_report: dict[int, bool] = defaultdict(bool)
    for n, k in labels.items():
        has_report[k] |= n.startswith("report:")
    for _ in range(3):
        ties: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for a, b, w in edges:
            ka, kb = labels[a], labels[b]
            if ka != kb:
                ties[ka][kb] += w
                ties[kb][ka] += w
        moved = _moves(ties, has_report)  # (the choice of each round, as it was)
        labels = {n: moved.get(k, k) for n, k in labels.items()}  # (none moved: the same)
    # (the groups in the order their first node comes)
    return [sorted(n for n in labels if labels[n] == k) for k in dict.fromkeys(labels.values())]


def _join_strong_before(
    groups: list[list[str]], edges: list[tuple[str, str, float]]
) -> list[list[str]]:
    """`join_strong` as round ten made it: each edge's ends' kinds read before its weight."""
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


EDGES = st.lists(
    st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), st.sampled_from([0.3, 1.0, 2.5, 3.0]))
    .filter(lambda e: e[0] != e[1]),
    max_size=40,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(edges=EDGES, labels=st.lists(st.integers(0, 5), min_size=len(NODES), max_size=len(NODES)))
def test_groups_are_attached_and_joined_as_in_round_ten(
    edges: list[tuple[str, str, float]], labels: list[int]
) -> None:
    labelled = dict(zip(NODES, labels, strict=True))
    got = _attach(dict(labelled), list(edges))
    assert got == _attach_before(dict(labelled), list(edges))
    assert join_strong(got, edges) == _join_strong_before(got, edges)


def test_leiden_runs_the_trials_the_module_says(monkeypatch: Any) -> None:
    """The join and the rebuild group a part with one call, `_leiden`: both read `TRIALS`
    (fewer trials were a third cheaper and grouped a training world worse: docs/gangs.md,
    "Round eleven: the live join")."""
    import graspologic_native

    asked: list[dict[str, Any]] = []

    def leiden(edges: Any, **kw: Any) -> tuple[float, dict[str, int]]:
        asked.append(kw)
        return 0.0, {n: 0 for a, b, _ in edges for n in (a, b)}

    monkeypatch.setattr(graspologic_native, "leiden", leiden)
    monkeypatch.setattr(community, "TRIALS", 2)
    community._leiden([("a", "b", 1.0)], seed=7)
    assert asked == [{"resolution": community.RESOLUTION, "seed": 7, "use_modularity": True,
                      "iterations": community.ITERATIONS, "trials": 2}]  # fmt: skip
