"""Round ten (grouping): the grouping's second step, `_attach`, only ever adds report-less
pieces to a gang. A split gang's halves stay apart unless evidence joins them (docs/gangs.md,
"Round ten: grouping": a weak tie mostly leads to the wrong gang), so this step must never
merge two groups that already hold reports."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs.community import _attach

NODES = [f"report:r{i}" for i in range(4)] + [f"account:a{i}" for i in range(8)]


@st.composite
def grouped(draw: st.DrawFn) -> tuple[dict[str, int], list[tuple[str, str, float]]]:
    labels = {n: draw(st.integers(0, 5)) for n in NODES}
    pairs = st.tuples(st.sampled_from(NODES), st.sampled_from(NODES)).filter(lambda p: p[0] != p[1])
    edges = [
        (a, b, w)
        for (a, b), w in draw(st.lists(st.tuples(pairs, st.floats(0.01, 5.0)), max_size=25))
    ]
    return labels, edges


@settings(max_examples=200, deadline=None)
@given(grouped())
def test_attach_keeps_every_node_once_and_never_joins_two_report_groups(
    case: tuple[dict[str, int], list[tuple[str, str, float]]],
) -> None:
    labels, edges = case
    groups = _attach(labels, edges)
    flat = [n for g in groups for n in g]
    assert sorted(flat) == sorted(labels)
    for g in groups:
        # the input groups holding reports that ended in this group: at most one
        assert len({labels[n] for n in g if n.startswith("report:")}) <= 1
    # a group with reports stays whole
    where = {n: k for k, g in enumerate(groups) for n in g}
    for label in {labels[n] for n in labels if n.startswith("report:")}:
        assert len({where[n] for n in labels if labels[n] == label}) == 1


def test_a_piece_goes_to_the_gang_it_is_most_tied_to() -> None:
    labels = {"report:r0": 0, "account:a0": 0, "report:r1": 1, "account:a1": 1, "phone:p": 2}
    edges = [("account:a0", "report:r0", 3.0), ("account:a1", "report:r1", 3.0),
             ("phone:p", "account:a0", 0.5), ("phone:p", "account:a1", 2.0)]  # fmt: skip
    groups = sorted(_attach(labels, edges))
    assert ["account:a1", "phone:p", "report:r1"] in groups
    assert ["account:a0", "report:r0"] in groups
