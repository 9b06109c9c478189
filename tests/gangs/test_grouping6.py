"""Round six of the grouping: cases and cells are nodes of the link graph."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import ibis
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.graph import LinkGraph, cell_infra
from chaincut.lake.engine import Engine
from chaincut.lake.jobs.link_cells import cell_reach, link_cells
from chaincut.settings import Settings
from tests.lake.conftest import sorted_rows


def _rows(engine: Engine, expr: ibis.Table) -> list[dict[str, object]]:
    engine.backend._register_in_memory_tables(expr)
    return list(engine.execute(expr, label="test").to_pylist())


def _cells(engine: Engine) -> list[dict[str, object]]:
    phones = ibis.memtable(pa.table({"phone": pa.array(["+8613800000001"], pa.string())}))
    return _rows(engine, link_cells(engine.table("calls"), phones))


def test_cells_of_a_line_keep_the_call_ids(duckdb_engine: Engine) -> None:
    everything = _rows(duckdb_engine, duckdb_engine.table("calls"))
    mine = [c for c in everything if c["caller"] == "+8613800000001" and c["cell_id"]]
    rows = _cells(duckdb_engine)
    assert mine and {r["cell"] for r in rows} == {c["cell_id"] for c in mine}
    for r in rows:
        here = sorted(str(c["call_id"]) for c in mine if c["cell_id"] == r["cell"])
        assert (r["n"], r["first_id"], r["last_id"]) == (len(here), here[0], here[-1])
    cells = ibis.memtable(pa.table({"cell": pa.array([str(rows[0]["cell"])], pa.string())}))
    busy = _rows(duckdb_engine, cell_reach(duckdb_engine.table("calls"), cells))
    want = {c["caller"] for c in everything if c["cell_id"] == rows[0]["cell"]}
    assert busy == [{"cell": rows[0]["cell"], "callers": len(want)}]


@pytest.mark.spark
def test_spark_gives_the_same_cells(duckdb_engine: Engine, spark_engine: Engine) -> None:
    assert sorted_rows(pa.Table.from_pylist(_cells(spark_engine))) == sorted_rows(
        pa.Table.from_pylist(_cells(duckdb_engine))
    )


@given(st.integers(1, 5000), st.integers(1, 5000), st.integers(0, 50))
def test_a_busier_cell_is_more_like_infrastructure(a: int, b: int, lines: int) -> None:
    low, high = sorted((a, b))
    lines = min(lines, low)
    assert 0.0 < cell_infra(low, lines)[0] <= cell_infra(high, lines)[0] < 1.0


def test_a_city_centre_cell_is_infrastructure_and_a_den_site_is_not() -> None:
    assert cell_infra(800, 1)[0] >= 0.5  # hundreds of callers, one line that reached victims
    assert cell_infra(110, 40)[0] < 0.5  # a SIM-box site: a third of its callers reach victims
    assert cell_infra(12, 6)[0] < 0.5


def _den(ev: Evidence, report: str, line: str, card: str, cell: str) -> None:
    ev.transfers.append({"report_id": report, "dst_account": card, "victim_account": None,
                         "txn_id": f"T{report}"})  # fmt: skip
    ev.cells.append({"phone": line, "cell": cell, "n": 9, "first_id": f"C{line}1",
                     "last_id": f"C{line}9"})  # fmt: skip


def _together(ev: Evidence, cases: dict[str, list[str]] | None = None) -> bool:
    g = build_graph(ev, [], cases)
    # the lines reached the reports' victims (calls): tie each line to its report's card
    g.add("phone:+1", "account:A", "contact", 1.0, ["x"])
    g.add("phone:+2", "account:B", "contact", 1.0, ["y"])
    where = {n: k for k, grp in enumerate(communities(g.weighted())) for n in grp}
    return where["report:R1"] == where["report:R2"]


def test_cells_are_evidence_and_take_no_part_in_the_grouping() -> None:
    ev = Evidence()
    _den(ev, "R1", "+1", "A", "SITE")
    _den(ev, "R2", "+2", "B", "SITE")
    ev.cell_callers = {"SITE": 3}
    g = build_graph(ev, [])
    assert {(e.a, e.b) for e in g.edges if e.kind == "cell"} == {
        ("phone:+1", "cell:SITE"),
        ("phone:+2", "cell:SITE"),
    }
    assert not any("cell:SITE" in pair for pair in g.weighted())
    assert not _together(ev)


def test_two_lines_at_a_den_site_would_tie_their_reports_and_a_busy_cell_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("chaincut.gangs.graph.EVIDENCE_ONLY", frozenset())
    ev = Evidence()
    _den(ev, "R1", "+1", "A", "SITE")
    _den(ev, "R2", "+2", "B", "SITE")
    ev.cell_callers = {"SITE": 3}
    assert _together(ev)
    ev.cell_callers = {"SITE": 900}  # a city centre: hundreds of honest callers
    assert not _together(ev)
    g = build_graph(ev, [])
    assert g.infra["cell:SITE"] >= 0.5 and "900 numbers" in g.reasons["cell:SITE"]
    edge = next(e for e in g.edges if e.kind == "cell")
    assert edge.evidence == ["C+11", "C+19"]


def test_a_case_an_analyst_opened_joins_its_reports() -> None:
    ev = Evidence()
    _den(ev, "R1", "+1", "A", "S1")
    _den(ev, "R2", "+2", "B", "S2")
    ev.cell_callers = {"S1": 2, "S2": 2}
    assert not _together(ev)
    assert _together(ev, {"CASE-1": ["R1", "R2"]})
    edges = [e for e in build_graph(ev, [], {"CASE-1": ["R1", "R2"]}).edges if e.kind == "case"]
    assert sorted(e.a for e in edges) == ["report:R1", "report:R2"]
    assert all(e.evidence == ["case CASE-1"] for e in edges)


def test_a_case_joins_groups_that_leiden_would_cut() -> None:
    g = LinkGraph()
    for side in ("a", "b"):
        names = [f"account:{side}{k}" for k in range(8)]
        for a in names:
            g.add(f"report:R{side}", a, "paid", 3.0, ["t"])
            for b in names:
                if a < b:
                    g.add(a, b, "transfer", 1.0, ["t"])
    g.add("account:a0", "account:b0", "transfer", 0.2, ["thin"])  # one part, two gangs
    assert len(communities(g.weighted())) == 2
    g.add("report:Ra", "case:C", "case", 3.0, ["case C"])
    g.add("report:Rb", "case:C", "case", 3.0, ["case C"])
    assert len(communities(g.weighted())) == 1


def test_the_gang_lists_the_case_and_gang_cases_do_not_tie(tmp_path: Path) -> None:
    from chaincut.gangs import analyse
    from chaincut.store import case, gang, open_store, report

    ev = Evidence()
    _den(ev, "R1", "+1", "A", "S1")
    _den(ev, "R2", "+2", "B", "S2")
    found = analyse(ev, links=[], cases={"CASE-1": ["R1", "R2"]}).gangs
    assert [(g.reports, g.cases) for g in found] == [(["R1", "R2"], ["CASE-1"])]
    when = datetime(2026, 3, 1, tzinfo=UTC)
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store, store.session() as s:
        for r in ("R1", "R2", "R3"):
            report.file_report(s, report_id=r, filed_at=when, victim_account="V",
                               fraud_txn_ids=[f"T{r}"])  # fmt: skip
        for c in ("CASE-1", "CASE-2"):
            case.create_case(s, c, c, now=when)
        for c, r in (("CASE-1", "R1"), ("CASE-1", "R2"), ("CASE-2", "R3")):
            case.attach_report(s, c, r, now=when)
        gang.link_case(s, "GANG-R3", "CASE-2", "analyst")  # opened from a gang: follows it
        assert gang.analyst_cases(s) == {"CASE-1": ["R1", "R2"]}


def test_chaincut_gangs_joins_the_reports_of_a_case_opened_by_hand(
    foreign_world: tuple[Path, Settings], tmp_path: Path
) -> None:
    import json
    import shutil

    from typer.testing import CliRunner

    from chaincut.cli import _register, app
    from chaincut.gangs.evaluate import read_truth
    from chaincut.store import case, open_store, report
    from chaincut.store.tables import Report

    folder, settings = foreign_world
    home = tmp_path / "home"
    shutil.copytree(settings.home, home, ignore=shutil.ignore_patterns("gangs"))
    first, second = (sorted(t.reports)[0] for t in read_truth(folder)[:2])
    when = datetime(2026, 3, 1, tzinfo=UTC)
    with open_store(Settings(home=home).resolved_store_url) as store, store.session() as s:
        for r in (first, second):
            if s.get(Report, r) is None:
                report.file_report(s, report_id=r, filed_at=when, victim_account="V",
                                   fraud_txn_ids=[f"T{r}"])  # fmt: skip
        case.create_case(s, "HAND-1", "opened by hand", now=when)
        for r in (first, second):
            case.attach_report(s, "HAND-1", r, now=when)
        s.commit()
    _register()
    result = CliRunner().invoke(app, ["gangs", "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    gangs = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    mine = [g for g in gangs if first in g["reports"]]
    assert len(mine) == 1 and second in mine[0]["reports"] and mine[0]["cases"] == ["HAND-1"]
