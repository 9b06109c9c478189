"""Fixtures for the trace tests: the tiny world in memory and in a lake with its index."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.settings import Settings
from chaincut.trace import MemoryLedger, TraceIndex, ensure_index
from tests.trace.helpers import write_lake
from tests.trace.world import World, build_world


@pytest.fixture(scope="session")
def world() -> World:
    return build_world()


@pytest.fixture(scope="session")
def world_ledger(world: World) -> MemoryLedger:
    return MemoryLedger.complete(world.txns, world.accounts, world.reports)


@pytest.fixture(scope="session")
def world_settings(world: World, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home: Path = tmp_path_factory.mktemp("world") / "home"
    home.mkdir()
    return write_lake(home, world.txns, world.reports, world.accounts)


@pytest.fixture(scope="session")
def world_index(world_settings: Settings) -> TraceIndex:
    return ensure_index(world_settings)
