"""The replay reads the lake in time order and uses only what was known at each moment."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

import chaincut.cli.commands_warn  # noqa: F401  (registers the command)
from chaincut.cli.app import app
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.warning.events import KIND_ORDER, event_id
from chaincut.warning.replay import directory, lake_events, replay
from chaincut.warning.scoring import NAMES
from chaincut.warning.signals import Warner

KEYS = {"warning_id", "subject_kind", "subject_id", "raised_at", "score", "fraud_type", "action",
        "signals"}  # fmt: skip


Trace = list[tuple[tuple[str, str], int, list[float]]]


def _all(
    settings: Settings, until: datetime | None = None, trace: Trace | None = None
) -> list[dict[str, object]]:
    with get_engine(settings) as engine:
        warner = Warner(directory(engine))
        warner.trace = trace
        return [w.to_json() for w in replay(engine, until=until, warner=warner)]


def test_events_come_in_time_order(world: tuple[Path, Settings]) -> None:
    with get_engine(world[1]) as engine:
        keys = [(e.ts, KIND_ORDER[type(e)], event_id(e)) for e in lake_events(engine)]
    assert keys == sorted(keys) and len(keys) > 1000


def test_cutting_off_the_future_changes_no_earlier_warning(world: tuple[Path, Settings]) -> None:
    full_trace: Trace = []
    full = _all(world[1], trace=full_trace)
    assert full, "the tiny world raised no warning"
    times = sorted(str(w["raised_at"]) for w in full)
    cut = datetime.fromisoformat(times[len(times) // 2].replace("Z", "+00:00"))
    cut = cut.replace(tzinfo=UTC) + timedelta(seconds=1)
    cut_trace: Trace = []
    truncated = _all(world[1], until=cut, trace=cut_trace)
    earlier = [w for w in full if str(w["raised_at"]) < cut.strftime("%Y-%m-%dT%H:%M:%SZ")]
    assert truncated == earlier
    # every feature (those the shipped model weighs little as well) of every subject after
    # every signal before the cut is what it was without the future
    assert cut_trace and cut_trace == full_trace[: len(cut_trace)]
    assert {NAMES.index("thread"), NAMES.index("listed_contact")} <= {
        i for _, _, x in cut_trace for i, v in enumerate(x) if v
    }


def test_the_cli_writes_one_issue_shaped_object_per_warning(
    world: tuple[Path, Settings], tmp_path: Path
) -> None:
    out = tmp_path / "w.jsonl"
    home = str(world[1].home)
    result = CliRunner().invoke(app, ["warn", "--replay", "--out", str(out), "--home", home])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines and all(set(w) == KEYS for w in lines)
    for w in lines:
        assert w["subject_kind"] in ("person", "phone", "account")
        assert w["action"] in ("sms", "call", "visit") and 0 < w["score"] < 1
        for s in w["signals"]:
            assert set(s) == {"kind", "id", "ts", "why"} and s["why"]
    assert [w["raised_at"] for w in lines] == sorted(w["raised_at"] for w in lines)


def test_the_cli_refuses_bad_times(world: tuple[Path, Settings]) -> None:
    home = str(world[1].home)
    result = CliRunner().invoke(app, ["warn", "--replay", "--since", "yesterday", "--home", home])
    assert result.exit_code == 2 and "--since" in result.output
    result = CliRunner().invoke(app, ["warn", "--home", home])
    assert result.exit_code == 2
