"""Cases and gang pages an analyst can work from (issue 14 items 5, 7, 9; round eleven): a
case's suspects and a gang's people by name for analysts and admins, each name an audited
look-up and masked below analyst; a SIM box's lines folded under the box; a case's figures the
same on its page, the gang page and `chaincut gangs` after an arrest, a freeze released and
money returned."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

import pytest
from rich.console import Console

from chaincut.gangs.summary import boxes, count_lines, with_boxes
from chaincut.services.context import Principal
from chaincut.store.enums import Role
from tests.service.conftest import GANG as GANG_SAVED
from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.test_console_gangs import GANG, _file_r1
from tests.service.world import MULE1

NAME = "张三"  # P1's name in the persons table of tests/service/world.py


def _open(api: Api, case_id: str = "CN1") -> dict[str, Any]:
    _file_r1(api)
    made = api.post(f"/v1/gangs/{GANG}/case", "analyst", {"case_id": case_id, "name": "案"})
    assert made.status_code == 201, made.text
    opened: dict[str, Any] = made.json()
    return opened


def _names_audited(api: Api) -> list[tuple[str, str, str, str | None]]:
    log = api.get("/v1/audit?action=person_name", "admin").json()
    return [(e["actor"], e["subject_kind"], e["subject_id"], e["purpose"]) for e in log]


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_a_case_names_its_suspects_for_the_police_and_audits_each_name(api: Api, who: str) -> None:
    _open(api)
    case = api.get("/v1/cases/CN1", who).json()
    (p1,) = case["suspects"]
    assert (p1["person_id"], p1["person_name"], p1["role"], p1["status"]) == (
        "P1", NAME, "financier", "at_large")  # fmt: skip
    assert p1["name"] is None  # what an analyst typed: nothing
    assert case["follows_gang"] == GANG
    assert _names_audited(api) == [(who, "person", "P1", "case CN1")]
    sign_in(api, who)
    page = api.client.get("/console/cases/CN1?lang=zh-CN")
    assert page.status_code == 200
    suspects = page.text.split('data-testid="case-suspects"', 1)[1].split("</ul>", 1)[0]
    assert NAME in suspects and "<code>P1</code>" in suspects and "在逃" in suspects
    assert len(_names_audited(api)) == 2  # the page's look-up too


def test_below_analyst_a_case_and_a_gang_are_refused_and_nobody_is_named(api: Api) -> None:
    _open(api)
    for who in ("bank", "telecom", "public"):
        assert api.get("/v1/cases/CN1", who).status_code == 403
        assert api.get(f"/v1/gangs/{GANG}", who).status_code == 403
    for who in ("bank", "telecom"):
        sign_in(api, who)
        for path in ("/console/cases/CN1", f"/console/gangs/{GANG}"):
            page = api.client.get(path)
            assert page.status_code == 403 and NAME not in page.text
    assert _names_audited(api) == []


def test_a_role_below_analyst_that_reads_them_sees_names_masked(api: Api) -> None:
    """A deployment that lets a role below analyst read a case or a gang (docs/security.md):
    the names, person ids and box identifiers come back masked, and the look-up is audited."""
    from chaincut.services import cases, gangs

    _open(api)
    state = api.client.app.state.chaincut  # type: ignore[attr-defined]
    operator = Principal("telecom", Role.telecom, None)
    with api.store.session() as s:
        case = cases.view_case(state, s, operator, "CN1")
    (p1,) = case.suspects
    assert p1.person_name is not None and p1.person_name != NAME
    assert p1.person_name.startswith("张") and p1.person_id == "P***"
    with api.store.session() as s:
        gang = gangs.get_gang(state, s, operator, GANG)
        s.commit()
    person = next(m for m in gang["members"] if m["kind"] == "person")
    assert person["name"].startswith("张") and person["name"] != NAME
    assert person["suspect"] == [{"case": "CN1", "role": "financier", "status": "at_large"}]
    assert sorted(_names_audited(api)) == [("telecom", "person", "P1", "case CN1"),
                                           ("telecom", "person", "P1", f"gang {GANG}")]  # fmt: skip


def test_the_gang_page_names_its_people_with_their_standing_in_its_cases(api: Api) -> None:
    _open(api)
    gang = api.get(f"/v1/gangs/{GANG}", "analyst").json()
    person = next(m for m in gang["members"] if m["kind"] == "person")
    assert person["name"] == NAME
    assert person["suspect"] == [{"case": "CN1", "role": "financier", "status": "at_large"}]
    assert [c["case_id"] for c in gang["case_figures"]] == ["CN1"]
    listed = api.get("/v1/gangs", "analyst").json()  # the list names nobody
    assert all("name" not in m for g in listed for m in g["members"])
    sign_in(api, "analyst")
    page = api.client.get(f"/console/gangs/{GANG}?lang=zh-CN")
    members = page.text.split('data-testid="gang-members"', 1)[1].split("</table>", 1)[0]
    assert f'<span lang="zh-CN">{NAME}</span>' in members and "在逃" in members
    assert ("analyst", "person", "P1", f"gang {GANG}") in _names_audited(api)


def _figures_on_the_case_page(api: Api, case_id: str) -> dict[str, str]:
    page = api.client.get(f"/console/cases/{case_id}?lang=en").text
    rows = dict(re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", page))
    return {"frozen": rows["Frozen / Seized / Money returned"].split(" / ")[0],
            "returned": rows["Frozen / Seized / Money returned"].split(" / ")[2],
            "financiers": rows["Financiers caught / at large"]}  # fmt: skip


def _figures_on_the_gang_page(api: Api, case_id: str) -> dict[str, str]:
    page = api.client.get(f"/console/gangs/{GANG}?lang=en").text
    row = page.split(f'<tr data-case="{case_id}">', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    return {"frozen": cells[3], "returned": cells[5], "financiers": cells[0]}


def _figures_in_the_cli(api: Api, case_id: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    import chaincut.cli.commands_gangs as command
    from chaincut.settings import Settings

    shown = Console(width=100, record=True)
    monkeypatch.setattr(command, "console", shown)
    url = str(api.store.engine.url)
    command._show_cases(Settings(store_url=url), [GANG_SAVED | {"cases": [case_id]}])
    text = shown.export_text()
    financiers = re.search(r"financiers\s+(\d+ / \d+)", text)
    frozen, returned = re.search(r"frozen\s+(\S+)", text), re.search(r"returned\s+(\S+)", text)
    assert financiers and frozen and returned, text
    return {"frozen": frozen[1], "returned": returned[1], "financiers": financiers[1]}


def test_after_an_arrest_a_release_and_a_return_the_case_gang_and_cli_agree(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _open(api)
    held = Decimal(opened["amount_frozen"])
    assert held > 0  # R1's stops hold money
    sign_in(api, "analyst")
    (p1,) = api.get("/v1/cases/CN1", "analyst").json()["suspects"]
    arrested = api.client.post(f"/console/cases/CN1/suspects/{p1['id']}",
                               data={"status": "arrested"}, follow_redirects=False)  # fmt: skip
    assert arrested.status_code == 303
    orders = api.get("/v1/freeze-orders", "analyst").json()
    stop = next(o for o in orders if o["account_id"] == MULE1 and o["status"] == "issued")
    released = api.post(f"/v1/freeze-orders/{stop['order_id']}/release", "analyst",
                        {"note": "a bystander's salary"})  # fmt: skip
    assert released.status_code == 200, released.text
    returned = api.client.post("/console/cases/CN1", data={"amount_returned": "1200.50"},
                               follow_redirects=False)  # fmt: skip
    assert returned.status_code == 303
    now = held - Decimal(stop["amount"])
    want = {"frozen": f"¥{now:,}", "returned": "¥1,200.50", "financiers": "1 / 0"}
    assert _figures_on_the_case_page(api, "CN1") == want
    assert _figures_on_the_gang_page(api, "CN1") == want
    assert _figures_in_the_cli(api, "CN1", monkeypatch) == want  # written alike (round 13)
    case = api.get("/v1/cases/CN1", "analyst").json()
    assert (Decimal(case["amount_frozen"]), case["financiers_caught"]) == (now, 1)
    assert case["suspects"][0]["status"] == "arrested"


def test_a_followed_case_refuses_counts_typed_over_its_suspects(api: Api) -> None:
    _open(api)
    typed = api.client.patch("/v1/cases/CN1", json={"financiers_caught": 3},
                             headers=api.headers("analyst"))  # fmt: skip
    assert typed.status_code == 409 and "suspects" in typed.json()["error"]["message"]
    fine = api.client.patch("/v1/cases/CN1", json={"amount_seized": "10.00"},
                            headers=api.headers("analyst"))  # fmt: skip
    assert fine.status_code == 200
    sign_in(api, "analyst")
    page = api.client.get("/console/cases/CN1?lang=en").text
    form = page.split('data-testid="case-edit"', 1)[1]
    assert 'data-testid="case-follows"' in form and 'name="financiers_caught"' not in form
    assert 'name="amount_returned"' in form


#: a gang with one SIM box seen as three handsets (rotating IMEIs), one handset elsewhere, and
#: a dual-SIM phone of a core member (its second line not an operator's)
BOXED: dict[str, Any] = {
    "gang_id": "GANG-B", "reports": ["R1"], "cases": [],
    "members": [
        *({"kind": "phone", "id": f"+86130000000{i:02d}", "role": "operator", "confidence": 0.8,
           "evidence": []} for i in range(6)),
        *({"kind": "device", "id": f"86000000000000{i}", "role": "operator", "confidence": 0.7,
           "evidence": []} for i in range(4)),
        {"kind": "phone", "id": "+8613900000001", "role": "core_member", "confidence": 0.9,
         "evidence": []},
        {"kind": "person", "id": "P1", "role": "operator", "confidence": 0.9, "evidence": []},
    ],
    "dens": [
        {"device": "860000000000000",
         "lines": ["+8613000000000", "+8613000000001", "+8613000000002"], "cells": ["C1"]},
        {"device": "860000000000001", "lines": ["+8613000000001", "+8613000000002"],
         "cells": ["C1"]},
        {"device": "860000000000002", "lines": ["+8613000000003", "+8613000000004"],
         "cells": ["C1"]},
        {"device": "860000000000003", "lines": ["+8613000000005", "+8613900000001"],
         "cells": ["C9"]},
    ],
    "money": {"reported": "1.00", "stopped": "0.00", "exited": "0.00"},
}  # fmt: skip


def test_a_boxs_lines_and_handsets_fold_under_it() -> None:
    found = boxes(BOXED)
    assert [(b["box"], b["kind"], len(b["handsets"]), b["operator_lines"], b["cells"])
            for b in found] == [
        ("860000000000000", "box", 3, [f"+86130000000{i:02d}" for i in range(5)], ["C1"]),
        ("860000000000003", "phones", 1, ["+8613000000005"], ["C9"]),
    ]  # fmt: skip
    assert found[1]["lines"] == ["+8613000000005", "+8613900000001"]
    assert count_lines(BOXED["members"], found) == [
        "core_member 1 line",
        "operator 1 person",
        "  box 860000000000000: 5 SIMs, 3 handsets",
        "  phones 860000000000003: 1 SIM",
    ]
    assert count_lines(BOXED["members"]) == ["core_member 1 line", "operator 1 person",
                                             "  6 lines, 4 handsets"]  # fmt: skip
    shown = with_boxes(BOXED)
    kept = [{k: v for k, v in m.items() if k != "box"} for m in shown["members"]]
    assert kept == BOXED["members"]  # the members as they were, a `box` added
    assert {m.get("box") for m in shown["members"] if m["role"] != "operator"} == {None}
    assert sum(m.get("box") == "860000000000000" for m in shown["members"]) == 8


def test_many_boxes_are_counted_on_one_line_past_the_first_three() -> None:
    gang: dict[str, Any] = {"members": [{"kind": "phone", "id": f"L{i}", "role": "operator"} for i in range(10)],
            "dens": [{"device": f"D{i}", "lines": [f"L{2 * i}", f"L{2 * i + 1}"], "cells": []}
                     for i in range(5)]}  # fmt: skip
    said = count_lines(gang["members"], boxes(gang))
    assert said == ["operator 10 SIMs", "  phones D0: 2 SIMs", "  phones D1: 2 SIMs",
                    "  phones D2: 2 SIMs", "  + 2 more: 4 SIMs"]  # fmt: skip
    gang["dens"][4]["lines"].append("L99")  # three lines in one handset: more than a phone holds
    assert [b["kind"] for b in boxes(gang)] == ["box", "phones", "phones", "phones", "phones"]
    gang["dens"][3]["lines"] = ["L5"]  # D3 and D2 share L5: two phones, still phones
    assert [(b["box"], b["kind"], len(b["handsets"])) for b in boxes(gang)] == [
        ("D4", "box", 1), ("D0", "phones", 1), ("D1", "phones", 1), ("D2", "phones", 2)]  # fmt: skip


def test_the_gang_page_lists_a_box_once_not_its_sims_one_by_one(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chaincut.gangs import persist

    monkeypatch.setattr(persist, "load", lambda _home: [copy.deepcopy(BOXED)])
    sign_in(api, "analyst")
    page = api.client.get("/console/gangs/GANG-B?lang=en")
    assert page.status_code == 200
    members = page.text.split('data-testid="gang-members"', 1)[1].split("</table>", 1)[0]
    assert "+8613000000001" not in members and "860000000000001" not in members
    assert "+8613900000001" in members  # the core member's line stays a member
    listed = page.text.split('data-testid="gang-boxes"', 1)[1].split("</table>", 1)[0]
    assert listed.count("<tr data-box=") == 2 and "+8613000000004" in listed
    first = listed.split('<tr data-box="860000000000000">', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<summary>([^<]*)</summary>", first) == ["5", "3"]  # SIMs, handsets
    second = listed.split('<tr data-box="860000000000003">', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<summary>([^<]*)</summary>", second) == ["1 / 2", "1"]
    row = api.client.get("/console/gangs?lang=en").text.split('<tr data-gang="GANG-B">')[1]
    row = row.split("</tr>", 1)[0]
    assert "operator: Box 2" in row and "phone 1" in row  # the core member's line, no SIM
    boxed = api.get("/v1/gangs/GANG-B", "analyst").json()
    assert [b["box"] for b in boxed["boxes"]] == ["860000000000000", "860000000000003"]
