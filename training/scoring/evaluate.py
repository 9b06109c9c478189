"""Evaluate an account model, untouched, on worlds it never saw.

    .venv/bin/python -m training.scoring.evaluate [--model MODEL] [--cache DIR] [--json FILE]

The evaluation worlds of `worlds.py` (simulator worlds with randomised parameters, seeds
1000-1009; the foreign generator's, seeds 1000-1004, where the checkout has it) and the public
AMLworld sample (`amlworld_eval.py`). For each world: average precision, and precision, recall
and F1 at the model's threshold, once with everything the lake holds ("full") and once as a
lake of transactions only ("behaviour"); then each kind of world pooled (every account of its
worlds in one list: the threshold judged as one, as a bank would see it). Harm is counted per
account (the innocent accounts flagged), and the flag is also judged at a prevalence of 1 %
(the precision its recall and false-positive rate would give were 1 account in 100 a mule).
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from training.scoring.worlds import WorldSpec, amlworld_halves, evaluation_worlds, prepare

from chaincut import metrics
from chaincut.lake.engine import DuckDBEngine
from chaincut.scoring import AccountModel, default_model, read_accounts, read_labels, score_lake
from chaincut.scoring.features import behaviour_only
from chaincut.scoring.lake import main_currency
from chaincut.scoring.score import AccountScores
from chaincut.scoring.truth import evaluate, is_positive, role_of

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "chaincut-scoring-worlds"
VIEWS = ("full", "behaviour")
#: the prevalence the flag is also judged at: 1 mule or score-running account in 100
PREVALENCE = 0.01


def figures_of(truth: Any, values: Any, threshold: float) -> dict[str, Any]:
    """`evaluate`'s figures, the innocent accounts flagged, and the precision the flag would
    have were mules `PREVALENCE` of the accounts (from its recall and false-positive rate)."""
    out: dict[str, Any] = dict(evaluate(truth, values, threshold).to_dict())
    r = metrics.ranking(truth, values, threshold)
    out["false_positives"] = r.false_positives
    out["precision_at_1pct"] = round(r.precision_at(PREVALENCE), 4)
    return out


def role_accuracy(scores: AccountScores, labels: Mapping[str, str]) -> float:
    """Among flagged accounts whose label names a level, the share guessed right."""
    known = [(s.label, role_of(labels.get(s.account_id, ""))) for s in scores if s.flagged]
    pairs = [(g, r) for g, r in known if r is not None]
    return round(sum(g == r for g, r in pairs) / len(pairs), 4) if pairs else 0.0


def _truth_and_scores(
    scores: AccountScores, labels: Mapping[str, str]
) -> tuple[np.ndarray[Any, np.dtype[np.bool_]], np.ndarray[Any, np.dtype[np.float64]]]:
    truth = np.array([is_positive(labels.get(str(a), "normal")) for a in scores.ids], dtype=bool)
    return truth, np.asarray(scores.values, dtype=np.float64)


def evaluate_world(spec: WorldSpec, model: AccountModel, cache: Path) -> dict[str, Any]:
    """The figures of one world, and its truth and scores per view for pooling."""
    settings = prepare(spec, cache)
    # AMLworld: only its held-out half is reported (the other trains the shipped model)
    halves = amlworld_halves() if spec.kind == "amlworld" else None
    with DuckDBEngine(settings) as engine:
        features = replace(model.feature_params, currency=main_currency(engine))
        lake = read_accounts(engine, features, model.pattern_params)
        labels = read_labels(engine)
        name = f"{spec.name} (held-out half)" if halves else spec.name
        out: dict[str, Any] = {"world": name, "kind": spec.kind, "seed": spec.seed}
        for view in VIEWS:
            data = lake if view == "full" else replace(lake, frame=behaviour_only(lake.frame))
            scores = score_lake(data, model)
            truth, values = _truth_and_scores(scores, labels)
            if halves is not None:
                kept = np.array([halves.get(str(a), 0) == 1 for a in scores.ids], dtype=bool)
                truth, values = truth[kept], values[kept]
            figures = figures_of(truth, values, model.threshold)
            figures["role_accuracy"] = role_accuracy(scores, labels)
            out[view] = figures
            out[f"_{view}"] = (truth, values)
    return out


def pooled(rows: Sequence[Mapping[str, Any]], kind: str, threshold: float) -> dict[str, Any]:
    """Every account of the worlds of `kind` in one list, per view."""
    mine = [r for r in rows if r["kind"] == kind]
    out: dict[str, Any] = {"world": f"all {kind} ({len(mine)} worlds)", "kind": kind}
    for view in VIEWS:
        truth = np.concatenate([r[f"_{view}"][0] for r in mine])
        values = np.concatenate([r[f"_{view}"][1] for r in mine])
        figures = figures_of(truth, values, threshold)
        figures["mean_pr_auc"] = round(float(np.mean([r[view]["pr_auc"] for r in mine])), 4)
        figures["min_pr_auc"] = round(float(np.min([r[view]["pr_auc"] for r in mine])), 4)
        out[view] = figures
    return out


def markdown(rows: Sequence[Mapping[str, Any]]) -> str:
    """The evaluation as the table in docs/scoring.md."""
    head = (
        "| world | view | accounts | mules | AP | precision | recall | F1 | flagged | "
        "innocent flagged | precision at 1 % |"
    )
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        for view in VIEWS:
            f = r[view]
            ap = f"{f['pr_auc']:.3f}"
            if "mean_pr_auc" in f:
                ap += f" (mean {f['mean_pr_auc']:.3f}, min {f['min_pr_auc']:.3f})"
            lines.append(
                f"| {r['world']} | {view} | {f['accounts']} | {f['positives']} | {ap} | "
                f"{f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | {f['flagged']} | "
                f"{f['false_positives']} | {f['precision_at_1pct']:.3f} |"
            )
    return "\n".join(lines)


def evaluate_all(model: AccountModel, cache: Path) -> list[dict[str, Any]]:
    """Per-world rows, then one pooled row per kind of world (the pooling arrays dropped)."""
    rows = [evaluate_world(spec, model, cache) for spec in evaluation_worlds()]
    kinds = sorted({r["kind"] for r in rows} - {"amlworld"}, key=("sim", "foreign").index)
    summary = [pooled(rows, kind, model.threshold) for kind in kinds]
    clean = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    return [*clean, *summary]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model file (default: the shipped one)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    model = AccountModel.load(args.model) if args.model else default_model()
    rows = evaluate_all(model, args.cache)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print(markdown(rows))


if __name__ == "__main__":
    main()
