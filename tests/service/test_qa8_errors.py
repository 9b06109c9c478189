"""A body that is not JSON is answered in words a client can act on: the 422 named a field "0"
with "JSON decode error" (round eight's new-user run, `curl -d 'not json'`)."""

from __future__ import annotations

from tests.service.conftest import Api


def test_a_body_that_is_not_json_says_so_and_where(api: Api) -> None:
    for sent, at in ((b"not json", 0), (b'{"kind": "phone",', 17)):
        r = api.client.post(
            "/v1/self-check", content=sent, headers={"content-type": "application/json"}
        )
        error = r.json()["error"]
        assert r.status_code == 422 and error["field"] == "body"
        assert error["message"].startswith(f"body: not valid JSON at character {at}: ")
        assert error["details"] == [{"field": "body", "message": error["message"][6:]}]


def test_a_field_error_keeps_its_field(api: Api) -> None:
    r = api.client.post("/v1/self-check", json={"kind": "phone"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "value"
