"""Figures for a ranked list against the truth, and the truth a lake's `labels` table holds."""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from chaincut.lake.engine import Engine
from chaincut.telecom.features import FloatArray

BoolArray = npt.NDArray[np.bool_]
#: fraud numbers are well under 1 % of numbers: precision is also given at this prevalence
PREVALENCE: Final = 0.001


def metrics(
    scores: FloatArray, positive: BoolArray, threshold: float, prevalence: float = PREVALENCE
) -> dict[str, float | int]:
    """The figures of the module docstring for one ranked list."""
    n, pos = len(scores), int(positive.sum())
    order = np.lexsort((np.arange(n), -scores))
    hits = np.cumsum(positive[order]) if n else np.zeros(0)
    flagged = scores >= threshold
    tp = int(np.count_nonzero(flagged & positive))
    fp = int(np.count_nonzero(flagged & ~positive))
    tpr = tp / pos if pos else 0.0
    fpr = fp / (n - pos) if n > pos else 0.0
    adjusted = prevalence * tpr / (prevalence * tpr + (1 - prevalence) * fpr) if tp else 0.0

    def at(k: int) -> float:
        k = min(k, n)
        return float(hits[k - 1]) / k if k else 0.0

    ap = (
        float(np.sum(hits[positive[order]] / (np.flatnonzero(positive[order]) + 1)) / pos)
        if pos
        else 0.0
    )
    return {
        "entities": n,
        "positives": pos,
        "prevalence": round(pos / n, 5) if n else 0.0,
        "flagged": int(flagged.sum()),
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tpr, 4),
        "false_positive_rate": round(fpr, 6),
        "precision_at_10": round(at(10), 4),
        "precision_at_100": round(at(100), 4),
        "precision_at_positives": round(at(pos), 4),
        "average_precision": round(ap, 4),
        f"precision_at_prevalence_{prevalence:g}": round(adjusted, 4),
    }


def truth(engine: Engine, kind: str) -> dict[str, str]:
    labels = engine.table("labels")
    rows = engine.execute(
        labels.filter(labels.entity_kind == kind).select("entity_id", "label"), label="labels"
    )
    return {str(r["entity_id"]): str(r["label"]).strip().lower() for r in rows.to_pylist()}
