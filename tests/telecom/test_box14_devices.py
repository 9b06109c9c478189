"""Round fourteen: a box's slot keeps its site's evidence in a group in sync that never reused a
slot, and after one callback on one or two calls; the simulator's default worlds in the fit
(docs/telecom.md "Round fourteen: SIM-box devices").
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from chaincut.telecom import calibrate as cal
from chaincut.telecom import indicators as rules
from chaincut.telecom import train
from chaincut.telecom.model import shipped
from tests.telecom.test_box13_devices import SEAT_ROW, SLOT, _box_days, _frame
from tests.telecom.test_imei11_devices import _cache

#: a slot of a box in the simulator's default world (training seed 951, `tiny`) that round
#: thirteen's model missed: three calls on the box's days, one answered, in sync with three
#: numbers none of which ever reused a slot, at a cell with six reused IMEIs
DEFAULT_SLOT = {
    **SLOT, "calls": 3, "distinct_callees": 3, "answer_rate": 1 / 3, "short_share": 1.0,
    "calls_per_hour": 1.0, "active_days": 2, "lifetime_d": 1.19, "sims_in_answer_rate": 1.0,
    "sims_in_sync": 1, "max_sync_peers": 3, "sync_pitched": 1, "sync_victims": 1,
    "sync_victim_share": 1.0, "site_reused": 6, "site_calls": 3, "site_share": 1.0,
    "site_days": 3,
}  # fmt: skip


def test_a_group_in_sync_without_reused_slots_keeps_the_site() -> None:
    # separate handsets in sync: the counter-indicator says so with its own weight; the site's
    # evidence is no longer taken away as well
    [room] = [i for i in rules.DEVICE_INDICATORS if i.code == "separate_handsets"]
    in_room = {**SLOT, "max_sync_peers": 10, "sync_sharers": 0}
    assert float(room.value(_frame([in_room]))[0]) == 1.0
    assert _box_days([in_room]) == pytest.approx([np.log(29.0)])


def test_one_callback_on_a_one_call_slot_keeps_half_of_the_site() -> None:
    one = {**SLOT, "calls": 1, "site_days": 1, "sims_in_calls": 1}
    called_back = {**SLOT, "calls": 10, "site_days": 10, "sims_in_calls": 10}
    got = _box_days([one, called_back])
    assert got[0] == pytest.approx(np.log(29.0) / (1 + rules.CALLS_OUT_PRIOR))
    assert got[1] == pytest.approx(np.log(29.0) * (1 - 10 / (10 + rules.CALLS_OUT_PRIOR)))


def test_the_shipped_model_flags_the_default_worlds_slot_not_the_seat() -> None:
    model = shipped("device")
    slot, seat = model.scores(_frame([DEFAULT_SLOT, SEAT_ROW]))
    assert slot >= model.threshold > seat
    assert "default_seeds" in model.info["calibration"]


def test_train_and_calibrate_take_the_simulators_default_worlds(tmp_path: Path) -> None:
    for seed in (540, 541):
        _cache(tmp_path, f"tiny-{seed}", seed)
        _cache(tmp_path, f"foreign-tiny-{seed}", seed + 10)
    _cache(tmp_path, "default-tiny-542", 542)
    out = tmp_path / "model"
    argv = ["--kind", "device", "--seeds", "540-541", "--foreign-seeds", "540-541"]
    argv += ["--scale", "tiny", "--work", str(tmp_path), "--out", str(out)]
    assert train.main([*argv, "--default-seeds", "542"]) == 0
    data = json.loads((out / "devices.json").read_text(encoding="utf-8"))
    assert data["info"]["rows"] == 5 * 60
    assert "default parameters, seeds 542-542" in data["info"]["trained_on"]
    _, report = cal.calibrate(
        shipped("device"), [540, 541], tmp_path, foreign=[540, 541], harm=0.05,
        scales=("tiny",), default=[542],
    )  # fmt: skip
    assert sorted(report["worlds"]) == ["540", "541", "default-542", "foreign-540", "foreign-541"]


def test_default_seeds_from_evaluation_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        train.main(["--default-seeds", "1000", "--work", str(tmp_path), "--out", str(tmp_path)])
    assert "held out for evaluation" in capsys.readouterr().err
