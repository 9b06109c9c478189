"""Shared test configuration. Area-specific fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Fixtures shared by several test folders are defined (or imported) here and only here: pytest
# keeps one instance of a session fixture per place it is defined, so a folder that imported
# it again into its own conftest.py built it again (the PostgreSQL server started twice, the
# service's tiny lake imported six times).
from tests.pg import (  # noqa: F401  (fixtures)
    postgres_server,
    postgres_store_database,
    postgres_store_url,
    postgres_url,
)

# The suite runs on shared 2-core machines: a property's examples may take long to generate or
# run there without anything being wrong, so time is not a failure (correctness still is; the
# benchmarks measure speed). Tests that set their own `settings` keep what they set.
# `make test` draws the same examples on every run (derandomize): a change is judged by what it
# changed, not by the draw (round thirteen's CI drew a phone number no local run had drawn).
# `make fuzz` draws fresh examples, ten times as many, to find such cases on purpose.
_QUIET = [HealthCheck.too_slow]
settings.register_profile("chaincut", deadline=None, derandomize=True, suppress_health_check=_QUIET)
settings.register_profile(
    "fuzz", deadline=None, max_examples=1000, database=None, suppress_health_check=_QUIET
)
settings.load_profile(os.environ.get("CHAINCUT_HYPOTHESIS", "chaincut"))

# Spark workers must run the same interpreter as the tests
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)


@pytest.fixture
def home(tmp_path):  # type: ignore[no-untyped-def]
    """An empty chaincut home folder."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def lake_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose lake holds the service tests' tiny world (`tests/service/world.py`) and the
    saved analysis `chaincut gangs` leaves (`tests.service.conftest.GANG`); imported once per
    session, tests only read it."""
    from chaincut.gangs import persist
    from chaincut.ingest import import_folder
    from chaincut.settings import Settings
    from tests.service.conftest import GANG
    from tests.service.world import write_world

    home = tmp_path_factory.mktemp("service") / "home"
    result = import_folder(Settings(home=home), write_world(home.parent / "world"))
    assert result.rejected_count == 0, result.as_dict()
    persist.save(home, [GANG])
    return home


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated to head once; tests take copies (a copy costs about 1 ms,
    migrating 100+ ms). Closing the store checkpoints its WAL into the file."""
    from chaincut.store import open_store

    path = tmp_path_factory.mktemp("store") / "store.db"
    open_store(f"sqlite:///{path}").close()
    return path


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """`chaincut demo --scale tiny --no-serve --json` run once per session: its home and the
    report it printed. The whole pipeline on a tiny city takes the longest of any fixture, and
    two test files need a first run; a test that writes to the home (a second demo, a store
    look-up that seeds users) works on its own copy (`copy_home`), so none sees another's."""
    from typer.testing import CliRunner

    from chaincut.cli import _register, app

    _register()
    home = tmp_path_factory.mktemp("demo") / "home"
    args = ["demo", "--home", str(home), "--scale", "tiny", "--no-serve", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return home, report


def copy_home(home: Path, into: Path) -> Path:
    """A copy of the chaincut home `home` at `into/home`. The lake's import log names the
    folders it imported from, as history only: nothing reads a path back from a home."""
    return Path(shutil.copytree(home, into / "home"))
