"""`chaincut warn`: early warning (预警) over the lake, replayed in time order."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from chaincut.cli.app import (
    EXIT_BAD_INPUT,
    EngineOption,
    HomeOption,
    JsonOption,
    app,
    console,
    fail,
    print_json,
    settings_from,
)

if TYPE_CHECKING:  # imported inside the command: `chaincut --help` must stay fast
    from chaincut.lake.engine import Engine
    from chaincut.settings import Settings
    from chaincut.warning.mule import Schedule
    from chaincut.warning.signals import Directory, RaisedWarning


def _time(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        fail(f"{option} {value!r} is not an ISO-8601 time", code=EXIT_BAD_INPUT,
             hint=f"{option} 2026-03-05T00:00:00Z")  # fmt: skip


@app.command("warn")
def warn_command(
    replay: Annotated[
        bool,
        typer.Option("--replay", help="Read the lake's events in time order and raise warnings."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="JSONL file to write, one warning a line (default: stdout)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Replay events from this ISO-8601 time on.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Replay events before this ISO-8601 time.")
    ] = None,
    evaluate: Annotated[
        bool,
        typer.Option(
            "--evaluate",
            help="Judge the worklist against the lake's labels (victims warned before they pay, "
            "lead time, precision) beside the plain rule; prints figures instead of warnings.",
        ),
    ] = False,
    foreign_truth: Annotated[
        Path | None,
        typer.Option(
            "--foreign-truth",
            help="With --evaluate: the folder of a foreign world (its truth.json gives victims' "
            "transfers and the targeted).",
        ),
    ] = None,
    worklist: Annotated[
        bool,
        typer.Option(
            "--worklist",
            help="Also put the warnings on the store's worklist (预警工作单) as `POST /v1/events` "
            "would; warnings already stored are not added again. Prints how many were added "
            "(the warnings themselves only with --out).",
        ),
    ] = False,
    capacity_per_victim: Annotated[
        float,
        typer.Option(
            help="With --evaluate: the daily worklist capacity, in average day's victims."
        ),
    ] = 5.0,
    home: HomeOption = None,
    engine: EngineOption = None,
    json_output: JsonOption = False,
) -> None:
    """Warn likely victims before they pay: one JSON object per warning (docs/warning.md)."""
    if not replay:
        fail("nothing to do", code=EXIT_BAD_INPUT, hint="chaincut warn --replay [--out FILE.jsonl]")
    start, end = _time(since, "--since"), _time(until, "--until")
    if worklist and evaluate:
        fail("--worklist and --evaluate do not go together", code=EXIT_BAD_INPUT,
             hint="chaincut warn --replay --worklist [--out FILE.jsonl]")  # fmt: skip
    if start and end and start >= end:
        fail("--since must be before --until", code=EXIT_BAD_INPUT)
    if foreign_truth is not None and not (foreign_truth / "truth.json").is_file():
        fail(f"{foreign_truth}/truth.json not found", code=EXIT_BAD_INPUT,
             hint="give the folder `chaincut foreign-world` wrote")  # fmt: skip
    from chaincut.lake.engine import EngineError, get_engine
    from chaincut.warning.mule import scheduled_scores
    from chaincut.warning.replay import directory, span
    from chaincut.warning.replay import replay as run_replay

    settings = settings_from(home, engine)
    if not settings.lake_path.exists():
        fail(f"no lake at {settings.lake_path}", hint="chaincut import DIR first")
    try:
        with get_engine(settings) as lake:
            book = directory(lake)
            bounds = span(lake, start, end)
        # the mule model rescored weekly on the lake as it was then (not from later transfers)
        mule = scheduled_scores(settings, *bounds) if bounds else []
        with get_engine(settings) as lake:
            if evaluate:
                _evaluate(lake, book, start, end, foreign_truth, capacity_per_victim, json_output,
                          mule)  # fmt: skip
                return
            count, kept = 0, []
            # with --worklist the warnings are printed only into --out (stdout has the count)
            write = out is not None or not worklist
            sink: IO[str] = out.open("w", encoding="utf-8") if out else sys.stdout
            try:
                for warning in run_replay(lake, start, end, mule=mule):
                    if write:
                        sink.write(json.dumps(warning.to_json(), ensure_ascii=False) + "\n")
                    if worklist:
                        kept.append(warning)
                    count += 1
            finally:
                if out:
                    sink.close()
    except EngineError as exc:
        fail(str(exc))
    if out and not (worklist and json_output):  # --json: stdout holds only the JSON
        console.print(f"{count} warnings written to {out}")
    if worklist:
        _to_worklist(settings, kept, json_output)


def _to_worklist(settings: Settings, raised: list[RaisedWarning], json_output: bool) -> None:
    """Store the replay's warnings on the worklist (`chaincut.services.warning_worklist`); say how many."""
    from chaincut.services.warning_worklist import store_replay
    from chaincut.store import open_store

    store = open_store(settings.resolved_store_url)
    try:
        stored = store_replay(store, raised)
    finally:
        store.close()
    if json_output:
        print_json(stored.to_json())
        return
    console.print(
        f"{stored.added} warnings added to the worklist, {stored.updated} raised in score, "
        f"{stored.unchanged} unchanged ({stored.warnings} warnings raised on replay about "
        f"{stored.subjects} subjects)"
    )


def _evaluate(
    lake: Engine,
    book: Directory,
    start: datetime | None,
    end: datetime | None,
    foreign: Path | None,
    per_victim: float,
    json_output: bool,
    mule: Schedule,
) -> None:
    from chaincut.warning.evaluate import measure

    result = measure(lake, book, foreign, per_victim=per_victim, mule=mule, since=start, until=end)
    truth = result.truth
    measured = {"model": result.model.to_json(), "plain_rule": result.plain_rule.to_json()}
    if json_output:
        print_json(result.to_json())
        return
    console.print(
        f"{len(truth.victims)} victims over {truth.days} days; {result.warnings} warnings"
    )
    for name, f in measured.items():
        console.print(
            f"{name:10}  in time {f['warned_in_time']}/{f['victims']} ({f['share_in_time']:.0%})"
            f"  median lead {f['median_lead_h']} h  precision {f['precision']:.0%}"
            f"  capacity {f['capacity']}/day  innocent people {f['innocent_people']}"
        )
