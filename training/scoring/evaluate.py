"""Evaluate an account model on simulated worlds it never saw.

    .venv/bin/python -m training.scoring.evaluate [--model MODEL] [--cache DIR]

For each held-out world and the shifted world: precision, recall and F1 at the model's
threshold, PR-AUC, precision among the top k (k = the number of mules), how often the level
guess is right, and how spread the top scores are; once with everything the lake holds
("full") and once as a lake with transactions only ("behaviour": no opening dates, account
kinds or victims' reports).
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

from training.scoring.worlds import HELD_OUT, SHIFTED, WorldSpec, prepare

from chaincut.lake.engine import DuckDBEngine
from chaincut.scoring import (
    AccountModel,
    default_model,
    evaluate_scores,
    read_accounts,
    read_labels,
    score_lake,
)
from chaincut.scoring.features import behaviour_only
from chaincut.scoring.score import AccountScore
from chaincut.scoring.truth import is_positive, role_of

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "chaincut-scoring-worlds"


def role_accuracy(scores: Sequence[AccountScore], labels: Mapping[str, str]) -> float:
    """Among flagged accounts whose label names a level, the share guessed right."""
    known = [(s.label, role_of(labels.get(s.account_id, ""))) for s in scores if s.flagged]
    known = [(g, r) for g, r in known if r is not None]
    return round(sum(g == r for g, r in known) / len(known), 4) if known else 0.0


def spread(scores: Sequence[AccountScore], labels: Mapping[str, str]) -> dict[str, Any]:
    """How the top of the list looks: distinct scores (6 places) among the top k, the highest."""
    k = max(1, sum(is_positive(labels.get(s.account_id, "normal")) for s in scores))
    top = [round(s.score, 6) for s in scores[:k]]
    return {"top_k": k, "distinct_top_scores": len(set(top)), "max_score": max(top, default=0)}


def evaluate_world(spec: WorldSpec, model: AccountModel, cache: Path) -> dict[str, Any]:
    settings = prepare(spec, cache)
    with DuckDBEngine(settings) as engine:
        lake = read_accounts(engine, model.feature_params, model.pattern_params)
        labels = read_labels(engine)
        out: dict[str, Any] = {"world": spec.name, "seed": spec.seed, "scale": spec.scale}
        for view, data in (
            ("full", lake),
            ("behaviour", replace(lake, frame=behaviour_only(lake.frame))),
        ):
            scores = score_lake(data, model)
            figures = evaluate_scores(scores, labels, model.threshold).to_dict()
            figures["role_accuracy"] = role_accuracy(scores, labels)
            figures.update(spread(scores, labels))
            out[view] = figures
    return out


def markdown(rows: Sequence[Mapping[str, Any]]) -> str:
    """The evaluation as the table in docs/scoring.md."""
    head = "| world | view | mules | precision | recall | F1 | PR-AUC | P@k | level right |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        for view in ("full", "behaviour"):
            f = r[view]
            lines.append(
                f"| {r['world']} | {view} | {f['positives']} | {f['precision']:.3f} | "
                f"{f['recall']:.3f} | {f['f1']:.3f} | {f['pr_auc']:.3f} | "
                f"{f['precision_at_positives']:.3f} | {f['role_accuracy']:.3f} |"
            )
    return "\n".join(lines)


def evaluate_all(model: AccountModel, cache: Path) -> list[dict[str, Any]]:
    return [evaluate_world(spec, model, cache) for spec in (*HELD_OUT, SHIFTED)]


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
