"""docs/telecom.md names every indicator, link kind and command it documents."""

from __future__ import annotations

from pathlib import Path

from chaincut.telecom import indicators as rules
from chaincut.telecom.clue.den import KINDS

PAGE = (Path(__file__).parents[2] / "docs" / "telecom.md").read_text(encoding="utf-8")


def test_every_indicator_and_link_is_documented() -> None:
    for indicator in (*rules.NUMBER_INDICATORS, *rules.DEVICE_INDICATORS):
        assert f"`{indicator.code}`" in PAGE, indicator.code
    for kind in KINDS:
        assert f"`{kind}`" in PAGE, kind


def test_every_command_is_documented() -> None:
    for command in ("score numbers", "score devices", "train numbers", "clue"):
        assert f"chaincut {command}" in PAGE
    for module in ("chaincut.telecom.evaluate", "chaincut.telecom.train"):
        assert f"python -m {module}" in PAGE
