"""Gang fixtures: the lake suite's tiny lake on each engine, and a small foreign world (one the
analysis was not designed on) imported once per session, with its evidence collected and its
people linked once."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.gangs import Evidence, collect
from chaincut.gangs.people import PersonLink, resolve
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from tests.lake.conftest import (  # noqa: F401  (fixtures)
    THIRD_PARTY_WARNINGS,
    duckdb_engine,
    lake_settings,
    spark,
    spark_engine,
)

#: the smallest foreign world the generator makes (about 8 k transactions, two gangs)
FOREIGN_SIZE = 2000


@pytest.fixture(scope="session")
def foreign_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings]:
    """A foreign world's folder (with truth.json) and a home whose lake holds it."""
    from chaincut.foreign import generate
    from chaincut.ingest import import_folder

    base = tmp_path_factory.mktemp("gangs")
    folder = base / "world"
    generate(folder, seed=3, size=FOREIGN_SIZE)
    settings = Settings(home=base / "home")
    result = import_folder(settings, folder)
    assert result.rejected_count == 0
    return folder, settings


@pytest.fixture(scope="session")
def evidence(foreign_world: tuple[Path, Settings]) -> Evidence:
    with get_engine(foreign_world[1]) as engine:
        return collect(engine)


@pytest.fixture(scope="session")
def links(evidence: Evidence) -> list[PersonLink]:
    """The evidence's person links (`resolve`, seed 0: what `analyse` makes without them), once
    per session for every module that reads them (three made them again, module by module)."""
    return resolve(evidence.persons, seed=0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            for spec in THIRD_PARTY_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(spec))
