"""Hostile identifiers in the lake cannot run script in an analyst's console (issue 17 item 1)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from chaincut.ingest import import_folder
from chaincut.settings import Settings
from chaincut.web import CONTENT_SECURITY_POLICY
from tests.service.conftest import Api, make_api
from tests.service.world import TABLES, VICTIM

HOSTILE = "M9</script><script>alert(1)</script>"


@pytest.fixture
def hostile_api(tmp_path: Path, sqlite_url: str) -> Iterator[Api]:
    world = tmp_path / "world"
    world.mkdir()
    for name, text in TABLES.items():
        if name == "transactions":
            text += f'X1,2024-05-01T10:05:00,6217000000002222,"{HOSTILE}",900.00,CNY,transfer\n'
        (world / f"{name}.csv").write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    assert import_folder(Settings(home=home), world).rejected_count == 0
    yield from make_api(home, sqlite_url)


def test_a_script_in_an_account_id_stays_data(hostile_api: Api) -> None:
    api = hostile_api
    r = api.client.post(
        "/console/sign-in", data={"token": api.tokens["analyst"]}, follow_redirects=False
    )
    assert r.status_code == 303
    r = api.client.post(
        "/console/reports",
        data={"report_id": "RX1", "victim_account": VICTIM, "fraud_txn_ids": "F1", "rule": "libr"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = api.client.get("/console/reports/RX1")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    # the graph's data still holds the id exactly, as JSON the page's script reads
    data = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', page.text, re.S
    )
    assert data is not None and HOSTILE in json.dumps(json.loads(data[1]), ensure_ascii=False)
    assert page.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
