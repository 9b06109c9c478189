"""Fixtures for account scoring: a hand-made mini ledger on each engine, and small simulated
worlds with ground truth for the model.

The mini ledger plants one of each shape, so its features and patterns can be worked out by
hand: six victims pay L1 within an hour (fan-in, strangers), L1 passes the money to L2a and
L2b within minutes (pass-through), both pay L3 (scatter-gather), L3 cashes out at an exchange;
C1 -> C2 -> C3 -> C1 and N1 -> N2 -> N1 are cycles; A1, A2 -> M1, M2 -> B1, B2 is a stack
(bipartite layers); a shop, a USD payment and a self-transfer complete it. Victims V1 and V2
reported their payments.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pytest

from chaincut.ingest import import_folder
from chaincut.lake.engine import DuckDBEngine, Engine
from chaincut.lake.jobs.account_features import FeatureParams, features_of_edges
from chaincut.lake.jobs.account_motifs import hub_keys, small_transfers
from chaincut.lake.jobs.account_patterns import PatternParams, motif_patterns, patterns_of_edges
from chaincut.lake.jobs.account_taint import account_neighbours, account_taint
from chaincut.lake.jobs.keyed_edges import account_keys, keyed_edges, keyed_transfers
from chaincut.scoring import AccountModel, LakeAccounts, read_accounts, read_labels
from chaincut.scoring.train import TrainParams, train_account_model
from chaincut.settings import EngineName, Settings
from chaincut.simulate import simulate
from tests.lake.conftest import ENGINES, spark, write_lake  # noqa: F401 (the spark fixture)

D = Decimal
T0 = datetime(2024, 3, 1)
FP, PP = FeatureParams(), PatternParams()


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _txns() -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for i in range(6):  # victims pay L1 between 01:00 and 01:50
        rows.append(
            (f"v{i + 1}", at(1 + i / 6), f"V{i + 1}", "L1", D("1000.00"), "CNY", "transfer")
        )
    rows += [
        ("l1a", at(2), "L1", "L2a", D("3000.00"), "CNY", "transfer"),
        ("l1b", at(2 + 5 / 60), "L1", "L2b", D("2900.00"), "CNY", "transfer"),
        ("l2a", at(3), "L2a", "L3", D("2950.00"), "CNY", "transfer"),
        ("l2b", at(3 + 10 / 60), "L2b", "L3", D("2850.00"), "CNY", "transfer"),
        ("l3x", at(4), "L3", "X", D("5800.00"), "CNY", "crypto_otc"),
        ("c1", at(34), "C1", "C2", D("500.00"), "CNY", "transfer"),
        ("c2", at(35), "C2", "C3", D("400.00"), "CNY", "transfer"),
        ("c3", at(36), "C3", "C1", D("300.00"), "CNY", "transfer"),
        ("n1", at(57), "N1", "N2", D("100.00"), "CNY", "transfer"),
        ("n2", at(68), "N2", "N1", D("100.00"), "CNY", "transfer"),
        ("s1", at(58), "N1", "S", D("52.30"), "CNY", None),
        ("s2", at(59), "N2", "S", D("18.00"), "USD", "pos"),
        ("self", at(60), "N1", "N1", D("9.99"), "CNY", "transfer"),
    ]
    k = 0
    for src, dst, hour in (("A", "M", 80), ("M", "B", 90)):
        for a in (1, 2):
            for b in (1, 2):
                k += 1
                rows.append((f"k{k}", at(hour + k / 10), f"{src}{a}", f"{dst}{b}", D("700.00"), "CNY", "transfer"))  # fmt: skip
    return rows


def _accounts() -> list[tuple[Any, ...]]:
    young = {"L1": at(-24 * 10), "L2a": at(-24 * 5), "L2b": at(-24 * 5), "L3": at(-24 * 3)}
    names = ["L1", "L2a", "L2b", "L3", "X", "S", "C1", "C2", "C3", "N1", "N2"]
    names += [f"V{i}" for i in range(1, 7)] + ["A1", "A2", "M1", "M2", "B1", "B2"]
    kinds = {"X": "exchange", "S": "merchant", "L3": "payment"}
    return [
        (a, None, kinds.get(a, "bank_card"), "BANK", young.get(a, datetime(2015, 1, 1)), "CN")
        for a in names
    ]


MINI: dict[str, list[tuple[Any, ...]]] = {
    "accounts": _accounts(),
    "transactions": _txns(),
    "reports": [
        ("r1", at(30), "p1", "V1", ["v1"], "fake_loan", None),
        ("r2", at(30), "p2", "V2", ["v2", "nosuch"], "fake_loan", None),
    ],
    "labels": [("L1", "account", "mule_l1"), ("L3", "account", "mule_l3")],
}


@pytest.fixture(scope="session")
def mini_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("mini") / "home")
    write_lake(settings, MINI)
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


def lake_jobs(engine: Engine, split: int = 12) -> dict[str, pa.Table]:
    """The account jobs' results as scoring runs them: keys and transfers materialised, the
    per-account jobs in two partitions of keys ([0, split) and the rest), the multi-account
    detectors on the materialised small transfers."""
    t = engine.table("transactions")
    with (
        engine.materialised(account_keys(t)) as keys,
        engine.materialised(keyed_transfers(t, keys, "CNY")) as transfers,
    ):
        features, patterns = [], []
        for part in ((0, split), (split, 1_000)):
            with engine.materialised(keyed_edges(transfers, part)) as edges:
                accounts = engine.table("accounts")
                features.append(engine.execute(features_of_edges(edges, keys, accounts, FP)))
                patterns.append(engine.execute(patterns_of_edges(edges, keys, PP)))
        small = small_transfers(transfers, hub_keys(transfers, PP.hub_degree))
        with engine.materialised(small) as kept:
            patterns.append(engine.execute(motif_patterns(kept, keys, PP)))
    return {
        "account_features": pa.concat_tables(features),
        "account_patterns": pa.concat_tables(patterns),
        "account_taint": engine.execute(account_taint(t, engine.table("reports"))),
        "account_neighbours": engine.execute(
            account_neighbours(t, ibis.memtable(pa.table({"account_id": ["L1", "L3", "M1"]})))
        ),
    }


@pytest.fixture(scope="session")
def mini_jobs_duckdb(mini_duckdb: Engine) -> dict[str, pa.Table]:
    return lake_jobs(mini_duckdb)


@pytest.fixture(scope="session")
def mini_jobs_spark(mini_spark: Engine) -> dict[str, pa.Table]:
    return lake_jobs(mini_spark)


@pytest.fixture(scope="session", params=ENGINES)
def mini_jobs(request: pytest.FixtureRequest) -> dict[str, pa.Table]:
    """The jobs' results on the mini ledger, on each engine in turn."""
    found: dict[str, pa.Table] = request.getfixturevalue(f"mini_jobs_{request.param}")
    return found


