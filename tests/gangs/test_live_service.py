"""The service joins a report filed after the analysis to its gang live: on a small foreign
world analysed without one of its reports, `GET /v1/reports/{id}/gang` for that report and a
filing of its transfers (`POST /v1/reports`) both put it in the gang a full rebuild gives it,
say so in `joined`, save the gangs and the graph, and audit it (analysts only); a graph
saved at another lake generation is said to be stale."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chaincut.gangs import Evidence, analyse, persist
from chaincut.gangs.build import build_graph
from chaincut.gangs.community import communities
from chaincut.gangs.people import PersonLink
from chaincut.gangs.saved import SavedGraph, load_graph, save_graph
from chaincut.lake.engine import get_engine
from chaincut.services import gang_join
from chaincut.settings import Settings
from chaincut.store import audit
from tests.gangs.test_live import _split
from tests.service.conftest import Api, make_api


@pytest.fixture(scope="module")
def held(evidence: Evidence, links: list[PersonLink]) -> tuple[str, list[str]]:
    """A report in a gang with others (by the full rebuild), and that gang's reports."""
    gangs = analyse(evidence, links=links).gangs
    g = max(gangs, key=lambda g: (len(g.reports), g.gang_id))
    assert len(g.reports) >= 2
    return g.reports[-1], g.reports


def _home(
    foreign_world: tuple[Path, Settings], tmp: Path, ev: Evidence, links: list[PersonLink], gen: int
) -> Path:
    """A copy of the world's home whose saved analysis is over `ev` at lake generation `gen`."""
    home = tmp / "home"
    shutil.copytree(foreign_world[1].home, home, ignore=shutil.ignore_patterns("gangs"))
    weights = build_graph(ev, links).weighted()
    save_graph(home, SavedGraph(gen, ev, links, communities(weights), weights))
    persist.save(home, [g.detail() for g in analyse(ev, links=links).gangs])
    return home


def _generation(settings: Settings) -> int:
    with get_engine(settings) as engine:
        return engine.generation()


@pytest.fixture
def api(
    foreign_world: tuple[Path, Settings],
    evidence: Evidence,
    links: list[PersonLink],
    held: tuple[str, list[str]],
    tmp_path: Path,
    store_template: Path,
) -> Iterator[Api]:
    before, _ = _split(evidence, held[0])
    home = _home(foreign_world, tmp_path, before, links, _generation(foreign_world[1]))
    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    yield from make_api(home, f"sqlite:///{path}")


def _home_of(api: Api) -> Path:
    home: Path = api.client.app.state.chaincut.settings.home  # type: ignore[attr-defined]
    return home


def test_a_report_not_in_the_analysis_joins_its_rebuilt_gang(
    api: Api, held: tuple[str, list[str]]
) -> None:
    report_id, together = held
    r = api.get(f"/v1/reports/{report_id}/gang", "analyst")
    assert r.status_code == 200, r.text
    g = r.json()
    assert g["reports"] == together
    assert g["joined"]["live"] is True and g["joined"]["report_id"] == report_id
    assert sorted(g["joined"]["reports"]) == sorted(set(together) - {report_id})
    saved = persist.load(_home_of(api))
    assert saved is not None and any(report_id in x["reports"] for x in saved)
    graph = load_graph(_home_of(api))
    assert graph is not None and report_id in {x["report_id"] for x in graph.evidence.reports}
    with api.store.session(readonly=True) as s:
        seen = {(e.action, e.subject_id) for e in audit.query(s)}
    assert ("gang_join", report_id) in seen and ("gang_view", report_id) in seen


def _lake_report(settings: Settings, report_id: str) -> dict[str, Any]:
    with get_engine(settings) as engine:
        t = engine.tables(["reports"])["reports"]
        row = engine.execute(t.filter(t.report_id == report_id), label="test report").to_pylist()
    assert len(row) == 1
    return dict(row[0])


def test_a_filed_report_joins_its_gang_at_filing(
    api: Api, held: tuple[str, list[str]], foreign_world: tuple[Path, Settings]
) -> None:
    report_id, together = held
    row = _lake_report(foreign_world[1], report_id)
    body = {"report_id": "RPT-LIVE-1", "victim_account": row["victim_account"],
            "fraud_txn_ids": list(row["fraud_txn_ids"]), "victim_id": row["victim_id"],
            "filed_at": row["ts"].isoformat()}  # fmt: skip
    filed = api.post("/v1/reports", "analyst", body)
    assert filed.status_code == 201, filed.text
    gang_join.drain(timeout=120)  # the join runs after the filing has answered
    saved = persist.load(_home_of(api)) or []
    g = next(x for x in saved if "RPT-LIVE-1" in x["reports"])
    assert set(together) - {report_id} <= set(g["reports"])
    again = api.get("/v1/reports/RPT-LIVE-1/gang", "analyst")
    assert again.status_code == 200 and again.json()["gang_id"] == g["gang_id"]
    assert api.get("/v1/reports/RPT-LIVE-1/gang", "bank").status_code == 403


def test_the_filing_answers_before_the_gang_join_is_done(
    api: Api,
    held: tuple[str, list[str]],
    foreign_world: tuple[Path, Settings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report_id, _ = held
    row = _lake_report(foreign_world[1], report_id)
    started, release = threading.Event(), threading.Event()
    joined: list[str] = []

    def slow_join(*args: Any) -> None:
        rid = str(args[3])
        started.set()
        assert release.wait(60)
        joined.append(rid)

    monkeypatch.setattr(gang_join, "join_live", slow_join)
    body = {"report_id": "RPT-LIVE-2", "victim_account": row["victim_account"],
            "fraud_txn_ids": list(row["fraud_txn_ids"]), "victim_id": row["victim_id"],
            "filed_at": row["ts"].isoformat()}  # fmt: skip
    filed = api.post("/v1/reports", "analyst", body)
    assert filed.status_code == 201, filed.text
    assert filed.json()["orders"] is not None and joined == []  # answered, join still held
    assert started.wait(60)
    release.set()
    gang_join.drain(timeout=60)
    assert joined == ["RPT-LIVE-2"]


def test_a_stale_graph_is_said_and_the_look_up_answers(
    foreign_world: tuple[Path, Settings],
    evidence: Evidence,
    links: list[PersonLink],
    held: tuple[str, list[str]],
    tmp_path: Path,
    store_template: Path,
) -> None:
    before, _ = _split(evidence, held[0])
    home = _home(foreign_world, tmp_path, before, links, _generation(foreign_world[1]) - 1)
    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    for api in make_api(home, f"sqlite:///{path}"):
        r = api.get(f"/v1/reports/{held[0]}/gang", "analyst")
        assert r.status_code in (200, 404), r.text
        if r.status_code == 200:
            assert r.json()["joined"]["live"] is False
            assert "stale" in r.json()["joined"]["stale"]
        graph = load_graph(home)
        assert graph is not None and held[0] not in {x["report_id"] for x in graph.evidence.reports}
