"""The service's filings weigh the stops the store holds for earlier reports, as `trace --all`.

Two victims' money meets in one rented card at hop 2 (FRIEND: a salary account four years old):
the first report's money passes straight through it (a stop), the second's stays (on its own
ledger a payment between friends: `verify`). Filed one after the other through the API, the
second report's order on the card is a stop naming the first report, as `trace --all` decides;
the first report, filed earlier in time, is never judged with the second's stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chaincut.services.earlier_stops import store_reader
from chaincut.services.tracing import FiledReport
from chaincut.settings import Settings
from chaincut.store import report
from chaincut.store.enums import TracingRule
from chaincut.trace import TraceParams, trace_all
from tests.service.conftest import Api, make_api
from tests.trace.shared_mule import SHARED, shared_mule_world


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("earlier") / "home"
    shared_mule_world(home)
    return home


@pytest.fixture
def desk(shared_home: Path, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(shared_home, f"sqlite:///{tmp_path / 'store.db'}")


def _file(api: Api, report_id: str) -> dict[str, Any]:
    fraud, victim = {"RA": ("FA", "VA"), "RB": ("FB", "VB")}[report_id]
    body = {"report_id": report_id, "victim_account": victim, "fraud_txn_ids": [fraud]}
    r = api.post("/v1/reports", "analyst", body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _shared(filed: dict[str, Any]) -> dict[str, Any]:
    return next(o for o in filed["orders"] if o["account_id"] == SHARED)


def _codes(order: dict[str, Any]) -> set[str]:
    return {c["code"] for c in order["detail"].get("reason_codes", [])}


def _kinds(obj: dict[str, Any]) -> dict[str, str]:
    return {o["account_id"]: o["kind"] for o in [*obj["freeze"], *obj.get("verify", [])]}


def test_a_later_filing_is_stopped_for_the_earlier_reports_stop(desk: Api) -> None:
    first = _shared(_file(desk, "RA"))
    assert first["kind"] == "emergency_stop"
    assert "stopped_before" not in _codes(first)
    second = _shared(_file(desk, "RB"))
    assert second["kind"] == "emergency_stop", second["detail"]
    assert "stopped_before" in _codes(second)
    assert any("(RA)" in r for r in second["detail"]["reasons"])


def test_the_filings_decide_as_trace_all(desk: Api, shared_home: Path) -> None:
    filed = {r: _file(desk, r) for r in ("RA", "RB")}
    swept = {o["report_id"]: o for o in trace_all(Settings(home=shared_home), TraceParams())}
    for rid, got in filed.items():
        kinds = {o["account_id"]: o["kind"] for o in got["orders"] if o["kind"] != "verify"}
        want = _kinds(swept[rid])
        assert kinds == {a: k for a, k in want.items() if k != "verify"}, rid
        verify = {o["account_id"] for o in got["orders"] if o["kind"] == "verify"}
        assert verify <= {a for a, k in want.items() if k == "verify"}
    # without the earlier stops the second report verifies the card: the stop is the evidence's
    plain = {o["report_id"]: o for o in trace_all(Settings(home=shared_home), _alone())}
    assert _kinds(plain["RB"])[SHARED] == "verify"


def _alone() -> TraceParams:
    return TraceParams(earlier_stops=False)


def test_an_earlier_report_is_not_judged_with_a_later_ones_stops(desk: Api) -> None:
    # filed out of time order: the later report first knows no stop; the earlier one, filed
    # next, is judged on its own evidence; traced again, the later one now weighs its stop
    alone = _shared(_file(desk, "RB"))
    assert alone["kind"] == "verify" and "stopped_before" not in _codes(alone)
    earlier = _shared(_file(desk, "RA"))
    assert earlier["kind"] == "emergency_stop" and "stopped_before" not in _codes(earlier)
    for rid in ("RA", "RB"):  # the API's re-trace runs the same trace as below
        again = desk.get(f"/v1/reports/{rid}/trace", "analyst", "case work")
        assert again.status_code == 200, again.text
    assert _retraced(desk, "RA")[SHARED] == ("emergency_stop", False)
    assert _retraced(desk, "RB")[SHARED] == ("emergency_stop", True)


def _retraced(api: Api, report_id: str) -> dict[str, tuple[str, bool]]:
    """What `GET /v1/reports/{id}/trace` judges: kind and whether `stopped_before` is a reason."""
    state = api.client.app.state.chaincut  # type: ignore[attr-defined]
    with state.store.session(readonly=True) as s:
        found = report.get_report(s, report_id)
        outcome = state.tracer.trace(
            FiledReport(report_id, found.filed_at, found.victim_account, found.fraud_txn_ids),
            TracingRule.libr,
            store_reader(s, report_id),
        )
    return {
        o["account_id"]: (o["kind"], any(c["code"] == "stopped_before" for c in o["reason_codes"]))
        for o in [*outcome.data["freeze"], *outcome.data["verify"]]
    }


def test_a_released_stop_is_not_held_against_the_account(desk: Api) -> None:
    order = _shared(_file(desk, "RA"))
    r = desk.post(
        f"/v1/freeze-orders/{order['order_id']}/release",
        "analyst",
        {"note": "the owner showed the money was a loan"},
    )
    assert r.status_code == 200, r.text
    assert _shared(_file(desk, "RB"))["kind"] == "verify"
