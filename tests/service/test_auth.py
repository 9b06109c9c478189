"""Tokens, the error shape, masking and the OpenAPI document."""

from __future__ import annotations

from chaincut.services.masking import mask_identifier, mask_phone
from chaincut.store import user
from tests.service.conftest import Api


def test_masks_cards_and_phones() -> None:
    assert mask_identifier("6222021234561234") == "6222********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_identifier("13812345678") == "138****5678"
    assert mask_identifier("510104199001011234") == "5101**********1234"
    assert mask_identifier("M1") == "M***"


def test_me_and_bad_tokens(api: Api) -> None:
    r = api.get("/v1/me", "bank")
    assert r.json() == {"username": "bank", "role": "bank", "institution": "CCB", "masked": True}
    assert api.get("/v1/me", "analyst").json()["masked"] is False
    bad = api.client.get("/v1/me", headers={"Authorization": "Bearer cc_nope_nope"})
    assert bad.status_code == 401
    assert bad.headers["WWW-Authenticate"] == "Bearer"
    assert bad.json()["error"]["field"] == "Authorization"


def test_disabled_user_is_refused(api: Api) -> None:
    with api.store.session() as s:
        user.disable_user(s, "telecom")
    assert api.get("/v1/me", "telecom").status_code == 401


def test_validation_errors_name_the_field(api: Api) -> None:
    r = api.post("/v1/reports", "analyst", {"victim_account": "X", "fraud_txn_ids": []})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["field"] == "fraud_txn_ids"
    assert "fraud_txn_ids" in error["message"]


def test_purpose_is_required_for_lookups(api: Api) -> None:
    r = api.get("/v1/persons/P1", "analyst")
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "purpose"
    assert api.get("/v1/persons/P1?purpose=case%20RL1", "analyst").status_code == 200


def test_unknown_record_is_404_json(api: Api) -> None:
    r = api.get("/v1/cases/NOPE", "analyst")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "case 'NOPE' not found"


def test_openapi_document(api: Api) -> None:
    doc = api.client.get("/openapi.json").json()
    paths = set(doc["paths"])
    for path in (
        "/v1/reports",
        "/v1/freeze-orders/{order_id}/confirm",
        "/v1/punishment/check",
        "/v1/self-check",
        "/v1/statistics",
        "/v1/audit",
        "/v1/cases/{case_id}",
    ):
        assert path in paths
    assert not any(p.startswith("/console") for p in paths)
