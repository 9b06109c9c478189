"""A check of the shipped model on the shared labelled data; skips where it is absent."""

from __future__ import annotations

import pytest

from chaincut.text import classify

from .conftest import SHARED_DATA

pytestmark = pytest.mark.skipif(
    not (SHARED_DATA / "telecom_fraud_texts_5").is_dir()
    or not (SHARED_DATA / "teleantifraud_dialogues").is_dir(),
    reason=f"shared data not found at {SHARED_DATA} (a fresh install does not have it)",
)


def _accuracy(examples: list[tuple[str, bool]]) -> float:
    return sum(classify(text).fraud == fraud for text, fraud in examples) / len(examples)


def test_telecom_fraud_texts_never_trained_on() -> None:
    from training.text.corpora import load_telecom

    sample = load_telecom("test")[::20]
    assert len(sample) > 300
    assert _accuracy([(e.text, e.fraud) for e in sample]) >= 0.9


def test_dialogue_transcripts() -> None:
    from training.text.corpora import load_dialogues

    sample = load_dialogues(views=("transcript",))[::25]
    assert _accuracy([(e.text, e.fraud) for e in sample]) >= 0.95
