"""`chaincut trace REPORT_ID` weighs the stops the home's store holds for earlier reports, as
`trace --all` does (tests/trace/shared_mule.py: RA's stop on the shared card makes RB's order on
it a stop)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import chaincut.cli.commands_trace  # noqa: F401  (registers the commands)
from chaincut.cli.app import app
from chaincut.services.earlier_stops import RELEASED, STOP_KINDS
from chaincut.settings import Settings
from chaincut.store.enums import OrderKind, OrderStatus
from chaincut.trace import TraceParams, trace_all
from tests.test_cli_startup import STORE, imported
from tests.trace.shared_mule import SHARED, shared_mule_world

runner = CliRunner()


def _trace(home: Path, report_id: str, *more: str) -> dict[str, Any]:
    result = runner.invoke(app, ["trace", report_id, "--json", "--home", str(home), *more])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def _judged(obj: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    return {
        o["account_id"]: (o["kind"], any(c["code"] == "stopped_before" for c in o["reason_codes"]))
        for o in [*obj["freeze"], *obj["verify"]]
    }


def test_a_single_trace_weighs_the_stops_issued_for_earlier_reports(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shared_mule_world(home)
    # no store yet: the trace knows no earlier stop (and opens no store)
    assert _judged(_trace(home, "RB", "--no-issue"))[SHARED] == ("verify", False)
    assert not (home / "store.db").exists()
    first = _trace(home, "RA")  # issues RA's orders in the store
    assert first["issued"]["created"] > 0
    second = _trace(home, "RB", "--no-issue")
    assert _judged(second)[SHARED] == ("emergency_stop", True)
    swept = {o["report_id"]: o for o in trace_all(Settings(home=home), TraceParams())}
    assert _judged(second) == _judged(swept["RB"])
    assert _judged(first) == _judged(swept["RA"])
    # RB's stops are later than RA: traced again, RA is judged as before
    _trace(home, "RB")
    assert _judged(_trace(home, "RA", "--no-issue")) == _judged(first)


def test_a_store_named_by_url_is_read_through_sqlalchemy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    shared_mule_world(home)
    monkeypatch.setenv("CHAINCUT_STORE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    _trace(home, "RA")
    assert not (home / "store.db").exists()
    assert _judged(_trace(home, "RB", "--no-issue"))[SHARED] == ("emergency_stop", True)


def test_the_stdlib_reader_names_the_stores_kinds_and_statuses() -> None:
    assert {OrderKind(k) for k in STOP_KINDS} == {OrderKind.emergency_stop, OrderKind.freeze}
    assert OrderStatus(RELEASED) is OrderStatus.released


def test_reading_the_store_imports_no_sqlalchemy(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shared_mule_world(home)
    _trace(home, "RA")
    mods, out = imported("trace", "RB", "--json", "--no-issue", "--home", str(home))
    assert _judged(json.loads(out))[SHARED] == ("emergency_stop", True)
    assert not mods & STORE, sorted(mods & STORE)


def test_trace_all_issues_the_orders_it_computes(tmp_path: Path) -> None:
    """`trace --all --issue` issues in time order, each report judged with the stops issued
    before it: the orders in the store are those its own output shows (RB's on the shared card
    an emergency stop naming RA), not those of each report traced alone."""
    home = tmp_path / "home"
    shared_mule_world(home)
    ran = runner.invoke(app, ["trace", "--all", "--issue", "--home", str(home)])
    assert ran.exit_code == 0, ran.output
    shown = {o["report_id"]: o for o in map(json.loads, ran.output.splitlines())}
    assert _judged(shown["RB"])[SHARED] == ("emergency_stop", True)
    assert all(o["issued"]["created"] > 0 for o in shown.values())
    from chaincut.store import open_store
    from chaincut.store.freeze_order import list_orders

    store = open_store(Settings(home=home).resolved_store_url)
    try:
        with store.session() as s:
            held = {(o.report_id, o.account_id): o.kind for o in list_orders(s, limit=1000)}
    finally:
        store.close()
    assert held[("RB", SHARED)] == OrderKind.emergency_stop
