"""Round thirteen: a box's slot inherits its site's evidence on the days the box works.

A seat of a call centre under the same mast as a SIM box called on its own working days, most
of them days the box was off; a slot of the box calls only when the box is on (`site_days`,
`box_days`; docs/telecom.md "Round thirteen: SIM-box devices").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import pytest

from chaincut.lake.engine import DuckDBEngine, Engine
from chaincut.lake.jobs.device_features import device_features
from chaincut.settings import EngineName, Settings
from chaincut.telecom import indicators as rules
from chaincut.telecom.features import DEVICE_FEATURES, FeatureFrame
from chaincut.telecom.model import shipped
from tests.lake.conftest import spark, ts, write_lake  # noqa: F401

S1, S2, S3, SEAT = "+8617000000001", "+8617000000002", "+8617000000003", "+8613700000007"


def _calls() -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    # the box at C9 on 4 and 5 March (local 10-11 h): S1 and S3 share slot I1 (reused), S2
    # sits alone in slot I2 and calls once, on the 4th
    for day in (4, 5):
        for k, sim in enumerate((S1, S3)):
            rows.append((f"b{day}{k}", ts(f"2024-03-0{day} 02:{10 * k:02d}:00"), sim, "+86180", 0))
    rows.append(("b2", ts("2024-03-04 02:30:00"), S2, "+86181", 0))
    # a seat under the same mast: on the 4th, and on the 6th and 7th, when the box was off
    for day in (4, 6, 7):
        rows.append((f"s{day}", ts(f"2024-03-0{day} 03:00:00"), SEAT, "+86182", 0))
    imei = {S1: "I1", S3: "I1", S2: "I2", SEAT: "IS"}
    return [(*r, "C9", imei[r[2]]) for r in rows]


@pytest.fixture(scope="module")
def box_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("box13") / "home")
    write_lake(settings, {"calls": _calls()})
    return settings


@pytest.fixture(scope="module", params=("duckdb", pytest.param("spark", marks=pytest.mark.spark)))
def box_engine(request: pytest.FixtureRequest, box_settings: Settings) -> Iterator[Engine]:
    if request.param == "duckdb":
        with DuckDBEngine(box_settings.model_copy(update={"engine": EngineName.duckdb})) as e:
            yield e
        return
    from chaincut.lake.engine.spark import SparkEngine

    request.getfixturevalue("spark")
    with SparkEngine(box_settings.model_copy(update={"engine": EngineName.spark})) as engine:
        yield engine


def test_site_days_counts_the_calls_made_on_the_boxs_days(box_engine: Engine) -> None:
    t = box_engine.tables(("calls", "messages", "persons", "reports"))
    job = device_features(t["calls"], t["messages"], t["persons"], t["reports"])
    rows = {r["imei"]: r for r in box_engine.execute(job, label="test").to_pylist()}
    assert rows["I2"]["site_reused"] == rows["IS"]["site_reused"] == 1
    assert (rows["I2"]["calls"], rows["I2"]["site_days"]) == (1, 1)
    assert (rows["IS"]["calls"], rows["IS"]["site_days"]) == (3, 1)
    # the reused slot has no other reused IMEI at its cell: no site, no days
    assert rows["I1"]["site_reused"] == rows["I1"]["site_days"] == 0


NAMES = tuple(DEVICE_FEATURES)
#: a slot of a box that never rotates nor swaps (as in round twelve's test): two unanswered
#: calls from one cell, 28 reused IMEIs at that cell, both calls on the box's days
SLOT = {
    "calls": 2, "sims": 1, "distinct_callees": 2, "callee_spread": 1.0, "answer_rate": 0.0,
    "cells": 1, "top_cell_share": 1.0, "active_days": 1, "sims_max_imeis": 1,
    "lifetime_d": 0.2, "site_reused": 28, "site_days": 2,
}  # fmt: skip
#: a seat of a call centre under that box's mast (randomised world 716, `tiny`): ten calls over
#: three weeks, four answered, eight of them on the box's days
SEAT_ROW = {
    **SLOT, "calls": 10, "distinct_callees": 10, "answer_rate": 0.4, "short_share": 0.25,
    "active_days": 8, "lifetime_d": 25.0, "site_days": 8,
}  # fmt: skip


def _frame(rows: Sequence[Mapping[str, float]]) -> FeatureFrame:
    values = np.array([[r.get(n, 0.0) for n in NAMES] for r in rows], np.float64)
    return FeatureFrame(np.array(["861234567890123"] * len(rows)), NAMES, values, {})


def _box_days(rows: Sequence[Mapping[str, float]]) -> list[float]:
    [ind] = [i for i in rules.DEVICE_INDICATORS if i.code == "box_days"]
    return [float(v) for v in ind.value(_frame(rows))]


def test_each_call_on_another_day_keeps_a_quarter_of_the_site() -> None:
    slot, one_off, seat = _box_days([SLOT, {**SLOT, "calls": 3}, SEAT_ROW])
    assert slot == pytest.approx(np.log(29.0))
    assert one_off == pytest.approx(np.log(29.0) * rules.OFF_DAY_KEEP)
    assert seat == pytest.approx(np.log(29.0) * rules.OFF_DAY_KEEP**2)


def test_the_shipped_model_flags_the_slot_and_not_the_seat_under_its_mast() -> None:
    model = shipped("device")
    slot, seat, alone = model.scores(_frame([SLOT, SEAT_ROW, {**SLOT, "site_reused": 0}]))
    assert slot >= model.threshold > seat
    assert alone < model.threshold  # the slot's own two calls do not make a box
    parts = dict(zip(model.codes, model.contributions(_frame([SLOT]))[0], strict=True))
    assert parts["box_days"] > 0 and "box_site" not in parts
