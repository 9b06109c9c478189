"""Security fixtures: one app over the service tests' tiny lake, with a user per role, and the
tokens of a revoked user and of an expired one."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from chaincut.service import create_app
from chaincut.settings import Settings
from chaincut.store import Store, open_store, user
from chaincut.store.enums import Role
from chaincut.store.types import utc_now
from tests.service.conftest import USERS


@dataclass
class Secured:
    """The app's client, and a token per role name plus `revoked` and `expired`."""

    client: TestClient
    store: Store
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def secured(
    tmp_path_factory: pytest.TempPathFactory,
    lake_home: Path,
) -> Iterator[Secured]:
    path = tmp_path_factory.mktemp("security") / "store.db"
    store = open_store(f"sqlite:///{path}")
    tokens: dict[str, str] = {}
    with store.session() as s:
        for name, (role, institution) in USERS.items():
            user.create_user(s, name, role, institution)
            tokens[name] = user.issue_token(s, name)
        user.create_user(s, "gone", Role.analyst)
        tokens["revoked"] = user.issue_token(s, "gone")
        user.revoke_token(s, "gone")
        user.create_user(s, "old", Role.admin)
        tokens["expired"] = user.issue_token(s, "old", now=utc_now() - timedelta(days=400))
    app = create_app(
        Settings(home=lake_home), store=store, self_check_rate=1e6, self_check_burst=10**6
    )
    # the matrix checks who may ask, not the scores: answer "still computing" at once
    app.state.chaincut.score_wait_s = 0.2
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Secured(client, store, tokens)
    store.close()
