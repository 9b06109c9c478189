"""The console's gang pages (issue 14 item 9, issue 16): the list, one gang's network, roles,
evidence, timeline and cases, "open a supervised case", reached from a report and from a
look-up; analysts and admins only, audited; a clear page before any `chaincut gangs` run.
The graph library is served from the package and the pages load nothing from elsewhere."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from markupsafe import escape

from chaincut.service import create_app
from chaincut.settings import Settings
from tests.service.conftest import GANG as GANG_SAVED
from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.test_console_i18n import _HAN, _problems, _visible
from tests.service.world import MULE1, MULE2, MULE3, VICTIM

GANG = "GANG-R1"  # what tests/service/conftest.py saves in the home


def _file_r1(api: Api) -> None:
    made = api.post("/v1/reports", "analyst", {"report_id": "R1", "victim_account": VICTIM,
                    "fraud_txn_ids": ["F1"], "filed_at": "2024-05-01T12:00:00Z"})  # fmt: skip
    assert made.status_code == 201, made.text


def _gang_data(page: str) -> dict[str, list[dict[str, object]]]:
    found = re.search(r'<script type="application/json" id="gang-data">(.*?)</script>', page, re.S)
    assert found is not None
    data: dict[str, list[dict[str, object]]] = json.loads(found[1])
    return data


def test_the_gang_list_and_page_show_roles_evidence_and_the_network(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "analyst")
    listed = api.client.get("/console/gangs?lang=zh-CN")
    assert listed.status_code == 200 and f'href="/console/gangs/{GANG}"' in listed.text
    page = api.client.get(f"/console/gangs/{GANG}?lang=zh-CN")
    assert page.status_code == 200
    assert 'data-testid="gang-graph"' in page.text and "金主" in page.text
    assert "holder of account 6222020000001111" in page.text  # the evidence, as written
    data = _gang_data(page.text)
    kinds = sorted(str(n["kind"]) for n in data["nodes"])
    assert kinds == ["account", "person", "report"]
    assert f'data-expected="{len(data["nodes"])}"' in page.text
    assert 'href="/console/reports/R1"' in page.text  # the timeline and the reports link back
    log = api.get("/v1/audit?action=gang_view", "admin").json()
    assert [(e["actor"], e["subject_id"]) for e in log] == [("analyst", GANG)]


def test_the_network_links_what_the_evidence_and_the_money_name() -> None:
    from chaincut.services.gang_network import MoneyLinks, network

    gang = {"reports": ["R1"], "dens": [{"device": "IMEI1", "lines": ["+861", "+862"]}],
            "members": [
                {"kind": "account", "id": "A1", "role": "mule", "confidence": 0.9,
                 "evidence": ["T1"]},
                {"kind": "account", "id": "A2", "role": "mule", "confidence": 0.9},
                {"kind": "person", "id": "P1", "role": "mule", "confidence": 0.8,
                 "evidence": ["holder of A1, A9"]},
                {"kind": "device", "id": "IMEI1", "role": "operator", "confidence": 0.7},
                {"kind": "phone", "id": "+861", "role": "operator", "confidence": 0.7}]}  # fmt: skip
    drawn = network(gang, MoneyLinks({"R1": {"A1", "UNLISTED"}}, {("A1", "A2"), ("A2", "X")}))
    edges = {(e["source"], e["target"], e["why"]) for e in drawn["edges"]}
    assert edges == {
        ("report:R1", "account:A1", "money"),
        ("account:A1", "account:A2", "money"),
        ("person:P1", "account:A1", "evidence"),
        ("device:IMEI1", "phone:+861", "den"),
    }
    assert len(drawn["nodes"]) == 6  # a line or an account outside the gang is not drawn


def test_a_supervised_case_is_opened_from_the_gang_page(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "analyst")
    bad = api.client.post(f"/console/gangs/{GANG}/case", data={"case_id": "C 1", "name": "x"})
    assert bad.status_code == 400 and 'role="alert"' in bad.text and 'value="x"' in bad.text
    made = api.client.post(
        f"/console/gangs/{GANG}/case",
        data={"case_id": "CG1", "name": "成都“5·01”团伙案"},
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == "/console/cases/CG1"
    case = api.get("/v1/cases/CG1", "analyst").json()
    assert [s["person_id"] for s in case["suspects"]] == ["P1"]
    page = api.client.get(f"/console/gangs/{GANG}")
    assert 'data-testid="gang-cases"' in page.text and 'href="/console/cases/CG1"' in page.text
    again = api.client.post(f"/console/gangs/{GANG}/case", data={"case_id": "CG1", "name": "y"})
    assert again.status_code == 409 and 'value="y"' in again.text


def test_a_report_and_a_look_up_lead_to_the_gang(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "analyst")
    report = api.client.get("/console/reports/R1")
    assert 'href="/console/reports/R1/gang"' in report.text
    to_gang = api.client.get("/console/reports/R1/gang", follow_redirects=False)
    assert to_gang.status_code == 303 and to_gang.headers["location"] == f"/console/gangs/{GANG}"
    nowhere = api.client.get("/console/reports/NOPE/gang")
    assert nowhere.status_code == 404 and "NOPE" in nowhere.text
    looked = api.client.get("/console/lookup?kind=person&value=P1&purpose=case 7")
    assert 'data-testid="member-gangs"' in looked.text
    assert f'href="/console/gangs/{GANG}"' in looked.text
    other = api.client.get("/console/lookup?kind=person&value=P2&purpose=case 7")
    assert 'data-testid="member-gangs"' not in other.text


def test_gang_pages_are_for_analysts_and_admins_only(api: Api) -> None:
    for who in ("bank", "telecom"):
        sign_in(api, who)
        for path in ("/console/gangs", f"/console/gangs/{GANG}", "/console/reports/R1/gang"):
            assert api.client.get(path).status_code == 403, (who, path)
        assert "/console/gangs" not in api.client.get("/console/dashboard").text
    sign_in(api, "admin")
    assert api.client.get(f"/console/gangs/{GANG}").status_code == 200
    assert api.client.get("/console/gangs/GANG-NOPE").status_code == 404


def test_before_any_gang_run_the_page_says_what_to_do(api: Api, tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path / "home"), store=api.store)
    with TestClient(app) as client:
        signed = client.post("/console/sign-in", data={"token": api.tokens["analyst"]})
        assert signed.status_code == 200
        for path in ("/console/gangs", f"/console/gangs/{GANG}"):
            page = client.get(f"{path}?lang=en")
            assert page.status_code == 503 and 'data-testid="gangs-not-run"' in page.text
            assert "chaincut gangs --home" in page.text


def _coded_gang() -> dict[str, object]:
    """A gang as this version's `chaincut gangs` writes it: every evidence sentence coded."""
    from chaincut.gangs.member import member
    from chaincut.gangs.sentences import SENTENCES, said

    members = []
    for i, (code, template) in enumerate(SENTENCES.items()):
        args: dict[str, Any] = {n: str(i) for n in re.findall(r"%\((\w+)\)s", template)}
        if code == "model_paid_by":
            args["payers"] = [said("contacted_payer", person="P2", line="+8613900001111",
                                   contact="C7")]  # fmt: skip
        found = member("account", f"62220200000{i:05d}", "mule", 0.8, [said(code, **args), "T9"])
        members.append(found.json())
    return {**GANG_SAVED, "members": members}


