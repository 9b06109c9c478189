"""The shipped models' thresholds, calibrated on worlds they were not fitted on.

    python -m chaincut.telecom.calibrate --seeds 500-599 --work /tmp/telecom-cal \\
        --model src/chaincut/telecom/model [--kind number|device|both] [--write] \\
        [--foreign-seeds 500-504 --foreign-work DIR] [--prevalence 0.01 --harm 0.05] \\
        [--harm-kind number|device|both] [--scale tiny,small] [--default-seeds SEEDS]

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
from chaincut.telecom.train import parse_scales, parse_seeds, seeds_at, world_frames

#: calibration seeds: above the training seeds, below the evaluation seeds
LOWEST: Final = 100
HIGHEST: Final = 999
#: the calibrated probability of fraud at the threshold
PROBABILITY: Final = 0.8
#: the share of fraud lines among a network's numbers at which `--harm` is judged: an
#: assumption (no published figure for numbers; fraud SMS are 0.05 % of SMS, REFERENCES.md),
#: well below the 1-15 % of the simulated worlds
PREVALENCE: Final = 0.01


def _logit(p: Any) -> Any:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return np.log(q / (1 - q))


def platt(
    scores: list[Any], truth: list[Any], share: Sequence[float] | None = None
) -> tuple[float, float]:
    """(a, b) with P(fraud) = sigmoid(a * logit(score) + b), each world weighing the same (or
    `share[i]` for world i)."""
    x = np.concatenate([_logit(s) for s in scores]).reshape(-1, 1)
    y = np.concatenate(truth)
    each = np.asarray(share if share is not None else [1.0] * len(scores), np.float64)
    each = each / each.sum()
    w = np.concatenate([np.full(len(s), e / len(s)) for s, e in zip(scores, each, strict=True)])
    lr = LogisticRegression(C=1e6, max_iter=1000)
    lr.fit(x, y, sample_weight=w * len(scores))
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def harm_at(
    scores: list[Any], truth: list[Any], share: Sequence[float], threshold: float, prevalence: float
) -> float:
    """Innocent numbers flagged per fraud number found at `threshold`, at `prevalence`, from
    the false- and true-positive rates averaged over the worlds (world i weighing `share[i]`)."""
    each = np.asarray(share, np.float64) / float(np.sum(share))
    fpr = tpr = 0.0
    for s, y, e in zip(scores, truth, each, strict=True):
        flagged = s >= threshold
        fpr += e * float((flagged & ~y).sum()) / max(int((~y).sum()), 1)
        tpr += e * float((flagged & y).sum()) / max(int(y.sum()), 1)
    return (1.0 - prevalence) * fpr / max(prevalence * tpr, 1e-12)


def threshold_for_harm(
    scores: list[Any], truth: list[Any], share: Sequence[float], harm: float, prevalence: float
) -> float:
    """The lowest score (among the worlds' scores) at which `harm_at` is at most `harm`; the
    highest score when none is (nothing is that harmless)."""
    candidates = np.unique(np.concatenate(scores))
    # harm falls (not strictly) as the threshold rises: bisect the sorted scores
    low, high = 0, len(candidates) - 1
    if harm_at(scores, truth, share, float(candidates[high]), prevalence) > harm:
        return float(candidates[high])
    while low < high:
        mid = (low + high) // 2
        if harm_at(scores, truth, share, float(candidates[mid]), prevalence) <= harm:
            high = mid
        else:
            low = mid + 1
    return float(candidates[low])


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
    model: TelecomModel,
    seeds: Sequence[int],
    work: Path,
    probability: float = PROBABILITY,
    *,
    foreign: Sequence[int] = (),
    foreign_work: Path | None = None,
    harm: float | None = None,
    prevalence: float = PREVALENCE,
    scales: Sequence[str] = ("small",),
    default: Sequence[int] = (),
) -> tuple[float, dict[str, Any]]:
    """The calibrated threshold and the figures per world at the old and the new one: the
    score of calibrated probability `probability`, or with `harm` the lowest score that flags
    at most `harm` innocent numbers per fraud number found at `prevalence`. Foreign worlds
    (`foreign`, cached in `foreign_work`, else `work`) weigh half of the calibration. Every
    seed's world at each of `scales` (the first one's worlds are named by the seed alone). The
    worlds of `default` (the simulator's default parameters, cached in `work`) count among the
    simulated ones."""
    there = foreign_work or work
    sizes = parse_scales(",".join(scales))
    worlds: list[tuple[str, Any, Any]] = []
    groups: list[int] = []
    for foreign_ones, seeds_of, where in ((False, seeds, work), (True, foreign, there)):
        for scale, only in sizes:
            name = ("foreign-" if foreign_ones else "") + (
                "" if scale == sizes[0][0] else scale + "-"
            )
            found = world_frames(
                seeds_at(seeds_of, only), where, model.kind, scale, foreign=foreign_ones
            )
            worlds += [(f"{name}{s}", f, y) for s, f, y in found]
            if not foreign_ones:
                plain = world_frames(seeds_at(default, only), work, model.kind, scale, default=True)
                worlds += [(f"default-{name}{s}", f, y) for s, f, y in plain]
                found += plain
            groups.append(len(found))
    scores = [model.scores(frame) for _, frame, _ in worlds]
    truth = [positive for _, _, positive in worlds]
    share = _shares(groups, len(sizes))
    a, b = platt(scores, truth, share)
    if harm is None:
        threshold = threshold_at(a, b, probability)
    else:
        threshold = threshold_for_harm(scores, truth, share, harm, prevalence)
    rows = {
        name: {"fitted": at(s, y, model.threshold), "calibrated": at(s, y, threshold)}
        for (name, _, _), s, y in zip(worlds, scores, truth, strict=True)
    }
    about: dict[str, Any] = {
        "platt": [round(a, 6), round(b, 6)],
        "probability": probability if harm is None else round(_probability(a, b, threshold), 4),
        "seeds": f"{min(seeds)}-{max(seeds)}",
        "fitted_threshold": round(model.threshold, 10),
    }
    if foreign:
        about["foreign_seeds"] = f"{min(foreign)}-{max(foreign)}"
    if harm is not None:
        about["harm"] = {
            "innocent_per_fraud": harm,
            "prevalence": prevalence,
            "reached": round(harm_at(scores, truth, share, threshold, prevalence), 4),
        }
    return threshold, {"calibration": about, "worlds": rows}


def _shares(groups: Sequence[int], sizes: int) -> list[float]:
    """Each world's weight: the simulated worlds half, the foreign ones half (all of it when
    there are none), and within each generator every size the same, whatever its number of
    worlds. Tiny worlds are many and cheap, but a tiny world's few cells crowd a call centre,
    a campaign and a box under one mast more than a network does: they must not outvote the
    larger worlds."""
    simulated, foreign = groups[:sizes], groups[sizes:]
    halves = (1.0, 0.0) if not sum(foreign) else (0.5, 0.5)
    out: list[float] = []
    for half, sized in zip(halves, (simulated, foreign), strict=True):
        filled = [n for n in sized if n]
        for n in filled:
            out += [half / len(filled) / n] * n
    return out


def _probability(a: float, b: float, threshold: float) -> float:
    """The calibrated probability of fraud at a model score."""
    z = a * float(_logit(np.array([threshold]))[0]) + b
    return 1.0 / (1.0 + math.exp(-z))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chaincut.telecom.calibrate")
    parser.add_argument("--seeds", default="500-599", help="calibration worlds, e.g. 500-599")
    parser.add_argument("--work", type=Path, required=True, help="worlds and their cache")
    parser.add_argument("--model", type=Path, required=True, help="folder of the model files")
    parser.add_argument("--kind", choices=("number", "device", "both"), default="both")
    parser.add_argument("--probability", type=float, default=PROBABILITY)
    parser.add_argument("--write", action="store_true", help="write the threshold to the file")
    parser.add_argument("--foreign-seeds", default="", help="foreign worlds too, e.g. 500-504")
    parser.add_argument("--foreign-work", type=Path, help="their cache (default: --work)")
    parser.add_argument(
        "--default-seeds",
        default="",
        help="worlds of the simulator's default parameters too (simulate without --randomise)",
    )
    parser.add_argument("--harm", type=float, help="innocent numbers per fraud number found")
    parser.add_argument("--prevalence", type=float, default=PREVALENCE)
    parser.add_argument(
        "--scale",
        default="small",
        help="world size, or several: tiny,small; small:680-686 limits a size to those seeds",
    )
    parser.add_argument(
        "--harm-kind",
        choices=("number", "device", "both"),
        default="number",
        help="which model --harm sets (the other keeps --probability)",
    )
    args = parser.parse_args(argv)
    try:
        seeds = parse_seeds(args.seeds)
        foreign = parse_seeds(args.foreign_seeds) if args.foreign_seeds else []
        default = parse_seeds(args.default_seeds) if args.default_seeds else []
        parse_scales(args.scale)
    except ValueError as error:
        parser.error(str(error))
    if min(seeds + foreign + default) < LOWEST or max(seeds + foreign + default) > HIGHEST:
        parser.error(f"calibration seeds are {LOWEST}-{HIGHEST} (not fitted on, not evaluated)")
    if not 0 < args.probability < 1:
        parser.error(f"--probability must be between 0 and 1, not {args.probability}")
    if not 0 < args.prevalence < 1:
        parser.error(f"--prevalence must be between 0 and 1, not {args.prevalence}")
    if args.harm is not None and args.harm <= 0:
        parser.error(f"--harm must be above 0, not {args.harm}")
    args.foreign = foreign
    args.default = default
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
    harm = args.harm if args.harm_kind in ("both", model.kind) else None
    threshold, report = calibrate(
        model,
        seeds,
        args.work,
        args.probability,
        foreign=args.foreign,
        foreign_work=args.foreign_work,
        harm=harm,
        prevalence=args.prevalence,
        scales=[s for s in args.scale.split(",") if s],
        default=args.default,
    )
    report["threshold"] = round(threshold, 10)
    report["calibration"]["seeds"] = args.seeds
    report["calibration"]["worlds"] = len(seeds)
    if args.default:
        report["calibration"]["default_seeds"] = args.default_seeds
    if args.write:
        data = model.to_dict()
        data["threshold"] = round(threshold, 10)
        data.setdefault("info", {})["calibration"] = report["calibration"]
        path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    raise SystemExit(main())
