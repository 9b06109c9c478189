"""Ground truth: the account labels scoring learns from, the guesses it gives, and the figures
(precision, recall, F1, PR-AUC) of a ranked list against the truth, computed by
`chaincut.metrics` (scikit-learn).

Guesses are `mule_l1`, `mule_l2`, `mule_l3` (first-, second-, third- or deeper-level rented
cards, 一级/二级/三级卡), `runner` (a score-running account, 跑分) and `normal`. Labels in a
user's data may be finer or coarser: `mule_l4` counts as `mule_l3`, and a positive label
without a level (`mule`, `laundering`, `1`, ...) trains the score but not the level.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from chaincut import metrics

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

ROLES: Final = ("mule_l1", "mule_l2", "mule_l3", "runner")
NORMAL: Final = "normal"
GUESSES: Final = (*ROLES, NORMAL)
#: labels whose level is known, mapped to the role guessed for them
ROLE_OF: Final[dict[str, str]] = {
    "mule_l1": "mule_l1",
    "mule_l2": "mule_l2",
    "mule_l3": "mule_l3",
    "mule_l4": "mule_l3",
    "mule_l5": "mule_l3",
    "runner": "runner",
    "score_running": "runner",
}
#: positive labels that say nothing about the level
GENERIC_POSITIVE: Final = frozenset(
    {"mule", "money_mule", "laundering", "is_laundering", "suspect", "fraud", "1", "true", "yes"}
)


def normalise(label: str) -> str:
    return label.strip().lower().replace("-", "_").replace(" ", "_")


def is_positive(label: str) -> bool:
    """True for labels of mule and score-running accounts (what the score finds)."""
    value = normalise(label)
    return value in ROLE_OF or value in GENERIC_POSITIVE


def role_of(label: str) -> str | None:
    """The role guess that a positive label stands for, or None when it names no level."""
    return ROLE_OF.get(normalise(label))


@dataclass(frozen=True)
class Evaluation:
    """How well scores find the positives: at `threshold`, and over all thresholds (PR-AUC)."""

    accounts: int
    positives: int
    flagged: int
    threshold: float
    precision: float
    recall: float
    f1: float
    pr_auc: float  # average precision: the area under the precision-recall curve, stepwise
    precision_at_positives: float  # precision among the top-k, k = the number of positives

    def to_dict(self) -> dict[str, float | int]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def average_precision(truth: BoolArray, scores: FloatArray) -> float:
    """Average precision (PR-AUC, stepwise) of the ranking; 0.0 without positives
    (`chaincut.metrics.average_precision`, i.e. `sklearn.metrics.average_precision_score`)."""
    return metrics.average_precision(truth, scores)


def evaluate(truth: BoolArray, scores: FloatArray, threshold: float) -> Evaluation:
    """Precision, recall and F1 of flagging `scores >= threshold`, and the PR-AUC
    (`chaincut.metrics.ranking` in this module's field names)."""
    r = metrics.ranking(truth, scores, threshold)
    return Evaluation(
        accounts=r.entities,
        positives=r.positives,
        flagged=r.flagged,
        threshold=r.threshold,
        precision=r.precision,
        recall=r.recall,
        f1=r.f1,
        pr_auc=r.average_precision,
        precision_at_positives=r.precision_at_positives,
    )


def best_f1_threshold(truth: BoolArray, scores: FloatArray) -> float:
    """The score threshold with the highest F1 (`chaincut.metrics.best_f1_threshold`); 0.5
    without positives. A threshold flags every account of an equal score, never half of them."""
    return metrics.best_f1_threshold(truth, scores)
