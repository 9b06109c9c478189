"""Round fourteen: the simulator's default worlds (`chaincut simulate` without `--randomise`)
in the device model's fit and calibration, beside the randomised and the foreign ones
(docs/telecom.md "Round fourteen: SIM-box devices"). The candidate model of that round was not
shipped (its tests left with it: commit 05c705a).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chaincut.telecom import calibrate as cal
from chaincut.telecom import train
from chaincut.telecom.model import shipped
from tests.telecom.test_imei11_devices import _cache


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
