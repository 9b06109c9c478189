"""Shared tiny worlds: each is simulated once per test session (about a second)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pytest

from chaincut.model.schema import TABLES
from chaincut.simulate import SimParams, SimSummary, simulate

SEED = 11


@dataclass
class World:
    """A simulated folder, its tables as lists of dicts (all values as text) and its truth."""

    path: Path
    summary: SimSummary

    def table(self, name: str) -> list[dict[str, Any]]:
        return read_csv(self.path / f"{name}.csv")

    def truth(self, name: str) -> list[dict[str, str]]:
        with (self.path / "truth" / f"{name}.csv").open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    @property
    def info(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / "truth" / "world.json").read_text("utf-8"))
        return data


def read_csv(path: Path) -> list[dict[str, Any]]:
    """A table with every column read as text (no type guessing)."""
    names = TABLES[path.stem].column_names
    opts = pcsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, strings_can_be_null=True
    )
    rows: list[dict[str, Any]] = pcsv.read_csv(path, convert_options=opts).to_pylist()
    return rows


def make_world(root: Path, seed: int = SEED, scale: int | str = "tiny", **params: Any) -> World:
    summary = simulate(root, seed=seed, scale=scale, fmt="csv", params=SimParams(**params))
    return World(root, summary)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("tiny"))
