"""A report filed after the analysis joins its gang live (`incremental.live_join`) exactly as a
full rebuild would: on a small foreign world (one the analysis was not designed on), analysing
every report but one and then adding that report's evidence gives the rebuild's groups and
gangs; the saved graph comes back from the home exactly as it was written."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs import Evidence, analyse
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.incremental import live_join
from chaincut.gangs.people import PersonLink, resolve
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
def links(evidence: Evidence) -> list[PersonLink]:
    return resolve(evidence.persons, seed=0)


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
