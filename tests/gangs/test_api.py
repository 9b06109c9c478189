"""The gang endpoints: answers for analysts, audited, 503 before any analysis, judgements."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.gangs import persist
from chaincut.store import audit
from tests.service.conftest import GANG, Api, make_api


@pytest.fixture
def api(lake_home: Path, tmp_path: Path, store_template: Path):  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    yield from make_api(lake_home, f"sqlite:///{path}")


def test_gang_endpoints(api: Api) -> None:
    assert api.get("/v1/gangs", "analyst").json() == [GANG | {"boxes": []}]  # (round eleven)
    assert api.get("/v1/gangs/GANG-R1", "admin").json()["members"][0]["role"] == "mule"
    assert api.get("/v1/reports/R1/gang", "analyst").json()["gang_id"] == "GANG-R1"
    missing = api.get("/v1/gangs/GANG-X", "analyst")
    assert missing.status_code == 404 and "GANG-X" in missing.json()["error"]["message"]
    assert api.get("/v1/reports/NOPE/gang", "analyst").status_code == 404
    with api.store.session(readonly=True) as s:
        seen = {(e.action, e.actor, e.subject_id) for e in audit.query(s)}
    assert ("gang_list", "analyst", "*") in seen
    assert ("gang_view", "admin", "GANG-R1") in seen
    assert ("gang_view", "analyst", "R1") in seen


def test_a_case_opened_from_a_gang(api: Api) -> None:
    r = api.post("/v1/gangs/GANG-R1/case", "analyst", {"case_id": "C-G1", "name": "R1 gang"})
    assert r.status_code == 201, r.text
    case = r.json()
    assert (case["amount_involved"], case["amount_frozen"]) == ("100.00", "0.00")
    assert [(x["person_id"], x["role"], x["status"]) for x in case["suspects"]] == [
        ("P1", "financier", "at_large")
    ]
    assert (case["financiers_at_large"], case["financiers_caught"]) == (1, 0)
    assert api.get("/v1/gangs/GANG-R1", "analyst").json()["cases"] == ["C-G1"]
    again = api.post("/v1/gangs/GANG-R1/case", "analyst", {"case_id": "C-G1", "name": "x"})
    assert again.status_code == 409


def test_judgements_are_stored_and_bad_pairs_refused(api: Api) -> None:
    body = {"person_a": "P2", "person_b": "P1", "same": False, "reason": "different mothers"}
    r = api.post("/v1/person-judgements", "analyst", body)
    assert r.status_code == 201, r.text
    assert (r.json()["person_a"], r.json()["person_b"]) == ("P1", "P2")
    bad = api.post("/v1/person-judgements", "analyst", body | {"person_b": "P2"})
    assert bad.status_code == 400


def test_no_analysis_yet_is_503(tmp_path: Path, store_template: Path) -> None:
    import shutil

    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    home = tmp_path / "home"
    home.mkdir()
    assert persist.load(home) is None
    for api in make_api(home, f"sqlite:///{path}"):
        r = api.get("/v1/gangs", "analyst")
        assert r.status_code == 503 and "chaincut gangs" in r.json()["error"]["message"]
