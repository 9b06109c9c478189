"""Reports that came in with an import and that nobody filed yet: the console lists them, their
page shows the money flow traced now (read-only, no order issued, audited like any report) and
files them with their own time on one click, instead of answering "no such report"."""

from __future__ import annotations

from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.world import MULE1, VICTIM

IMPORTED = "RL1"  # in the lake of tests/service/world.py, never filed


def test_an_imported_report_is_listed_and_its_page_traces_it_without_issuing(api: Api) -> None:
    sign_in(api, "analyst")
    listed = api.client.get("/console/reports")
    assert listed.status_code == 200
    assert 'data-testid="unfiled-reports"' in listed.text
    assert f'href="/console/reports/{IMPORTED}"' in listed.text
    page = api.client.get(f"/console/reports/{IMPORTED}?lang=zh-CN")
    assert page.status_code == 200, page.text
    assert 'data-testid="not-filed"' in page.text and "尚未立案" in page.text
    assert 'data-testid="money-graph"' in page.text and MULE1 in page.text
    assert api.get("/v1/freeze-orders", "admin").json() == []  # looking issues nothing
    log = api.get("/v1/audit?action=view_report", "admin").json()
    assert [(e["actor"], e["subject_id"]) for e in log] == [("analyst", IMPORTED)]


def test_filing_an_imported_report_keeps_its_time_and_issues_its_orders(api: Api) -> None:
    sign_in(api, "analyst")
    form = {"report_id": IMPORTED, "victim_account": VICTIM, "fraud_txn_ids": "F1",
            "fraud_type": "impersonate_police", "filed_at": "2024-05-01T12:00:00", "rule": "libr"}  # fmt: skip
    filed = api.client.post("/console/reports", data=form, follow_redirects=False)
    assert filed.status_code == 303 and filed.headers["location"] == f"/console/reports/{IMPORTED}"
    stored = api.get(f"/v1/reports/{IMPORTED}", "analyst", "case RL1").json()
    assert stored["filed_at"].startswith("2024-05-01T12:00:00")
    assert any(o["account_id"] == MULE1 for o in api.get("/v1/freeze-orders", "admin").json())
    page = api.client.get(f"/console/reports/{IMPORTED}")
    assert 'data-testid="not-filed"' not in page.text
    listed = api.client.get("/console/reports")
    assert 'data-testid="unfiled-reports"' not in listed.text  # the only imported one is filed


def test_a_report_neither_filed_nor_imported_is_still_not_found(api: Api) -> None:
    sign_in(api, "analyst")
    assert api.client.get("/console/reports/NO-SUCH").status_code == 404
    assert api.get("/v1/reports/NO-SUCH/trace", "analyst", "case").status_code == 404