def test_a_gangs_evidence_is_said_in_the_readers_language(api: Api, tmp_path: Path) -> None:
    """A gang analysed with codes: on the Chinese page its evidence has no English sentence
    (identifiers stay as they are); on the English page, the evidence as `chaincut gangs`
    wrote it. A gang saved before codes keeps its English, marked as such."""
    from chaincut.gangs import persist

    gang = _coded_gang()
    home = tmp_path / "home"
    persist.save(home, [gang])
    with TestClient(create_app(Settings(home=home), store=api.store)) as client:
        assert client.post("/console/sign-in", data={"token": api.tokens["analyst"]}).is_success
        zh = client.get(f"/console/gangs/{GANG}?lang=zh-CN").text
        en = client.get(f"/console/gangs/{GANG}?lang=en").text
    table = zh.split('data-testid="gang-members"', 1)[1].split("</table>", 1)[0]
    assert 'lang="en"' not in table and table.count('lang="zh-CN"') == len(_sentences_of(gang))
    words = re.findall(r"[A-Za-z][A-Za-z'-]{2,}", _visible(table))
    assert words == [], words
    assert "<code>T9</code>" in table
    hover = [e for n in _gang_data(zh)["nodes"] for e in n.get("evidence", [])]  # type: ignore[attr-defined]
    assert hover and all(_HAN.search(e) or e == "T9" for e in hover), hover
    for sentence in _sentences_of(gang):
        assert str(escape(sentence)) in en
    sign_in(api, "analyst")
    old = api.client.get(f"/console/gangs/{GANG}?lang=zh-CN").text
    assert '<li lang="en">holder of account 6222020000001111</li>' in old


