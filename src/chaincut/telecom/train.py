"""Training the number model on a user's own labels (`chaincut train numbers`).

Phones labelled `fraud`, `simbox` (or `goip`, `scam`, `1`, ...) are the positives; every other
number of the lake counts as normal, as in the account trainer. The figures reported with the
model are out-of-fold (5 folds, assigned by a hash of the number, so they are the same on every
run): precision, recall and average precision on numbers the fold's model did not see.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

import numpy as np

from chaincut.lake.engine import Engine
from chaincut.telecom.features import FeatureFrame, read_numbers
from chaincut.telecom.metrics import metrics, truth
from chaincut.telecom.model import ModelError, NumberModel, fit

POSITIVE: Final = frozenset(
    {"fraud", "simbox", "sim_box", "goip", "scam", "spam_fraud", "fraud_number", "1", "true",
     "yes", "positive"}
)  # fmt: skip
FOLDS: Final = 5


class TrainingError(ModelError):
    """The labels cannot train a model (none given, or only one class)."""


def normalise(label: str) -> str:
    return label.strip().lower().replace("-", "_").replace(" ", "_")


def is_positive(label: str) -> bool:
    return normalise(label) in POSITIVE


def fold_of(number: str) -> int:
    """The cross-validation fold of a number, the same on every run and machine."""
    return hashlib.blake2b(number.encode(), digest_size=2).digest()[0] % FOLDS


def train_numbers(engine: Engine, *, l2: float = 1.0) -> NumberModel:
    """Fit a `NumberModel` on the lake's numbers and its `labels` of kind `phone`."""
    labels = truth(engine, "phone")
    if not labels:
        raise TrainingError("the labels table has no rows of entity_kind 'phone'")
    frame = read_numbers(engine)
    y = np.array([is_positive(labels.get(str(n), "normal")) for n in frame.ids])
    if not y.any() or y.all():
        raise TrainingError(
            "the phone labels need fraud numbers (fraud, simbox, ...) and normal ones"
        )
    info: dict[str, Any] = {
        "labelled": len(labels),
        "out_of_fold": _out_of_fold(frame, y, l2),
    }
    return fit(frame, y, l2=l2, info=info)


def _subset(frame: FeatureFrame, rows: np.ndarray[Any, np.dtype[np.bool_]]) -> FeatureFrame:
    return FeatureFrame(frame.ids[rows], frame.names, frame.values[rows], {})


def _out_of_fold(
    frame: FeatureFrame, y: np.ndarray[Any, np.dtype[np.bool_]], l2: float
) -> dict[str, float | int]:
    folds = np.array([fold_of(str(n)) for n in frame.ids])
    scores = np.zeros(len(y))
    thresholds = []
    for k in range(FOLDS):
        test = folds == k
        train = ~test
        if not y[train].any() or y[train].all() or not test.any():
            continue
        model = fit(_subset(frame, train), y[train], l2=l2)
        scores[test] = model.scores(_subset(frame, test))
        thresholds.append(model.threshold)
    threshold = float(np.median(thresholds)) if thresholds else 0.5
    return metrics(scores, y, threshold)
