"""End to end in headless Chromium (Playwright), the issue's "Done when": sign in as an analyst,
file a report, see the money-flow graph, confirm an order, look an account up with its scores;
then the bank sees only its orders (its own customers in full), and the admin sees both look-ups in the audit log.

Uses Debian's chromium (/usr/bin/chromium; never a downloaded browser). Skipped with the reason
when chromium or Playwright is missing, except when the environment variable CI is set: then it
fails, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

from chaincut.service import create_app
from chaincut.settings import Settings
from chaincut.store import open_store, user
from chaincut.store.enums import Role
from tests.service.world import MULE1, MULE2, MULE3, VICTIM

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = os.environ.get("CHAINCUT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = pytest.mark.slow


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this does not skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, lake_home: Path
) -> Iterator[tuple[str, dict[str, str]]]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'store.db'}")
    tokens = {}
    with store.session() as s:
        for name, role, inst in (
            ("ana", Role.analyst, None),
            ("ccb", Role.bank, "CCB"),
            ("adm", Role.admin, None),
        ):
            user.create_user(s, name, role, inst)
            tokens[name] = user.issue_token(s, name)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(Settings(home=lake_home), store=store)
    app.state.chaincut.score_wait_s = 600.0  # however loaded the machine is
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", tokens
    srv.should_exit = True
    thread.join(5)
    store.close()


def _sign_in(page: Page, url: str, token: str, lang: str = "en") -> None:
    page.goto(f"{url}/console/sign-in?lang={lang}")
    page.fill("input[name=token]", token)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/console/dashboard")


def _drawn(page: Page, testid: str) -> int:
    """Wait for the graph to be laid out; the number of nodes Cytoscape drew."""
    box = page.locator(f"[data-testid={testid}][data-drawn=true]")
    box.wait_for()
    assert box.locator("canvas").count() >= 1
    nodes = int(
        page.evaluate(f"document.querySelector('[data-testid={testid}]').cy.nodes().length")
    )
    assert nodes == int(box.get_attribute("data-nodes") or -1)
    return nodes


def _hover(page: Page, testid: str, selector: str) -> str:
    """Move the pointer onto the first node matching `selector`; the tip then shown."""
    at = page.evaluate(
        """([testid, selector]) => {
          const box = document.querySelector(`[data-testid=${testid}]`);
          const p = box.cy.nodes(selector)[0].renderedPosition();
          const r = box.getBoundingClientRect();
          return {x: r.left + p.x, y: r.top + p.y};
        }""",
        [testid, selector],
    )
    page.mouse.move(at["x"], at["y"])
    tip = page.locator(f"[data-testid={testid}] .tip")
    tip.wait_for()
    return tip.inner_text()


def _look_up(page: Page, url: str, kind: str, value: str, purpose: str) -> str:
    page.goto(f"{url}/console/lookup")
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=value]", value)
    page.fill("input[name=purpose]", purpose)
    page.click("form.card button[type=submit]")
    result = page.locator("[data-testid=lookup-result]")
    result.wait_for()
    return result.inner_text()


def test_done_when_walkthrough(server: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    """The issue's "Done when": an analyst files a victim's report, sees the money flow and the
    freeze orders and confirms one; a bank sees only its own orders; the admin sees
    both look-ups in the audit log. Screenshots go to $CHAINCUT_E2E_SHOTS (else a temp dir)."""
    _need(
        Path(CHROMIUM).exists() or shutil.which("chromium") is not None,
        f"no chromium at {CHROMIUM} (apt-get install chromium)",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "playwright is not installed (pip install -e '.[test]')")
        return
    shots = Path(os.environ.get("CHAINCUT_E2E_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    url, tokens = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(20_000)
            # the analyst, in Chinese first (the console's default language)
            _sign_in(page, url, tokens["ana"], lang="zh-CN")
            assert page.locator("svg.chart").count() >= 1
            page.screenshot(path=str(shots / "1-dashboard-zh.png"), full_page=True)
            page.goto(f"{url}/console/reports?lang=en")
            form = page.locator("[data-testid=file-report]")
            form.locator("input[name=report_id]").fill("RE2E")
            form.locator("input[name=victim_account]").fill(VICTIM)
            form.locator("input[name=fraud_txn_ids]").fill("F1")
            form.locator("button[type=submit]").click()
            page.wait_for_url(f"{url}/console/reports/RE2E")
            assert _drawn(page, "money-graph") >= 5
            frozen = "document.querySelector('.graph').cy.nodes('[role = \"frozen\"]').length"
            assert page.evaluate(frozen) == 3
            assert "emergency stop" in _hover(page, "money-graph", '[role = "frozen"]')
            page.mouse.wheel(0, -300)  # zoom works without errors
            page.screenshot(path=str(shots / "2-report-graph.png"), full_page=True)
            page.locator("[data-testid=confirm]").first.click()
            page.wait_for_url(f"{url}/console/reports/RE2E")
            assert page.locator("td.status[data-status=confirmed]", has_text="applied").count() == 1
            shown = _look_up(page, url, "account", MULE1, "report RE2E")
            assert MULE1 in shown
            scores = page.locator("[data-testid=scores]").inner_text()
            deadline = time.monotonic() + 90  # on a loaded machine scoring may outlast 10 s
            while "being computed" in scores and time.monotonic() < deadline:
                page.reload()  # what the page asks the user to do
                scores = page.locator("[data-testid=scores]").inner_text()
            assert "mule" in scores and "T2, T3" in scores
            page.screenshot(path=str(shots / "3-account-scores.png"), full_page=True)
            page.click("text=Sign out")
            # the bank: only its own orders, its own customers' accounts in full (it applies
            # the stops: masking by need), grouped by account
            _sign_in(page, url, tokens["ccb"])
            page.goto(f"{url}/console/orders")
            rows = page.locator("[data-testid=orders] tr[data-order]")
            assert rows.count() == 2
            assert page.locator("[data-testid=orders] tbody.account-group").count() == 2
            queue = page.locator("[data-testid=orders]").inner_text()
            assert MULE1 in queue and MULE3 in queue
            assert MULE2 not in queue and "6228" not in queue
            page.screenshot(path=str(shots / "4-bank-orders.png"), full_page=True)
            shown = _look_up(page, url, "account", MULE3, "freeze order check")
            assert MULE3 in shown
            page.click("text=Sign out")
            # the admin: both look-ups in the audit log
            _sign_in(page, url, tokens["adm"], lang="zh-CN")
            page.goto(f"{url}/console/audit")
            audit = page.locator("[data-testid=audit]").inner_text()
            # the actions in Chinese: 受理报案 file_report, 执行指令 confirm_order
            assert "受理报案" in audit and "执行指令" in audit
            lookups = [line for line in audit.splitlines() if "查询账户" in line]
            assert any("ana" in line and MULE1 in line for line in lookups), lookups
            assert any("ccb" in line and MULE3 in line for line in lookups), lookups
            page.screenshot(path=str(shots / "5-audit-zh.png"), full_page=True)
        finally:
            browser.close()
