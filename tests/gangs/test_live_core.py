"""A connected part reduced to its report-bearing core (`community.reduce_part`, used when
`community.CORE_HOPS` is set) keeps every near node's strength and the part's weight, and a live
regroup of the parts a new report touches (`incremental.regroup_to`) gives exactly the groups
of a full rebuild, on random graphs (far sides deep enough to be held as pieces), with and
without the reduction."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs import community
from chaincut.gangs.community import PIECE, communities, reduce_part
from chaincut.gangs.incremental import regroup_to

REPORTS = [f"report:R{k}" for k in range(4)]
NODES = REPORTS + [f"account:A{k}" for k in range(8)] + [f"phone:P{k:02}" for k in range(24)]
HOPS = 2  # the reduction tried this round (`community.CORE_HOPS`, off by default)
WEIGHT = st.sampled_from([0.3, 0.36, 1.0, 2.0, 3.0])
EDGES = st.lists(
    st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), WEIGHT), min_size=1, max_size=70
)


def _weights(edges: list[tuple[str, str, float]]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = defaultdict(float)
    for a, b, w in edges:
        if a != b:
            out[(min(a, b), max(a, b))] += w
    return dict(out)


def _strength(edges: list[tuple[str, str, float]]) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for a, b, w in edges:
        out[a] += w
        out[b] += w
    return out


@settings(max_examples=60, deadline=None)
@given(EDGES)
def test_the_reduced_part_keeps_each_near_nodes_strength_and_the_parts_weight(
    edges: list[tuple[str, str, float]],
) -> None:
    weights = _weights(edges)
    names = sorted({n for pair in weights for n in pair})
    at = {n: k for k, n in enumerate(names)}
    pairs = sorted(weights)
    a = np.asarray([at[x] for x, _ in pairs], dtype=np.int64)
    b = np.asarray([at[y] for _, y in pairs], dtype=np.int64)
    part = reduce_part(names, a, b, np.asarray([weights[p] for p in pairs]), HOPS)
    whole, seen = _strength([(x, y, w) for (x, y), w in weights.items()]), _strength(part.leiden)
    far = {n for piece in part.pieces.values() for n in piece}
    assert all(abs(seen[n] - whole[n]) < 1e-9 for n in names if n not in far)
    assert abs(sum(seen.values()) - sum(whole.values())) < 1e-9
    assert len(far) == sum(map(len, part.pieces.values())) and not far & set(REPORTS)
    assert {y for _, y, _ in part.ties if y.startswith(PIECE)} <= set(part.pieces)
    near = {n for n in names if n.startswith("report:")}
    for _ in range(HOPS):
        near |= {y for x, y in pairs if x in near} | {x for x, y in pairs if y in near}
    assert far == set(names) - near


@settings(max_examples=60, deadline=None)
@given(
    EDGES, st.sampled_from(REPORTS), st.lists(st.tuples(st.sampled_from(NODES), WEIGHT), max_size=5)
)
def test_a_live_regroup_with_far_pieces_gives_the_rebuilt_groups(
    edges: list[tuple[str, str, float]], report: str, ties: list[tuple[str, float]]
) -> None:
    without = [(a, b, w) for a, b, w in edges if report not in (a, b)]
    before, after = _weights(without), _weights(without + [(report, n, w) for n, w in ties])
    for hops in (None, HOPS):  # the default procedure and the reduced one
        community.CORE_HOPS, default = hops, community.CORE_HOPS
        try:
            assert regroup_to(communities(before), before, after) == communities(after)
        finally:
            community.CORE_HOPS = default
