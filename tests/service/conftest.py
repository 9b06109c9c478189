"""Service fixtures: a fresh store per test and one signed-in client per role, over the tiny
lake of `lake_home` (tests/conftest.py: imported once per session for every folder that reads
it)."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    # starlette asks for `httpx2`; the TestClient works the same on httpx
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from chaincut.lake.engine import Engine
from chaincut.service import create_app
from chaincut.services.scorecache import lake_key
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


#: the scores of a lake in a given state (path, size and time of its files), computed once for
#: every test of the folder: (function, lake path, `lake_key`) -> the scores
_SCORED: dict[tuple[str, str, tuple[int, ...]], Any] = {}


def _scored_once(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def scored(engine: Engine, *args: Any, **kw: Any) -> Any:
        if args or kw:  # another model or other settings: not the app's scores
            return real(engine, *args, **kw)
        key = (name, str(engine.settings.lake_path), lake_key(engine.settings))
        if key not in _SCORED:
            _SCORED[key] = real(engine)
        return _SCORED[key]

    return scored


@pytest.fixture(autouse=True, scope="module")
def _lake_scored_once() -> Iterator[None]:
    """Every test's app keeps its own score cache (`ServiceState.scores`), so each test that
    looked an account or number up scored the whole lake again (about 2 s of CPU: accounts,
    numbers, devices): here the scoring functions answer a lake in a state they have already
    scored with what they computed then. The app still computes on first use, in the
    background, and caches as before (a self-check still sees no scores until something asked
    for them); a test that replaces a scoring function replaces this too. Module scope: the
    scoring functions are themselves again outside this folder."""
    import chaincut.scoring as accounts
    import chaincut.telecom.scoring as telecom

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "score_accounts", _scored_once("accounts", accounts.score_accounts))
        for name in ("score_numbers", "score_devices"):
            mp.setattr(telecom, name, _scored_once(name, getattr(telecom, name)))
        yield


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
