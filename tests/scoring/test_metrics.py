"""Precision, recall, F1 and PR-AUC on lists small enough to check by hand."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from chaincut.scoring.truth import (
    average_precision,
    best_f1_threshold,
    evaluate,
    is_positive,
    role_of,
)


def test_perfect_and_reversed_rankings() -> None:
    truth = np.array([True, True, False, False])
    assert average_precision(truth, np.array([0.9, 0.8, 0.2, 0.1])) == 1.0
    # positives at ranks 3 and 4: (1/3 + 2/4) / 2
    assert abs(average_precision(truth, np.array([0.1, 0.2, 0.8, 0.9])) - 5 / 12) < 1e-12


def test_figures_at_a_threshold() -> None:
    truth = np.array([True, False, True, False, True])
    scores = np.array([0.9, 0.8, 0.7, 0.2, 0.1])
    e = evaluate(truth, scores, threshold=0.5)
    assert (e.flagged, e.positives) == (3, 3)
    assert (e.precision, e.recall) == (2 / 3, 2 / 3)
    assert abs(e.f1 - 2 / 3) < 1e-12
    assert e.precision_at_positives == 2 / 3


def test_best_threshold_never_splits_equal_scores() -> None:
    truth = np.array([True, False, True, False])
    scores = np.array([0.9, 0.5, 0.5, 0.1])
    threshold = best_f1_threshold(truth, scores)
    assert threshold in (0.9, 0.5)
    assert best_f1_threshold(np.array([False, False]), np.array([0.3, 0.2])) == 0.5


@given(st.lists(st.tuples(st.booleans(), st.floats(0, 1)), min_size=1, max_size=40))
def test_average_precision_is_a_share(pairs: list[tuple[bool, float]]) -> None:
    truth = np.array([t for t, _ in pairs])
    scores = np.array([s for _, s in pairs])
    ap = average_precision(truth, scores)
    assert 0.0 <= ap <= 1.0
    assert (ap == 0.0) == (not truth.any())


def test_labels() -> None:
    assert is_positive("Mule_L2") and is_positive("laundering") and is_positive("runner")
    assert not is_positive("victim") and not is_positive("pooled")
    assert (role_of("mule_l4"), role_of("mule"), role_of("score-running")) == (
        "mule_l3",
        None,
        "runner",
    )
