"""`chaincut trace --all --issue` traces each report once and writes what it issued: the same
objects `trace --all --no-issue` writes, each with its `issued` counts (tests/trace/shared_mule.py:
RB's order on the shared card is a stop only because RA's was issued before it)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import chaincut.cli.commands_trace  # noqa: F401  (registers the commands)
import chaincut.trace
import chaincut.trace.api
from chaincut.cli.app import app
from tests.trace.shared_mule import SHARED, shared_mule_world

runner = CliRunner()


def _run(home: Path, *args: str) -> str:
    ran = runner.invoke(app, ["trace", "--all", "--home", str(home), *args])
    assert ran.exit_code == 0, ran.output
    return ran.output


def _count_traces(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Count every trace of a report, by report id, whichever path makes it."""
    counts: Counter[str] = Counter()
    real: Callable[..., Any] = chaincut.trace.trace_one

    def counted(ledger: Any, report_id: str, params: Any) -> Any:
        counts[report_id] += 1
        return real(ledger, report_id, params)

    monkeypatch.setattr(chaincut.trace.api, "trace_one", counted)
    monkeypatch.setattr(chaincut.trace, "trace_one", counted)
    return counts


def test_each_report_is_traced_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    shared_mule_world(home)
    counts = _count_traces(monkeypatch)
    out = _run(home, "--issue")
    assert counts == Counter({"RA": 1, "RB": 1})
    assert [json.loads(line)["report_id"] for line in out.splitlines()] == ["RA", "RB"]


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_the_output_is_that_of_no_issue_with_the_counts(tmp_path: Path, fmt: str) -> None:
    home = tmp_path / "home"
    shared_mule_world(home)
    plain = _run(home, "--format", fmt, "--no-issue")
    first = _run(home, "--format", fmt, "--issue")
    again = _run(home, "--format", fmt, "--issue")  # the store holds every order now

    def parsed(text: str) -> list[dict[str, Any]]:
        rows = json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines()]
        return list(rows)

    for issued, created in ((first, True), (again, False)):
        rows = parsed(issued)
        counts = [row.pop("issued") for row in rows]
        assert rows == parsed(plain)
        assert all((c["created"] > 0) == created for c in counts), counts
        # byte for byte what the command wrote before it traced once: `issued` last
        expected = [row | {"issued": c} for row, c in zip(parsed(plain), counts, strict=True)]
        if fmt == "jsonl":
            text = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in expected)
        else:
            text = json.dumps(expected, ensure_ascii=False, indent=1) + "\n"
        assert issued == text
    rb = next(o for o in parsed(first) if o["report_id"] == "RB")
    assert {o["account_id"]: o["kind"] for o in rb["freeze"]}[SHARED] == "emergency_stop"
