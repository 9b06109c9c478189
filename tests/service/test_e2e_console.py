"""Console flows in headless Chromium (Debian's, never a downloaded browser), in both languages:
the API docs offline, the freeze-order steps the lifecycle allows, the queue's filters.

Shares the server fixture and the skip rules of tests/service/test_e2e.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.service.test_e2e import ARGS, CHROMIUM, _need, _sign_in, server  # noqa: F401

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
