"""The fraud list through the API: who may add, see and remove what; filing a report lists what
it involves; the self-check answers from the list without giving personal data away."""

from __future__ import annotations

from typing import Any

import pytest

from chaincut.services.ratelimit import RateLimiter
from tests.service.conftest import Api
from tests.service.test_reports_orders import REPORT, file
from tests.service.world import FRAUD_NUMBER, MULE1, MULE3, VICTIM


@pytest.fixture(autouse=True)
def _no_rate_limit(api: Api) -> None:
    # these tests check many values in a row; the limit itself is tested in test_public
    api.client.app.state.chaincut.limiter = RateLimiter(1e9, 10**9)  # type: ignore[attr-defined]


def add(api: Api, who: str, status: int = 201, **body: Any) -> dict[str, Any]:
    r = api.post("/v1/fraud-list", who, {"reason": "test"} | body)
    assert r.status_code == status, r.text
    out: dict[str, Any] = r.json()
    return out


def check(api: Api, kind: str, value: str) -> dict[str, Any]:
    r = api.post("/v1/self-check", "public", {"kind": kind, "value": value})
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    for personal in ("P1", "P2", "张三", "李四", "510104", "test", "analyst", "R1"):
        assert personal not in r.text
    return out


def test_an_analyst_lists_and_the_self_check_answers_high(api: Api) -> None:
    assert check(api, "wechat", "kefu_tuikuan8")["risk"] == "unknown"
    entry = add(api, "analyst", kind="wechat", value="Kefu_Tuikuan8", reason="refund scam id")
    assert entry["value"] == "kefu_tuikuan8" and entry["source"] == "analyst" and entry["active"]
    found = check(api, "wechat", "KEFU_tuikuan8")
    assert found["risk"] == "high" and "confirmed by the police" in found["reasons"][0]
    add(api, "analyst", kind="domain", value="evil-pay.top")
    link = check(api, "url", "https://secure.evil-pay.top/refund?id=9")
    assert link["risk"] == "high" and any("site is on the fraud list" in r for r in link["reasons"])
    number = check(api, "phone", "+86 135 0000 4444")  # the lake has it as 13500004444
    assert number["risk"] == "low"
    add(api, "analyst", kind="phone", value="13500004444")
    assert check(api, "phone", "135-0000-4444")["risk"] == "high"
    message = check(api, "message", "退款请加微信，或致电 135 0000 4444，网址 evil-pay.top/x")
    assert message["risk"] == "high"
    assert "the message gives a number known for fraud" in message["reasons"]
    assert "the message holds a link known for fraud" in message["reasons"]


def test_removal_and_its_audit(api: Api) -> None:
    entry = add(api, "analyst", kind="qq", value="123456789")
    assert check(api, "qq", "123456789")["risk"] == "high"
    r = api.post(f"/v1/fraud-list/{entry['id']}/removal", "analyst", {"reason": "wrong id"})
    assert r.status_code == 200 and r.json()["removed_by"] == "analyst" and not r.json()["active"]
    assert check(api, "qq", "123456789")["risk"] == "unknown"
    again = api.post(f"/v1/fraud-list/{entry['id']}/removal", "analyst", {"reason": "x"})
    assert again.status_code == 409
    assert api.get("/v1/fraud-list?kind=qq", "analyst", "test").json() == []
    everything = api.get("/v1/fraud-list?kind=qq&include_inactive=true", "analyst", "test")
    assert [e["id"] for e in everything.json()] == [entry["id"]]
    log = api.get("/v1/audit?actor=analyst", "admin").json()
    actions = [e["action"] for e in log]
    assert {"fraud_list_add", "fraud_list_remove", "fraud_list_query"} <= set(actions)


