"""Fit the shipped warning model (chaincut/warning/model/warning.json).

Worlds: the simulator with randomised parameters (`SimParams.randomised`), training seeds
TRAIN_SEEDS for the logistic weights and CALIBRATION_SEEDS for Platt calibration; no foreign
world and no evaluation seed is read. Rows are the subject's features after every signal (what
the warner knows at that moment), labelled 1 when the subject is a victim within three days of
its first payment (before or after: whom a warning can still help, whose signals say fraud).

    nice python -m training.warning.train --cache /tmp/warn-train
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from chaincut.ingest import import_folder
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.simulate import SimParams, simulate
from chaincut.warning.evaluate import lake_truth
from chaincut.warning.replay import directory, lake_events
from chaincut.warning.scoring import NAMES, WarningModel, default_model
from chaincut.warning.signals import Warner

TRAIN_SEEDS = tuple(range(7001, 7011))
CALIBRATION_SEEDS = tuple(range(7101, 7105))
SCALE = 6000
HELP_WINDOW_S = 3 * 86_400
MODEL = Path(__file__).resolve().parents[2] / "src/chaincut/warning/model/warning.json"


def world_rows(cache: Path, seed: int) -> tuple[np.ndarray, np.ndarray]:
    folder, home = cache / f"sim-{seed}", cache / f"home-{seed}"
    if not (home / "lake.duckdb").exists():
        simulate(folder, seed=seed, scale=SCALE, params=SimParams.randomised(seed))
        import_folder(Settings(home=home), folder)
    settings = Settings(home=home)
    with get_engine(settings) as engine:
        book = directory(engine)
        truth = lake_truth(engine, book)
        warner = Warner(book, default_model())
        warner.trace = []
        for event in lake_events(engine):
            warner.process(event)
    xs, ys = [], []
    for (kind, ident), ts, features in warner.trace:
        paid = truth.victims.get(ident) if kind == "person" else None
        xs.append(features)
        ys.append(1 if paid is not None and abs(ts - paid) < HELP_WINDOW_S else 0)
    return np.array(xs, dtype=float), np.array(ys, dtype=int)


def stack(cache: Path, seeds: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    parts = [world_rows(cache, s) for s in seeds]
    return np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "warn-train")
    args = parser.parse_args()
    x, y = stack(args.cache, TRAIN_SEEDS)
    # every feature is evidence of fraud or nothing: one that gets a negative weight (it only
    # stands in for another, correlated one) is left out, the most negative first, and the rest
    # refitted
    keep = np.ones(x.shape[1], dtype=bool)
    while True:
        fit = LogisticRegression(C=1.0, max_iter=2000).fit(x * keep, y)
        coef = np.where(keep, fit.coef_[0], 0.0)
        if coef.min() >= 0:
            break
        keep[int(coef.argmin())] = False  # the most negative first, then refit
    xc, yc = stack(args.cache, CALIBRATION_SEEDS)
    z = fit.decision_function(xc * keep).reshape(-1, 1)
    platt = LogisticRegression(C=1e6, max_iter=2000).fit(z, yc)
    old = default_model()
    model = WarningModel(
        intercept=float(fit.intercept_[0]),
        weights=tuple(round(float(w), 6) if k else 0.0 for w, k in zip(fit.coef_[0], keep, strict=True)),
        platt_a=float(platt.coef_[0][0]),
        platt_b=float(platt.intercept_[0]),
        raise_at=old.raise_at, step=old.step, call_at=old.call_at, visit_at=old.visit_at,
        trained_on=(
            f"simulator, SimParams.randomised seeds {TRAIN_SEEDS[0]}-{TRAIN_SEEDS[-1]} "
            f"(fit) and {CALIBRATION_SEEDS[0]}-{CALIBRATION_SEEDS[-1]} (Platt), scale {SCALE}"
        ),
    )  # fmt: skip
    p = np.array([model.score(list(r)) for r in xc])
    print(json.dumps(dict(zip(NAMES, model.weights, strict=True)), indent=1))
    print(f"rows {len(y)} positives {int(y.sum())}; calibration rows {len(yc)}")
    for cut in (0.05, 0.1, 0.2, 0.3, 0.5, 0.8):
        sel = p >= cut
        print(
            f"p>={cut}: {int(sel.sum())} rows, observed {yc[sel].mean() if sel.any() else math.nan:.3f}"
        )
    MODEL.write_text(json.dumps(model.to_json(), indent=1) + "\n")


if __name__ == "__main__":
    main()
