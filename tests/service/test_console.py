"""The console over the TestClient: sign-in, both languages, every page, filing and confirming."""

from __future__ import annotations

import re

import pytest

from chaincut.web.i18n import MESSAGES, translate
from tests.service.conftest import Api
from tests.service.world import MULE1, MULE2, VICTIM


def sign_in(api: Api, who: str) -> None:
    r = api.client.post("/console/sign-in", data={"token": api.tokens[who]}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_every_message_has_both_languages() -> None:
    for key, english in MESSAGES.items():
        assert translate(key, "en") == english and translate(key, "zh-CN") not in ("", english)


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


def test_bank_console_shows_its_own_accounts_and_is_limited(api: Api) -> None:
    api.post("/v1/reports", "analyst", {"report_id": "R1", "victim_account": VICTIM,
             "fraud_txn_ids": ["F1"], "filed_at": "2024-05-01T12:00:00Z"})  # fmt: skip
    sign_in(api, "bank")
    queue = api.client.get("/console/orders")
    # its own customer's account in full: it applies the stop (masking by need)
    assert MULE1 in queue.text and MULE2 not in queue.text and "6228" not in queue.text
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


def test_masking_by_need_and_the_look_up_is_audited(api: Api) -> None:
    sign_in(api, "bank")
    page = api.client.get(f"/console/lookup?kind=account&value={MULE1}&purpose=kyc&lang=en")
    assert page.status_code == 200 and 'data-testid="account-score"' in page.text
    shown = page.text.split('data-testid="lookup-result"', 1)[1]  # the form echoes what was typed
    # the bank holds the account: it sees it and its holder in full
    assert MULE1 in shown and "6217********2222" not in shown and "P2" in shown
    sign_in(api, "telecom")
    page = api.client.get("/console/lookup?kind=phone&value=139 0000 9999&purpose=x&lang=en")
    shown = page.text.split('data-testid="lookup-result"', 1)[1]
    assert "+8613900009999" in shown or "13900009999" in shown  # the number it typed
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


def _file_r1(api: Api) -> dict[str, str]:
    filed = api.post("/v1/reports", "analyst", {"report_id": "R1", "victim_account": VICTIM,
                     "fraud_txn_ids": ["F1"], "filed_at": "2024-05-01T12:00:00Z"})  # fmt: skip
    return {o["account_id"]: o["order_id"] for o in filed.json()["orders"]}


def test_the_queue_groups_by_account_filters_pages_and_exports(api: Api) -> None:
    orders = _file_r1(api)
    api.post(f"/v1/freeze-orders/{orders[MULE1]}/confirm", "bank")
    sign_in(api, "analyst")
    page = api.client.get("/console/orders?lang=en")
    assert page.text.count('class="account-group"') == 3
    assert 'data-testid="queue-summary">Accounts 3 · Orders 3' in page.text
    only = api.client.get("/console/orders?status=confirmed").text
    assert only.count('class="account-group"') == 1 and orders[MULE1] in only
    assert orders[MULE2] not in only
    ccb = api.client.get("/console/orders?institution=CCB").text
    assert ccb.count('class="account-group"') == 2
    assert api.client.get("/console/orders?report=NOPE").text.count('class="account-group"') == 0
    assert orders[MULE2] in api.client.get(f"/console/orders?account={MULE2}").text
    assert "account-group" not in api.client.get("/console/orders?to=2000-01-01").text
    first = api.client.get("/console/orders?per_page=2&lang=en").text
    second = api.client.get("/console/orders?per_page=2&page=2&lang=en").text
    assert first.count('class="account-group"') == 2 and "Page 1 / 2" in first
    assert second.count('class="account-group"') == 1 and 'rel="prev"' in second
    csv = api.client.get("/console/orders.csv?status=issued")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert csv.headers["content-type"].startswith("text/csv")
    assert lines[0].startswith("order_id,report_id,account_id") and len(lines) == 3
    sign_in(api, "bank")
    mine = api.client.get("/console/orders.csv").text.lstrip("\ufeff").splitlines()
    assert len(mine) == 3 and all(",CCB," in line for line in mine[1:])


def test_the_order_steps_offered_are_the_ones_the_lifecycle_allows(api: Api) -> None:
    stop = _file_r1(api)[MULE1]
    sign_in(api, "analyst")

    def buttons() -> set[str]:
        row = api.client.get(f"/console/orders?account={MULE1}").text.split(stop, 1)[1]
        row = row.split("</tr>", 1)[0]
        return set(re.findall(r'data-testid="(confirm|renew|release|freeze|escalate)"', row))

    assert buttons() == {"confirm", "release"}
    api.client.post(f"/console/orders/{stop}/confirm", data={"back": "/console/orders"})
    assert buttons() == {"renew", "freeze", "release"}
    api.client.post(f"/console/orders/{stop}/renew", data={"back": "/console/orders"})
    assert buttons() == {"freeze", "release"}  # an emergency stop is renewed at most once
    # the freeze asks for the legal document and a confirmation
    form = api.client.get(f"/console/orders/{stop}/freeze")
    assert 'name="document" required' in form.text and 'name="confirmed"' in form.text
    unconfirmed = api.client.post(f"/console/orders/{stop}/freeze", data={"document": "D1"})
    assert unconfirmed.status_code == 400
    done = api.client.post(
        f"/console/orders/{stop}/freeze",
        data={"document": "成公(刑)冻字[2024]1号", "confirmed": "yes", "back": "/console/orders"},
    )
    assert done.status_code == 200 and "成公(刑)冻字[2024]1号" in done.text
    assert buttons() == set()  # superseded by the freeze
    freeze = api.get("/v1/freeze-orders?status=issued", "analyst").json()
    assert any(o["kind"] == "freeze" and o["account_id"] == MULE1 for o in freeze)


def test_release_asks_a_reason_and_a_confirmation_and_audits_the_purpose(api: Api) -> None:
    stop = _file_r1(api)[MULE2]
    sign_in(api, "analyst")
    form = api.client.get(f"/console/orders/{stop}/release?lang=en")
    assert 'name="note" maxlength="1000" required' in form.text
    assert "I confirm releasing this order" in form.text
    bare = api.client.post(f"/console/orders/{stop}/release", data={"confirmed": "yes"})
    assert bare.status_code == 400
    assert api.get(f"/v1/freeze-orders/{stop}", "analyst").json()["status"] == "issued"
    api.client.post(
        f"/console/orders/{stop}/release", data={"note": "账户持有人已还款", "confirmed": "yes"}
    )
    assert api.get(f"/v1/freeze-orders/{stop}", "analyst").json()["status"] == "released"
    (entry,) = api.get(f"/v1/audit?subject_id={stop}&action=release_order", "admin").json()
    assert entry["purpose"] == "账户持有人已还款"


def test_region_names_come_from_the_shipped_division_table() -> None:
    from chaincut.services.regions import region_name

    assert region_name("510107") == "四川省成都市武侯区"
    assert region_name("110105") == "北京市朝阳区"  # not one of the simulator's districts
    assert region_name("440106") == "广东省广州市天河区"
    assert region_name("510199").startswith("四川省成都市")  # unknown county: its city
    assert region_name("unknown") == "unknown"


def test_verify_orders_show_their_reasons_and_can_be_escalated(api: Api) -> None:
    _file_r1(api)
    spec = {"account_id": "6222020000005555", "amount": "900.00", "claim": "900.00", "hop": 2,
            "evidence": [["F1", "T3"]], "institution": "ICBC", "score": 0.2,
            "reasons": ["a salary account: the payment is 2% of its income"]}  # fmt: skip
    with api.store.session() as s:
        from chaincut.services.tracing import TraceOutcome
        from chaincut.store import freeze_order

        outcome = TraceOutcome(True, data={"rule": "libr", "verify": [spec]})
        (order,) = freeze_order.issue_orders(s, "R1", outcome.order_specs()).orders
        s.commit()
        verify = order.order_id
    sign_in(api, "analyst")
    page = api.client.get("/console/reports/R1").text
    row = page.split(f'data-order="{verify}"', 1)[1].split("</tr>", 1)[0]
    assert "核实（不止付）" in row and "a salary account" in row
    assert 'data-testid="escalate"' in row and 'data-testid="renew"' not in row
    form = api.client.get(f"/console/orders/{verify}/escalate")
    assert 'name="note" maxlength="1000" required' in form.text
    done = api.client.post(
        f"/console/orders/{verify}/escalate",
        data={"note": "资金继续转出", "confirmed": "yes", "back": "/console/reports/R1"},
    )
    assert done.status_code == 200
    stops = api.get("/v1/freeze-orders?status=issued", "analyst").json()
    assert any(o["account_id"] == "6222020000005555" and o["kind"] == "emergency_stop"
               for o in stops)  # fmt: skip


def test_a_template_key_of_before_the_catalogues_still_speaks_both_languages() -> None:
    from chaincut.web.i18n import LEGACY_KEYS

    assert translate("dashboard", "zh-CN") == "总览" and translate("dashboard", "en") == "Dashboard"
    assert translate("reports_count", "zh-CN") == "报案数"
    for key in LEGACY_KEYS:
        assert translate(key, "zh-CN") != translate(key, "en"), key
