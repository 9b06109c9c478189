"""A floor on a world the analysis was not designed on (a small foreign world): reports of a
gang grouped together, its cards listed with few innocents, its card dealers named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chaincut.gangs import Evidence, analyse
from chaincut.gangs.evaluate import evaluate, read_truth
from chaincut.gangs.sentences import english, readable
from chaincut.settings import Settings


def test_foreign_world_floor(evidence: Evidence, foreign_world: tuple[Path, Settings]) -> None:
    analysis = analyse(evidence)
    figures = evaluate(analysis.gangs, read_truth(foreign_world[0]))
    # a floor, not the target (docs/gangs.md has the measured figures): gangs are never merged
    # (pair precision), and most of their reports are grouped
    assert figures["report_pair_precision"] >= 0.9, figures
    assert figures["report_pair_f1"] >= 0.6, figures
    assert figures["mule_card_recall"] >= 0.4, figures
    assert figures["innocent_share"] <= 0.1, figures
    assert figures["roles"]["card_dealer"]["recall"] >= 0.5, figures


def test_members_have_evidence_and_shape(evidence: Evidence) -> None:
    for gang in analyse(evidence).gangs:
        out = gang.json()
        assert out["gang_id"] == f"GANG-{out['reports'][0]}"
        assert set(out["money"]) == {"reported", "stopped", "exited"}
        for m in out["members"]:
            assert set(m) == {"kind", "id", "role", "confidence", "evidence", "evidence_codes"}
            assert 0.5 <= m["confidence"] <= 1.0
            assert m["evidence"], m


def _english(sentence: dict[str, Any]) -> str:
    """An evidence sentence's English from its code and values, as the analysis wrote it."""
    raw, shown = sentence["args"], readable(sentence["args"])
    args = {k: shown[k] if isinstance(v, str) else ", ".join(map(_english, v))
            for k, v in raw.items()}  # fmt: skip
    return english(sentence["code"], sentence["args"]) % args


def test_each_evidence_sentence_comes_with_its_code_and_values(evidence: Evidence) -> None:
    """Every sentence of every member's evidence is rebuilt from the code and values beside it
    (amounts grouped as a sentence says them); what has no code is an identifier (a transaction, call or message)."""
    coded = 0
    for gang in analyse(evidence).gangs:
        for m in gang.json()["members"]:
            assert isinstance(m, dict)
            assert len(m["evidence_codes"]) == len(m["evidence"]), m
            for text, code in zip(m["evidence"], m["evidence_codes"], strict=True):
                if code is None:
                    assert len(text.split()) == 1, text
                else:
                    assert text == _english(code)
                    coded += 1
    assert coded > 10


def test_analysis_is_deterministic_and_honours_judgements(evidence: Evidence) -> None:
    first, second = analyse(evidence), analyse(evidence)
    assert [g.json() for g in first.gangs] == [g.json() for g in second.gangs]
