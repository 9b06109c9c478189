"""The PostgreSQL test helper skips locally but fails under CI when no server can start."""

from __future__ import annotations

import glob
import shutil
from pathlib import Path

import pytest

from tests import pg


def test_missing_server_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL unavailable: no binaries"):
        pg.unavailable("no binaries")


def test_missing_server_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        pg.unavailable("no binaries")


def test_missing_binaries_are_reported_with_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(pg.BINDIR_ENV, str(tmp_path))
    monkeypatch.setattr(glob, "glob", lambda _pattern: [])
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(pg.PostgresUnavailable, match="ensure-postgres.sh"):
        pg.find_bindir()


@pytest.mark.postgres
def test_server_listens_on_loopback_only(postgres_server: pg.PostgresServer) -> None:
    import psycopg

    with psycopg.connect(
        host=postgres_server.host,
        port=postgres_server.port,
        user=postgres_server.user,
        dbname="postgres",
    ) as conn:
        listen = conn.execute(b"SHOW listen_addresses").fetchone()
        user = conn.execute(b"SELECT current_user").fetchone()
    assert listen == ("127.0.0.1",) and user == (pg.DB_USER,)
    assert postgres_server.url().startswith("postgresql+psycopg://chaincut@127.0.0.1:")
