"""The console over the TestClient: sign-in, both languages, every page, filing and confirming."""

from __future__ import annotations

import re

import pytest

from chaincut.web.i18n import MESSAGES
from tests.service.conftest import Api
from tests.service.world import MULE1, VICTIM


def sign_in(api: Api, who: str) -> None:
    r = api.client.post("/console/sign-in", data={"token": api.tokens[who]}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_every_message_has_both_languages() -> None:
    assert all(zh and en for zh, en in MESSAGES.values())


def test_sign_in_refuses_a_bad_token_and_pages_need_it(api: Api) -> None:
    assert api.client.get("/console/orders", follow_redirects=False).headers["location"] == (
        "/console/sign-in"
    )
    r = api.client.post("/console/sign-in", data={"token": "cc_x_y"})
    assert r.status_code == 401 and "令牌无效" in r.text


@pytest.mark.parametrize(
    "page",
    ["/console/dashboard", "/console/reports", "/console/orders", "/console/cases",
     "/console/registry", "/console/audit", "/console/lookup", "/console/self-check"],
)  # fmt: skip
def test_pages_render_in_both_languages(api: Api, page: str) -> None:
    sign_in(api, "admin")
    zh = api.client.get(page)
    assert zh.status_code == 200 and 'lang="zh-CN"' in zh.text
    en = api.client.get(page + "?lang=en")
    assert en.status_code == 200 and 'lang="en"' in en.text
    assert api.client.get(page).text.count('lang="en"') == 1  # the choice sticks (cookie)


def test_file_a_report_see_the_graph_and_confirm(api: Api) -> None:
    sign_in(api, "analyst")
    r = api.client.post(
        "/console/reports",
        data={"report_id": "RC1", "victim_account": VICTIM, "fraud_txn_ids": "F1", "rule": "libr"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/console/reports/RC1"
    page = api.client.get("/console/reports/RC1")
    assert 'data-testid="money-graph"' in page.text and "/static/graph.js" in page.text
    assert api.client.get("/static/graph.js").status_code == 200
    order = re.search(r'data-order="(FO[0-9A-F]+)"', page.text)
    assert order is not None
    done = api.client.post(
        f"/console/orders/{order[1]}/confirm", data={"back": "/console/reports/RC1"}
    )
    assert done.status_code == 200 and "confirmed" in done.text
    bad = api.client.post("/console/reports", data={"victim_account": VICTIM, "fraud_txn_ids": ""})
    assert bad.status_code == 400


def test_bank_console_is_masked_and_limited(api: Api) -> None:
    api.post("/v1/reports", "analyst", {"report_id": "R1", "victim_account": VICTIM,
             "fraud_txn_ids": ["F1"], "filed_at": "2024-05-01T12:00:00Z"})  # fmt: skip
    sign_in(api, "bank")
    queue = api.client.get("/console/orders")
    assert "6217********2222" in queue.text and MULE1 not in queue.text
    # another bank's name; order ids are hex and may hold the letters "ABC" inside a word
    assert not re.search(r"\bABC\b", queue.text)
    assert api.client.get("/console/reports").status_code == 403
    assert api.client.get("/console/audit").status_code == 403
    assert api.client.get("/console/lookup?kind=person&value=P1&purpose=x").status_code == 403
    found = api.client.get(f"/console/lookup?kind=account&value={MULE1}&purpose=order")
    assert 'data-testid="lookup-result"' in found.text
    check = api.client.post(
        "/console/registry/check", data={"subject_id": "P9", "action": "open_account"}
    )
    assert 'data-testid="registry-answer"' in check.text


def test_public_self_check_page_needs_no_sign_in(api: Api) -> None:
    r = api.client.get("/console/self-check?kind=url&value=http://1.2.3.4/refund/login")
    assert r.status_code == 200 and "risk-high" in r.text


def test_account_and_number_pages_show_scores_with_reasons(api: Api) -> None:
    sign_in(api, "analyst")
    page = api.client.get(f"/console/lookup?kind=account&value={MULE1}&purpose=case+7&lang=en")
    assert page.status_code == 200
    scores = page.text.split('data-testid="scores"', 1)[1]
    assert 'data-testid="account-score"' in scores and "first-layer mule" in scores
    assert "pass-through" in scores and "T2, T3" in scores  # the pattern's example txn_ids
    page = api.client.get("/console/lookup?kind=phone&value=13900009999&purpose=case+7&lang=en")
    scores = page.text.split('data-testid="scores"', 1)[1]
    assert 'data-testid="number-score"' in scores
    assert 'data-testid="device-scores"' in scores and "IMEI1" in scores


def test_a_bank_sees_its_account_scores_masked_and_the_look_up_is_audited(api: Api) -> None:
    sign_in(api, "bank")
    page = api.client.get(f"/console/lookup?kind=account&value={MULE1}&purpose=kyc&lang=en")
    assert page.status_code == 200 and 'data-testid="account-score"' in page.text
    shown = page.text.split('data-testid="lookup-result"', 1)[1]  # the form echoes what was typed
    assert MULE1 not in shown and "6217********2222" in shown
    sign_in(api, "telecom")
    page = api.client.get("/console/lookup?kind=phone&value=13900009999&purpose=x&lang=en")
    assert 'data-testid="device-scores"' in page.text and "IMEI1" not in page.text
    log = api.get("/v1/audit?action=lookup_account", "admin").json()
    assert [(e["actor"], e["purpose"]) for e in log] == [("bank", "kyc")]


def test_a_refused_filing_keeps_the_form_and_names_the_report(api: Api) -> None:
    sign_in(api, "analyst")
    filing = {"report_id": "RC1", "victim_account": VICTIM, "fraud_txn_ids": "F1", "rule": "fifo"}
    assert api.client.post("/console/reports", data=filing).status_code == 200
    again = api.client.post("/console/reports", data=filing | {"report_id": "RC2"})
    assert again.status_code == 409 and "RC1" in again.text
    assert 'value="RC2"' in again.text and 'value="fifo" selected' in again.text
    joined = api.client.post(
        "/console/reports",
        data=filing | {"report_id": "RC2", "on_duplicate": "join"},
        follow_redirects=False,
    )
    assert joined.headers["location"] == "/console/reports/RC1"


def test_a_bad_report_id_is_a_friendly_error_and_keeps_the_form(api: Api) -> None:
    sign_in(api, "analyst")
    r = api.client.post(
        "/console/reports",
        data={"report_id": "bad id!", "victim_account": VICTIM, "fraud_txn_ids": "F1"},
    )
    assert r.status_code == 400 and "报案编号只能包含" in r.text
    assert "validation error" not in r.text and "pydantic" not in r.text
    assert f'value="{VICTIM}"' in r.text and 'value="F1"' in r.text


def test_an_unknown_report_is_a_friendly_page(api: Api) -> None:
    sign_in(api, "analyst")
    r = api.client.get("/console/reports/NOPE?lang=en")
    assert r.status_code == 404 and 'data-testid="error-page"' in r.text
    assert "No such report" in r.text and '{"error"' not in r.text
