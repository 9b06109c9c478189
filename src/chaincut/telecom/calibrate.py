"""The shipped models' thresholds, calibrated on worlds they were not fitted on.

    python -m chaincut.telecom.calibrate --seeds 500-599 --work /tmp/telecom-cal \\
        --model src/chaincut/telecom/model [--kind number|device|both] [--write]

The fit's own threshold (the best F1 on the training worlds) means different things in
different worlds: where look-alikes are many it flags hundreds of innocent numbers. Here a
Platt scaling (a logistic regression of the truth on the model's log-odds, fitted by
scikit-learn, each world weighing the same) is fitted on held-out *training-range* worlds
(seeds 500-999: neither the fitting seeds 1-40 nor the evaluation seeds from 1000), and the
threshold becomes the score at which a number is fraud (an IMEI a SIM box) with probability
`--probability` (0.8: four in five at the threshold are, more above it). Both models by
default (`numbers.json`, `devices.json`). The weights stay as
fitted; only `threshold` changes, with the calibration recorded under `info.calibration`.
Prints, per world, precision, recall and the innocent numbers flagged at both thresholds.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
from sklearn.linear_model import LogisticRegression

from chaincut.telecom.model import SHIPPED, TelecomModel
from chaincut.telecom.train import parse_seeds, world_frames

#: calibration seeds: above the training seeds, below the evaluation seeds
LOWEST: Final = 100
HIGHEST: Final = 999
#: the calibrated probability of fraud at the threshold
PROBABILITY: Final = 0.8


def _logit(p: Any) -> Any:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(q / (1 - q))


def platt(scores: list[Any], truth: list[Any]) -> tuple[float, float]:
    """(a, b) with P(fraud) = sigmoid(a * logit(score) + b), each world weighing the same."""
    x = np.concatenate([_logit(s) for s in scores]).reshape(-1, 1)
    y = np.concatenate(truth)
    w = np.concatenate([np.full(len(s), 1.0 / len(s)) for s in scores])
    lr = LogisticRegression(C=1e6, max_iter=1000)
    lr.fit(x, y, sample_weight=w * len(scores))
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def threshold_at(a: float, b: float, probability: float) -> float:
    """The model score at which the calibrated probability is `probability`."""
    z = (math.log(probability / (1 - probability)) - b) / a
    return 1.0 / (1.0 + math.exp(-z))


def at(scores: Any, truth: Any, threshold: float) -> dict[str, float | int]:
    flagged = scores >= threshold
    hits = int((flagged & truth).sum())
    return {
        "precision": round(hits / max(int(flagged.sum()), 1), 4),
        "recall": round(hits / max(int(truth.sum()), 1), 4),
        "innocent": int((flagged & ~truth).sum()),
    }


def calibrate(
    model: TelecomModel, seeds: Sequence[int], work: Path, probability: float = PROBABILITY
) -> tuple[float, dict[str, Any]]:
    """The calibrated threshold and the figures per world at the old and the new one."""
    worlds = world_frames(seeds, work, model.kind)
    scores = [model.scores(frame) for _, frame, _ in worlds]
    truth = [positive for _, _, positive in worlds]
    a, b = platt(scores, truth)
    threshold = threshold_at(a, b, probability)
    rows = {
        str(seed): {"fitted": at(s, y, model.threshold), "calibrated": at(s, y, threshold)}
        for (seed, _, _), s, y in zip(worlds, scores, truth, strict=True)
    }
    about = {
        "platt": [round(a, 6), round(b, 6)],
        "probability": probability,
        "seeds": f"{min(seeds)}-{max(seeds)}",
        "fitted_threshold": round(model.threshold, 10),
    }
    return threshold, {"calibration": about, "worlds": rows}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chaincut.telecom.calibrate")
    parser.add_argument("--seeds", default="500-599", help="calibration worlds, e.g. 500-599")
    parser.add_argument("--work", type=Path, required=True, help="worlds and their cache")
    parser.add_argument("--model", type=Path, required=True, help="folder of the model files")
    parser.add_argument("--kind", choices=("number", "device", "both"), default="both")
    parser.add_argument("--probability", type=float, default=PROBABILITY)
    parser.add_argument("--write", action="store_true", help="write the threshold to the file")
    args = parser.parse_args(argv)
    seeds = parse_seeds(args.seeds)
    if min(seeds) < LOWEST or max(seeds) > HIGHEST:
        parser.error(f"calibration seeds are {LOWEST}-{HIGHEST} (not fitted on, not evaluated)")
    if not 0 < args.probability < 1:
        parser.error(f"--probability must be between 0 and 1, not {args.probability}")
    args.work.mkdir(parents=True, exist_ok=True)
    kinds = ("number", "device") if args.kind == "both" else (args.kind,)
    for kind in kinds:
        report = _calibrate_file(args.model / SHIPPED[kind], seeds, args)
        sys.stdout.write(json.dumps({kind: report}, indent=1) + "\n")
    return 0


def _calibrate_file(path: Path, seeds: list[int], args: argparse.Namespace) -> dict[str, Any]:
    """Calibrate the model file `path` (from the fit's own threshold, not from an earlier
    calibration); write it back with `--write`."""
    model = TelecomModel.load(path)
    fitted = json.loads(path.read_text(encoding="utf-8")).get("info", {}).get("calibration")
    if fitted:
        model = TelecomModel.from_dict(
            {**model.to_dict(), "threshold": fitted["fitted_threshold"]}, str(path)
        )
    threshold, report = calibrate(model, seeds, args.work, args.probability)
    report["threshold"] = round(threshold, 10)
    report["calibration"]["seeds"] = args.seeds
    report["calibration"]["worlds"] = len(seeds)
    if args.write:
        data = model.to_dict()
        data["threshold"] = round(threshold, 10)
        data.setdefault("info", {})["calibration"] = report["calibration"]
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    raise SystemExit(main())
