"""A report filed after the analysis joins its gang live (`incremental.live_join`) exactly as a
full rebuild would: on a small foreign world (one the analysis was not designed on), analysing
every report but one and then adding that report's evidence gives the rebuild's groups and
gangs; the saved graph comes back from the home exactly as it was written."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs import Evidence, analyse
from chaincut.gangs.bosses import kept_partners
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities, components
from chaincut.gangs.contact_edges import contact_edges
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.incremental import live_join
from chaincut.gangs.people import PersonLink
from chaincut.gangs.saved import SavedGraph, append_join, load_graph, merge, save_graph, stamp

OWN = ("reports", "transfers", "traces")


def _split(ev: Evidence, report_id: str) -> tuple[Evidence, Evidence]:
    """The evidence before `report_id` was filed, and the rows the report itself brings."""
    before, extra = copy.copy(ev), Evidence()
    for name in OWN:
        rows = getattr(ev, name)
        setattr(before, name, [r for r in rows if r["report_id"] != report_id])
        setattr(extra, name, [r for r in rows if r["report_id"] == report_id])
    return before, extra


def _analysed(ev: Evidence, links: list[PersonLink]) -> SavedGraph:
    weights = build_graph(ev, links).weighted()
    return SavedGraph(7, ev, links, communities(weights), weights)


@pytest.fixture(scope="module")
def rebuilt(evidence: Evidence, links: list[PersonLink]) -> list[dict[str, object]]:
    return [g.detail() for g in analyse(evidence, links=links).gangs]


def test_filing_report_n_plus_1_live_gives_the_rebuilt_gangs(
    evidence: Evidence, links: list[PersonLink], rebuilt: list[dict[str, object]]
) -> None:
    reports = sorted(r["report_id"] for r in evidence.reports)
    groups = communities(build_graph(evidence, links).weighted())

    @settings(max_examples=8, deadline=None)
    @given(held=st.sampled_from(reports))
    def check(held: str) -> None:
        before, extra = _split(evidence, held)
        saved = _analysed(before, links)
        assert f"report:{held}" not in {n for g in saved.groups for n in g}
        after, gangs = live_join(saved, extra)
        assert sorted(after.groups) == sorted(groups)
        assert [g.detail() for g in gangs] == rebuilt
        assert after.generation == saved.generation and after.evidence.reports == evidence.reports

    check()


def test_merge_adds_each_row_once_in_collects_order(evidence: Evidence) -> None:
    held = sorted(r["report_id"] for r in evidence.reports)[0]
    before, extra = _split(evidence, held)
    merged = merge(before, extra)
    assert merged.transfers == evidence.transfers and merged.traces == evidence.traces
    assert merge(merged, extra).transfers == evidence.transfers  # filed twice: once
    assert len(before.transfers) < len(merged.transfers)  # `before` itself left alone


def test_the_saved_graph_comes_back_as_written(
    evidence: Evidence, links: list[PersonLink], tmp_path: Path
) -> None:
    saved = _analysed(evidence, links)
    save_graph(tmp_path, saved)
    back = load_graph(tmp_path)
    assert back is not None
    assert back.evidence == saved.evidence and back.links == saved.links
    assert (back.groups, back.weights, back.generation) == (saved.groups, saved.weights, 7)
    assert load_graph(tmp_path / "elsewhere") is None


def test_a_live_join_is_journalled_and_read_back_with_the_graph(
    evidence: Evidence, links: list[PersonLink], tmp_path: Path
) -> None:
    held = sorted(r["report_id"] for r in evidence.reports)[-1]
    before, extra = _split(evidence, held)
    saved = _analysed(before, links)
    save_graph(tmp_path, saved)
    first = stamp(tmp_path)
    after, _ = live_join(saved, extra)
    append_join(tmp_path, extra, after)
    assert stamp(tmp_path) != first
    back = load_graph(tmp_path)
    assert back is not None
    assert back.evidence == after.evidence and back.groups == after.groups
    assert back.weights == after.weights
    save_graph(tmp_path, back)  # a new run's graph: the journal starts again
    assert stamp(tmp_path) is not None and stamp(tmp_path)[2] == 0  # type: ignore[index]


def _same_graph(a: LinkGraph, b: LinkGraph) -> bool:
    return (a.edges, list(a.infra.items()), a.reasons) == (
        b.edges,
        list(b.infra.items()),
        b.reasons,
    )


def test_a_graph_built_with_the_last_joins_parts_is_the_graph_built_from_scratch(
    evidence: Evidence, links: list[PersonLink]
) -> None:
    held = sorted(r["report_id"] for r in evidence.reports)[0]
    before, _ = _split(evidence, held)
    memo: dict[str, Any] = {}
    assert _same_graph(build_graph(before, links, memo=memo), build_graph(before, links))
    reused = memo["contacts"]
    assert _same_graph(build_graph(evidence, links, memo=memo), build_graph(evidence, links))
    assert memo["contacts"] is reused  # the report brought no contacts: its edges reused
    fewer = copy.copy(evidence)  # contacts changed: built again, not reused
    fewer.contacts = evidence.contacts[: len(evidence.contacts) // 2]
    assert _same_graph(build_graph(fewer, links, memo=memo), build_graph(fewer, links))
    assert memo["contacts"] is not reused


def test_a_join_reusing_the_last_joins_parts_gives_the_rebuilt_gangs(
    evidence: Evidence, links: list[PersonLink], rebuilt: list[dict[str, object]]
) -> None:
    memo: dict[str, Any] = {}  # the second join reuses what the first left
    for held in sorted(r["report_id"] for r in evidence.reports)[-2:]:
        before, extra = _split(evidence, held)
        weights = build_graph(before, links, memo=memo).weighted()
        saved = SavedGraph(7, before, links, communities(weights), weights, memo=memo)
        after, gangs = live_join(saved, extra)
        assert [g.detail() for g in gangs] == rebuilt
        assert after.memo is memo and after.weights == build_graph(evidence, links).weighted()
    assert {"contacts", "gangs"} <= set(memo)
    assert kept_partners(after.evidence) is not None  # (the numbers' contacts kept or grown)


PHONES = [f"+8613{k:09d}" for k in range(6)]


@settings(max_examples=40, deadline=None)
@given(
    calls=st.lists(st.tuples(st.sampled_from(PHONES), st.sampled_from(PHONES)), max_size=25),
    steps=st.lists(
        st.tuples(
            st.sets(st.sampled_from(PHONES)),
            st.dictionaries(st.sampled_from(PHONES), st.tuples(st.just(3), st.integers(0, 1))),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_contact_edges_decided_again_for_what_changed_are_the_edges_decided_afresh(
    calls: list[tuple[str, str]], steps: list[tuple[set[str], dict[str, Any]]]
) -> None:
    rows = [{"src": a, "dst": b, "n": k % 5, "first_id": f"C{k}", "last_id": f"C{k + k % 2}"}
            for k, (a, b) in enumerate(calls)]  # fmt: skip
    memo: dict[str, Any] = {}
    for chain, reach in steps:
        assert contact_edges(rows, reach, chain, memo) == contact_edges(rows, reach, chain)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PHONES), st.sampled_from(PHONES)), max_size=12))
def test_the_joins_connected_parts_are_the_components(pairs: list[tuple[str, str]]) -> None:
    weights = {(min(a, b), max(a, b)): 1.0 for a, b in pairs if a != b}
    seen: list[list[list[str]]] = []

    def touched(parts: list[list[str]]) -> set[str]:
        seen.append(parts)
        return set()

    assert communities(weights, touched=touched) == []
    assert sorted(seen[0]) == sorted(components(weights)) if weights else seen == []
