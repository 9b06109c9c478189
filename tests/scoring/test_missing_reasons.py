"""A flow share with no value says why (no money in the lake's currency), not "unknown"."""

from __future__ import annotations

import math

import pytest

from chaincut.scoring.reasons import Contribution, feature_text


@pytest.mark.parametrize("feature", ["flow_balance", "pt_flow_share"])
def test_a_flow_share_without_money_in_the_currency_says_so(feature: str) -> None:
    text = feature_text(feature, math.nan)
    assert "unknown" not in text
    assert "lake's currency" in text
    said = Contribution(feature, math.nan, 2.51).to_dict()
    assert said["value"] is None and said["text"] == text


def test_other_missing_values_still_say_unknown() -> None:
    assert feature_text("age_first_d", math.nan).endswith(": unknown")


def test_a_known_flow_share_is_a_percentage() -> None:
    assert feature_text("pt_flow_share", 0.5).endswith(": 50.0 %")
