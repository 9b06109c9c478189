"""Round eleven: SIM-box IMEIs at the threshold. A handset carried about (`moves`) is no box,
the device model is fitted and its threshold chosen for its harm on worlds of both generators
at the sizes asked (docs/telecom.md "Round eleven: SIM-box devices")."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.telecom import calibrate as cal
from chaincut.telecom import indicators as rules
from chaincut.telecom import train
from chaincut.telecom.features import DEVICE_FEATURES, FeatureFrame
from chaincut.telecom.model import shipped

NAMES = tuple(DEVICE_FEATURES)
IMEI = "861234567890123"

#: a gang's cold-calling handset as randomised world 541 has it (one SIM, 148 calls from 12
#: cells, a third answered, hardly called back): the round-ten model scored it 0.95
GANG_HANDSET = {
    "calls": 148, "sims": 1, "distinct_callees": 128, "callee_spread": 0.86, "answer_rate": 0.36,
    "short_share": 0.3, "cells": 12, "top_cell_share": 0.16, "active_days": 6,
    "sims_in_calls": 9, "sims_in_share": 0.06, "sims_in_answer_rate": 0.5, "sims_max_imeis": 1,
    "victims_contacted": 1, "victim_share": 0.01, "lifetime_d": 24.3,
}  # fmt: skip
#: a box's slot: 16 SIMs, rotating IMEIs, in sync with the other slots at one cell
BOX = {
    "calls": 400, "sims": 16, "distinct_callees": 390, "callee_spread": 0.97,
    "answer_rate": 0.2, "short_share": 0.5, "cells": 1, "top_cell_share": 1.0,
    "active_days": 5, "sims_in_calls": 4, "sims_in_share": 0.01, "sims_max_imeis": 4,
    "max_sync_peers": 15, "sync_sharers": 16, "lifetime_d": 6.0,
}  # fmt: skip


def _frame(rows: Sequence[Mapping[str, float]]) -> FeatureFrame:
    values = np.array([[r.get(n, 0.0) for n in NAMES] for r in rows], np.float64)
    return FeatureFrame(np.array([IMEI] * len(rows)), NAMES, values, {})


def _moves(rows: Sequence[Mapping[str, float]]) -> list[float]:
    [ind] = [i for i in rules.DEVICE_INDICATORS if i.code == "moves"]
    return [float(v) for v in ind.value(_frame(rows))]


def test_a_box_that_stays_put_or_shows_no_cell_does_not_move() -> None:
    still, unknown, carried = _moves(
        [
            {"calls": 400, "cells": 1, "top_cell_share": 1.0},
            {"calls": 400, "cells": 0, "top_cell_share": 0.0},  # no call had a cell
            {"calls": 400, "cells": 12, "top_cell_share": 0.16},
        ]
    )
    assert still == 0.0 and unknown == 0.0
    assert carried == pytest.approx(0.84)


def test_few_calls_make_little_of_moving() -> None:
    two, many = _moves(
        [
            {"calls": 2, "cells": 2, "top_cell_share": 0.5},
            {"calls": 50, "cells": 2, "top_cell_share": 0.5},
        ]
    )
    assert two == pytest.approx(0.4 * many)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 500), st.integers(0, 30), st.floats(0.0, 1.0))
def test_moves_is_bounded(calls: int, cells: int, top: float) -> None:
    [value] = _moves([{"calls": calls, "cells": cells, "top_cell_share": top}])
    assert 0.0 <= value <= 1.0


def test_a_gangs_handset_is_no_box_but_a_moved_box_still_is() -> None:
    model = shipped("device")
    assert "moves" in model.codes
    moved = {**BOX, "cells": 3, "top_cell_share": 0.5}
    handset, box, moved_box = model.scores(_frame([GANG_HANDSET, BOX, moved]))
    assert handset < model.threshold
    assert box >= model.threshold and moved_box >= model.threshold


def test_the_shipped_device_threshold_records_its_harm() -> None:
    info = shipped("device").info["calibration"]
    assert info["harm"]["reached"] <= info["harm"]["innocent_per_fraud"]
    assert info["foreign_seeds"]


def _cache(work: Path, name: str, seed: int) -> None:
    """A cached world of `train.world_frames`: 60 IMEIs, a third of them a box's."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(60):
        boxy = i % 3 == 0
        rows.append(
            {
                **(BOX if boxy else GANG_HANDSET),
                "calls": float(rng.integers(50, 400)),
                "answer_rate": float(rng.uniform(0.1, 0.5)),
            }
        )
    frame = _frame(rows)
    np.savez(
        work / f"{name}.device.npz",
        ids=np.array([f"{IMEI[:-3]}{i:03d}" for i in range(60)]),
        names=np.array(NAMES),
        values=frame.values,
        positive=np.array([i % 3 == 0 for i in range(60)]),
    )


def test_train_fits_only_the_kind_asked_on_every_scale(tmp_path: Path) -> None:
    for scale in ("tiny", "small"):
        for seed in (540, 541):
            _cache(tmp_path, f"{scale}-{seed}", seed)
            _cache(tmp_path, f"foreign-{scale}-{seed}", seed + 10)
    out = tmp_path / "model"
    argv = ["--kind", "device", "--seeds", "540-541", "--foreign-seeds", "540-541"]
    assert (
        train.main([*argv, "--scale", "tiny,small", "--work", str(tmp_path), "--out", str(out)])
        == 0
    )
    assert not (out / "numbers.json").exists()
    data = json.loads((out / "devices.json").read_text(encoding="utf-8"))
    assert data["info"]["rows"] == 8 * 60
    assert "scale tiny and small" in data["info"]["trained_on"]


def test_calibrate_reads_the_worlds_of_every_scale(tmp_path: Path) -> None:
    for scale in ("tiny", "small"):
        for seed in (540, 541):
            _cache(tmp_path, f"{scale}-{seed}", seed)
            _cache(tmp_path, f"foreign-{scale}-{seed}", seed + 10)
    model = shipped("device")
    _, report = cal.calibrate(
        model, [540, 541], tmp_path, foreign=[540, 541], harm=0.05, scales=("tiny", "small")
    )
    assert sorted(report["worlds"]) == sorted(
        ["540", "541", "small-540", "small-541"]
        + ["foreign-540", "foreign-541", "foreign-small-540", "foreign-small-541"]
    )
