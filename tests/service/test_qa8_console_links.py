"""A page links only to pages its reader may open: a bank's freeze-order queue names the report
an order comes from, but the report's page is the police's (round eight's new-user run found
every bank's queue linking to a 403)."""

from __future__ import annotations

import re

from tests.service.conftest import Api
from tests.service.test_console import _file_r1, sign_in


def _links(html: str) -> set[str]:
    return {h.replace("&amp;", "&") for h in re.findall(r'href="(/console/[^"#]+)"', html)}


def test_a_banks_queue_links_to_nothing_it_may_not_open(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "bank")
    queue = api.client.get("/console/orders")
    assert queue.status_code == 200 and "<code>R1</code>" in queue.text
    refused = [u for u in _links(queue.text) if api.client.get(u).status_code == 403]
    assert refused == []


def test_the_police_still_follow_an_order_to_its_report(api: Api) -> None:
    _file_r1(api)
    sign_in(api, "analyst")
    assert "/console/reports/R1" in _links(api.client.get("/console/orders").text)
