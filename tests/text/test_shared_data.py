"""Floors for the shipped model on public data it was never trained on; skips where absent.

The floors sit well below the figures in docs/text-classifier.md (measured with
`python -m training.text.prevalence`), so that they catch a regression, not noise.
"""

from __future__ import annotations

import numpy as np
import pytest

from chaincut.metrics import ranking
from chaincut.text import classify_many, default_model

from .conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(
    not (SHARED_DATA / "telecom_fraud_texts_5").is_dir()
    or not (SHARED_DATA / "teleantifraud_dialogues").is_dir()
    or not (SHARED_DATA / "normal_dialogues").is_dir(),
    reason=f"shared data not found at {SHARED_DATA} (a fresh install does not have it)",
)

#: floors, well below the measured figures (docs/text-classifier.md)
FLOOR_SMS_FLAGGED = 0.004
FLOOR_SMS_RECALL = 0.85
FLOOR_SMS_PRECISION_AT_5PCT = 0.9
#: 冒充领导、熟人类 alone, the hardest class (acquaintance and boss scripts)
FLOOR_ACQUAINTANCE_RECALL = 0.65


def _scores(texts: list[str]) -> np.ndarray:
    return np.array([v.score for v in classify_many(texts)])


def test_real_sms_at_the_default_threshold() -> None:
    """telecom_fraud_texts_5 (evaluation only): few normal SMS flagged, most fraud caught."""
    from training.text.corpora import load_telecom

    examples = load_telecom("test")
    truth = np.array([e.fraud for e in examples])
    scores = _scores([e.text for e in examples])
    threshold = default_model().threshold
    figures = ranking(truth, scores, threshold)
    assert figures.false_positive_rate <= FLOOR_SMS_FLAGGED
    assert figures.recall >= FLOOR_SMS_RECALL
    assert figures.precision_at(0.05) >= FLOOR_SMS_PRECISION_AT_5PCT
    acquaintance = np.array([e.label == "冒充领导、熟人类" for e in examples])
    assert acquaintance.sum() > 100
    assert (scores[acquaintance] >= threshold).mean() >= FLOOR_ACQUAINTANCE_RECALL


def test_advertising_is_not_fraud() -> None:
    """Most normal SMS the model calls anything but normal are called spam, not fraud."""
    from training.text.corpora import load_telecom

    normal = [e.text for e in load_telecom("test") if not e.fraud][::3]
    verdicts = [v.verdict for v in classify_many(normal)]
    assert verdicts.count("spam") >= 10 * verdicts.count("fraud")


def test_held_out_conversations() -> None:
    """Conversations from sources never trained on: F1 and precision as they come."""
    from training.text.corpora import NORMAL_HELD_OUT_FILES, load_dialogues, load_normal_dialogues

    examples = load_dialogues(("transcript",), split="held_out")[::2]
    examples += load_normal_dialogues(NORMAL_HELD_OUT_FILES, ("text",))[::2]
    truth = np.array([e.fraud for e in examples])
    figures = ranking(truth, _scores([e.text for e in examples]), default_model().threshold)
    assert figures.precision >= 0.95
    assert figures.f1 >= 0.95
