"""Fit the shipped warning model (chaincut/warning/model/warning.json).

Worlds, all with seeds below 1000 (evaluation seeds are 1000 and up): the simulator with
randomised parameters (`SimParams.randomised`) and the independent foreign world
(`chaincut.foreign`, tiny). FIT_* worlds give the logistic weights, CALIBRATION_* worlds the
Platt calibration. Each world is replayed as it arrived, the mule model rescored weekly on the
lake as it was then (`chaincut.warning.mule`). Rows are the subject's features after every
signal (what the warner knows at that moment), labelled 1 when the subject is a victim within
three days before its first payment (whom a warning can still help); rows of a victim after
its first payment are left out (a warning then helps less, and the issue's aim is before).

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

from chaincut.foreign import generate
from chaincut.ingest import import_folder
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.simulate import SimParams, simulate
from chaincut.warning.evaluate import lake_truth
from chaincut.warning.mule import scheduled_scores
from chaincut.warning.replay import directory, lake_events, span, with_mule_scores
from chaincut.warning.scoring import NAMES, WarningModel, default_model
from chaincut.warning.signals import Warner

FIT_SIM = tuple(range(1, 11))
FIT_FOREIGN = tuple(range(1, 7))
CALIBRATION_SIM = (101, 102, 103, 104)
CALIBRATION_FOREIGN = (7, 8, 9)
SCALE = 6000
HELP_WINDOW_S = 3 * 86_400
#: a subject is warned from this calibrated score on, again each `STEP` higher: chosen on the
#: validation worlds (foreign, seeds 10-12; neither fit nor calibration), where the worklists
#: of 0.2 were not full and 0.05 put most victims on them in time without an innocent person
RAISE_AT, STEP = 0.05, 0.025
MODEL = Path(__file__).resolve().parents[2] / "src/chaincut/warning/model/warning.json"


def _world(cache: Path, kind: str, seed: int) -> tuple[Path, Path]:
    """(world folder, home) of a cached world, generated and imported when missing."""
    folder = cache / (f"sim-{seed}" if kind == "sim" else f"fw-{seed}")
    home = cache / (f"home-{seed}" if kind == "sim" else f"home-fw-{seed}")
    if not (home / "lake.duckdb").exists():
        if kind == "sim":
            simulate(folder, seed=seed, scale=SCALE, params=SimParams.randomised(seed))
        else:
            generate(folder, seed=seed, size="tiny")
        import_folder(Settings(home=home), folder)
    return folder, home


def world_rows(cache: Path, kind: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of one world's replay (the replay is cached in `cache` as .npz)."""
    saved = cache / f"rows-{kind}-{seed}.npz"
    data = np.load(saved) if saved.exists() else None
    if data is None or data["x"].shape[1] != len(NAMES):
        data = _replay_rows(cache, kind, seed)
        np.savez(saved, **data)
    x, ts, paid = data["x"], data["ts"], data["paid"]
    after = (paid >= 0) & (ts >= paid)  # after the first payment: not what the list is for
    y = ((paid >= 0) & (paid - ts < HELP_WINDOW_S)).astype(int)
    return x[~after], y[~after]


def _replay_rows(cache: Path, kind: str, seed: int) -> dict[str, np.ndarray]:
    folder, home = _world(cache, kind, seed)
    settings = Settings(home=home)
    with get_engine(settings) as engine:
        book = directory(engine)
        truth = lake_truth(engine, book, folder if kind == "foreign" else None)
        bounds = span(engine)
    saved = cache / f"mule-{kind}-{seed}.json"  # the weekly rescoring takes most of the time
    if saved.exists():
        mule = [(int(t), s) for t, s in json.loads(saved.read_text())]
    else:
        mule = scheduled_scores(settings, *bounds) if bounds else []
        saved.write_text(json.dumps(mule))
    warner = Warner(book, default_model())
    warner.trace = []
    with get_engine(settings) as engine:
        for event in with_mule_scores(lake_events(engine), warner, mule):
            warner.process(event)
    rows = warner.trace
    paid = [truth.victims.get(i, -1) if k == "person" else -1 for (k, i), _, _ in rows]
    return {
        "x": np.array([f for _, _, f in rows], dtype=float).reshape(-1, len(NAMES)),
        "ts": np.array([t for _, t, _ in rows], dtype=np.int64),
        "paid": np.array(paid, dtype=np.int64),
    }


def stack(cache: Path, sims: tuple[int, ...], foreign: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    parts = [world_rows(cache, "sim", s) for s in sims]
    parts += [world_rows(cache, "foreign", s) for s in foreign]
    return np.vstack([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def fit_weights(x: np.ndarray, y: np.ndarray) -> tuple[LogisticRegression, np.ndarray]:
    """A logistic fit whose weights are all >= 0: a feature that comes out negative (it only
    stands in for a correlated one) is left out, the most negative first, and the rest refitted.
    Worlds are weighted alike whatever their number of rows (balanced classes)."""
    keep = np.ones(x.shape[1], dtype=bool)
    while True:
        fit = LogisticRegression(C=1.0, max_iter=4000, class_weight="balanced").fit(x * keep, y)
        coef = np.where(keep, fit.coef_[0], 0.0)
        if coef.min() >= 0:
            return fit, keep
        keep[int(coef.argmin())] = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "warn-train")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    x, y = stack(args.cache, FIT_SIM, FIT_FOREIGN)
    fit, keep = fit_weights(x, y)
    xc, yc = stack(args.cache, CALIBRATION_SIM, CALIBRATION_FOREIGN)
    z = fit.decision_function(xc * keep).reshape(-1, 1)
    platt = LogisticRegression(C=1e6, max_iter=2000).fit(z, yc)
    old = default_model()
    model = WarningModel(
        intercept=float(fit.intercept_[0]),
        weights=tuple(round(float(w), 6) if k else 0.0 for w, k in zip(fit.coef_[0], keep, strict=True)),
        platt_a=float(platt.coef_[0][0]),
        platt_b=float(platt.intercept_[0]),
        raise_at=RAISE_AT, step=STEP, call_at=old.call_at, visit_at=old.visit_at,
        trained_on=(
            f"simulator (SimParams.randomised) seeds {FIT_SIM[0]}-{FIT_SIM[-1]} and foreign "
            f"world (tiny) seeds {FIT_FOREIGN[0]}-{FIT_FOREIGN[-1]} (fit); simulator "
            f"{CALIBRATION_SIM[0]}-{CALIBRATION_SIM[-1]} and foreign "
            f"{CALIBRATION_FOREIGN[0]}-{CALIBRATION_FOREIGN[-1]} (Platt); scale {SCALE}"
        ),
    )  # fmt: skip
    p = np.array([model.score(list(r)) for r in xc])
    print(json.dumps(dict(zip(NAMES, model.weights, strict=True)), indent=1))
    print(f"rows {len(y)} positives {int(y.sum())}; calibration rows {len(yc)} ({int(yc.sum())})")
    for cut in (0.05, 0.1, 0.2, 0.3, 0.5, 0.8):
        sel = p >= cut
        seen = yc[sel].mean() if sel.any() else math.nan
        print(f"p>={cut}: {int(sel.sum())} rows, observed {seen:.3f}")
    MODEL.write_text(json.dumps(model.to_json(), indent=1) + "\n")


if __name__ == "__main__":
    main()
