"""The console in each language in headless Chromium (Debian's): the public self-check's
answer and an analyst's account look-up read wholly in Chinese, then wholly in English after
the language switch, which the cookie keeps for the next page (issue 16, point 4).

Shares the server fixture, the browser and the skip rules of tests/service/test_e2e_console.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.service.test_e2e import _look_up, _sign_in, server  # noqa: F401
from tests.service.test_e2e_console import browser  # noqa: F401
from tests.service.world import MULE1

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow
Server = tuple[str, dict[str, str]]
LINK = "http://1.2.3.4/refund/login"
_HAN = re.compile(r"[\u4e00-\u9fff]")
#: names, not language: protocols, formats and the product
_NAMES = {"http", "IMEI", "SIM", "GOIP", "QQ", "ID", "CN", "chaincut"}


def _english(text: str) -> set[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text)
    return {w for w in words if w not in _NAMES and not w.isupper()}  # CCB: an institution code


def _check(page: Page, url: str, lang: str | None = None) -> str:
    page.goto(f"{url}/console/self-check" + (f"?lang={lang}" if lang else ""))
    page.select_option("select[name=kind]", "url")
    page.fill("input[name=value]", LINK)
    page.click("form.card button[type=submit]")
    result = page.locator("[data-testid=self-check-result]")
    result.wait_for()
    return result.inner_text()


def test_the_self_check_in_chinese_then_english(server: Server, browser: Browser) -> None:  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    try:
        zh = _check(page, url, "zh-CN")
        assert "高风险" in zh and "该链接未加密（http）" in zh and "110" in zh
        assert _english(zh) == set()
        assert page.locator("select[name=kind] option[value=url]").inner_text() == "网址"
        page.click("[data-testid=lang-switch]")
        page.wait_for_url(f"{url}/console/self-check?lang=en")
        en = _check(page, url)  # no ?lang=: the switch's cookie keeps English
        assert "high risk" in en and "the link is not encrypted (http)" in en
        assert (
            _HAN.search(
                en.replace("陌生链接不点击，陌生来电不轻信，个人信息不透露，转账汇款多核实", "")
            )
            is None
        )
    finally:
        page.close()


def test_an_account_look_up_in_both_languages(server: Server, browser: Browser) -> None:  # noqa: F811
    url, tokens = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    try:
        _sign_in(page, url, tokens["ana"], lang="zh-CN")
        zh = _look_up(page, url, "account", MULE1, "核查")
        assert "收款笔数" in zh and "开户机构" in zh
        assert _english(zh) == set(), zh
        page.goto(f"{url}/console/lookup?lang=en")
        en = _look_up(page, url, "account", MULE1, "check")
        assert "payments in" in en and "institution" in en
        assert _HAN.search(en) is None, en
    finally:
        page.close()
