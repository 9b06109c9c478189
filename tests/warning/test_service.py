"""Live: events pushed to `/v1/events` put people on the worklist; outcomes are recorded."""

from __future__ import annotations

from chaincut.warning.scoring import INDEX
from tests.service.conftest import Api
from tests.service.world import VICTIM

GANG = "+8617000000001"
VICTIM_PHONE = "138 0000 5678"  # P1 in the service world (the lake has 13800005678)
SCRIPT = "您好，我是公安局的，您涉嫌洗钱，请把钱转到安全账户，不要告诉家人"


def _call(i: int, callee: str, duration: int) -> dict[str, object]:
    row = {"call_id": f"LC{i}", "ts": f"2024-05-03T09:{i // 60:02d}:{i % 60:02d}Z",
           "caller": GANG, "callee": callee, "duration_s": duration}  # fmt: skip
    return {"kind": "call", "row": row}


def _message(i: int) -> dict[str, object]:
    row = {"msg_id": f"LM{i}", "ts": f"2024-05-03T10:0{i}:00Z", "sender": GANG,
           "receiver": VICTIM_PHONE, "text": SCRIPT, "channel": "sms"}  # fmt: skip
    return {"kind": "message", "row": row}


def _work_the_victim(api: Api) -> int:
    events = [_call(i, f"+8613{i:09d}", 0) for i in range(40)]
    events += [_call(41, VICTIM_PHONE, 1500), _message(1), _message(2)]
    r = api.post("/v1/events", "telecom", {"events": events})
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == len(events) and r.json()["warnings"]
    listed = api.get("/v1/warnings", "analyst").json()
    mine = [w for w in listed if w["subject_id"] == "P1"]
    assert len(mine) == 1, listed
    assert {"LC41", "LM1"} <= {s["id"] for s in mine[0]["signals"]}
    return int(mine[0]["warning_id"])


def test_pushed_events_raise_a_warning_with_its_evidence(api: Api) -> None:
    _work_the_victim(api)


def test_bad_events_come_back_with_index_and_field(api: Api) -> None:
    bad = {"kind": "call", "row": {"call_id": "X", "ts": "soon", "caller": "1", "callee": "2",
                                   "duration_s": 3}}  # fmt: skip
    r = api.post("/v1/events", "telecom", {"events": [_call(1, "+861", 5), bad]})
    assert r.status_code == 200
    assert r.json()["accepted"] == 1
    assert r.json()["rejected"] == [{"index": 1, "field": "ts", "message": "'soon' is not an "
                                     "ISO-8601 timestamp"}]  # fmt: skip


def test_not_reached_escalates_and_dissuaded_closes(api: Api) -> None:
    wid = _work_the_victim(api)
    path = f"/v1/warnings/{wid}/dissuasions"
    r = api.post(path, "analyst", {"channel": "sms", "reached": False})
    assert r.status_code == 201, r.text
    assert r.json()["next_channel"] == "call" and r.json()["warning"]["action"] in ("call", "visit")
    r = api.post(path, "analyst", {"channel": "call", "reached": True, "dissuaded": True,
                                   "money_kept": "20000.00"})  # fmt: skip
    assert r.json()["warning"]["status"] == "dissuaded" and r.json()["next_channel"] is None
    figures = api.get("/v1/warnings/figures", "analyst").json()
    assert (figures["attempts"], figures["reached"], figures["dissuaded"]) == (2, 1, 1)
    assert figures["money_kept"] == "20000.00"
    assert api.post(path, "analyst", {"channel": "visit", "reached": True}).status_code == 409


def test_already_paid_files_a_report_and_traces_it(api: Api) -> None:
    wid = _work_the_victim(api)
    body = {"channel": "call", "reached": True, "already_paid": True,
            "victim_account": VICTIM, "fraud_txn_ids": ["F1"]}  # fmt: skip
    r = api.post(f"/v1/warnings/{wid}/dissuasions", "analyst", body)
    assert r.status_code == 201, r.text
    report_id = r.json()["report_id"]
    assert report_id and r.json()["warning"]["status"] == "closed"
    report = api.get(f"/v1/reports/{report_id}", "analyst", "test").json()
    assert report["fraud_txn_ids"] == ["F1"] and report["status"] == "traced"


def test_assignment(api: Api) -> None:
    wid = _work_the_victim(api)
    r = api.post(f"/v1/warnings/{wid}/assignment", "analyst", {"username": "analyst"})
    assert r.status_code == 200 and r.json()["assigned_to"] == "analyst"
    mine = api.get("/v1/warnings?assigned_to=analyst", "analyst").json()
    assert [w["warning_id"] for w in mine] == [wid]


def test_stopped_accounts_are_flagged_for_the_live_warner(api: Api) -> None:
    filed = api.post("/v1/reports", "analyst", {"victim_account": VICTIM, "fraud_txn_ids": ["F1"]})
    assert filed.status_code == 201, filed.text
    stopped = {
        o["account_id"] for o in filed.json()["orders"] if o["kind"] != "request_subaccount_detail"
    }
    assert stopped
    row = {"txn_id": "LT1", "ts": "2024-05-03T10:00:00Z", "src_account": "6222020000005555",
           "dst_account": sorted(stopped)[0], "amount": "300.00"}  # fmt: skip
    r = api.post("/v1/events", "bank", {"events": [{"kind": "transaction", "row": row}]})
    assert r.status_code == 200 and r.json()["accepted"] == 1
    warner = api.client.app.state.chaincut.warnings.warner  # type: ignore[attr-defined]
    assert all(str(warner.accounts[a].flagged).startswith("stopped") for a in stopped)
    index = INDEX["pay_flagged"]
    assert warner.subjects[("person", "P5")].features[index] == 1.0


def test_a_filed_report_runs_the_reverse_trace_on_the_live_warner(api: Api) -> None:
    row = {"txn_id": "LT2", "ts": "2024-05-01T11:00:00Z", "src_account": "6222020000005555",
           "dst_account": "6217000000002222", "amount": "800.00"}  # fmt: skip
    pushed = api.post("/v1/events", "bank", {"events": [{"kind": "transaction", "row": row}]})
    assert pushed.status_code == 200
    body = {"victim_account": VICTIM, "fraud_txn_ids": ["F1"], "filed_at": "2024-05-02T00:00:00Z"}
    filed = api.post("/v1/reports", "analyst", body)
    assert filed.status_code == 201, filed.text
    warner = api.client.app.state.chaincut.warnings.warner  # type: ignore[attr-defined]
    other = warner.subjects[("person", "P5")]
    assert other.features[INDEX["reverse_trace"]] > 0.9
    assert any(s.kind == "transfer" and s.id == "LT2" for s in other.signals)