def _sentences_of(gang: dict[str, Any]) -> list[str]:
    return [str(m["evidence"][0]) for m in gang["members"]]


def test_the_gang_pages_are_in_one_language(api: Api) -> None:
    _file_r1(api)
    pages = [("analyst", "/console/gangs"), ("analyst", f"/console/gangs/{GANG}")]
    for lang in ("zh-CN", "en"):
        assert _problems(api, pages, lang) == []


def test_the_graph_pages_load_only_assets_the_package_serves(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "analyst")
    for path in ("/console/reports/R1", f"/console/gangs/{GANG}"):
        page = api.client.get(path).text
        assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)
        assert "/static/vendor/cytoscape/cytoscape.min.js" in assets
        assert all(a.startswith("/static/") for a in assets), assets
        assert "<script>" not in page  # no inline script: the CSP would refuse it
        for asset in assets:
            served = api.client.get(asset)
            assert served.status_code == 200 and len(served.content) > 100, asset
    library = api.client.get("/static/vendor/cytoscape/cytoscape.min.js")
    assert "javascript" in library.headers["content-type"] and b"cytoscape" in library.content
    assert (
        b"Permission is hereby granted"
        in api.client.get("/static/vendor/cytoscape/LICENSE").content
    )


def test_a_number_is_found_in_its_gang_however_it_is_written(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from chaincut.gangs import persist
    from chaincut.services.gang_network import gangs_of

    member = {"kind": "phone", "id": "+8613900009999", "role": "operator", "confidence": 0.9}
    persist.save(tmp_path, [{"gang_id": "GANG-X", "reports": ["X"], "members": [member]}])
    state = SimpleNamespace(settings=Settings(home=tmp_path))
    for typed in ("13900009999", "139 0000 9999", "+8613900009999"):
        assert [g["gang_id"] for g in gangs_of(state, "phone", typed)] == ["GANG-X"]  # type: ignore[arg-type]
    assert gangs_of(state, "account", "13900009999") == []  # type: ignore[arg-type]


def test_a_lake_report_is_linked_by_the_transfers_the_evidence_names(api: Api) -> None:
    """A report only in the lake (RL1: victim P1, who holds the victim's account) reaches the
    mule its fraud transfer F1 paid; T2 and T3 are money between two member accounts."""
    from chaincut.services.gang_network import money_links

    gang = {"reports": ["RL1"], "members": [
        {"kind": "account", "id": MULE1, "role": "mule", "confidence": 0.9,
         "evidence": ["paid by 1 victims", "F1", "T2"]},
        {"kind": "account", "id": MULE2, "role": "mule", "confidence": 0.8, "evidence": ["T2"]},
        {"kind": "account", "id": MULE3, "role": "mule", "confidence": 0.8, "evidence": ["T3"]},
    ]}  # fmt: skip
    state = api.client.app.state.chaincut  # type: ignore[attr-defined]
    with api.store.session(readonly=True) as s:
        money = money_links(state, s, gang)
    assert money.reached == {"RL1": {MULE1}}
    assert money.between == {(MULE1, MULE2), (MULE1, MULE3)}
