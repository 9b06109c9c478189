"""Issue 17 through the API, one test per point: the console cookie, fraud-list entries per
submitter, the clue's masking, anonymous 500s, bounds and the rate limit, forwarded headers,
audited refusals, token expiry and the purpose's encoding. The role x endpoint matrix and the
hostile-input corpus are in tests/security/."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any, get_args

import pytest
import uvicorn
from pydantic import BaseModel
from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.service.guard import DEFAULT_BODY_BYTES, MAX_URL_BYTES
from chaincut.service.server import proxy_options
from chaincut.services.ratelimit import RateLimiter
from chaincut.settings import Settings
from chaincut.store import open_store, user
from chaincut.store.types import utc_now
from tests.security.routes import walk
from tests.service.conftest import Api
from tests.service.world import PERSONS

CALLER_WITH_HOLDER = "13800005678"  # P1's phone, which called from IMEI2


def _audit(api: Api, **filters: str) -> list[dict[str, Any]]:
    r = api.client.get("/v1/audit", params=filters | {"limit": "50"}, headers=api.headers("admin"))
    assert r.status_code == 200, r.text
    out: list[dict[str, Any]] = r.json()
    return out


# -- 1: the API takes bearer tokens only; the console refuses cross-site forms ----------------
def test_the_api_does_not_take_the_console_cookie(api: Api) -> None:
    api.client.cookies.set("chaincut_token", api.tokens["admin"])
    try:
        r = api.client.get("/v1/me")
        assert r.status_code == 401 and "bearer tokens only" in r.json()["error"]["message"]
        assert api.get("/v1/me", "admin").json()["username"] == "admin"
        console = api.client.get("/console", follow_redirects=False)  # the console takes it
        assert console.headers["location"] == "/console/dashboard"
    finally:
        api.client.cookies.clear()


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),
        ({"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}, 303),
        ({"Origin": "http://testserver"}, 303),
        ({}, 303),  # not a browser: nothing to forge
    ],
)
def test_the_console_refuses_forms_of_other_sites(
    api: Api, headers: dict[str, str], status: int
) -> None:
    api.client.cookies.set("chaincut_token", api.tokens["analyst"])
    try:
        r = api.client.post(
            "/console/orders/O-none/confirm", data={"back": "/"}, headers=headers,
            follow_redirects=False,
        )  # fmt: skip
    finally:
        api.client.cookies.clear()
    assert (r.status_code == 403) == (status == 403), r.text


# -- 2: fraud-list entries belong to their submitter ---------------------------------------
def test_a_second_bank_listing_the_same_account_changes_nobody_elses_entry(api: Api) -> None:
    api.client.app.state.chaincut.limiter = RateLimiter(1e9, 10**9)  # type: ignore[attr-defined]
    account = "6217009999998888"  # in no lake: any bank may list it
    body = {"kind": "account", "value": account, "risk": "medium", "reason": "CCB's own"}
    ccb = api.post("/v1/fraud-list", "bank", body)
    assert ccb.status_code == 201, ccb.text
    abc = api.post("/v1/fraud-list", "bank2", body | {"risk": "high", "reason": "ABC's"})
    assert abc.status_code == 201, abc.text
    mine, theirs = ccb.json(), abc.json()
    assert theirs["id"] != mine["id"] and theirs["institution"] == "ABC"
    assert theirs["reason"] == "ABC's" and theirs["risk"] == "high"
    again = api.get(f"/v1/fraud-list/{mine['id']}", "bank", "check").json()
    assert again["risk"] == "medium" and again["reason"] == "CCB's own"
    assert [e["id"] for e in api.get("/v1/fraud-list", "bank2", "ours").json()] == [theirs["id"]]
    assert [e["id"] for e in api.get("/v1/fraud-list", "bank", "ours").json()] == [mine["id"]]
    assert api.get(f"/v1/fraud-list/{mine['id']}", "bank2", "peek").status_code == 404
    # the same bank again refreshes its own entry rather than copying it
    same = api.post("/v1/fraud-list", "bank", body | {"risk": "high"})
    assert same.json()["id"] == mine["id"] and same.json()["risk"] == "high"
    found = api.post("/v1/self-check", "public", {"kind": "account", "value": account})
    assert found.json()["risk"] == "high"


# -- 3: the clue masks what /v1/numbers/{n} masks --------------------------------------------
def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_the_clue_masks_holders_id_numbers_and_imeis_for_operators(api: Api) -> None:
    path = f"/v1/numbers/{CALLER_WITH_HOLDER}/clue"
    full = api.get(path, "analyst", "clue 1")
    assert full.status_code == 200, full.text
    holder = full.json()["numbers"][0]["holders"][0]
    assert holder["id_number"] == "510104199001011234" and holder["name"] == "张三"
    assert "id_numbers" not in _keys(full.json())  # phone numbers are not named ID numbers
    assert "numbers_on_same_id" in holder
    seen = api.get(path, "telecom", "clue 1")
    assert seen.status_code == 200, seen.text
    personal = {v for line in PERSONS.splitlines()[1:] for v in line.split(",")[:3]}
    personal |= {"IMEI1", "IMEI2"} | {line.split(",")[4] for line in PERSONS.splitlines()[1:]}
    personal.discard(CALLER_WITH_HOLDER)  # the number asked is the operator's own question
    leaked = sorted(personal & set(_strings(seen.json())))
    assert leaked == [], f"unmasked for telecom: {leaked}"
    assert seen.json()["numbers"][0]["devices"][0]["imei"] != "IMEI2"


# -- 4: anonymous 500s become 4xx; an error keeps the connection ---------------------------
@pytest.mark.parametrize("path", ["/v1/freeze-orders", "/v1/reports", "/v1/audit"])
def test_offsets_past_int64_are_a_422(api: Api, path: str) -> None:
    r = api.get(f"{path}?offset=9223372036854775808", "admin")
    assert r.status_code == 422 and r.json()["error"]["field"] == "offset"


def test_a_suspect_added_twice_is_a_409(api: Api) -> None:
    assert api.post("/v1/cases", "analyst", {"case_id": "K1", "name": "den"}).status_code == 201
    suspect = {"role": "financier", "person_id": "P2"}
    assert api.post("/v1/cases/K1/suspects", "analyst", suspect).status_code == 201
    r = api.post("/v1/cases/K1/suspects", "analyst", suspect)
    assert r.status_code == 409 and r.json()["error"]["field"] == "person_id"


def test_a_bug_answers_500_in_the_error_shape_and_keeps_the_connection(
    lake_home: Path, sqlite_url: str
) -> None:
    import http.client
    import socket
    import threading

    from chaincut.service import create_app

    store = open_store(sqlite_url)
    app = create_app(Settings(home=lake_home), store=store, console=False)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            threading.Event().wait(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/boom")
        first = conn.getresponse()
        assert first.status == 500
        assert json.loads(first.read())["error"]["status"] == 500
        sock = conn.sock
        conn.request("POST", "/v1/self-check", '{"kind": "phone"}', {"Content-Type": "x"})
        second = conn.getresponse()
        assert second.status == 422 and conn.sock is sock  # the same connection answered
        second.read()
        conn.close()
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


# -- 5: bounds, unknown fields, and invalid requests counted -------------------------------
def test_every_request_body_rejects_unknown_fields(api: Api) -> None:
    routes = [route for _, _, route in walk(api.client.app.routes)]  # type: ignore[attr-defined]
    models = {
        arg
        for route in routes
        if getattr(route, "body_field", None) is not None
        for arg in (
            route.body_field.field_info.annotation,
            *get_args(route.body_field.field_info.annotation),
        )
    }
    checked = [m for m in models if isinstance(m, type) and issubclass(m, BaseModel)]
    assert checked, "no JSON bodies found"
    lax = [m.__name__ for m in checked if m.model_config.get("extra") != "forbid"]
    assert lax == []


def test_oversize_bodies_are_refused_before_they_are_parsed(api: Api) -> None:
    keys = ",".join(f'"k{i}":1' for i in range(200_000))
    r = api.client.post(
        "/v1/self-check", content=f'{{"kind":"url","value":"x",{keys}}}',
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    assert r.status_code == 413 and r.json()["error"]["status"] == 413

    def chunks() -> Any:  # no Content-Length: counted as it streams in
        yield b'{"kind": "account", "value": "1", "reason": "'
        for _ in range(DEFAULT_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    r = api.client.post(
        "/v1/fraud-list", content=chunks(), headers=api.headers("analyst") | {
            "Content-Type": "application/json"},
    )  # fmt: skip
    assert r.status_code == 413, r.text
    r = api.get("/v1/statistics?" + "x=1&" * (MAX_URL_BYTES // 4), "admin")
    assert r.status_code == 414


def test_a_long_transaction_id_is_refused(api: Api) -> None:
    report = {"victim_account": "6222020000001111", "fraud_txn_ids": ["F1", "G" * 100_000]}
    r = api.post("/v1/reports", "analyst", report)
    assert r.status_code == 422 and r.json()["error"]["field"] == "fraud_txn_ids.1"


@pytest.mark.parametrize(
    ("body", "who"),
    [
        (b"{not json", None),
        (b'{"kind": "url", "value": "x", "extra": 1}', None),
        (b"{not json", "bogus"),
    ],
)
def test_malformed_self_checks_count_against_the_limit(
    api: Api, body: bytes, who: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if who:
        headers["Authorization"] = "Bearer cc_bogus_token"
    for _ in range(5):  # the app's limit is bursts of 5
        assert api.client.post("/v1/self-check", content=body, headers=headers).status_code in (
            400, 401, 422,
        )  # fmt: skip
    r = api.client.post("/v1/self-check", json={"kind": "phone", "value": "13800007777"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


# -- 6: forwarded headers only from configured proxies -------------------------------------
def test_forwarded_headers_are_ignored_unless_a_proxy_is_configured() -> None:
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    async def bare(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover
        pass

    def loaded(settings: Settings) -> Any:
        config = uvicorn.Config(bare, **proxy_options(settings))
        config.load()
        return config.loaded_app

    default = loaded(Settings())
    assert not isinstance(default, ProxyHeadersMiddleware)
    assert not isinstance(getattr(default, "app", None), ProxyHeadersMiddleware)
    proxied = loaded(Settings(forwarded_allow_ips="10.0.0.5"))
    inner = proxied if isinstance(proxied, ProxyHeadersMiddleware) else proxied.app
    assert isinstance(inner, ProxyHeadersMiddleware)
    assert proxy_options(Settings(forwarded_allow_ips="10.0.0.5"))["forwarded_allow_ips"] == (
        "10.0.0.5"
    )


# -- 7: refusals audited, tokens expire, purposes in any script -----------------------------
def test_refused_lookups_are_audited(api: Api) -> None:
    assert api.get("/v1/persons/P1", "telecom", "curious").status_code == 403
    assert api.get("/v1/numbers/13900009999", "telecom").status_code == 400
    refusals = {(e["action"], e["subject_id"]) for e in _audit(api, actor="telecom")}
    assert ("refused_role", "GET /v1/persons/P1") in refusals
    assert ("refused_no_purpose", "GET /v1/numbers/13900009999") in refusals


def test_an_expired_token_is_refused(api: Api) -> None:
    with api.store.session() as s:
        old = user.issue_token(s, "analyst", now=utc_now() - timedelta(days=91))
    r = api.client.get("/v1/me", headers={"Authorization": f"Bearer {old}"})
    assert r.status_code == 401 and "expired" in r.json()["error"]["message"]
    with api.store.session() as s:
        fresh = user.issue_token(s, "analyst", now=utc_now() - timedelta(days=89))
    assert api.client.get("/v1/me", headers={"Authorization": f"Bearer {fresh}"}).is_success


def test_users_token_says_when_it_expires(tmp_path: Path) -> None:
    _register()
    runner = CliRunner()
    home = ["--home", str(tmp_path)]
    assert runner.invoke(app, ["users", "add", "li", "--role", "analyst", *home]).exit_code == 0
    result = runner.invoke(app, ["users", "token", "li", *home])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("cc_") and "\n" not in result.stdout.strip()
    expected = (utc_now() + timedelta(days=90)).strftime("%Y-%m-%d")
    assert f"valid until {expected}" in result.stderr


@pytest.mark.parametrize(
    "sent", ["核查诈骗线索".encode(), b"%E6%A0%B8%E6%9F%A5%E8%AF%88%E9%AA%97%E7%BA%BF%E7%B4%A2"]
)
def test_a_chinese_purpose_is_stored_as_written(api: Api, sent: bytes) -> None:
    headers: dict[str, Any] = {"Authorization": f"Bearer {api.tokens['telecom']}"}
    r = api.client.get("/v1/numbers/13900009999", headers=headers | {"X-Purpose": sent})
    assert r.status_code == 200, r.text
    purposes = [e["purpose"] for e in _audit(api, actor="telecom", action="lookup_number")]
    assert purposes[0] == "核查诈骗线索"
