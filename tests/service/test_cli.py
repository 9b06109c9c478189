"""`chaincut users ...` and `chaincut serve --help`; demo users get one token per role."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.service import seed_demo_users
from chaincut.service.demo import describe
from chaincut.store import audit, open_store, user
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


def test_fraudlist_commands(tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text(
        "kind,value,reason,expires_at\n"
        "phone,139 0000 9999,den number,\n"
        "qq,12,too short,\n"
        "wechat,Kefu_888888,refund id,2030-01-01\n"
        "fax,1,x,\n",
        encoding="utf-8",
    )
    code, out = cli(tmp_path, "fraudlist", "import", str(listing), "--by", "li", "--json")
    assert code == 2, out
    result = json.loads(out)
    assert (result["added"], result["refreshed"]) == (2, 0)
    assert [(p["line"], p["field"]) for p in result["rejected"]] == [(3, "value"), (5, "kind")]
    code, out = cli(tmp_path, "fraudlist", "import", str(listing), "--json")
    assert json.loads(out)["refreshed"] == 2  # the same file again changes nothing
    code, out = cli(tmp_path, "fraudlist", "add", "domain", "https://Evil.TOP/x", "--reason", "p")
    assert code == 0 and "evil.top" in out
    code, out = cli(tmp_path, "fraudlist", "list", "--json")
    rows = json.loads(out)
    assert [(r["kind"], r["value"]) for r in rows] == [
        ("domain", "evil.top"), ("wechat", "kefu_888888"), ("phone", "+8613900009999"),
    ]  # fmt: skip
    assert rows[1]["expires_at"].startswith("2030-01-01") and rows[2]["added_by"] == "li"
    code, out = cli(tmp_path, "fraudlist", "remove", str(rows[2]["id"]), "--reason", "mistake")
    assert code == 0
    code, out = cli(tmp_path, "fraudlist", "remove", str(rows[2]["id"]), "--reason", "again")
    assert code == 2 and "removed already" in out
    code, out = cli(tmp_path, "fraudlist", "list", "--json", "--kind", "phone")
    assert json.loads(out) == []
    code, out = cli(tmp_path, "fraudlist", "list", "--json", "--kind", "phone", "--all")
    assert json.loads(out)[0]["removal_reason"] == "mistake"
    code, out = cli(tmp_path, "fraudlist", "add", "phone", "abc", "--reason", "x")
    assert code == 2 and "phone" in out
    code, out = cli(tmp_path, "fraudlist", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "missing.csv" in out
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store, store.session() as s:
        actions = [e.action for e in audit.query(s, newest_first=False)]
    assert actions[:2] == ["fraud_list_import", "fraud_list_import"]
    changes = [a for a in actions[2:] if a != "fraud_list_query"]
    assert changes == ["fraud_list_add", "fraud_list_remove"]
    assert actions.count("fraud_list_query") == 3  # the CLI's look-ups are audited as the API's
