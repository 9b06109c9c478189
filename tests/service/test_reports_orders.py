"""Filing a report runs the trace and issues freeze orders; banks work only their own orders."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.service.conftest import Api
from tests.service.world import MULE1, MULE2, MULE3, VICTIM

REPORT = {
    "report_id": "R1",
    "victim_account": VICTIM,
    "fraud_txn_ids": ["F1"],
    "filed_at": "2024-05-01T12:00:00Z",
    "fraud_type": "impersonate_police",
}


def file(api: Api, **changes: Any) -> dict[str, Any]:
    r = api.post("/v1/reports", "analyst", REPORT | changes)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def test_filing_a_report_returns_its_freeze_orders(api: Api) -> None:
    body = file(api)
    assert body["report"]["status"] == "traced"
    frozen = {o["account_id"]: o["amount"] for o in body["orders"]}
    assert frozen == {MULE1: "5000.00", MULE2: "20000.00", MULE3: "15000.00"}
    assert body["trace"]["totals"]["loss"] == "50000.00"
    assert [e["txn_id"] for e in body["trace"]["exits"]] == ["T4"]
    graph = body["trace"]["graph"]
    roles = {n["label"]: n["role"] for n in graph["nodes"]}
    assert roles[VICTIM] == "victim" and roles[MULE1] == "frozen" and roles["ATM0001"] == "exit"
    assert len(graph["edges"]) == 4


def test_filing_is_refused_twice_and_for_unknown_transfers(api: Api) -> None:
    file(api)
    again = api.post("/v1/reports", "analyst", REPORT)
    assert again.status_code == 409
    unknown = api.post("/v1/reports", "analyst", REPORT | {"report_id": "R2",
                       "fraud_txn_ids": ["F1", "NOPE"]})  # fmt: skip
    error = unknown.json()["error"]
    assert unknown.status_code == 400 and error["field"] == "fraud_txn_ids"
    assert "NOPE" in error["message"] and "F1" not in error["message"]


def test_a_filing_whose_victim_did_not_pay_is_refused(api: Api) -> None:
    # F2 leaves 6222020000005555, not the victim's account: tracing it would stop someone
    # else's money
    r = api.post("/v1/reports", "analyst", REPORT | {"fraud_txn_ids": ["F2"]})
    error = r.json()["error"]
    assert r.status_code == 400 and error["field"] == "victim_account"
    assert "F2" in error["message"] and "6222020000005555" in error["message"]
    assert api.get("/v1/freeze-orders", "analyst").json() == []


def test_the_same_transfer_filed_again_is_refused_with_the_report_id(api: Api) -> None:
    file(api)
    again = api.post("/v1/reports", "analyst", REPORT | {"report_id": "R2"})
    error = again.json()["error"]
    assert again.status_code == 409 and "R1" in error["message"]
    assert [r["report_id"] for r in api.get("/v1/reports", "analyst").json()] == ["R1"]
    assert len(api.get("/v1/freeze-orders", "analyst").json()) == 3  # no second set of stops


def test_the_analyst_may_join_a_repeated_filing_to_the_report(api: Api) -> None:
    file(api)
    joined = api.post(
        "/v1/reports", "analyst", REPORT | {"report_id": "R2", "on_duplicate": "join"}
    )
    assert joined.status_code == 201, joined.text
    assert joined.json()["report"]["report_id"] == "R1"
    assert [r["report_id"] for r in api.get("/v1/reports", "analyst").json()] == ["R1"]
    orders = api.get("/v1/freeze-orders", "analyst").json()
    assert len(orders) == 3 and {o["report_id"] for o in orders} == {"R1"}
    actions = [e["action"] for e in api.get("/v1/audit?subject_id=R1", "admin").json()]
    assert actions[0] == "join_report"


def test_report_read_and_trace_are_audited(api: Api) -> None:
    file(api)
    assert api.get("/v1/reports/R1", "analyst", "case work").json()["report_id"] == "R1"
    trace = api.get("/v1/reports/R1/trace?rule=fifo", "analyst", "case work").json()
    assert trace["ran"] and trace["rule"] == "fifo"
    assert [r["report_id"] for r in api.get("/v1/reports", "analyst").json()] == ["R1"]
    actions = [e["action"] for e in api.get("/v1/audit?subject_id=R1", "admin").json()]
    assert actions == ["trace_report", "view_report", "file_report"]


def test_bank_sees_only_its_orders_in_full(api: Api) -> None:
    file(api)
    mine = api.get("/v1/freeze-orders", "bank").json()
    assert {o["institution"] for o in mine} == {"CCB"} and len(mine) == 2
    # its own customers' accounts, in full: the bank applies the stop to them (masking by need)
    assert {o["account_id"] for o in mine} == {MULE1, MULE3}
    everything = api.get("/v1/freeze-orders", "analyst").json()
    assert len(everything) == 3 and MULE2 in {o["account_id"] for o in everything}
    other = next(o for o in everything if o["institution"] == "ABC")["order_id"]
    assert api.get(f"/v1/freeze-orders/{other}", "bank").status_code == 404
    assert api.post(f"/v1/freeze-orders/{other}/confirm", "bank").status_code == 404
    assert api.post(f"/v1/freeze-orders/{other}/confirm", "bank2").status_code == 200


def test_order_lifecycle(api: Api) -> None:
    orders = file(api)["orders"]
    ccb = next(o for o in orders if o["account_id"] == MULE1)["order_id"]
    assert api.post(f"/v1/freeze-orders/{ccb}/renew", "analyst").status_code == 409
    confirmed = api.post(f"/v1/freeze-orders/{ccb}/confirm", "bank", {"note": "applied"})
    assert confirmed.json()["status"] == "confirmed"
    assert api.post(f"/v1/freeze-orders/{ccb}/confirm", "bank").status_code == 409
    assert api.post(f"/v1/freeze-orders/{ccb}/renew", "bank").status_code == 403
    renewed = api.post(f"/v1/freeze-orders/{ccb}/renew", "analyst").json()
    assert renewed["status"] == "renewed" and renewed["renewals"] == 1
    second = api.post(f"/v1/freeze-orders/{ccb}/renew", "analyst")
    assert second.status_code == 409 and "only once" in second.json()["error"]["message"]
    assert api.post(f"/v1/freeze-orders/{ccb}/release", "bank").status_code == 403
    unexplained = api.post(f"/v1/freeze-orders/{ccb}/release", "analyst")
    assert unexplained.status_code == 400 and unexplained.json()["error"]["field"] == "note"
    why = {"note": "退还受害人后解除"}
    released = api.post(f"/v1/freeze-orders/{ccb}/release", "analyst", why).json()
    assert released["status"] == "released"
    (entry,) = api.get(f"/v1/audit?subject_id={ccb}&action=release_order", "admin").json()
    assert entry["purpose"] == "退还受害人后解除"
    issued = api.get("/v1/freeze-orders?status=issued", "analyst").json()
    assert ccb not in {o["order_id"] for o in issued} and len(issued) == 2
    audit = api.get(f"/v1/audit?subject_id={ccb}", "admin").json()
    assert [(e["actor"], e["action"]) for e in audit][-1] == ("bank", "confirm_order")


def test_an_applied_stop_becomes_a_formal_freeze_under_a_document(api: Api) -> None:
    orders = file(api)["orders"]
    stop = next(o for o in orders if o["account_id"] == MULE1)["order_id"]
    early = api.post(f"/v1/freeze-orders/{stop}/freeze", "analyst", {"document": "成公冻字1号"})
    assert early.status_code == 409  # the bank has not applied the stop yet
    api.post(f"/v1/freeze-orders/{stop}/confirm", "bank")
    bare = api.post(f"/v1/freeze-orders/{stop}/freeze", "analyst", {})
    assert bare.status_code == 400 and bare.json()["error"]["field"] == "document"
    assert (
        api.post(f"/v1/freeze-orders/{stop}/freeze", "bank", {"document": "x"}).status_code == 403
    )
    frozen = api.post(f"/v1/freeze-orders/{stop}/freeze", "analyst", {"document": "成公冻字1号"})
    body = frozen.json()
    assert frozen.status_code == 200 and body["kind"] == "freeze" and body["status"] == "issued"
    assert body["document"] == "成公冻字1号" and body["detail"]["supersedes"] == stop
    assert body["account_id"] == MULE1 and body["institution"] == "CCB"
    months = datetime.fromisoformat(body["expires_at"]) - datetime.fromisoformat(body["issued_at"])
    assert 181 <= months.days <= 184
    old = api.get(f"/v1/freeze-orders/{stop}", "analyst").json()
    assert old["status"] == "superseded" and old["detail"]["superseded_by"] == body["order_id"]
    # money held counts the freeze, not the stop it replaced too
    assert api.get("/v1/statistics", "analyst").json()["money_intercepted"] == "40000.00"
    again = api.post(f"/v1/freeze-orders/{stop}/freeze", "analyst", {"document": "成公冻字2号"})
    assert again.status_code == 409


def test_verify_orders_are_stored_hold_nothing_and_can_be_escalated(api: Api) -> None:
    filed = file(api)
    spec = {"account_id": "6222020000005555", "amount": "900.00", "claim": "900.00", "hop": 2,
            "evidence": [["F1", "T3"]], "institution": "ICBC", "score": 0.2,
            "reasons": ["low share of the account's income"]}  # fmt: skip
    with api.store.session() as s:
        from chaincut.services.tracing import TraceOutcome
        from chaincut.store import freeze_order

        outcome = TraceOutcome(True, data={"rule": "libr", "verify": [spec]})
        (order,) = freeze_order.issue_orders(s, "R1", outcome.order_specs()).orders
        s.commit()
        verify = order.order_id
    held = api.get("/v1/statistics", "analyst").json()["money_intercepted"]
    assert held == "40000.00"  # the three stops; the verify order holds nothing
    got = api.get(f"/v1/freeze-orders/{verify}", "analyst").json()
    assert got["kind"] == "verify" and got["expires_at"] is None
    assert got["detail"]["reasons"] == ["low share of the account's income"]
    assert api.post(f"/v1/freeze-orders/{verify}/renew", "analyst").status_code == 409
    assert api.post(f"/v1/freeze-orders/{verify}/escalate", "analyst", {}).status_code == 400
    assert (
        api.post(f"/v1/freeze-orders/{verify}/escalate", "bank", {"note": "x"}).status_code == 403
    )
    up = api.post(f"/v1/freeze-orders/{verify}/escalate", "analyst", {"note": "后续资金转出"})
    stop = up.json()
    assert up.status_code == 200 and stop["kind"] == "emergency_stop"
    assert stop["detail"]["supersedes"] == verify and stop["amount"] == "900.00"
    assert api.get(f"/v1/freeze-orders/{verify}", "analyst").json()["status"] == "superseded"
    assert api.get("/v1/statistics", "analyst").json()["money_intercepted"] == "40900.00"
    (entry,) = api.get(f"/v1/audit?subject_id={verify}&action=escalate_order", "admin").json()
    assert entry["purpose"] == "后续资金转出" and entry["detail"]["stop"] == stop["order_id"]
    assert len(filed["orders"]) == 3
