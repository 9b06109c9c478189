"""The joint-punishment registry and supervised cases through the API."""

from __future__ import annotations

import pytest

from tests.service.conftest import Api
from tests.service.test_reports_orders import file

MEASURE = {
    "subject_id": "510105199502021235",
    "measure": "financial",
    "basis": "criminal",
    "start": "2024-06-01T00:00:00Z",
    "subject_name": "李四",
}


def test_punishment_check_add_appeal_remove(api: Api) -> None:
    question = {"subject_id": MEASURE["subject_id"], "action": "open_account", "institution": "CCB"}
    assert api.post("/v1/punishment/check", "bank", question).json()["allow"] is True
    assert api.post("/v1/punishment/measures", "analyst", MEASURE).status_code == 400  # purpose
    added = api.post("/v1/punishment/measures", "analyst", MEASURE, purpose="court ruling 12")
    assert added.status_code == 201, added.text
    pid = added.json()["id"]
    assert added.json()["expires_at"].startswith("2027-06-01")
    denied = api.post("/v1/punishment/check", "bank", question).json()
    assert denied["allow"] is False and denied["measure"] == "financial"
    assert denied["expires_at"].startswith("2027-06-01") and "3 years" in denied["reason"]
    carve = api.post("/v1/punishment/check", "bank", question | {"action": "withdraw_balance"})
    assert carve.json()["allow"] is True and "basic needs" in carve.json()["reason"]
    bad = api.post("/v1/punishment/check", "bank", question | {"action": "fly"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "action"
    assert (
        api.post(f"/v1/punishment/measures/{pid}/appeal", "bank", {"note": "x"}).status_code == 403
    )
    appeal = api.post(f"/v1/punishment/measures/{pid}/appeal", "analyst", {"note": "not me"})
    assert appeal.json()["appeal_status"] == "pending"
    decided = api.post(
        f"/v1/punishment/measures/{pid}/appeal/decision", "analyst", {"upheld": False}
    )
    assert decided.json()["appeal_status"] == "rejected"
    removed = api.post(f"/v1/punishment/measures/{pid}/removal", "admin", {"reason": "pardon"})
    assert removed.json()["removed_at"] is not None
    again = api.post(f"/v1/punishment/measures/{pid}/removal", "admin", {"reason": "again"})
    assert again.status_code == 409
    assert api.post("/v1/punishment/check", "telecom", question).json()["allow"] is True
    assert api.get(f"/v1/punishment/measures/{pid}", "analyst").json()["removal_reason"] == "pardon"
    listed = api.get("/v1/punishment/measures?subject_id=510105199502021235", "analyst").json()
    assert [m["id"] for m in listed] == [pid]
    actions = {e["action"] for e in api.get("/v1/audit?subject_kind=person", "admin").json()}
    assert {
        "punishment_add",
        "punishment_appeal",
        "punishment_remove",
        "punishment_check",
    } <= actions


def test_supervised_case(api: Api) -> None:
    file(api)
    created = api.post(
        "/v1/cases",
        "analyst",
        {"case_id": "ZJ-1230", "name": '浙江"12.30"', "batch": "2024-1", "amount_involved": "50000.00",
         "den_location": "KH", "fraud_methods": ["impersonate_police"]},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    assert api.post("/v1/cases/ZJ-1230/reports/R1", "analyst").json()["report_ids"] == ["R1"]
    assert api.post("/v1/cases/ZJ-1230/reports/NOPE", "analyst").status_code == 404
    suspect = api.post(
        "/v1/cases/ZJ-1230/suspects", "analyst", {"role": "financier", "name": "金主A"}
    )
    sid = suspect.json()["id"]
    arrested = api.client.patch(
        f"/v1/cases/ZJ-1230/suspects/{sid}",
        json={"status": "arrested", "arrested_at": "2024-07-01T00:00:00Z"},
        headers=api.headers("analyst"),
    )
    assert arrested.json()["status"] == "arrested"
    updated = api.client.patch(
        "/v1/cases/ZJ-1230",
        json={"amount_frozen": "40000.00", "financiers_caught": 1, "note": "freeze applied"},
        headers=api.headers("analyst"),
    )
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["amount_frozen"] == "40000.00" and body["financiers_caught"] == 1
    bad = api.client.patch(
        "/v1/cases/ZJ-1230", json={"amount_seized": "-1"}, headers=api.headers("analyst")
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "amount_seized"
    event = api.post(
        "/v1/cases/ZJ-1230/events", "analyst", {"kind": "sentence", "note": "10 years"}
    )
    timeline = event.json()["timeline"]
    # in time order: the arrest (dated July 2024) comes before the registration (today)
    assert [e["kind"] for e in timeline][0] == "arrested"
    assert {"registered", "updated", "sentence"} <= {e["kind"] for e in timeline}
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)
    assert [c["case_id"] for c in api.get("/v1/cases?batch=2024-1", "analyst").json()] == [
        "ZJ-1230"
    ]
    assert api.get("/v1/cases/ZJ-1230", "bank").status_code == 403


def test_writers_commit_before_the_answer_is_built(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cases, the registry and the fraud list commit in their use case (as filings do), so the
    store's writer lock is given back before FastAPI serialises the answer."""
    import inspect

    from sqlalchemy.orm import Session

    real = Session.commit
    commits: list[str] = []

    def counted(s: Session) -> None:
        if any("/chaincut/services/" in f.filename for f in inspect.stack(0)):
            commits.append("commit")
        real(s)

    monkeypatch.setattr(Session, "commit", counted)
    case = {"case_id": "C-1", "name": "commit test"}
    assert api.post("/v1/cases", "analyst", case).status_code == 201
    assert (
        api.post("/v1/punishment/measures", "analyst", MEASURE, purpose="ruling").status_code == 201
    )
    entry = {"kind": "phone", "value": "+8613800009999", "reason": "commit test"}
    assert api.post("/v1/fraud-list", "analyst", entry).status_code == 201
    assert commits == ["commit"] * 3
    # what was committed is there for the next request
    assert api.get("/v1/cases/C-1", "analyst").json()["name"] == "commit test"
