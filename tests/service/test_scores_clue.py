"""Number clues (`/v1/numbers/{n}/clue`) and the lake's account and number scores."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from chaincut.service.routers.scores import ScoreCache
from chaincut.store.tables import AuditEntry
from tests.service.conftest import Api
from tests.service.world import FRAUD_NUMBER, MULE1, MULE2, MULE3

VICTIM_NUMBER = "13800005678"


def _audits(api: Api, action: str) -> list[AuditEntry]:
    with api.store.session(readonly=True) as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_clue_analyst_unmasked_and_audited(api: Api) -> None:
    r = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", "analyst", "case 7")
    assert r.status_code == 200, r.text
    data = r.json()
    (facts,) = data["numbers"]
    assert facts["number"] == FRAUD_NUMBER and facts["known"]
    assert facts["calls_out"] == 2
    assert VICTIM_NUMBER in r.text  # the victim it called, unmasked
    (entry,) = _audits(api, "clue_number")
    assert (entry.actor, entry.subject_kind, entry.subject_id) == ("analyst", "phone", FRAUD_NUMBER)
    assert entry.purpose == "case 7" and entry.detail["found"] is True


def test_clue_telecom_masked(api: Api) -> None:
    analyst = api.get(f"/v1/numbers/{VICTIM_NUMBER}/clue", "analyst", "check").json()
    assert analyst["numbers"][0]["holders"][0]["name"] == "张三"
    r = api.get(f"/v1/numbers/{VICTIM_NUMBER}/clue", "telecom", "check")
    assert r.status_code == 200, r.text
    (facts,) = r.json()["numbers"]
    assert facts["number"] == VICTIM_NUMBER  # the number asked stays readable
    (holder,) = facts["holders"]
    assert "张三" not in r.text and "510104199001011234" not in r.text
    assert "*" in holder["name"] and holder["id_number"] == "5101**********1234"
    assert FRAUD_NUMBER not in r.text  # other numbers are masked
    masked = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", "telecom", "check").text
    assert "138****5678" in masked and VICTIM_NUMBER not in masked


def test_clue_unknown_number_is_404_and_audited(api: Api) -> None:
    r = api.get("/v1/numbers/13011112222/clue", "admin", "check")
    assert r.status_code == 404
    assert r.json()["error"]["field"] == "number"
    assert "13011112222" in r.json()["error"]["message"]
    (entry,) = _audits(api, "clue_number")
    assert entry.detail["found"] is False


@pytest.mark.parametrize("who", ["bank", "public"])
def test_clue_forbidden(api: Api, who: str) -> None:
    r = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", who, "check")
    assert r.status_code == 403
    assert "may not" in r.json()["error"]["message"]


def test_clue_needs_purpose_and_sign_in(api: Api) -> None:
    r = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", "analyst")
    assert r.status_code == 400 and r.json()["error"]["field"] == "purpose"
    assert api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", None, "check").status_code == 401


def test_account_scores_roles(api: Api) -> None:
    r = api.get("/v1/scores/accounts?top=3", "analyst")
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["kind"] == "account" and len(data["items"]) <= 3
    assert data["scored"] >= len(data["items"])
    scores = [i["score"] for i in data["items"]]
    assert scores == sorted(scores, reverse=True)
    assert {"account_id", "score", "label", "flagged", "features", "patterns"} <= set(
        data["items"][0]
    )
    every = api.get("/v1/scores/accounts", "admin").json()
    ids = {i["account_id"] for i in every["items"]}
    assert {MULE1, MULE2} <= ids

    bank = api.get("/v1/scores/accounts", "bank").json()  # CCB: MULE1 and MULE3 only
    shown = {i["account_id"] for i in bank["items"]}
    assert shown == {"6217********2222", "6217********4444"}
    assert MULE1 not in str(bank) and MULE3 not in str(bank)
    assert api.get("/v1/scores/accounts", "telecom").status_code == 403
    assert api.get("/v1/scores/accounts", "public").status_code == 403


def test_number_scores_roles(api: Api) -> None:
    r = api.get("/v1/scores/numbers?top=2", "analyst")
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["kind"] == "number" and len(data["items"]) == 2
    assert data["items"][0]["score"] >= data["items"][1]["score"]
    assert FRAUD_NUMBER in {
        i["number"] for i in api.get("/v1/scores/numbers", "admin").json()["items"]
    }
    telecom = api.get("/v1/scores/numbers", "telecom").json()
    assert all("*" in i["number"] for i in telecom["items"])
    for who in ("bank", "public"):
        r = api.get("/v1/scores/numbers", who)
        assert r.status_code == 403 and "may not" in r.json()["error"]["message"]
    assert api.get("/v1/scores/numbers", None).status_code == 401


@pytest.mark.parametrize("top", ["0", "1001", "x"])
def test_scores_top_bounds(api: Api, top: str) -> None:
    r = api.get(f"/v1/scores/numbers?top={top}", "analyst")
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "top"


def test_score_cache_computes_once_per_key() -> None:
    cache = ScoreCache()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("x", (1,), compute) == 1
    assert cache.get("x", (1,), compute) == 1
    assert cache.get("x", (2,), compute) == 2
    assert len(calls) == 2
    assert cache.peek("x", (2,)) == 2 and cache.peek("x", (1,)) is None
    cache.clear()
    assert cache.peek("x", (2,)) is None
    assert cache.get("x", (2,), compute) == 3


def test_scores_cached_across_requests(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    assert api.get("/v1/scores/numbers", "analyst").status_code == 200
    import chaincut.telecom.scoring as scoring

    def boom(engine: object) -> None:
        raise AssertionError("scored twice")

    monkeypatch.setattr(scoring, "score_numbers", boom)
    assert api.get("/v1/scores/numbers?top=1", "telecom").status_code == 200


def test_look_ups_carry_the_explained_scores_masked_below_analyst(api: Api) -> None:
    r = api.get(f"/v1/accounts/{MULE1}", "bank", "kyc")
    assert r.status_code == 200, r.text
    account = r.json()["scores"]["account"]
    assert account["label"] == "mule_l1" and account["flagged"]
    assert account["account_id"] == "6217********2222"
    assert account["patterns"][0]["txn_ids"] == ["T2", "T3"]
    number = api.get(f"/v1/numbers/{FRAUD_NUMBER}", "telecom", "check").json()["scores"]
    assert number["number"]["number"] == "139****9999"
    evidence = {e for reason in number["number"]["reasons"] for e in reason["evidence"]}
    assert evidence <= {"C1", "C2"}
    assert [d["imei"] for d in number["devices"]] == ["I****"]
    full = api.get(f"/v1/numbers/{FRAUD_NUMBER}", "analyst", "check").json()["scores"]
    assert [d["imei"] for d in full["devices"]] == ["IMEI1"]
