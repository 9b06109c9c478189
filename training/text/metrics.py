"""Metrics and their markdown: accuracy, macro-F1, per-class F1, confusion matrix, calibration."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import accuracy_score, brier_score_loss, confusion_matrix, f1_score


def classification_table(
    truth: Sequence[str], predicted: Sequence[str], title: str, labels: Sequence[str] | None = None
) -> str:
    """Markdown: accuracy and macro-F1 (over the true labels), per-class F1, confusion matrix."""
    true_labels = sorted(set(truth), key=_order)
    columns = list(labels) if labels else sorted(set(truth) | set(predicted), key=_order)
    columns += [p for p in sorted(set(predicted), key=_order) if p not in columns]
    accuracy = accuracy_score(truth, predicted)
    macro = f1_score(truth, predicted, labels=true_labels, average="macro", zero_division=0)
    per_class = f1_score(truth, predicted, labels=true_labels, average=None, zero_division=0)
    lines = [
        f"**{title}** — n = {len(truth)}, accuracy **{accuracy:.3f}**, macro-F1 **{macro:.3f}**",
        "",
        "| F1 | " + " | ".join(true_labels) + " |",
        "|---|" + "---|" * len(true_labels),
        "| | " + " | ".join(f"{v:.3f}" for v in per_class) + " |",
        "",
        "| true \\ predicted | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    matrix = confusion_matrix(truth, predicted, labels=columns)
    index = {label: i for i, label in enumerate(columns)}
    for label in true_labels:
        row = matrix[index[label]]
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def calibration_line(truth: Sequence[bool], scores: Sequence[float], bins: int = 10) -> str:
    """Brier score and expected calibration error (equal-width bins) of the fraud score."""
    y = np.asarray(truth, dtype=float)
    p = np.asarray(scores, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    ece = sum(
        abs(p[which == b].mean() - y[which == b].mean()) * (which == b).mean()
        for b in range(bins)
        if (which == b).any()
    )
    return f"calibration: Brier {brier_score_loss(y, p):.3f}, ECE {ece:.3f}"


def _order(label: str) -> tuple[int, str]:
    return (0 if label in ("normal", "not fraud") else 1, label)
