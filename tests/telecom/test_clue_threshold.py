"""The number threshold (which the clue's `same_cell` link also reads), calibrated by Platt
scaling on worlds the model was not fitted on (`chaincut.telecom.calibrate`)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.telecom.calibrate import at, main, platt, threshold_at


def _world(seed: int, n: int, slope: float, shift: float) -> tuple[np.ndarray, np.ndarray]:
    """Scores whose true probability of fraud is sigmoid(slope * logit(score) + shift)."""
    rng = np.random.default_rng(seed)
    scores = rng.uniform(0.001, 0.999, n)
    z = slope * np.log(scores / (1 - scores)) + shift
    return scores, rng.uniform(size=n) < 1 / (1 + np.exp(-z))


def test_platt_recovers_how_overconfident_the_scores_are() -> None:
    worlds = [_world(seed, 20_000, 0.5, -1.0) for seed in range(3)]
    a, b = platt([s for s, _ in worlds], [y for _, y in worlds])
    assert abs(a - 0.5) < 0.05 and abs(b + 1.0) < 0.1
    # a number at the threshold is fraud with the probability asked for
    threshold = threshold_at(a, b, 0.8)
    z = 0.5 * np.log(threshold / (1 - threshold)) - 1.0
    assert abs(1 / (1 + np.exp(-z)) - 0.8) < 0.02


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0.2, 5.0),
    st.floats(-5.0, 5.0),
    st.floats(0.05, 0.9),
    st.floats(0.01, 0.09),
)
def test_asking_for_more_certainty_raises_the_threshold(
    a: float, b: float, low: float, more: float
) -> None:
    assert threshold_at(a, b, low + more) > threshold_at(a, b, low)


def test_a_higher_threshold_flags_no_more_innocents() -> None:
    scores, truth = _world(7, 5_000, 1.0, 0.0)
    low, high = at(scores, truth, 0.5), at(scores, truth, 0.9)
    assert high["innocent"] <= low["innocent"] and high["precision"] >= low["precision"]


@pytest.mark.parametrize("seeds", ["1-40", "1000-1004"])
def test_training_and_evaluation_seeds_are_refused(seeds: str, tmp_path: object) -> None:
    with pytest.raises(SystemExit):
        main(["--seeds", seeds, "--work", str(tmp_path), "--model", str(tmp_path)])
