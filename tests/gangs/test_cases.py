"""A case opened from a gang follows the gang: suspects, roles and figures recomputed with it,
and the financier and core member counts always agree with the suspects' arrests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from chaincut.store import case
from tests.service.conftest import GANG, Api, make_api


@pytest.fixture
def api(lake_home: Path, tmp_path: Path, store_template: Path):  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    yield from make_api(lake_home, f"sqlite:///{path}")


def keep_cases_current(s: object, gangs: list[Any], actor: str) -> dict[str, str]:
    from chaincut.services.gangs import keep_cases_current as keep  # after the service loads

    return keep(s, gangs, actor)  # type: ignore[arg-type]


def _open(api: Api) -> dict[str, Any]:
    r = api.post("/v1/gangs/GANG-R1/case", "analyst", {"case_id": "C-G1", "name": "R1 gang"})
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_an_arrest_moves_the_counts(api: Api) -> None:
    opened = _open(api)
    (suspect,) = opened["suspects"]
    r = api.client.patch(
        f"/v1/cases/C-G1/suspects/{suspect['id']}",
        headers=api.headers("analyst"),
        json={"status": "arrested", "arrested_at": "2026-05-01T08:00:00Z"},
    )
    assert r.status_code == 200, r.text
    now = api.get("/v1/cases/C-G1", "analyst").json()
    assert (now["financiers_at_large"], now["financiers_caught"]) == (0, 1)


def test_the_case_follows_the_recomputed_gang(api: Api) -> None:
    _open(api)
    later = copy.deepcopy(GANG)
    later["members"].append(  # type: ignore[attr-defined]
        {"kind": "person", "id": "P7", "role": "core_member", "confidence": 0.7, "evidence": []}
    )
    later["money"] = {"reported": "250.00", "stopped": "40.00", "exited": "0.00"}
    with api.store.session() as s:
        assert keep_cases_current(s, [later], "test") == {"C-G1": "GANG-R1"}
        s.commit()
    with api.store.session(readonly=True) as s:
        found = case.get_case(s, "C-G1")
        roles = {(x.person_id, x.role.value, x.status.value) for x in found.suspects}
        assert roles == {("P1", "financier", "at_large"), ("P7", "core_member", "at_large")}
        assert (found.core_members_at_large, found.financiers_at_large) == (1, 1)
        # frozen: what the orders of the case's reports hold (none here), not `stopped`
        assert (str(found.amount_involved), str(found.amount_frozen)) == ("250.00", "0.00")


def test_a_renamed_gang_keeps_its_case(api: Api) -> None:
    _open(api)
    renamed = copy.deepcopy(GANG) | {"gang_id": "GANG-R0", "reports": ["R0", "R1"]}
    with api.store.session() as s:
        assert keep_cases_current(s, [renamed], "test") == {"C-G1": "GANG-R0"}
        s.commit()
    assert api.get("/v1/gangs/GANG-R1", "analyst").json()["cases"] == []
    with api.store.session() as s:  # the next run finds the case under its new gang
        assert keep_cases_current(s, [renamed], "test") == {"C-G1": "GANG-R0"}
