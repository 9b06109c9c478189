"""Rebuild the shipped account model from simulated worlds, then evaluate it.

    .venv/bin/python -m training.scoring.build_model          # writes src/chaincut/scoring/model/accounts.json
    .venv/bin/python -m training.scoring.build_model --cache /tmp/worlds --out model.json

Trains on the worlds of `worlds.TRAIN` (six seeds, typology knobs varied), each seen twice:
with everything its lake holds and as transactions only (`behaviour_only`), so the model
also works on data without opening dates, account kinds or victims' reports. Deterministic:
the same worlds, parameters and library versions give the same file, byte for byte. Then
evaluates on the held-out and shifted worlds (`evaluate.py`) and writes the figures next to
this script (`metrics.json`), which docs/scoring.md quotes.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, replace
from pathlib import Path

from training.scoring.evaluate import DEFAULT_CACHE, evaluate_all, markdown
from training.scoring.worlds import TRAIN, WorldSpec, prepare

from chaincut.lake.engine import DuckDBEngine
from chaincut.lake.jobs.account_features import FeatureParams
from chaincut.lake.jobs.account_patterns import PatternParams
from chaincut.scoring import DEFAULT_MODEL_PATH, AccountModel, read_accounts, read_labels
from chaincut.scoring.lake import LakeAccounts
from chaincut.scoring.train import TrainParams, train_account_model

log = logging.getLogger("training.scoring")
METRICS = Path(__file__).with_name("metrics.json")


def build(cache: Path, params: TrainParams) -> AccountModel:
    features, patterns = FeatureParams(), PatternParams()
    lakes: list[LakeAccounts] = []
    labels: list[dict[str, str]] = []
    with ExitStack() as stack:
        for spec in TRAIN:
            engine = stack.enter_context(DuckDBEngine(prepare(spec, cache)))
            lake = replace(read_accounts(engine, features, patterns), name=spec.name)
            known = read_labels(engine)
            lakes.append(lake)
            labels.append(known)
            log.info("%s: %d accounts", spec.name, len(lake.frame.accounts))
        info = {
            "trained_on": [
                {"world": s.name, "seed": s.seed, "scale": s.scale, "params": _params(s)}
                for s in TRAIN
            ],
        }
        return train_account_model(
            lakes, labels, params, feature_params=features, pattern_params=patterns, info=info
        )


def _params(spec: WorldSpec) -> dict[str, object]:
    """The simulator parameters a world changes from the defaults."""
    base = asdict(type(spec.params)())
    return {k: v for k, v in asdict(spec.params).items() if base[k] != v}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="worlds and lakes")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument("--metrics", type=Path, default=METRICS)
    parser.add_argument("--no-eval", action="store_true", help="skip the evaluation")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    started = time.perf_counter()
    model = build(args.cache, TrainParams(negative_share=0.25))
    model.save(args.out)
    log.info("wrote %s in %.0f s", args.out, time.perf_counter() - started)
    if args.no_eval:
        return
    rows = evaluate_all(model, args.cache)
    summary = {"out_of_fold": model.info["out_of_fold_final"], "worlds": rows}
    args.metrics.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(markdown(rows))


if __name__ == "__main__":
    main()
