"""A case opened from a gang of imported data (issue 14 item 7): it lists the gang's reports the
lake holds (registered in the store from the lake), and its frozen amount is what the open
stops and freezes of those reports hold, not the gang's overlapping `stopped`."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chaincut.store import case
from chaincut.store.enums import OrderKind, TracingRule
from chaincut.store.freeze_order import OrderSpec, issue_orders, release
from tests.service.conftest import GANG, Api, make_api
from tests.service.world import MULE1, MULE2, MULE3

#: a gang of the lake's report RL1 (never filed in the store) and of one the lake lacks;
#: its traces could stop far more than any order holds
LAKE_GANG = copy.deepcopy(GANG) | {
    "gang_id": "GANG-RL1",
    "reports": ["RL1", "R-NOWHERE"],
    "money": {"reported": "50000.00", "stopped": "95000.00", "exited": "0.00"},
}


@pytest.fixture
def api(lake_home: Path, tmp_path: Path, store_template: Path):  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    yield from make_api(lake_home, f"sqlite:///{path}")


def _orders(api: Api) -> None:
    """A stop and a freeze that hold, a released stop and a verify order that do not."""
    spec = [
        OrderSpec(MULE1, OrderKind.emergency_stop, Decimal("300.00"), 1, TracingRule.libr, []),
        OrderSpec(MULE2, OrderKind.freeze, Decimal("200.50"), 2, TracingRule.libr, []),
        OrderSpec(MULE3, OrderKind.emergency_stop, Decimal("999.00"), 2, TracingRule.libr, []),
        OrderSpec(MULE3, OrderKind.verify, Decimal("50.00"), 2, TracingRule.libr, []),
    ]
    with api.store.session() as s:
        done = issue_orders(s, "RL1", spec)
        (gone,) = [o for o in done.created if o.amount == Decimal("999.00")]
        release(s, gone.order_id, actor="test", note="released")
        s.commit()


def test_a_case_from_a_lake_gang_lists_its_reports_and_holds_what_its_orders_hold(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chaincut.gangs import persist

    monkeypatch.setattr(persist, "load", lambda _home: [copy.deepcopy(LAKE_GANG)])
    r = api.post("/v1/gangs/GANG-RL1/case", "analyst", {"case_id": "C-L1", "name": "RL1 gang"})
    assert r.status_code == 201, r.text
    opened: dict[str, Any] = r.json()
    assert opened["report_ids"] == ["RL1"]  # the lake's; the report nobody has stays out
    assert Decimal(opened["amount_frozen"]) == 0  # no order issued yet: nothing frozen
    assert Decimal(opened["amount_involved"]) == Decimal("50000.00")
    _orders(api)
    from chaincut.services.gangs import keep_cases_current

    with api.store.session() as s:
        keep_cases_current(s, [LAKE_GANG], "test")
        s.commit()
    with api.store.session(readonly=True) as s:
        found = case.get_case(s, "C-L1")
        assert found.amount_frozen == Decimal("500.50")  # the stop and the freeze still open


def test_a_lake_report_joining_the_gang_later_is_attached(api: Api, lake_home: Path) -> None:
    from chaincut.lake.engine import get_engine
    from chaincut.lake.readers.events import report_row
    from chaincut.services.gangs import keep_cases_current
    from chaincut.settings import Settings

    r = api.post("/v1/gangs/GANG-R1/case", "analyst", {"case_id": "C-G1", "name": "R1 gang"})
    assert r.status_code == 201 and r.json()["report_ids"] == []  # R1: neither store nor lake
    later = copy.deepcopy(GANG) | {"reports": ["R1", "RL1"]}
    with get_engine(Settings(home=lake_home)) as lake, api.store.session() as s:
        keep_cases_current(s, [later], "test", lambda rid: report_row(lake, rid))
        s.commit()
    with api.store.session(readonly=True) as s:
        assert [x.report_id for x in case.get_case(s, "C-G1").reports] == ["RL1"]
