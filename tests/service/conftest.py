"""Service fixtures: a fresh store per test and one signed-in client per role, over the tiny
lake of `lake_home` (tests/conftest.py: imported once per session for every folder that reads
it)."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

with warnings.catch_warnings():
    # starlette asks for `httpx2`; the TestClient works the same on httpx
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from chaincut.service import create_app
from chaincut.settings import Settings
from chaincut.store import Store, open_store, user
from chaincut.store.enums import Role

#: a gang as `chaincut gangs` writes it, for the gang endpoints
GANG = {"gang_id": "GANG-R1", "reports": ["R1"], "cases": [], "victims": ["P1"],
        "members": [{"kind": "account", "id": "6222020000000000001", "role": "mule",
                     "confidence": 0.9, "evidence": ["T1"]},
                    {"kind": "person", "id": "P1", "role": "financier", "confidence": 0.85,
                     "evidence": ["holder of account 6222020000001111"]}],
        "money": {"reported": "100.00", "stopped": "0.00", "exited": "0.00"}, "dens": [],
        "span": {"first": "", "last": ""}}  # fmt: skip

#: username -> (role, institution)
USERS = {
    "analyst": (Role.analyst, None),
    "admin": (Role.admin, None),
    "bank": (Role.bank, "CCB"),
    "bank2": (Role.bank, "ABC"),
    "telecom": (Role.telecom, None),
    "public": (Role.public, None),
}


@pytest.fixture
def sqlite_url(tmp_path: Path, store_template: Path) -> str:
    path = tmp_path / "store.db"
    shutil.copyfile(store_template, path)
    return f"sqlite:///{path}"


@dataclass
class Api:
    """A test client and a token per user of `USERS`."""

    client: TestClient
    store: Store
    tokens: dict[str, str]

    def headers(self, who: str | None, purpose: str | None = None) -> dict[str, str]:
        out = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        if purpose:
            out["X-Purpose"] = purpose
        return out

    def get(self, path: str, who: str | None, purpose: str | None = None, **kw: object):  # type: ignore[no-untyped-def]
        return self.client.get(path, headers=self.headers(who, purpose), **kw)  # type: ignore[arg-type]

    def post(self, path: str, who: str | None, json: object = None, purpose: str | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(path, headers=self.headers(who, purpose), json=json)


def make_api(lake_home: Path, store_url: str) -> Iterator[Api]:
    store = open_store(store_url)
    tokens: dict[str, str] = {}
    with store.session() as s:
        for name, (role, institution) in USERS.items():
            user.create_user(s, name, role, institution)
            tokens[name] = user.issue_token(s, name)
    app = create_app(Settings(home=lake_home), store=store, self_check_rate=0.5, self_check_burst=5)
    # look-ups wait for the scores however loaded the machine is (the 10 s bound is for people)
    app.state.chaincut.score_wait_s = 600.0
    with TestClient(app) as client:
        yield Api(client, store, tokens)
    store.close()


@pytest.fixture
def api(lake_home: Path, sqlite_url: str) -> Iterator[Api]:
    yield from make_api(lake_home, sqlite_url)


@pytest.fixture
def pg_api(lake_home: Path, postgres_store_url: str) -> Iterator[Api]:
    yield from make_api(lake_home, postgres_store_url)
