"""The `warn` area of `chaincut evaluate`: its rows on a world nobody fitted the warner on, and
`--only warn` measuring that area alone.

The warn floors on the small world 9301 (randomised simulator world, 4,000 transactions, an
evaluation seed) are held by tests/warning/test_floor.py, on `chaincut warn --replay --evaluate`:
the very measurement (`chaincut.warning.evaluate.measure` with the weekly mule scores) that the
warn area reads (`chaincut.evaluate.detectors.warn_figures`). Until round thirteen this file ran
it a second time through `evaluate(plan=...)`; the area's rows are read here from the randomised
world's evaluation that tests/evaluate/test_floors.py reads too (tests/evaluate/conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import chaincut.evaluate.detectors as detectors
import chaincut.evaluate.run as run
from chaincut.evaluate import ROWS, World, evaluate


def test_warn_beats_the_plain_rule_and_has_a_row_per_figure(
    randomised: dict[str, float | int],
) -> None:
    figures = {k: v for k, v in randomised.items() if k.startswith("warn.")}
    assert figures["warn.victims"] > 0
    assert figures["warn.in_time"] > figures["warn.plain_in_time"], figures
    assert "warn.bothered_per_warned" in figures and "warn.median_lead_h" in figures
    assert "warn.precision" in figures and "warn.plain_precision" in figures
    rows = {key for key, _, _ in ROWS}
    assert set(figures) <= rows


def test_only_warn_measures_the_warn_area_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # every detector answers a figure of each area; `--only warn` calls the warner alone and
    # keeps its rows only (the world is one transfer: what it holds does not matter here)
    called: list[str] = []

    def detector(name: str) -> Any:
        def measure(*_: object) -> dict[str, float | int]:
            called.append(name)
            return {"warn.victims": 3, "trace.money_covered": 1.0, "numbers.ap": 0.5}

        return measure

    for name in ("trace", "account", "clue", "warn", "telecom"):
        monkeypatch.setattr(detectors, f"{name}_figures", detector(name))
    monkeypatch.setattr(run, "lake_messages", lambda *_: [])
    monkeypatch.setattr(run, "lake_conversations", lambda *_: [])
    monkeypatch.setattr(run, "text_figures", detector("text"))
    monkeypatch.setattr(run, "conversation_figures", detector("conversation"))

    def write(folder: Path) -> dict[str, Any]:
        folder.mkdir(parents=True)
        head = "txn_id,ts,src_account,dst_account,amount\n"
        (folder / "transactions.csv").write_text(head + "T1,2024-01-01,A,B,1.00\n", "utf-8")
        return {"seed": 1}

    column = evaluate(plan=[World("one", "test", write)], areas=("warn",)).columns[0]
    assert not column.errors, column.errors
    assert called == ["warn"]
    assert column.figures == {"warn.victims": 3}
