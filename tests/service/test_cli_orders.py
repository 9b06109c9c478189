"""Orders issued by `chaincut trace R` (and so by `trace --all --issue` and the demo, through
`chaincut.trace.persist`) carry the judge's score, reasons and reason codes as the API's filings
do, and the console says them (tests/trace/shared_mule.py: RA's stop on the shared card makes
RB's order on it a stop naming RA)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import chaincut.cli.commands_trace  # noqa: F401  (registers the commands)
from chaincut.cli.app import app
from chaincut.settings import Settings
from chaincut.store import open_store
from chaincut.store.enums import OrderKind
from chaincut.store.freeze_order import list_orders
from tests.service.conftest import make_api
from tests.service.test_console import sign_in
from tests.trace.shared_mule import SHARED, shared_mule_world

runner = CliRunner()


def _trace(home: Path, report_id: str) -> dict[str, Any]:
    ran = runner.invoke(app, ["trace", report_id, "--json", "--home", str(home)])
    assert ran.exit_code == 0, ran.output
    return dict(json.loads(ran.output))


def _stored(home: Path, report_id: str) -> dict[str, Any]:
    store = open_store(Settings(home=home).resolved_store_url)
    try:
        with store.session() as s:
            return {
                o.account_id: (o.order_id, o.kind, o.detail)
                for o in list_orders(s, report_id=report_id)
            }
    finally:
        store.close()


def test_a_cli_issued_stop_carries_the_reasons_its_trace_shows(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shared_mule_world(home)
    _trace(home, "RA")
    shown = _trace(home, "RB")
    (stop,) = [o for o in shown["freeze"] if o["account_id"] == SHARED]
    assert stop["score"] is not None and stop["reasons"]
    assert any(c["code"] == "stopped_before" for c in stop["reason_codes"])
    stored = _stored(home, "RB")
    order_id, kind, detail = stored[SHARED]
    assert kind is OrderKind.emergency_stop
    assert detail == {k: stop[k] for k in ("score", "reasons", "reason_codes")}
    for o in shown["verify"]:  # verify orders keep theirs
        assert stored[o["account_id"]][2]["reason_codes"] == o["reason_codes"]

    again = _trace(home, "RB")  # nothing changed: nothing is written
    assert again["issued"]["created"] == again["issued"]["updated"] == 0
    assert again["issued"]["unchanged"] == len(stored)
    assert _stored(home, "RB") == stored

    for desk in make_api(home, Settings(home=home).resolved_store_url):
        sign_in(desk, "analyst")
        for page in ("/console/reports/RB?lang=zh-CN", "/console/orders?report=RB&lang=zh-CN"):
            text = desk.client.get(page).text
            row = text.split(f'data-order="{order_id}"', 1)[1].split("</tr>", 1)[0]
            assert 'data-testid="verify-reasons"' in row, page
            assert 'lang="zh-CN"' in row and 'lang="en"' not in row, page
            assert "RA" in row, page  # the earlier report's stop, named in Chinese
