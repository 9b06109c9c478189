"""The console's graphs in headless Chromium (Debian's), in Chinese: a report's money flow and a
gang's network are drawn by the packaged Cytoscape.js (a canvas with every node), offline, and
hovering a node tells its order or its role. Screenshots go to $CHAINCUT_E2E_SHOTS when set
(docs/images/console-report-graph-zh.png and console-gang-zh.png come from here).

Skips as tests/service/test_e2e.py does (and fails instead when CI is set)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn

from chaincut.gangs import persist
from chaincut.service import create_app
from chaincut.settings import Settings
from chaincut.store import open_store, user
from chaincut.store.enums import Role
from tests.service.conftest import GANG
from tests.service.test_e2e import _drawn, _hover, _sign_in
from tests.service.test_e2e_console import _offline_page, browser  # noqa: F401
from tests.service.world import FRAUD_NUMBER, MULE1, MULE2, MULE3, VICTIM

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow


def _member(kind: str, ident: str, role: str, conf: float, *evidence: str) -> dict[str, Any]:
    return {"kind": kind, "id": ident, "role": role, "confidence": conf, "evidence": list(evidence)}


#: a gang over the tiny world's report R1, as `chaincut gangs` would write it
DEN = {"gang_id": "GANG-R1", "reports": ["R1"], "cases": [], "victims": ["P1"],
       "members": [
           _member("account", MULE1, "mule", 0.93, "paid by 1 victims", "F1"),
           _member("account", MULE2, "mule", 0.8, "traced money, score +2.1", "T2"),
           _member("account", MULE3, "mule", 0.75, "traced money, score +1.4", "T3"),
           _member("person", "P2", "mule", 0.88, f"holder of {MULE1}"),
           _member("person", "P3", "mule", 0.76, f"holder of {MULE2}"),
           _member("person", "P4", "card_dealer", 0.7, f"holder of {MULE3}", "registered +8613600003333"),
           _member("phone", "+86" + FRAUD_NUMBER, "operator", 0.9, "called 2 victims", "C1", "C2"),
           _member("device", "IMEI1", "operator", 0.8, "carried +86" + FRAUD_NUMBER)],
       "money": {"reported": "50000.00", "stopped": "45000.00", "exited": "10000.00"},
       "dens": [{"device": "IMEI1", "lines": ["+86" + FRAUD_NUMBER], "cells": ["CELL1"]}],
       "span": {"first": "2024-05-01T12:00:00", "last": "2024-05-01T12:00:00"}}  # fmt: skip


@pytest.fixture(scope="module")
def graph_server(
    tmp_path_factory: pytest.TempPathFactory, lake_home: Path
) -> Iterator[tuple[str, str]]:
    """A server over a copy of the tiny world whose saved analysis holds the gang above."""
    home = tmp_path_factory.mktemp("graphs") / "home"
    shutil.copytree(lake_home, home)
    assert GANG["gang_id"] == DEN["gang_id"]
    persist.save(home, [DEN])
    store = open_store(f"sqlite:///{home.parent / 'store.db'}")
    with store.session() as s:
        user.create_user(s, "ana", Role.analyst, None)
        token = user.issue_token(s, "ana")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(home=home), store=store)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", token
    srv.should_exit = True
    thread.join(5)
    store.close()


#: every node's place in the gang network, rounded to a pixel
POSITIONS = """Object.fromEntries(document.querySelector('[data-testid=gang-graph]').cy.nodes()
    .map(n => [n.id(), [Math.round(n.position('x')), Math.round(n.position('y'))]]))"""


def test_the_money_flow_and_the_gang_network_draw_in_chinese(
    graph_server: tuple[str, str],
    browser: Browser,  # noqa: F811
) -> None:
    url, token = graph_server
    page, elsewhere = _offline_page(browser, url)
    refused: list[str] = []  # what the CSP refused (an inline style or script of the library)
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.on("pageerror", lambda e: refused.append(str(e)))
    shots = os.environ.get("CHAINCUT_E2E_SHOTS")
    try:
        _sign_in(page, url, token, lang="zh-CN")
        page.goto(f"{url}/console/reports")
        form = page.locator("[data-testid=file-report]")
        form.locator("input[name=report_id]").fill("R1")
        form.locator("input[name=victim_account]").fill(VICTIM)
        form.locator("input[name=fraud_txn_ids]").fill("F1")
        form.locator("button[type=submit]").click()
        page.wait_for_url(f"{url}/console/reports/R1")
        assert _drawn(page, "money-graph") >= 5
        frozen = page.evaluate(
            "document.querySelector('[data-testid=money-graph]').cy.nodes('[role = \"frozen\"]').length"
        )
        assert frozen == 3
        tip = _hover(page, "money-graph", '[role = "frozen"]')
        assert "紧急止付" in tip and "emergency_stop" not in tip
        if shots:
            page.screenshot(path=f"{shots}/7-report-graph-zh.png", full_page=True)
        # from the report to its gang
        page.locator("[data-testid=report-gang]").click()
        page.wait_for_url(f"{url}/console/gangs/GANG-R1")
        assert _drawn(page, "gang-graph") == 1 + len(DEN["members"])
        edges = page.evaluate(
            "document.querySelector('[data-testid=gang-graph]').cy.edges().length"
        )
        assert edges >= 5  # money from the report, holders, the den's handset and line
        tip = _hover(page, "gang-graph", '[shape = "device"]')
        assert "业务员" in tip and "IMEI1" in tip
        assert "卡商" in page.locator("[data-testid=gang-members]").inner_text()
        if shots:
            page.screenshot(path=f"{shots}/8-gang-zh.png", full_page=True)
        placed = page.evaluate(POSITIONS)
        page.reload()
        _drawn(page, "gang-graph")
        assert page.evaluate(POSITIONS) == placed  # the same gang draws the same way
        assert elsewhere == [] and refused == []
    finally:
        page.close()
