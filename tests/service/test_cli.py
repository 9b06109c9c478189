"""`chaincut users ...` and `chaincut serve --help`; demo users get one token per role."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.service import seed_demo_users
from chaincut.service.demo import describe
from chaincut.store import open_store, user
from chaincut.store.enums import Role

runner = CliRunner()


def cli(home: Path, *args: str) -> tuple[int, str]:
    _register()
    result = runner.invoke(app, [*args, "--home", str(home)])
    return result.exit_code, result.output


def test_users_commands(tmp_path: Path) -> None:
    code, out = cli(
        tmp_path, "users", "add", "li", "--role", "bank", "--institution", "CCB", "--json"
    )
    assert code == 0, out
    token = json.loads(out)["token"]
    code, out = cli(tmp_path, "users", "add", "li", "--role", "bank", "--institution", "CCB")
    assert code == 2 and "exists already" in out
    code, out = cli(tmp_path, "users", "add", "x", "--role", "bank")
    assert code == 2 and "institution" in out
    code, out = cli(tmp_path, "users", "token", "li")
    assert code == 0 and out.strip().startswith("cc_") and out.strip() != token
    code, out = cli(tmp_path, "users", "list", "--json")
    assert json.loads(out) == [
        {"username": "li", "role": "bank", "institution": "CCB", "token": True, "disabled": False}
    ]
    assert cli(tmp_path, "users", "disable", "li")[0] == 0
    assert cli(tmp_path, "users", "token", "li")[0] == 2
    assert cli(tmp_path, "users", "disable", "nobody")[0] == 2


def test_serve_help() -> None:
    _register()
    out = runner.invoke(app, ["serve", "--help"]).output
    assert "--host" in out and "--port" in out


def test_seed_demo_users(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        first = seed_demo_users(store, bank="CCB")
        again = seed_demo_users(store)
        assert [u.role for u in first] == list(Role)
        assert {u.token for u in first}.isdisjoint(u.token for u in again)
        with store.session() as s:
            for u in again:
                assert user.authenticate_token(s, u.token).username == u.username
        text = describe(again, "http://127.0.0.1:8000")
        assert "http://127.0.0.1:8000/console" in text and "demo-bank (CCB)" in text