@pytest.fixture(scope="session", params=ENGINES)
def mini_engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn, on the mini ledger."""
    found: Engine = request.getfixturevalue(f"mini_{request.param}")
    return found


#: fast settings for tests: the shipped model uses `TrainParams()`
FAST = TrainParams(rounds=40, folds=2, threads=1)


def simulated(root: Path, seed: int) -> tuple[Path, Settings]:
    """A small simulated world (5,000 transactions, about 30 mules) and its imported lake."""
    folder = root / f"world-{seed}"
    simulate(folder, seed=seed, scale=5000)
    settings = Settings(home=root / f"home-{seed}")
    import_folder(settings, folder)
    return folder, settings


@pytest.fixture(scope="session")
def world_a(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings]:
    return simulated(tmp_path_factory.mktemp("world"), seed=3)


@pytest.fixture(scope="session")
def world_b(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Settings]:
    return simulated(tmp_path_factory.mktemp("world"), seed=4)


@pytest.fixture(scope="session")
def engine_a(world_a: tuple[Path, Settings]) -> Iterator[Engine]:
    with DuckDBEngine(world_a[1]) as engine:
        yield engine


@pytest.fixture(scope="session")
def engine_b(world_b: tuple[Path, Settings]) -> Iterator[Engine]:
    with DuckDBEngine(world_b[1]) as engine:
        yield engine


@pytest.fixture(scope="session")
def lake_a(engine_a: Engine) -> LakeAccounts:
    return read_accounts(engine_a)


@pytest.fixture(scope="session")
def lake_b(engine_b: Engine) -> LakeAccounts:
    return read_accounts(engine_b)


@pytest.fixture(scope="session")
def model_a(lake_a: LakeAccounts, engine_a: Engine) -> AccountModel:
    """A quick model trained on world A."""
    return train_account_model([lake_a], [read_labels(engine_a)], FAST)
