"""A sanity evaluation on the public AMLworld sample (NOT comparable to published figures).

    .venv/bin/python -m training.scoring.amlworld_eval [--sample ../shared/data/amlworld_hi_small_sample]

The sample holds 28 374 transactions of HI-Small (185 laundering, 13 073 from one account), not
the 5 M of the full set, and chaincut scores accounts where the published minority-class F1
(GFP+LightGBM 62.9, Multi-PNA+EU 68.2; Egressy et al. 2024) is per transaction. Two figures:
the shipped model as it is, on the half of the sample it did not learn from (`attempt_halves`:
laundering accounts by attempt, the others by account), and a model
trained on the sample itself, judged by its 3-fold out-of-fold scores (folds by account). And the
issue's test: `train accounts` on the transactions before `--cut`, `score accounts` on those
from it on (labels of each part from its own transactions), with the top accounts' reasons.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from chaincut.ingest import import_folder
from chaincut.lake.engine import DuckDBEngine
from chaincut.scoring import (
    AccountModel,
    default_model,
    evaluate_scores,
    read_labels,
    score_accounts,
    train_accounts,
)
from chaincut.scoring.amlworld import attempt_halves, convert_amlworld, read_amlworld
from chaincut.settings import Settings

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "amlworld_hi_small_sample"
#: the temporal split: the sample's first six days (81 % of its transactions) train
CUT = datetime(2022, 9, 7)
TOP = 10


def evaluate_sample(
    sample: Path, model: AccountModel | None = None, train: bool = True
) -> dict[str, Any]:
    """The shipped model (or `model`), untouched, on the sample; and, with `train`, a model
    trained on the sample itself (out-of-fold figures)."""
    with tempfile.TemporaryDirectory(prefix="chaincut-aml-") as scratch:
        summary = convert_amlworld(sample / "HI-Small_Trans_sample.csv", Path(scratch) / "aml")
        settings = Settings(home=Path(scratch) / "home")
        import_folder(settings, Path(scratch) / "aml")
        model = model or default_model()
        with DuckDBEngine(settings) as engine:
            labels = read_labels(engine)
            # the shipped model learnt from half 0 of the sample: judged on half 1 only
            halves = attempt_halves(read_amlworld(sample / "HI-Small_Trans_sample.csv"))
            held = [s for s in score_accounts(engine, model) if halves[s.account_id] == 1]
            shipped = evaluate_scores(held, labels, model.threshold)
            own = train_accounts(engine).info["out_of_fold_final"] if train else None
    return {
        "transactions": summary.transactions,
        "laundering_transactions": summary.laundering_transactions,
        "accounts": summary.accounts,
        "laundering_accounts": summary.laundering_accounts,
        "shipped_model": shipped.to_dict(),
        "trained_on_sample_out_of_fold": own,
    }


def evaluate_split(sample: Path, cut: datetime) -> dict[str, Any]:
    """Train on the transactions before `cut`, score those from `cut` on, in separate lakes."""
    csv = sample / "HI-Small_Trans_sample.csv"
    with tempfile.TemporaryDirectory(prefix="chaincut-aml-split-") as scratch:
        parts = {}
        for name, since, until in (("train", None, cut), ("test", cut, None)):
            folder = Path(scratch) / name
            summary = convert_amlworld(csv, folder, since=since, until=until)
            settings = Settings(home=Path(scratch) / f"home-{name}")
            import_folder(settings, folder)
            parts[name] = (settings, summary)
        with DuckDBEngine(parts["train"][0]) as engine:
            model = train_accounts(engine)
        with DuckDBEngine(parts["test"][0]) as engine:
            labels = read_labels(engine)
            scores = score_accounts(engine, model)
            found = evaluate_scores(scores, labels, model.threshold)
            top = [
                {**s.to_dict(), "truth": labels.get(s.account_id, "normal")} for s in scores[:TOP]
            ]
    return {
        "cut": cut.isoformat(),
        **{
            f"{name}_{key}": getattr(summary, key)
            for name, (_, summary) in parts.items()
            for key in (
                "transactions",
                "laundering_transactions",
                "accounts",
                "laundering_accounts",
            )
        },
        "trained_before_scored_after": found.to_dict(),
        "top": top,
    }


def markdown(result: dict[str, Any]) -> str:
    head = "| model | accounts | laundering | precision | recall | F1 | PR-AUC |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]
    for name, key in (
        ("shipped default, untouched, held-out half", "shipped_model"),
        ("trained on the sample, 3-fold out-of-fold", "trained_on_sample_out_of_fold"),
    ):
        f = result[key]
        if f is None:
            continue
        lines.append(
            f"| {name} | {f['accounts']} | {f['positives']} | {f['precision']:.3f} | "
            f"{f['recall']:.3f} | {f['f1']:.3f} | {f['pr_auc']:.3f} |"
        )
    if "split" in result:
        f = result["split"]["trained_before_scored_after"]
        lines.append(
            f"| trained before {result['split']['cut'][:10]}, scored from then on | "
            f"{f['accounts']} | {f['positives']} | {f['precision']:.3f} | {f['recall']:.3f} | "
            f"{f['f1']:.3f} | {f['pr_auc']:.3f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--cut", type=datetime.fromisoformat, default=CUT, help="temporal split (ISO time)"
    )
    parser.add_argument("--model", type=Path, help="model file (default: the shipped one)")
    parser.add_argument(
        "--shipped-only", action="store_true", help="only the model as it is, no training"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if not args.sample.is_dir():
        raise SystemExit(f"no AMLworld sample at {args.sample}")
    model = AccountModel.load(args.model) if args.model else None
    result = evaluate_sample(args.sample, model, train=not args.shipped_only)
    if not args.shipped_only:
        result["split"] = evaluate_split(args.sample, args.cut)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(markdown(result))
    for row in result.get("split", {}).get(
        "top", []
    ):  # what an analyst would open first, and the truth
        reasons = "; ".join(
            [c["text"] for c in row["features"]]
            + [f"{p['pattern']} x{p['matches']}" for p in row["patterns"]]
        )
        print(f"{row['truth']:10s} {row['score']:.4f} {row['account_id']}: {reasons}")


if __name__ == "__main__":
    main()
