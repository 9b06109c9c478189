"""Every entry point that takes a number or an account normalises it first (issue 16 item 2,
issue 17 item 3), and the self-check's rate limit holds under a flood (issue 13 item 4)."""

from __future__ import annotations

import pytest

from chaincut.services.ratelimit import RateLimiter
from tests.service.conftest import Api
from tests.service.world import HELD_FRAUD_NUMBER, MULE2

#: the ways people write the test world's fraud number (13900009999)
NUMBER_FORMS = ["13900009999", "139 0000 9999", "0086 139 0000 9999", "+8613900009999",
                "+86-139-0000-9999", "１３９００００９９９９"]  # fmt: skip


@pytest.mark.parametrize("written", NUMBER_FORMS)
def test_a_number_is_found_however_it_is_written(api: Api, written: str) -> None:
    r = api.get(f"/v1/numbers/{written}", "analyst", "clue 9")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == HELD_FRAUD_NUMBER and r.json()["facts"]["calls_out"] == 2


def test_the_console_look_up_finds_a_spaced_number(api: Api) -> None:
    api.client.cookies.set("chaincut_token", api.tokens["telecom"])
    r = api.client.get(
        "/console/lookup", params={"kind": "phone", "value": "0086 139 0000 9999", "purpose": "p"}
    )
    api.client.cookies.clear()
    assert r.status_code == 200
    shown = r.text.split('data-testid="lookup-result"', 1)[1]
    assert "13900009999" in shown  # found, and shown as the operator typed it


@pytest.mark.parametrize(
    "written",
    [MULE2, "6228 4800 0000 3333", "622848-0000003333", "６２２８４８００００００３３３３"],
)
def test_another_banks_account_is_refused_in_every_format(api: Api, written: str) -> None:
    r = api.post("/v1/fraud-list", "bank", {"kind": "account", "value": written, "reason": "x"})
    assert r.status_code == 403, r.text
    assert "another institution" in r.json()["error"]["message"]
    assert api.get(f"/v1/accounts/{written}", "bank", "order").status_code == 404  # ABC's


def test_an_account_look_up_ignores_separators(api: Api) -> None:
    r = api.get("/v1/accounts/6228 4800 0000 3333", "analyst", "case 1")
    assert r.status_code == 200 and r.json()["id"] == MULE2


def test_the_self_check_reads_every_form_of_a_listed_number(api: Api) -> None:
    api.client.app.state.chaincut.limiter = RateLimiter(1e9, 10**9)  # type: ignore[attr-defined]
    entry = {"kind": "phone", "value": "0086 138 0000 7777", "reason": "den line"}
    assert api.post("/v1/fraud-list", "analyst", entry).status_code == 201
    for written in ("13800007777", "138 0000 7777", "+86 138-0000-7777"):
        r = api.post("/v1/self-check", "public", {"kind": "phone", "value": written})
        assert r.json()["risk"] == "high", (written, r.text)


def test_invalid_self_checks_count_against_the_limit(api: Api) -> None:
    # the app's limit is bursts of 5: five invalid requests use them up
    for _ in range(5):
        r = api.post("/v1/self-check", None, {"kind": "nonsense"})
        assert r.status_code == 422
    r = api.post("/v1/self-check", None, {"kind": "phone", "value": "13800007777"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


def test_a_flood_of_new_clients_does_not_reset_anyone_elses_limit() -> None:
    limiter = RateLimiter(rate=0.5, burst=3)
    assert [limiter.allow("ip:steady") for _ in range(3)] == [0.0] * 3
    assert limiter.allow("ip:steady") > 0
    for i in range(20_000):  # many one-off clients, each within its own limit
        assert limiter.allow(f"ip:10.0.{i // 256}.{i % 256}") == 0.0
    assert limiter.allow("ip:steady") > 0  # still limited
