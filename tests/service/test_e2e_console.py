"""Console flows in headless Chromium (Debian's, never a downloaded browser), in both languages:
the API docs offline, the freeze-order steps the lifecycle allows, the queue's filters.

Shares the server fixture and the skip rules of tests/service/test_e2e.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.service.test_e2e import ARGS, CHROMIUM, _hover, _need, _sign_in, server  # noqa: F401
from tests.service.world import MULE1, VICTIM

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow
Server = tuple[str, dict[str, str]]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    from pathlib import Path

    _need(Path(CHROMIUM).exists(), f"no chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "playwright is not installed (pip install -e '.[test]')")
        return
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def _offline_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    """A page that can reach only the test server: anything else is refused and noted."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    elsewhere: list[str] = []

    def _route(route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url.startswith(url) or request.url.startswith("data:"):
            route.continue_()
        else:
            if request.resource_type != "image":  # ReDoc's "powered by" logo is decoration
                elsewhere.append(request.url)
            route.abort()

    page.route("**/*", _route)
    return page, elsewhere


@pytest.mark.parametrize(("path", "rendered"), [("/docs", ".swagger-ui .info .title"),
                                                ("/redoc", "[role=navigation], .menu-content")])  # fmt: skip
def test_the_api_docs_render_without_a_network(
    server: Server,  # noqa: F811
    browser: Browser,
    path: str,
    rendered: str,
) -> None:
    url, _ = server
    page, elsewhere = _offline_page(browser, url)
    try:
        page.goto(url + path)
        page.locator(rendered).first.wait_for()
        assert "chaincut" in page.content()
        assert page.get_by_text("freeze orders").first.is_visible()
        assert elsewhere == []
    finally:
        page.close()


def _file(page: Page, url: str, report_id: str) -> None:
    page.goto(f"{url}/console/reports")
    form = page.locator("[data-testid=file-report]")
    form.locator("input[name=report_id]").fill(report_id)
    form.locator("input[name=victim_account]").fill(VICTIM)
    form.locator("input[name=fraud_txn_ids]").fill("F1")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{url}/console/reports/{report_id}")


def _row(page: Page, url: str, account: str) -> str:
    page.goto(f"{url}/console/orders?account={account}")
    return page.locator("[data-testid=orders] tr[data-order]").first.inner_text()


def test_order_steps_in_chinese_and_english(server: Server, browser: Browser) -> None:  # noqa: F811
    """An analyst in Chinese applies, renews once and turns a stop into a freeze under its
    document; in English they refuse a second filing of the same transfer, then release an
    order with a reason and a confirmation. Only the buttons the lifecycle allows show."""
    url, tokens = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    try:
        _sign_in(page, url, tokens["ana"], lang="zh-CN")
        _file(page, url, "RSTEP")
        tip = _hover(page, "money-graph", '[role = "frozen"]')  # the hover text in Chinese too
        assert "紧急止付" in tip and "已下发" in tip and "emergency_stop" not in tip
        row = page.locator(f"tr[data-order]:has-text('{MULE1}')")
        row.locator("[data-testid=confirm]").click()
        page.wait_for_url(f"{url}/console/reports/RSTEP")
        row.locator("[data-testid=renew]").click()
        page.wait_for_url(f"{url}/console/reports/RSTEP")
        assert row.locator("[data-testid=renew]").count() == 0  # renewed once: no more
        assert "已续期" in row.inner_text()
        row.locator("[data-testid=freeze]").click()
        step = page.locator("[data-testid=step-form]")
        assert "冻结决定书编号" in step.inner_text()
        step.locator("input[name=document]").fill("成公(刑)冻字[2024]0501号")
        step.locator("input[name=note]").fill("查明系涉诈资金")
        step.locator("input[name=confirmed]").check()
        step.locator("[data-testid=step-submit]").click()
        page.wait_for_url(f"{url}/console/reports/RSTEP")
        rows = page.locator(f"tr[data-order]:has-text('{MULE1}')").all_inner_texts()
        assert len(rows) == 2 and any("已被替代" in r for r in rows)  # the stop
        (freeze,) = [r for r in rows if "成公(刑)冻字[2024]0501号" in r]
        assert "冻结" in freeze and "已下发" in freeze  # the freeze, for the bank to apply
        if shots := os.environ.get("CHAINCUT_E2E_SHOTS"):  # docs/images/console-report-orders-zh
            page.screenshot(path=f"{shots}/6-report-orders-zh.png", full_page=True)
        # in English: the same transfer filed again is refused with the report id
        page.goto(f"{url}/console/reports?lang=en")
        form = page.locator("[data-testid=file-report]")
        form.locator("input[name=report_id]").fill("RAGAIN")
        form.locator("input[name=victim_account]").fill(VICTIM)
        form.locator("input[name=fraud_txn_ids]").fill("F1")
        form.locator("button[type=submit]").click()
        alert = page.locator("[role=alert]")
        assert "RSTEP" in alert.inner_text()
        assert form.locator("input[name=report_id]").input_value() == "RAGAIN"
        # release asks a reason and a confirmation
        page.goto(f"{url}/console/orders?report=RSTEP&lang=en")
        other = page.locator("tr[data-order]", has=page.locator("[data-testid=release]")).first
        other.locator("[data-testid=release]").click()
        step = page.locator("[data-testid=step-form]")
        assert "I confirm releasing this order" in step.inner_text()
        step.locator("input[name=note]").fill("money returned to the victim")
        step.locator("input[name=confirmed]").check()
        step.locator("[data-testid=step-submit]").click()
        page.wait_for_url(f"{url}/console/orders")
        assert page.locator("td.status[data-status=released]").count() >= 1
    finally:
        page.close()
