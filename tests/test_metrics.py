"""The shared ranking figures (chaincut.metrics) against hand-worked cases."""

from __future__ import annotations

import numpy as np
import pytest

from chaincut.metrics import (
    average_precision,
    best_f1_threshold,
    precision_at_positives,
    precision_at_prevalence,
    ranking,
    threshold_for_false_positive_rate,
)


def test_average_precision_hand_worked() -> None:
    # ranks: P N P N -> (1/1 + 2/3) / 2
    truth = np.array([True, False, True, False])
    scores = np.array([0.9, 0.8, 0.7, 0.1])
    assert average_precision(truth, scores) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision(np.zeros(3, bool), np.ones(3)) == 0.0


def test_ranking_counts_people_not_only_shares() -> None:
    truth = np.array([True, True, False, False, False])
    scores = np.array([0.9, 0.4, 0.8, 0.3, 0.2])
    r = ranking(truth, scores, threshold=0.5)
    assert (r.flagged, r.false_positives) == (2, 1)
    assert r.precision == 0.5 and r.recall == 0.5
    assert r.false_positive_rate == pytest.approx(1 / 3)
    assert precision_at_positives(truth, scores) == 0.5


def test_precision_at_prevalence() -> None:
    # recall 0.9, 1 % of normal flagged, fraud 0.05 %: about 1 true alarm in 23
    p = precision_at_prevalence(0.9, 0.01, 0.0005)
    assert p == pytest.approx(0.00045 / (0.00045 + 0.009995))
    with pytest.raises(ValueError):
        precision_at_prevalence(0.9, 0.01, 0.0)


def test_best_f1_threshold_separates() -> None:
    truth = np.array([True, True, False, False])
    scores = np.array([0.9, 0.7, 0.6, 0.1])
    t = best_f1_threshold(truth, scores)
    assert ranking(truth, scores, t).f1 == 1.0


def test_threshold_for_false_positive_rate() -> None:
    truth = np.array([False] * 1000 + [True])
    scores = np.concatenate([np.linspace(0, 1, 1000), [2.0]])
    t = threshold_for_false_positive_rate(truth, scores, 0.001)
    r = ranking(truth, scores, t)
    assert r.false_positives <= 1 and r.recall == 1.0
