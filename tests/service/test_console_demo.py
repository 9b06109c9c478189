"""The demo fills every page (issue 16, point 9): after `chaincut demo` the dashboard has a
supervised case, money returned, punishments and dissuasions, and running it again adds none."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chaincut.service import create_app
from chaincut.service.demo import seed_demo_users
from chaincut.service.demo_work import seed_demo_work
from chaincut.settings import Settings
from chaincut.store import open_store
from tests.conftest import copy_home

pytestmark = pytest.mark.slow


@pytest.fixture
def demo_home(
    demo_run: tuple[Path, dict[str, object]], tmp_path: Path
) -> tuple[Path, dict[str, object]]:
    """A copy of the session's demo home (tests/conftest.py) and its report: this test seeds
    users and runs the demo's work again, which must not reach another test's home."""
    home, report = demo_run
    return copy_home(home, tmp_path), report


def test_the_demo_opens_a_case_returns_money_punishes_and_warns(
    demo_home: tuple[Path, dict[str, object]],
) -> None:
    home, report = demo_home
    work = report["work"]
    assert isinstance(work, dict) and str(work["case"]).startswith("CASE-DEN-")
    assert Decimal(str(work["returned"])) > 0 and work["punishments"]
    settings = Settings(home=home)
    with open_store(settings.resolved_store_url) as store:
        tokens = {u.role.value: u.token for u in seed_demo_users(store)}
        with TestClient(create_app(settings, store=store)) as client:
            stats = client.get(
                "/v1/statistics", headers={"Authorization": f"Bearer {tokens['analyst']}"}
            ).json()
            assert stats["cases"] == 1 and Decimal(stats["money_returned"]) > 0
            assert stats["punishments"] == work["punishments"] and stats["dissuasions"] > 0
            returned = Decimal(stats["money_returned"])
            assert returned <= Decimal(stats["money_lost"])  # restitution never exceeds losses
            client.cookies.set("chaincut_token", tokens["analyst"])
            case = client.get(f"/console/cases/{work['case']}")
            assert case.status_code == 200 and "电诈窝点案" in case.text
            assert "RPT-" in case.text  # its reports attached
        again = seed_demo_work(store, settings, home / "demo-world")
        assert again.punished == 0 and again.case_id == work["case"]
