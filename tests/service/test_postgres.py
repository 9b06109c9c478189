"""A few API paths on PostgreSQL (money, audit, the bank's view)."""

from __future__ import annotations

import pytest

from tests.service.conftest import Api
from tests.service.test_reports_orders import REPORT

pytestmark = pytest.mark.postgres


def test_report_orders_and_audit_on_postgres(pg_api: Api) -> None:
    filed = pg_api.post("/v1/reports", "analyst", REPORT)
    assert filed.status_code == 201, filed.text
    assert len(filed.json()["orders"]) == 3
    mine = pg_api.get("/v1/freeze-orders", "bank").json()
    assert len(mine) == 2
    confirmed = pg_api.post(f"/v1/freeze-orders/{mine[0]['order_id']}/confirm", "bank")
    assert confirmed.json()["status"] == "confirmed"
    stats = pg_api.get("/v1/statistics", "analyst").json()
    assert stats["money_intercepted"] == "40000.00"
    assert pg_api.get("/v1/audit?action=confirm_order", "admin").json()[0]["actor"] == "bank"
