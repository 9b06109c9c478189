"""The home chaincut creates is private: the lake and the store hold personal data."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from chaincut.lake.catalog import connect
from chaincut.settings import load_settings
from chaincut.store.database import create_store_engine


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_home_and_its_lake_and_store_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        settings = load_settings(home=tmp_path / "home")
        connect(settings).close()
        engine = create_store_engine(settings.resolved_store_url)
        with engine.connect() as con:
            con.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        engine.dispose()
    finally:
        os.umask(old)
    assert mode(settings.home) == 0o700
    assert mode(settings.lake_path) == 0o600
    assert mode(settings.home / "store.db") == 0o600


def test_a_folder_the_user_made_keeps_its_mode(tmp_path: Path) -> None:
    home = tmp_path / "shared"
    home.mkdir(mode=0o750)
    os.chmod(home, 0o750)  # noqa: S103 - the group-readable home the test is about
    connect(load_settings(home=home)).close()
    assert mode(home) == 0o750
    assert mode(home / "lake.duckdb") & 0o077 == 0
