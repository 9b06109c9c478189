"""Floors on the small hand-written fixtures that ship with the tests (never trained on)."""

from __future__ import annotations

import json
from pathlib import Path

from chaincut.text import classify_many

FIXTURES = Path(__file__).with_name("fixtures") / "messages.jsonl"


def _rows() -> list[dict[str, str | None]]:
    lines = FIXTURES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_fixture_verdicts() -> None:
    rows = _rows()
    verdicts = list(classify_many([str(r["text"]) for r in rows]))
    fraud = [v for r, v in zip(rows, verdicts, strict=True) if r["verdict"] == "fraud"]
    other = [v for r, v in zip(rows, verdicts, strict=True) if r["verdict"] != "fraud"]
    ads = [v for r, v in zip(rows, verdicts, strict=True) if r["verdict"] == "spam"]
    assert len(fraud) >= 10 and len(other) >= 20
    assert sum(v.fraud for v in fraud) >= 0.8 * len(fraud)
    assert sum(v.fraud for v in other) <= 1  # ordinary messages and adverts are not fraud
    assert sum(v.verdict == "spam" for v in ads) >= 0.6 * len(ads)
    typed = [
        (r["fraud_type"], v.fraud_type)
        for r, v in zip(rows, verdicts, strict=True)
        if r["verdict"] == "fraud" and v.fraud
    ]
    assert sum(a == b for a, b in typed) >= 0.6 * len(typed)


TURNS = Path(__file__).with_name("fixtures") / "turns.jsonl"


def test_chat_turns_are_judged_by_the_ask() -> None:
    """Short chat turns (hand-written for this test, never trained on): a turn that asks for a
    code, an advance, a deposit or an off-platform payment is fraud; an everyday turn about money,
    codes, tasks or platforms that asks none of that is not."""
    rows = [json.loads(line) for line in TURNS.read_text(encoding="utf-8").splitlines()]
    verdicts = list(classify_many([str(r["text"]) for r in rows]))
    fraud = [v.fraud for r, v in zip(rows, verdicts, strict=True) if r["verdict"] == "fraud"]
    other = [v.fraud for r, v in zip(rows, verdicts, strict=True) if r["verdict"] != "fraud"]
    assert len(fraud) >= 10 and len(other) >= 20
    assert sum(fraud) >= 0.8 * len(fraud)
    assert sum(other) == 0
