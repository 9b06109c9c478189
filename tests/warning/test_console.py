"""The console's worklist page and outcome form, in both languages; the dashboard's figures."""

from __future__ import annotations

from tests.service.conftest import Api
from tests.warning.test_service import _work_the_victim


def _sign_in(api: Api, who: str) -> None:
    r = api.client.post("/console/sign-in", data={"token": api.tokens[who]}, follow_redirects=False)
    assert r.status_code == 303, r.text


def test_the_worklist_shows_each_warning_with_its_evidence_in_both_languages(api: Api) -> None:
    wid = _work_the_victim(api)
    _sign_in(api, "analyst")
    zh = api.client.get("/console/warnings")
    assert zh.status_code == 200 and "预警工作单" in zh.text and "LM1" in zh.text
    en = api.client.get("/console/warnings?lang=en")
    assert "Warning worklist" in en.text and f"outcome-{wid}" in en.text


def test_the_outcome_form_records_and_the_dashboard_counts_it(api: Api) -> None:
    wid = _work_the_victim(api)
    _sign_in(api, "analyst")
    form = {"channel": "call", "outcome": "reached_dissuaded", "money_kept": "5000"}
    r = api.client.post(f"/console/warnings/{wid}/dissuasions", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = api.client.get("/console/dashboard?lang=en").text
    assert "Dissuaded" in page and "¥5,000.00" in page
    bad = api.client.post(f"/console/warnings/{wid}/dissuasions", data={"channel": "call"})
    assert bad.status_code == 400


def test_banks_do_not_see_the_worklist(api: Api) -> None:
    _sign_in(api, "bank")
    assert api.client.get("/console/warnings").status_code == 403
