"""Self-check (no personal data, rate-limited), statistics, look-ups and their audit trail."""

from __future__ import annotations

import pytest

from tests.service.conftest import Api
from tests.service.test_reports_orders import file
from tests.service.world import FRAUD_NUMBER, HELD_FRAUD_NUMBER, MULE1, MULE3, VICTIM


@pytest.mark.parametrize(
    ("kind", "value", "risk"),
    [
        ("phone", FRAUD_NUMBER, "high"),
        ("phone", "13500004444", "low"),
        ("phone", "10000000000", "unknown"),
        ("account", MULE1, "high"),
        ("account", VICTIM, "low"),
        ("url", "http://192.168.3.4/refund/login", "high"),
        ("url", "https://www.gov.cn", "low"),
    ],
)
def test_self_check(api: Api, kind: str, value: str, risk: str) -> None:
    r = api.post("/v1/self-check", None, {"kind": kind, "value": value})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["risk"] == risk
    assert body["advice"]
    text = r.text
    for personal in ("P1", "P2", "张三", "李四", "510104"):
        assert personal not in text


def test_self_check_flags_accounts_under_order(api: Api) -> None:
    assert (
        api.post("/v1/self-check", None, {"kind": "account", "value": MULE3}).json()["risk"]
        == "low"
    )
    file(api)
    found = api.post("/v1/self-check", None, {"kind": "account", "value": MULE3}).json()
    assert found["risk"] == "high" and "freeze" in found["reasons"][0]


def test_self_check_message_answers_even_without_a_model(api: Api) -> None:
    r = api.post(
        "/v1/self-check", None, {"kind": "message", "value": "您好，我是公安局的，请转账到安全账户"}
    )
    assert r.status_code == 200 and r.json()["risk"] in ("high", "unknown")


def test_self_check_is_rate_limited(api: Api) -> None:
    codes = [
        api.post("/v1/self-check", None, {"kind": "url", "value": "a.cn"}).status_code
        for _ in range(12)
    ]
    assert 429 in codes and codes[0] == 200
    limited = api.post("/v1/self-check", None, {"kind": "url", "value": "a.cn"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    # a signed-in client has its own bucket
    assert api.post("/v1/self-check", "public", {"kind": "url", "value": "a.cn"}).status_code == 200


def test_statistics(api: Api) -> None:
    filed = file(
        api,
        report_id="R2",
        fraud_txn_ids=["F2"],
        victim_account="6222020000005555",
        filed_at="2024-05-02T12:00:00Z",
    )
    assert [o["amount"] for o in filed["orders"]] == ["20000.00"]
    stats = api.get("/v1/statistics", "public").json()
    assert stats["reports"] == 2 and stats["victims"] == 2
    assert stats["money_lost"] == "70000.00"
    assert stats["money_intercepted"] == "20000.00"
    assert stats["by_period"] == [
        {"key": "2024-05", "reports": 2, "victims": 2, "lost": "70000.00"}
    ]
    types = {b["key"]: b["lost"] for b in stats["by_fraud_type"]}
    assert types == {"impersonate_police": "70000.00"}
    # named from the shipped division table (the ID number's first six digits), not a list
    # of the simulator's districts
    assert {b["key"] for b in stats["by_region"]} == {"四川省成都市锦江区", "unknown"}


def test_lookups_are_masked_below_analyst_and_audited(api: Api) -> None:
    seen = api.get(f"/v1/accounts/{MULE1}", "bank", "order RL1").json()
    # masking by need: CCB holds the account, so it sees it and its holder in full
    assert seen["id"] == MULE1 and seen["facts"]["holder_id"] == "P2"
    assert seen["facts"]["institution"] == "CCB" and seen["facts"]["inflows"] == 1
    assert api.get(f"/v1/accounts/{VICTIM}", "bank", "curious").status_code == 404  # ICBC's
    full = api.get(f"/v1/accounts/{MULE1}", "analyst", "case ZJ").json()
    assert full["id"] == MULE1 and "listed as mule_l1" in full["reasons"]
    number = api.get(f"/v1/numbers/{FRAUD_NUMBER}", "telecom", "clue 7").json()
    # the number the operator asked about, as the lake holds it; its holders stay masked
    assert number["id"] == HELD_FRAUD_NUMBER and number["facts"]["calls_out"] == 2
    assert api.get("/v1/numbers/10000000000", "telecom", "clue 8").status_code == 404
    person = api.get("/v1/persons/P1", "analyst", "victim contact").json()
    assert person["facts"]["id_number"] == "510104199001011234"
    entries = api.get("/v1/audit?limit=20", "admin").json()
    got = {(e["actor"], e["action"], e["subject_id"], e["purpose"]) for e in entries}
    assert ("bank", "lookup_account", MULE1, "order RL1") in got
    assert ("bank", "lookup_account", VICTIM, "curious") in got  # refused look-ups too
    assert ("telecom", "lookup_number", "10000000000", "clue 8") in got
    assert ("analyst", "lookup_person", "P1", "victim contact") in got
