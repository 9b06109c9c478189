"""Telecom fixtures: a hand-made mini lake (one engine per kind) and a tiny simulated world.

The mini lake holds a SIM box of four SIMs at cell C9 (S3 rotates onto S1's IMEI I1), a fraud
line L in a handset at C5, two people A and B who call each other, and two victims V and W who
reported fraud on 2 March: the box pitched V for ten minutes, L called V and messaged both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chaincut.ingest import import_folder
from chaincut.lake.engine import DuckDBEngine, Engine
from chaincut.settings import EngineName, Settings
from chaincut.simulate import SimParams, simulate
from tests.lake.conftest import spark, spark_missing, ts, write_lake  # noqa: F401

A, B, L = "+8613800000001", "+8613800000002", "+8615000000005"
V, W = "+8613900000009", "+8613900000010"
S1, S2, S3, S4 = "+8617000000001", "+8617000000002", "+8617000000003", "+8617000000004"
SIMS = (S1, S2, S3, S4)
ANSWERED = {"b04", "b06"}


def _box_calls() -> list[tuple[Any, ...]]:
    rows = []
    k = 0
    for hour, minute in ((9, 5), (10, 5), (14, 5)):
        for s, sim in enumerate(SIMS):
            k += 1
            imei = f"I{s + 1}" if not (sim == S3 and hour == 10) else "I1"
            when = ts(f"2024-03-01 {hour:02d}:{minute + 5 * s:02d}:00")
            call_id = f"b{k:02d}"
            duration = 12 if call_id in ANSWERED else 0
            rows.append((call_id, when, sim, f"+86180000000{k:02d}", duration, "C9", imei))
    return rows


ROWS: dict[str, list[tuple[Any, ...]]] = {
    "persons": [
        ("pA", "甲", "110101199001010011", date(1990, 1, 1), A),
        ("pB", "乙", "110101199001010022", date(1990, 1, 1), B),
        ("pV", "丙", "110101199001010033", date(1990, 1, 1), V),
        ("pW", "丁", "110101199001010044", date(1990, 1, 1), W),
        ("pL", "戊", "110101199001010055", date(1990, 1, 1), L),
    ],
    "calls": [
        *_box_calls(),
        ("v1", ts("2024-03-01 10:12:00"), S2, V, 600, "C9", "I2"),
        ("a1", ts("2024-03-01 08:00:00"), A, B, 120, "C1", "IA"),
        ("a2", ts("2024-03-01 20:00:00"), B, A, 60, "C2", "IB"),
        ("a3", ts("2024-03-02 08:00:00"), A, B, 0, "C1", "IA"),
        ("a4", ts("2024-03-01 12:00:00"), A, V, 30, "C1", "IA"),
        ("l1", ts("2024-03-01 11:00:00"), L, V, 200, "C5", "IL"),
    ],
    "messages": [
        ("m1", ts("2024-03-01 10:30:00"), L, V, "您的订单异常，请加客服QQ办理退款", "sms"),
        ("m2", ts("2024-03-01 10:40:00"), V, L, "好的", "im"),
        ("m3", ts("2024-03-01 13:00:00"), L, W, "刷单兼职，日结佣金", "sms"),
        ("m5", ts("2024-03-01 13:00:00"), L, W, "加QQ领任务", "sms"),
        ("m4", ts("2024-03-01 09:00:00"), A, B, "晚上吃饭？", "im"),
    ],
    "reports": [
        ("r1", ts("2024-03-02 10:00:00"), "pV", "acV", ["t1"], "fake_customer_service", "退款"),
        ("r2", ts("2024-03-02 12:00:00"), "pW", "acW", ["t2"], "order_brushing", "刷单"),
    ],
    "labels": [
        *((s, "phone", "simbox") for s in SIMS),
        (L, "phone", "fraud"),
        ("I1", "device", "simbox"),
    ],
}  # fmt: skip


@pytest.fixture(scope="session")
def mini_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("mini") / "home")
    write_lake(settings, ROWS)
    return settings


@pytest.fixture(scope="session")
def mini_duckdb(mini_settings: Settings) -> Iterator[Engine]:
    with DuckDBEngine(mini_settings.model_copy(update={"engine": EngineName.duckdb})) as engine:
        yield engine


@pytest.fixture(scope="session")
def mini_spark(spark: Any, mini_settings: Settings) -> Iterator[Engine]:  # noqa: F811, ARG001 - starts the session's Spark first
    from chaincut.lake.engine.spark import SparkEngine

    with SparkEngine(mini_settings.model_copy(update={"engine": EngineName.spark})) as engine:
        yield engine


ENGINES: Sequence[Any] = ("duckdb", pytest.param("spark", marks=pytest.mark.spark))


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn, on the mini lake."""
    found: Engine = request.getfixturevalue(f"mini_{request.param}")
    return found


@dataclass(frozen=True)
class TinyWorld:
    """A tiny simulated world: its folder, its truth and a home it was imported into."""

    folder: Path
    settings: Settings
    info: dict[str, Any]


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> TinyWorld:
    import json

    root = tmp_path_factory.mktemp("tiny-telecom")
    simulate(root / "world", seed=11, scale="tiny", fmt="csv", params=SimParams())
    settings = Settings(home=root / "home")
    import_folder(settings, root / "world")
    info = json.loads((root / "world" / "truth" / "world.json").read_text("utf-8"))
    return TinyWorld(root / "world", settings, info)


@pytest.fixture(scope="session")
def tiny_engine(tiny: TinyWorld) -> Iterator[Engine]:
    with DuckDBEngine(tiny.settings) as engine:
        yield engine


__all__ = ["spark_missing"]


#: the held-out seed of the tiny randomised world (evaluation seeds are 1000 and above)
RANDOMISED_SEED = 1_001


@pytest.fixture(scope="session")
def tiny_randomised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The home of a tiny world whose parameters are drawn from the seed (held out)."""
    from chaincut.telecom.worlds import build_world

    root = tmp_path_factory.mktemp("tiny-randomised")
    return build_world(root, RANDOMISED_SEED, "tiny").home