def test_bad_values_name_the_field(api: Api) -> None:
    r = api.post("/v1/fraud-list", "analyst", {"kind": "phone", "value": "call me", "reason": "x"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "value"
    assert "phone" in r.json()["error"]["message"]
    r = api.post("/v1/fraud-list", "analyst", {"kind": "fax", "value": "1", "reason": "x"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "kind"
    r = api.get("/v1/fraud-list", "analyst")
    assert r.status_code == 400 and r.json()["error"]["field"] == "purpose"


def test_a_batch_lists_the_good_and_returns_the_bad(api: Api) -> None:
    entries = [
        {"kind": "phone", "value": "13700002222", "reason": "feed"},
        {"kind": "phone", "value": "x", "reason": "feed"},
        {"kind": "url", "value": "http://refund-kefu.top/pay", "reason": "feed"},
        {"kind": "phone", "value": "+8613700002222", "reason": "feed again"},
    ]
    r = api.post("/v1/fraud-list/batch", "analyst", {"entries": entries})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["added"], body["refreshed"]) == (2, 1)
    assert [(p["index"], p["field"]) for p in body["rejected"]] == [(1, "value")]


def test_banks_and_operators_submit_within_their_scope(api: Api) -> None:
    mine = add(api, "bank", kind="account", value=MULE3)  # CCB's account
    assert mine["source"] == "bank_feed" and mine["institution"] == "CCB"
    r = api.post(
        "/v1/fraud-list", "bank", {"kind": "account", "value": "6228480000003333", "reason": "x"}
    )
    assert r.status_code == 403 and "another institution" in r.json()["error"]["message"]
    add(api, "bank", 403, kind="phone", value=FRAUD_NUMBER)
    add(api, "bank", 403, kind="account", value=MULE1, source="analyst")
    op = add(api, "telecom", kind="phone", value=FRAUD_NUMBER)
    assert op["source"] == "operator_feed"
    add(api, "public", 403, kind="phone", value=FRAUD_NUMBER)
    # each sees and removes only its own; another bank does not learn the entry exists
    assert [e["id"] for e in api.get("/v1/fraud-list", "bank", "test").json()] == [mine["id"]]
    assert api.get("/v1/fraud-list", "bank2", "test").json() == []
    assert api.get(f"/v1/fraud-list/{mine['id']}", "bank2", "test").status_code == 404
    assert api.get(f"/v1/fraud-list/{op['id']}", "bank", "test").status_code == 404
    assert [e["id"] for e in api.get("/v1/fraud-list", "telecom", "test").json()] == [op["id"]]
    assert len(api.get("/v1/fraud-list", "analyst", "test").json()) == 2
    r = api.post(f"/v1/fraud-list/{mine['id']}/removal", "bank2", {"reason": "x"})
    assert r.status_code == 404
    r = api.post(f"/v1/fraud-list/{mine['id']}/removal", "bank", {"reason": "closed"})
    assert r.status_code == 200


def test_filing_a_report_lists_what_it_involves(api: Api) -> None:
    body = file(api, fraud_identifiers=[{"kind": "qq", "value": "88886666"}])
    listed = {(e["kind"], e["value"]): e for e in body["listed"]}
    assert set(listed) == {("account", MULE1), ("phone", "+86" + FRAUD_NUMBER), ("qq", "88886666")}
    assert listed[("account", MULE1)]["risk"] == "high"
    caller = listed[("phone", "+86" + FRAUD_NUMBER)]
    assert caller["risk"] == "medium" and "2024-05-01 09:30" in caller["reason"]
    assert all(e["source"] == "report" and e["report_id"] == "R1" for e in listed.values())
    assert check(api, "qq", "88886666")["risk"] == "high"
    assert "reported by a fraud victim" in check(api, "account", MULE1)["reasons"][1]


def test_a_bad_named_identifier_refuses_the_report_before_anything_is_written(api: Api) -> None:
    r = api.post(
        "/v1/reports",
        "analyst",
        REPORT | {"fraud_identifiers": [{"kind": "qq", "value": "1"}]},
    )
    assert r.status_code == 400 and r.json()["error"]["field"] == "fraud_identifiers.0.value"
    assert api.get("/v1/reports", "analyst").json() == []


@pytest.mark.parametrize("kind", ["qq", "wechat"])
def test_self_check_of_unreadable_ids_is_unknown(api: Api, kind: str) -> None:
    assert check(api, kind, "!!")["risk"] == "unknown"


def test_scores_already_computed_feed_the_self_check(api: Api) -> None:
    assert check(api, "account", "6217000000002222")["risk"] == "high"  # a lake label
    before = check(api, "account", VICTIM)
    assert before["risk"] == "low"
    assert api.get("/v1/scores/accounts", "analyst").status_code == 200
    after = check(api, "account", "6217000000002222")
    assert any("our analysis" in r for r in after["reasons"])
