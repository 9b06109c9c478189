"""Hostile interchange files uploaded over HTTP (issue 17 items 6, 9, 10): each bad file or
line is a located reject, the good files import, and the service still answers everyone."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from chaincut.service import create_app
from chaincut.settings import Settings
from chaincut.store import open_store, user
from chaincut.store.enums import Role
from tests.security.corpus import GOOD_FILES, HOSTILE_FILES

ROLES = (Role.public, Role.bank, Role.telecom, Role.analyst, Role.admin)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[TestClient, dict[Role, str]]]:
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    tokens: dict[Role, str] = {}
    with store.session() as s:
        for role in ROLES:
            user.create_user(s, role.value, role, "ICBC" if role is Role.bank else None)
            tokens[role] = user.issue_token(s, role.value)
    app = create_app(Settings(home=tmp_path / "home"), store=store, console=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, tokens
    store.close()


def test_hostile_files_are_rejected_one_by_one_and_the_rest_imports(
    fresh: tuple[TestClient, dict[Role, str]],
) -> None:
    client, tokens = fresh
    parts = [
        ("files", (name, content, "application/octet-stream"))
        for name, content in {**GOOD_FILES, **{n: c for n, (c, _) in HOSTILE_FILES.items()}}.items()
    ]
    r = client.post(
        "/v1/imports", files=parts, headers={"Authorization": f"Bearer {tokens[Role.analyst]}"}
    )
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["imported"]["accounts"] == 1
    rejected = result["rejected"]
    for name, (_, mention) in HOSTILE_FILES.items():
        mine = [x for x in rejected if x["file"] == mention]
        assert mine, f"{name}: no reject names it: {rejected}"
        assert all(x["reason"] for x in mine)
    lines = {(x["file"], x["line"]) for x in rejected}
    assert {("reports.csv", 2), ("reports.csv", 3)} <= lines  # +25:00, year 10000
    assert {("persons.csv", 2), ("persons.csv", 3), ("persons.csv", 4)} <= lines
    for role, token in tokens.items():
        stats = client.get("/v1/statistics", headers={"Authorization": f"Bearer {token}"})
        assert stats.status_code == 200, (role, stats.text)
