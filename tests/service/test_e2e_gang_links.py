"""A user reaches a gang's page from an account's and from a number's look-up page (issue 14,
item 9), in headless Chromium: the look-up lists the gangs the subject is a member of, and the
link opens the gang with its network drawn. Skips as tests/service/test_e2e.py does."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.service.test_e2e import _drawn, _sign_in
from tests.service.test_e2e_console import _offline_page, browser  # noqa: F401
from tests.service.test_e2e_graphs import DEN, graph_server  # noqa: F401
from tests.service.world import FRAUD_NUMBER, MULE1

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("kind", "value"), [("account", MULE1), ("phone", FRAUD_NUMBER)])
def test_an_account_or_number_page_leads_to_its_gang(
    graph_server: tuple[str, str],  # noqa: F811
    browser: Browser,  # noqa: F811
    kind: str,
    value: str,
) -> None:
    url, token = graph_server
    gang_id = str(DEN["gang_id"])
    page, elsewhere = _offline_page(browser, url)
    try:
        _sign_in(page, url, token)
        page.goto(f"{url}/console/lookup?kind={kind}&value={value}&purpose=case+7")
        listed = page.locator("[data-testid=member-gangs]")
        assert gang_id in listed.inner_text()
        listed.locator(f"a[href='/console/gangs/{gang_id}']").click()
        page.wait_for_url(f"{url}/console/gangs/{gang_id}")
        assert _drawn(page, "gang-graph") == 1 + len(DEN["members"])
        assert elsewhere == []
    finally:
        page.close()
