"""The clue index built through the Spark engine equals the one built through DuckDB, array for
array, and a number clue answers the same with CHAINCUT_ENGINE=spark as with duckdb (marked
`spark`); on DuckDB, the index built through the lake gateway keeps every array in order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chaincut.lake.engine import Engine
from chaincut.settings import EngineName, Settings
from chaincut.telecom.clue.build import build_clue_index
from tests.telecom.conftest import ROWS, SIMS, A, B, L, V, W

#: meta fields that say how long or when an index was made, not what it holds
_HOW = {"build_seconds", "built_at", "engine", "generation"}


def _arrays(folder: Path) -> dict[str, Any]:
    return {p.stem: np.load(p) for p in sorted(folder.glob("*.npy"))}


def _meta(folder: Path) -> dict[str, Any]:
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    return {k: v for k, v in meta.items() if k not in _HOW}


def assert_same_index(a: Path, b: Path) -> None:
    left, right = _arrays(a), _arrays(b)
    assert sorted(left) == sorted(right)
    for name, values in left.items():
        assert values.dtype == right[name].dtype, name
        assert np.array_equal(values, right[name]), name
    assert _meta(a) == _meta(b)


def test_the_gateway_build_keeps_codes_and_groups_in_order(
    mini_duckdb: Engine, tmp_path: Path
) -> None:
    meta = build_clue_index(mini_duckdb, tmp_path)
    ids = np.load(tmp_path / "num_ids.npy")
    numbers = {r[2] for r in ROWS["calls"]} | {r[3] for r in ROWS["calls"]}
    numbers |= {r[2] for r in ROWS["messages"]} | {r[3] for r in ROWS["messages"]}
    numbers |= {r[4] for r in ROWS["persons"]}
    assert [i.decode() for i in ids] == sorted(numbers, key=str.encode)
    assert meta["calls"] == len(ROWS["calls"]) and meta["messages"] == len(ROWS["messages"])
    for group in ("out", "in", "mout", "min"):
        off, ts = np.load(tmp_path / f"{group}_off.npy"), np.load(tmp_path / f"{group}_ts.npy")
        assert off[-1] == len(ts) == meta["rows"][group]
        for code in range(len(ids)):
            assert np.all(np.diff(ts[off[code] : off[code + 1]]) >= 0), (group, code)
    out_off = np.load(tmp_path / "out_off.npy")
    made = {n: sum(1 for r in ROWS["calls"] if r[2] == n) for n in numbers}
    for code, number in enumerate(i.decode() for i in ids):
        assert out_off[code + 1] - out_off[code] == made[number]


def _home(settings: Settings, root: Path, engine: EngineName) -> Settings:
    """A home of its own holding a copy of `settings`' lake, read with `engine`."""
    home = root / engine.value
    home.mkdir(parents=True)
    shutil.copy2(settings.lake_path, home / settings.lake_path.name)
    return settings.model_copy(update={"home": home, "engine": engine})


@pytest.fixture(scope="module")
def homes(
    spark: Any,  # noqa: ARG001 - the session's Spark, or the skip without it
    mini_settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Settings, Settings]:
    """Copies of the mini lake read with DuckDB and with Spark. The Spark home's clue index is
    built once, by whichever test asks first (a Spark build is most of either test's time):
    the other finds it fresh (`ensure_clue_index`), in any order."""
    root = tmp_path_factory.mktemp("clue-engines")
    return _home(mini_settings, root, EngineName.duckdb), _home(
        mini_settings, root, EngineName.spark
    )


@pytest.mark.spark
def test_spark_builds_the_same_clue_index(
    mini_duckdb: Engine, homes: tuple[Settings, Settings], tmp_path: Path
) -> None:
    from chaincut.telecom.clue.fresh import ensure_clue_index

    build_clue_index(mini_duckdb, tmp_path / "duckdb")
    on_spark = ensure_clue_index(homes[1])  # built through a SparkEngine of that home
    assert json.loads((on_spark / "meta.json").read_text("utf-8"))["engine"] == "spark"
    assert_same_index(tmp_path / "duckdb", on_spark)
    assert np.load(on_spark / "vic_code.npy").size == 2  # V and W reported


def _answer(settings: Settings, numbers: list[str]) -> dict[str, Any]:
    from chaincut.telecom import clue

    found = clue(settings, numbers).to_dict()
    found.pop("elapsed_ms")
    found["index"] = {k: v for k, v in found["index"].items() if k not in _HOW}
    return found


@pytest.mark.spark
def test_a_clue_answers_alike_on_spark(homes: tuple[Settings, Settings]) -> None:
    on_duckdb, on_spark = homes
    for numbers in ([SIMS[0]], [L], [A, B], [V, W], ["+8600000000000"]):
        expected = _answer(on_duckdb, numbers)
        assert _answer(on_spark, numbers) == expected, numbers
    [den] = _answer(on_spark, [SIMS[0]])["dens"]
    assert {m["number"] for m in den["members"]} == {*SIMS, L}
    built = json.loads((on_spark.index_dir / "clue.json").read_text("utf-8"))
    meta = json.loads((on_spark.index_dir / built["folder"] / "meta.json").read_text("utf-8"))
    assert meta["engine"] == "spark"
