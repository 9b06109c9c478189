"""Rebuild the shipped account model from many randomised worlds, calibrate it, evaluate it.

    .venv/bin/python -m training.scoring.build_model          # writes src/chaincut/scoring/model/accounts.json
    .venv/bin/python -m training.scoring.build_model --cache /tmp/worlds --out model.json --no-eval

Trains on the training worlds of `worlds.py` (30 simulator worlds with randomised parameters,
plus the foreign generator's training worlds where the checkout has it), each seen twice: with
everything its lake holds and as transactions only (`behaviour_only`). The model reads only the
scale-free features (`SCALE_FREE_FEATURES`: shares, ratios, time gaps, ranks within the
ledger), with shallow, regularised trees, so that it cannot learn one world's amounts or
volumes. Then Platt scaling and the threshold are fitted on the calibration worlds (other
seeds), and the model is evaluated on the evaluation worlds (`evaluate.py`) and written with its
figures next to this script (`metrics.json`, which docs/scoring.md quotes). Deterministic: the
same worlds, parameters and library versions give the same file, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

from training.scoring.evaluate import DEFAULT_CACHE, evaluate_all, markdown
from training.scoring.worlds import (
    AMLWORLD_WEIGHT,
    WorldSpec,
    amlworld,
    amlworld_halves,
    calibration_worlds,
    prepare,
    training_labels,
    training_worlds,
)

from chaincut.lake.engine import DuckDBEngine
from chaincut.lake.jobs.account_features import FeatureParams
from chaincut.lake.jobs.account_patterns import PatternParams
from chaincut.scoring import DEFAULT_MODEL_PATH, AccountModel, read_accounts, read_labels
from chaincut.scoring.features import SHIPPED_FEATURES
from chaincut.scoring.lake import LakeAccounts, main_currency
from chaincut.scoring.train import TrainParams, calibrate, train_account_model

log = logging.getLogger("training.scoring")
METRICS = Path(__file__).with_name("metrics.json")
#: shallow trees, many examples per leaf, strong L2: general shapes, not one world's quirks
SHIPPED_PARAMS = TrainParams(
    rounds=200,
    learning_rate=0.05,
    num_leaves=7,
    min_child_samples=60,
    feature_fraction=0.6,
    bagging_fraction=0.7,
    lambda_l2=10.0,
    negative_share=0.25,
)


def read_worlds(
    specs: Sequence[WorldSpec], cache: Path, stack: ExitStack
) -> tuple[list[LakeAccounts], list[dict[str, str]]]:
    """The worlds' base features and labels (their engines stay open in `stack`); money in
    each lake's main currency, as scoring reads it; AMLworld's held-out half `HELD_OUT`."""
    patterns = PatternParams()
    lakes: list[LakeAccounts] = []
    labels: list[dict[str, str]] = []
    for spec in specs:
        engine = stack.enter_context(DuckDBEngine(prepare(spec, cache)))
        features = FeatureParams(currency=main_currency(engine))
        lakes.append(replace(read_accounts(engine, features, patterns), name=spec.name))
        known = read_labels(engine)
        labels.append(
            training_labels(known, amlworld_halves()) if spec.kind == "amlworld" else known
        )
        log.info("%s: %d accounts", spec.name, len(lakes[-1].frame.accounts))
    return lakes, labels


def _describe(specs: Sequence[WorldSpec]) -> list[dict[str, Any]]:
    return [
        {"world": s.name, "kind": s.kind, "seed": s.seed, "transactions": s.transactions}
        for s in specs
    ]


def build(
    cache: Path,
    params: TrainParams = SHIPPED_PARAMS,
    foreign: bool = True,
    aml_weight: float = AMLWORLD_WEIGHT,
) -> AccountModel:
    """Train on the training worlds and AMLworld's training half (weighed `aml_weight`; none
    with 0), calibrate on the calibration worlds (without `foreign`, on the simulator's only:
    how far the model carries to a generator it never saw)."""
    train = (*training_worlds(foreign), *(amlworld() if aml_weight > 0 else ()))
    held = calibration_worlds(foreign)
    with ExitStack() as stack:
        lakes, labels = read_worlds(train, cache, stack)
        weights = [aml_weight if s.kind == "amlworld" else 1.0 for s in train]
        info = {"trained_on": _describe(train), "calibrated_on": _describe(held)}
        model = train_account_model(
            lakes,
            labels,
            params,
            feature_params=FeatureParams(),
            pattern_params=PatternParams(),
            info=info,
            features=SHIPPED_FEATURES,
            lake_weights=weights,
        )
    with ExitStack() as stack:
        lakes, labels = read_worlds(held, cache, stack)
        return calibrate(model, lakes, labels)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="worlds and lakes")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument("--metrics", type=Path, default=METRICS)
    parser.add_argument("--no-eval", action="store_true", help="skip the evaluation")
    parser.add_argument(
        "--no-foreign",
        action="store_true",
        help="train and calibrate on simulated worlds only (the foreign ones are still evaluated)",
    )
    parser.add_argument(
        "--amlworld-weight",
        type=float,
        default=AMLWORLD_WEIGHT,
        help="weight of AMLworld's training half (0: leave AMLworld out)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    started = time.perf_counter()
    model = build(args.cache, foreign=not args.no_foreign, aml_weight=args.amlworld_weight)
    model.save(args.out)
    log.info("wrote %s in %.0f s", args.out, time.perf_counter() - started)
    if args.no_eval:
        return
    rows = evaluate_all(model, args.cache)
    summary = {
        "out_of_fold": model.info["out_of_fold_final"],
        "calibration_worlds": model.info["calibrated_on_held_out"],
        "worlds": rows,
    }
    args.metrics.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(markdown(rows))


if __name__ == "__main__":
    main()
