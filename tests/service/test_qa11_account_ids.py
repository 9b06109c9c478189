"""An account whose id holds a hyphen (`CO-00001`, a merchant's; `POOL-ALIPAY`) is found by a
look-up (round eleven's new-user run on a foreign world: the look-up dropped the hyphen as it
does in a typed card number, and answered "not found" for an account with 86 transactions);
a card number typed with separators is still found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chaincut.ingest import import_folder
from chaincut.settings import Settings
from tests.service.conftest import Api, make_api
from tests.service.world import TABLES, write_world


@pytest.fixture
def hyphen_api(tmp_path: Path, sqlite_url: str) -> Iterator[Api]:
    world = write_world(tmp_path / "world")
    (world / "accounts.csv").write_text(
        TABLES["accounts"] + "CO-00001,,merchant,CCB,2020-01-01,CN\n", encoding="utf-8"
    )
    (world / "transactions.csv").write_text(
        TABLES["transactions"]
        + "M1,2024-05-03T10:00:00,6222020000005555,CO-00001,88.00,CNY,payment\n",
        encoding="utf-8",
    )
    home = tmp_path / "home"
    assert import_folder(Settings(home=home), world).rejected_count == 0
    yield from make_api(home, sqlite_url)


def test_an_account_id_with_a_hyphen_is_found(hyphen_api: Api) -> None:
    for who in ("analyst", "bank"):  # the bank user is CCB's, which holds it
        r = hyphen_api.get("/v1/accounts/CO-00001", who, "case 1")
        assert r.status_code == 200, (who, r.text)
        assert r.json()["id"] == "CO-00001"
    spaced = hyphen_api.get("/v1/accounts/6222 0200 0000 5555", "analyst", "case 1")
    assert spaced.status_code == 200 and spaced.json()["id"] == "6222020000005555"
    hyphen_api.client.cookies.set("chaincut_token", hyphen_api.tokens["analyst"])
    page = hyphen_api.client.get(
        "/console/lookup", params={"kind": "account", "value": "CO-00001", "purpose": "p"}
    )
    assert page.status_code == 200
    assert 'data-testid="lookup-result"' in page.text
