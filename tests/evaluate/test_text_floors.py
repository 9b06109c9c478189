"""Floors of the text verdicts (messages `text.precision`, conversations `text.conv_*`) on the
foreign world they were not designed on.

The foreign world (`chaincut.foreign`, seed 1000, size tiny): the text rows of the evaluation
test_floors.py reads too (tests/evaluate/conftest.py). Each floor sits
well below the figure measured when it was set (docs/evaluation.md, "Text, round five";
docs/text-classifier.md, "Round six"), so
only a real regression trips it.
"""

from __future__ import annotations

from typing import Final

import pytest

#: figure -> floor (measured on foreign-1000 tiny when set)
FOREIGN_FLOORS: Final[dict[str, float]] = {
    # round six: a reported payment weighs in the message score (0.622 before)
    "text.precision": 0.90,  # measured 1.000 (round six)
    "text.conv_precision": 0.85,  # measured 0.970 (round six; 0.942 in round five)
    "text.conv_recall": 0.80,  # measured 0.985 (messages: 0.735)
    "text.conv_f1": 0.80,  # measured 0.963 (messages: 0.674)
}


@pytest.mark.parametrize("figure", sorted(FOREIGN_FLOORS))
def test_foreign_world_conversation_floor(foreign: dict[str, float | int], figure: str) -> None:
    assert figure in foreign, f"{figure} missing: {sorted(foreign)}"
    assert foreign[figure] >= FOREIGN_FLOORS[figure], (figure, foreign[figure])


def test_conversations_are_counted(foreign: dict[str, float | int]) -> None:
    # every thread is judged once; far fewer threads than messages, never more
    assert 0 < foreign["text.conv_conversations"] <= foreign["text.texts"]
    assert foreign["text.conv_normal_flagged_n"] >= 0
