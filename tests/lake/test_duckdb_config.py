"""Every DuckDB connection chaincut opens is held to the memory limit and spills beside the lake.

The limit is `CHAINCUT_DUCKDB_MEMORY_LIMIT` when set, else a quarter of the memory the process
may use (at least 1 GiB); the trace index build's own settings stay on its own instance.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pydantic import ValidationError

from chaincut import settings as settings_module
from chaincut.lake import catalog
from chaincut.settings import Settings, available_memory, default_duckdb_memory_limit
from tests.trace.helpers import worked_example, write_lake

UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def setting(con: duckdb.DuckDBPyConnection, name: str) -> Any:
    return con.execute("SELECT current_setting(?)", [name]).fetchall()[0][0]


def memory_bytes_of(shown: str) -> int:
    number, unit = shown.split()
    return int(float(number) * UNITS[unit])


def memory_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """The connection's memory limit, from DuckDB's display of it (one decimal)."""
    return memory_bytes_of(str(setting(con, "memory_limit")))


def via_catalog(settings: Settings) -> contextlib.closing[duckdb.DuckDBPyConnection]:
    return contextlib.closing(catalog.connect(settings, read_only=True))


@contextlib.contextmanager
def via_engine(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    from chaincut.lake.engine import DuckDBEngine

    engine = DuckDBEngine(settings)
    yield engine.backend.con


@contextlib.contextmanager
def via_service(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    from chaincut.lake.engine import DuckDBEngine
    from chaincut.service.lakeview import LakeView

    view = LakeView(settings)
    engine = view._acquire()
    assert isinstance(engine, DuckDBEngine)
    try:
        yield engine.backend.con
    finally:
        view._release()
        view.close()


@contextlib.contextmanager
def via_clue_build(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    from chaincut.telecom.clue.fresh import _open_lake

    with _open_lake(settings) as engine:
        yield engine.backend.con


@contextlib.contextmanager
def via_trace_build(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    from chaincut.trace.index.freshness import _open_lake

    with _open_lake(settings) as engine:
        yield engine.backend.con


OPENERS: list[Callable[[Settings], contextlib.AbstractContextManager[duckdb.DuckDBPyConnection]]]
OPENERS = [via_catalog, via_engine, via_service, via_clue_build, via_trace_build]


@pytest.fixture
def lake(tmp_path: Path) -> Settings:
    txns, report = worked_example()
    return write_lake(tmp_path, txns, [report])


def test_the_default_is_a_quarter_of_the_memory_and_at_least_a_gibibyte() -> None:
    total = available_memory()
    assert total is not None and total > 0
    limit = default_duckdb_memory_limit()
    assert limit == f"{max(total // 4, 1 << 30) >> 20}MiB"


def test_a_container_limit_lower_than_the_ram_is_what_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    v2, v1 = tmp_path / "memory.max", tmp_path / "limit_in_bytes"
    monkeypatch.setattr(settings_module, "_CGROUP_LIMITS", (v2, v1))
    assert available_memory() == ram  # neither file: the RAM
    v2.write_text("max\n")  # cgroup v2 without a limit
    assert available_memory() == ram
    v1.write_text(f"{6 << 30}\n")
    assert available_memory() == min(ram, 6 << 30)
    assert default_duckdb_memory_limit() == f"{max(min(ram, 6 << 30) // 4, 1 << 30) >> 20}MiB"
    v1.write_text(f"{2 << 30}\n")  # a quarter would be 512 MiB: the floor is 1 GiB
    assert default_duckdb_memory_limit() == f"{1 << 10}MiB"


@pytest.mark.parametrize("opener", OPENERS, ids=lambda f: f.__name__)
def test_every_connection_is_capped_by_default(
    lake: Settings, opener: Callable[[Settings], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHAINCUT_DUCKDB_MEMORY_LIMIT", raising=False)
    settings = Settings(home=lake.home)
    expected = default_duckdb_memory_limit()
    assert expected is not None
    with opener(settings) as con:
        got = setting(con, "memory_limit")
    # DuckDB shows a limit rounded ("5.8 GiB"): compare with how it shows the expected one
    plain = duckdb.connect(config={"memory_limit": expected})
    try:
        assert got == setting(plain, "memory_limit")
    finally:
        plain.close()
    assert memory_bytes_of(got) <= max(available_memory() or 0, 4 << 30) // 3


@pytest.mark.parametrize("opener", OPENERS, ids=lambda f: f.__name__)
def test_the_environment_overrides_the_default(
    lake: Settings, opener: Callable[[Settings], Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAINCUT_DUCKDB_MEMORY_LIMIT", "1536MiB")
    settings = Settings(home=lake.home)
    assert settings.duckdb_memory_limit == "1536MiB"
    with opener(settings) as con:
        assert memory_bytes(con) == 1536 * 2**20  # shown as "1.5 GiB": exact


def test_the_lake_spills_beside_itself(lake: Settings) -> None:
    assert lake.duckdb_config()["temp_directory"] == str(lake.home / "lake.duckdb.tmp")
    with via_catalog(lake) as con:
        assert setting(con, "temp_directory") == str(lake.home / "lake.duckdb.tmp")


@pytest.mark.parametrize("bad", ["abc", "4", "4 parsecs", "-1GB"])
def test_a_bad_limit_is_refused_naming_the_variable(
    bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAINCUT_DUCKDB_MEMORY_LIMIT", bad)
    with pytest.raises(ValidationError, match="not a memory size"):
        Settings()
    env = {**os.environ, "CHAINCUT_DUCKDB_MEMORY_LIMIT": bad, "CHAINCUT_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "chaincut", "stats"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 2, done.stderr
    assert "CHAINCUT_DUCKDB_MEMORY_LIMIT" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("good", ["4GB", "512 MiB", "25%", "2g", "3 gigabytes"])
def test_every_size_the_settings_accept_duckdb_accepts(good: str) -> None:
    limit = Settings(duckdb_memory_limit=good).duckdb_memory_limit
    assert limit is not None
    con = duckdb.connect(config={"memory_limit": limit})
    con.close()


def test_the_index_build_keeps_its_settings_off_other_connections(lake: Settings) -> None:
    """The build turns off insertion order and spills next to the new index on an instance of
    its own: a reader of the same lake in this process (the service's) keeps its settings."""
    from chaincut.trace import ensure_index

    with via_catalog(lake) as reader:
        index = ensure_index(lake, rebuild=True)
        assert setting(reader, "preserve_insertion_order") is True
        assert setting(reader, "temp_directory") == str(lake.home / "lake.duckdb.tmp")
        assert reader.execute("SELECT count(*) FROM transactions").fetchall()[0][0] > 0
    assert index.report("R1").loss_cents == 10000


def test_a_callers_connection_keeps_its_settings(lake: Settings) -> None:
    from chaincut.lake.engine import DuckDBEngine
    from chaincut.trace import ensure_index

    con = catalog.connect(lake)
    try:
        index = ensure_index(lake, DuckDBEngine(lake, con))
        assert setting(con, "preserve_insertion_order") is True
        assert setting(con, "temp_directory") == str(lake.home / "lake.duckdb.tmp")
    finally:
        con.close()
    assert index.report("R1").loss_cents == 10000
