"""The console pages for the day's work (issue 16, point 8): worklists of top-scored accounts
and numbers, the number clue, the fraud list, editable cases and the registry's steps."""

from __future__ import annotations

import re

import pytest

from chaincut.services import clue as services_clue
from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.test_security import CALLER_WITH_HOLDER
from tests.service.world import FRAUD_NUMBER, MULE1, MULE2, VICTIM


def test_a_bank_sees_its_top_scored_accounts_in_full(api: Api) -> None:
    sign_in(api, "bank")
    page = api.client.get("/console/worklist/accounts?lang=en")
    assert page.status_code == 200 and 'data-testid="worklist"' in page.text
    assert MULE1 in page.text and MULE2 not in page.text  # its own customers only
    assert "first-layer mule" in page.text
    assert api.client.get("/console/worklist/numbers").status_code == 403


def test_an_operator_sees_the_top_scored_numbers_and_the_clue(api: Api) -> None:
    sign_in(api, "telecom")
    page = api.client.get("/console/worklist/numbers?lang=en")
    assert page.status_code == 200 and 'data-testid="worklist"' in page.text
    assert "139****9999" in page.text and "label_" not in page.text
    sign_in(api, "analyst")
    asked = api.client.get(f"/console/clue?number={FRAUD_NUMBER}")
    assert asked.status_code == 200 and 'role="alert"' in asked.text  # no purpose: not asked
    assert 'data-testid="clue-number"' not in asked.text
    clue = api.client.get("/console/clue?number=139 0000 9999&purpose=case 7")
    assert 'data-testid="clue-number"' in clue.text and "IMEI1" in clue.text
    log = api.get("/v1/audit?action=clue_number", "admin").json()
    assert [e["purpose"] for e in log] == ["case 7"]


def test_the_fraud_list_page_adds_and_removes_entries(api: Api) -> None:
    sign_in(api, "analyst")
    added = api.client.post(
        "/console/fraud-list",
        data={"kind": "phone", "value": "130 1482 1479", "reason": "冒充客服", "risk": "high"},
    )
    assert added.status_code == 200 and "+8613014821479" in added.text
    entry = re.search(r'data-entry="(\d+)"', added.text.split('data-testid="fraud-list"', 1)[1])
    assert entry is not None
    bare = api.client.post(f"/console/fraud-list/{entry[1]}/remove", data={"reason": ""})
    assert bare.status_code == 400
    gone = api.client.post(f"/console/fraud-list/{entry[1]}/remove", data={"reason": "误报"})
    assert gone.status_code == 200 and f'data-entry="{entry[1]}"' not in gone.text
    bad = api.client.post("/console/fraud-list", data={"kind": "phone", "value": "", "reason": ""})
    assert bad.status_code == 400 and "请填写" in bad.text


def test_cases_are_created_and_edited_in_the_console(api: Api) -> None:
    api.post("/v1/reports", "analyst", {"report_id": "R1", "victim_account": VICTIM,
             "fraud_txn_ids": ["F1"], "filed_at": "2024-05-01T12:00:00Z"})  # fmt: skip
    sign_in(api, "analyst")
    made = api.client.post(
        "/console/cases",
        data={
            "case_id": "C1",
            "name": "成都“5·01”案",
            "den_location": "缅北",
            "amount_involved": "50000",
        },
    )
    assert made.status_code == 200 and "成都“5·01”案" in made.text
    edited = api.client.post(
        "/console/cases/C1",
        data={"amount_returned": "12000.50", "financiers_caught": "2", "report_id": "R1",
              "note": "退赃"},
    )  # fmt: skip
    assert edited.status_code == 200 and 'href="/console/reports/R1"' in edited.text
    case = api.get("/v1/cases/C1", "analyst").json()
    assert case["amount_returned"] == "12000.50" and case["financiers_caught"] == 2
    again = api.client.post("/console/cases", data={"case_id": "C1", "name": "again"})
    assert again.status_code == 400 and 'value="again"' in again.text


def test_the_registry_adds_appeals_and_removes_in_the_console(api: Api) -> None:
    sign_in(api, "analyst")
    added = api.client.post(
        "/console/registry",
        data={"subject_id": "510105199502021235", "measure": "financial", "basis": "criminal",
              "start": "2024-06-01", "purpose": "判决"},
    )  # fmt: skip
    assert added.status_code == 200 and "刑事判决" in added.text
    (measure,) = re.findall(r'data-measure="(\d+)"', added.text)
    appealed = api.client.post(f"/console/registry/{measure}/appeal", data={"note": "身份被冒用"})
    assert "申诉中" in appealed.text and 'data-testid="uphold"' in appealed.text
    rejected = api.client.post(f"/console/registry/{measure}/reject")
    assert "申诉驳回" in rejected.text
    assert api.client.post(f"/console/registry/{measure}/remove", data={}).status_code == 400
    removed = api.client.post(f"/console/registry/{measure}/remove", data={"note": "期满"})
    assert "已移除" in removed.text


def test_the_clue_page_shows_a_holders_other_numbers_on_the_same_id(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = api.get(f"/v1/numbers/{CALLER_WITH_HOLDER}/clue", "analyst", "case 8").json()
    holder = answer["numbers"][0]["holders"][0]
    # the test world gives no one a second number: the service's answer is given one, in the
    # API's own field name, which is what the page reads
    answer["numbers"][0]["holders"][0] = {**holder, "numbers_on_same_id": ["+8613700001111"]}
    monkeypatch.setattr(services_clue, "number_clue", lambda *_a, **_k: answer)
    sign_in(api, "analyst")
    page = api.client.get(f"/console/clue?number={CALLER_WITH_HOLDER}&purpose=case 8&lang=en")
    assert "numbers on the same ID: +8613700001111" in page.text
