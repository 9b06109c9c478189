"""The shipped model on sources it was never trained on, at real prevalence; prints markdown.

    .venv/bin/python -m training.text.prevalence                 # the shipped model
    .venv/bin/python -m training.text.prevalence --model M.npz   # another model file

For each evaluation source: the share of normal texts flagged (a fraud verdict) and how many,
the recall of the fraud texts, and the precision the flagged list would have if fraud were
0.05 %, 0.5 % or 5 % of the texts (chaincut.metrics.precision_at_prevalence), at both operating
points; the three-way verdicts of the normal SMS; F1 and precision on the held-out
conversations as they come. Sources: telecom_fraud_texts_5 (never trained on, GPL: evaluation
only), the held-out normal_dialogues files and the held-out TeleAntiFraud run and scenes.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from training.text.corpora import (
    NORMAL_HELD_OUT_FILES,
    Example,
    load_dialogues,
    load_normal_dialogues,
    load_telecom,
)

from chaincut.metrics import precision_at_prevalence, ranking
from chaincut.text import TextModel, Verdict, classify_many, default_model

PREVALENCES = (0.0005, 0.005, 0.05)


@dataclass(frozen=True)
class Scored:
    """Examples with their verdicts."""

    examples: list[Example]
    verdicts: list[Verdict]

    @property
    def scores(self) -> np.ndarray:
        return np.array([v.score for v in self.verdicts])

    def flagged(self, threshold: float) -> np.ndarray:
        """Flagged at `threshold`: past it, and a fraud verdict (which needs a cited phrase)."""
        return np.array([v.fraud and v.score >= threshold for v in self.verdicts], dtype=bool)


def score(model: TextModel, examples: Sequence[Example]) -> Scored:
    """Verdicts of `model` for `examples` (through the public API)."""
    return Scored(list(examples), list(classify_many([e.text for e in examples], model=model)))


def evaluation_sets(model: TextModel) -> dict[str, Scored]:
    """Every evaluation source, scored; keys name the source."""
    telecom = load_telecom("test")
    sets: dict[str, list[Example]] = {"telecom normal SMS (class 0)": []}
    for e in telecom:
        key = f"telecom fraud: {e.label}" if e.fraud else "telecom normal SMS (class 0)"
        sets.setdefault(key, []).append(e)
    held = load_dialogues(views=("transcript",), split="held_out")
    sets["held-out TeleAntiFraud fraud calls"] = [e for e in held if e.fraud]
    sets["held-out TeleAntiFraud normal calls"] = [e for e in held if not e.fraud]
    for name in NORMAL_HELD_OUT_FILES:
        sets[f"held-out normal_dialogues: {name}"] = load_normal_dialogues((name,), ("text",))
    return {name: score(model, examples) for name, examples in sets.items()}


def _row(
    name: str, fraud: Scored | None, normal: Scored | None, threshold: float
) -> tuple[str, ...]:
    """One table row: flagged normal, recall and precision at each prevalence."""
    fp_rate, flagged, recall, n_fraud = 0.0, "—", "—", "—"
    rate: float | None = None
    if normal is not None:
        fp = int(normal.flagged(threshold).sum())
        fp_rate = fp / len(normal.examples)
        rate = fp_rate
        flagged = f"{fp:,} of {len(normal.examples):,} ({fp_rate:.3%})"
    r: float | None = None
    if fraud is not None:
        r = float(fraud.flagged(threshold).mean())
        recall, n_fraud = f"{r:.3f}", f"{len(fraud.examples):,}"
    if r is None or rate is None:
        precisions = ["—"] * len(PREVALENCES)
    else:
        precisions = [f"{precision_at_prevalence(r, rate, p):.3f}" for p in PREVALENCES]
    return (name, flagged, n_fraud, recall, *precisions)


def table(sets: dict[str, Scored], threshold: float, title: str) -> str:
    """Markdown: one row per fraud source against its normal traffic, one per normal source."""
    sms = sets["telecom normal SMS (class 0)"]
    calls = [s for n, s in sets.items() if n.startswith("held-out") and "fraud" not in n]
    conversations = Scored(
        [e for s in calls for e in s.examples], [v for s in calls for v in s.verdicts]
    )
    telecom_fraud = [s for n, s in sets.items() if n.startswith("telecom fraud")]
    all_fraud = Scored(
        [e for s in telecom_fraud for e in s.examples],
        [v for s in telecom_fraud for v in s.verdicts],
    )
    rows = [_row("SMS: telecom fraud (4 classes) vs telecom normal SMS", all_fraud, sms, threshold)]
    rows += [
        _row(f"  {name}", s, sms, threshold)
        for name, s in sets.items()
        if name.startswith("telecom fraud")
    ]
    fraud_calls = sets["held-out TeleAntiFraud fraud calls"]
    rows.append(
        _row(
            "conversations: held-out fraud calls vs held-out normal",
            fraud_calls,
            conversations,
            threshold,
        )
    )
    rows += [_row(f"  {name}", None, s, threshold) for name, s in sets.items() if s in calls]
    head = "| source | normal flagged | fraud texts | recall | " + " | ".join(
        f"precision at {p:.2%}" for p in PREVALENCES
    )
    lines = [f"**{title}** (score ≥ {threshold:.4f})", "", head + " |", "|---" * 7 + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def conversations_line(sets: dict[str, Scored], threshold: float) -> str:
    """F1, precision and recall on the held-out conversations as they come (no reweighting)."""
    parts = [s for n, s in sets.items() if n.startswith("held-out")]
    truth = np.array([e.fraud for s in parts for e in s.examples])
    scores = np.concatenate([np.where(s.flagged(threshold), s.scores, 0.0) for s in parts])
    r = ranking(truth, scores, threshold)
    return (
        f"held-out conversations as they come ({r.positives:,} fraud, "
        f"{r.entities - r.positives:,} normal): precision **{r.precision:.3f}**, recall "
        f"**{r.recall:.3f}**, F1 **{r.f1:.3f}**, {r.false_positives} normal conversations flagged"
    )


def verdict_mix(sets: dict[str, Scored]) -> str:
    """How the normal SMS and the fraud texts split over fraud / spam / normal."""
    lines = ["| source | fraud | spam | normal |", "|---|---|---|---|"]
    for name, s in sets.items():
        counts = Counter(v.verdict for v in s.verdicts)
        lines.append(
            f"| {name} | {counts['fraud']:,} | {counts['spam']:,} | {counts['normal']:,} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="model file (default: shipped)")
    args = parser.parse_args()
    model = TextModel.load(args.model) if args.model else default_model()
    sets = evaluation_sets(model)
    print(table(sets, model.threshold, "Flag for a person to read (the default)"))
    print(table(sets, model.warn_threshold, "Warn the recipient"))
    print(conversations_line(sets, model.threshold) + "\n")
    print("Three-way verdicts at the default threshold:\n")
    print(verdict_mix(sets))


if __name__ == "__main__":
    main()
