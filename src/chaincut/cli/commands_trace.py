"""`chaincut trace` and `chaincut restitution`: follow a victim's money, freeze it, return it."""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from chaincut.cli.app import (
    EXIT_BAD_INPUT,
    EngineOption,
    HomeOption,
    JsonOption,
    app,
    console,
    err_console,
    fail,
    print_json,
    settings_from,
    table_console,
)
from chaincut.settings import EngineName, Settings
from chaincut.trace import (
    IndexUnavailable,
    Rule,
    TraceParams,
    allocate_recovered,
    ensure_index,
    money_tree,
    report_json,
    restitution_json,
    to_cents,
    to_micros,
    trace_all,
    trace_case,
    trace_report,
)
from chaincut.trace.bystander_model import ASOF

RuleOption = Annotated[Rule, typer.Option("--rule", help="Tracing rule: fifo, libr or prorata.")]
HopsOption = Annotated[int, typer.Option("--max-hops", min=1, help="Transfers followed at most.")]
WindowOption = Annotated[
    float, typer.Option("--window-days", min=0.0, help="Days after the first fraud transfer.")
]
MinOption = Annotated[
    str, typer.Option("--min-amount", help="Smallest amount followed or frozen, in yuan.")
]
ShareOption = Annotated[
    float, typer.Option("--min-share", min=0.0, max=1.0, help="...or this share of the loss.")
]
BusyOption = Annotated[
    float,
    typer.Option("--busy-factor", min=0.0, help="Hub when counterparties > factor x quantile."),
]

_DEFAULTS = TraceParams()


def _params(
    rule: Rule,
    max_hops: int,
    window: float,
    min_amount: str,
    min_share: float,
    busy: float,
    as_of: str | None = None,
) -> TraceParams:
    # each bad value is named with its option: Python's own message ("Invalid isoformat
    # string") says neither which option nor what to write
    try:
        cents = to_cents(min_amount)
    except ValueError as exc:
        fail(f"--min-amount: {exc}", code=EXIT_BAD_INPUT,
             hint="amounts like 1 or 0.50")  # fmt: skip
    try:
        when = to_micros(datetime.fromisoformat(as_of)) if as_of else None
    except ValueError:
        fail(f"--as-of {as_of!r} is not an ISO-8601 time", code=EXIT_BAD_INPUT,
             hint="times like 2024-05-01T10:00, 2024-05-01T10:00+08:00 or 2024-05-01")  # fmt: skip
    return TraceParams(
        rule=rule,
        max_hops=max_hops,
        window_days=window,
        min_amount_cents=cents,
        min_share=min_share,
        busy_factor=busy,
        as_of=when,
    )


def _index_or_fail(settings: Settings, rebuild: bool = False) -> Any:
    try:
        return ensure_index(settings, rebuild=rebuild)
    except IndexUnavailable as exc:
        fail(str(exc), code=EXIT_BAD_INPUT, hint=f"chaincut import DIR --home {settings.home}")


@app.command("trace")
def trace_command(
    report_id: Annotated[str | None, typer.Argument(help="The report to trace.")] = None,
    all_reports: Annotated[bool, typer.Option("--all", help="Trace every report.")] = False,
    evaluate: Annotated[
        Path | None, typer.Option("--evaluate", help="Score --all against a truth/ folder.")
    ] = None,
    rule: RuleOption = _DEFAULTS.rule,
    max_hops: HopsOption = _DEFAULTS.max_hops,
    window_days: WindowOption = _DEFAULTS.window_days,
    min_amount: MinOption = "1.00",
    min_share: ShareOption = _DEFAULTS.min_share,
    busy_factor: BusyOption = _DEFAULTS.busy_factor,
    fmt: Annotated[str, typer.Option("--format", help="--all output: jsonl or json.")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--out", help="Write --all output here.")] = None,
    issue: Annotated[
        bool | None,
        typer.Option(
            "--issue/--no-issue",
            help="Issue the orders in the store (default: yes for one report, no for --all).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="--all processes.")] = 1,
    mule_asof: Annotated[
        str,
        typer.Option(
            "--mule-asof",
            help="--all and --evaluate: the mule model scores the whole lake, or it as of each "
            "report's day/week, or as of the report itself (report).",
        ),
    ] = "lake",
    rebuild_index: Annotated[
        bool, typer.Option("--rebuild-index", help="Rebuild the trace index first.")
    ] = False,
    home: HomeOption = None,
    engine: EngineOption = None,
    as_json: JsonOption = False,
) -> None:
    """Trace a report's money and issue freeze orders; --all traces every report (JSON lines).

    --rebuild-index alone rebuilds the trace index of the home and exits.
    """
    settings = settings_from(home, engine)
    params = _params(rule, max_hops, window_days, min_amount, min_share, busy_factor)
    if mule_asof not in ASOF:
        fail(f"unknown --mule-asof {mule_asof!r}", code=EXIT_BAD_INPUT,
             hint="--mule-asof lake, day, week or report")  # fmt: skip
    if evaluate is not None:
        _evaluate(settings, params, evaluate, as_json, mule_asof)
        return
    if rebuild_index and not all_reports and report_id is None:
        index = _index_or_fail(settings, True)
        if as_json:
            print_json(index.meta)
        else:
            console.print(f"trace index rebuilt: {index.path} ({index.meta['rows']:,} rows)")
        return
    if all_reports == (report_id is not None):
        fail(
            "give a REPORT_ID or --all (not both)",
            code=EXIT_BAD_INPUT,
            hint="chaincut trace R1  |  chaincut trace --all --format jsonl --out traces.jsonl",
        )
    if all_reports:
        from chaincut.lake.stats import report_count

        # (a lake without reports: it built the trace index for a minute and said nothing)
        if settings.lake_path.exists() and not report_count(settings):
            err_console.print(f"the lake of {settings.home} holds no reports: nothing to trace "
                              "(import a reports table, docs/data-format.md)")  # fmt: skip
            _trace_all_none(fmt, out)
            return
        if settings.engine != EngineName.spark or rebuild_index:
            _index_or_fail(settings, rebuild_index)
        _trace_all(settings, params, fmt, out, bool(issue), workers, mule_asof)
        return
    if report_id is None:  # the branch above returned when no report was named
        raise RuntimeError("trace: no report id and no --all")
    index = _index_or_fail(settings, rebuild_index)
    try:
        result = trace_as_filed(settings, report_id, params, index)
    except KeyError:
        fail(
            f"no report {report_id!r} in {settings.lake_path}",
            code=EXIT_BAD_INPUT,
            hint="chaincut stats shows what the lake holds",
        )
    issued = _issue(settings, result, report_id) if issue is not False else None
    if as_json:
        data = report_json(result, report_id, flows=True)
        data["issued"] = issued
        print_json(data)
        return
    tree = money_tree(result, report_id)
    # to a pipe or a file, as wide as the orders table needs: Rich would fold account numbers
    table_console(tree).print(tree)
    if issued is not None:
        console.print(f"[green]orders issued[/]: {issued}")


def trace_as_filed(
    settings: Settings,
    report_id: str,
    params: TraceParams,
    index: Any,
    scores: dict[str, float] | None = None,
) -> Any:
    """One report's trace, judged with the stops the home's store holds for reports filed
    before it (as `--all` judges it); a home without a store is traced on the index alone.
    The judge weighs `scores` (mule model scores), by default those the last `--all` kept for
    this lake (`chaincut.trace.bystander_model`).

    The default SQLite store is read with the standard library (SQLAlchemy and Alembic take
    about a second to import, which a `--no-issue` trace does not otherwise pay)."""
    from chaincut.trace import ScoredLedger, trace_one
    from chaincut.trace.bystander_model import kept_scores

    if scores is None:
        scores = kept_scores(settings, params)
    default = settings.home / "store.db"
    if not (params.earlier_stops and params.judge_accounts) or (
        settings.store_url is None and not default.exists()
    ):
        if scores:
            return trace_one(ScoredLedger(index, scores), report_id, params)
        return trace_report(settings, report_id, params, index=index)
    from chaincut.services.earlier_stops import HeldStops, sqlite_reader, store_reader
    from chaincut.trace.model import to_micros

    def when(rid: str, filed_at: datetime) -> int:
        try:  # the time the report's own trace used: the lake's where it has the report
            return int(index.report(rid).ts)
        except KeyError:
            return to_micros(filed_at)

    if settings.store_url is None:
        con = sqlite3.connect(f"{default.resolve().as_uri()}?mode=ro", uri=True)
        try:
            con.execute("SELECT 1 FROM freeze_orders JOIN reports USING (report_id) LIMIT 1")
            held = HeldStops(sqlite_reader(con, report_id), when)
            return trace_one(ScoredLedger(index, scores, stops=held), report_id, params)
        except sqlite3.Error as exc:
            fail(
                f"cannot read the store {default}: {exc}",
                code=EXIT_BAD_INPUT,
                hint="a trace that issues orders (without --no-issue) brings the store up to date",
            )
        finally:
            con.close()
    from chaincut.store import open_store

    store = open_store(settings.resolved_store_url)  # a new store is created, as issuing does
    with store, store.session(readonly=True) as s:
        held = HeldStops(store_reader(s, report_id), when)
        return trace_one(ScoredLedger(index, scores, stops=held), report_id, params)


def _issue(settings: Settings, result: Any, report_id: str) -> dict[str, int] | None:
    try:
        from chaincut.trace.persist import issue
    except ImportError:  # pragma: no cover - the store is part of the package
        return None
    done = issue(settings, result, report_id)
    return {
        "created": len(done.created),
        "updated": len(done.updated),
        "unchanged": len(done.unchanged),
        "closed": len(done.closed),
    }


def issue_in_time_order(
    settings: Settings,
    report_ids: Iterable[str],
    params: TraceParams,
    index: Any,
    mule_asof: str = "lake",
) -> Iterator[tuple[str, Any, dict[str, int] | None]]:
    """Trace and issue each report in the order the reports were made (the lake's report time,
    then the id), each judged with the stops already issued for the reports before it: the
    orders are those `trace --all` computes (which traces in the same order), not those of
    each report alone; the mule scores as `trace_all(..., mule_asof=)` weighs them. Yields
    (report id, trace result, orders issued)."""

    def when(rid: str) -> tuple[int, str]:
        try:
            return int(index.report(rid).ts), rid
        except KeyError:  # a report the index does not hold goes last
            return 2**63 - 1, rid

    from chaincut.trace.bystander_model import score_book

    ids = sorted(report_ids, key=when)
    times = {rid: when(rid)[0] for rid in ids if when(rid)[0] < 2**63 - 1}
    book = score_book(settings, params, times, mule_asof)  # once, as `trace --all` weighs them
    for rid in ids:
        result = trace_as_filed(settings, rid, params, index, book.of(rid))
        yield rid, result, _issue(settings, result, rid)


def _traced_and_issued(
    settings: Settings, params: TraceParams, mule_asof: str = "lake"
) -> list[dict[str, Any]]:
    """Every report traced once, in time order, its orders issued as it is traced (each judged
    with the stops the store holds for the reports before it, as `trace_all` judges it with
    theirs); the JSON objects `trace_all` writes, with `issued`, in report id order.

    The orders written are the ones issued: a report is not traced again to print it."""
    index = _index_or_fail(settings, False)
    ids = index.report_ids()
    rows_of: dict[str, dict[str, Any]] = {}
    for rid, result, issued in issue_in_time_order(settings, ids, params, index, mule_asof):
        rows_of[rid] = report_json(result, rid)
        rows_of[rid]["issued"] = issued
    return [rows_of[rid] for rid in ids]


def _trace_all_none(fmt: str, out: Path | None) -> None:
    """What `--all` writes for no report: nothing in JSON lines, an empty list in JSON."""
    if fmt not in ("jsonl", "json"):
        fail(f"unknown --format {fmt!r}", code=EXIT_BAD_INPUT, hint="--format jsonl or json")
    text = "[]\n" if fmt == "json" else ""
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        err_console.print(f"0 reports traced → {out}")
    else:
        sys.stdout.write(text)


def _trace_all(
    settings: Settings,
    params: TraceParams,
    fmt: str,
    out: Path | None,
    issue: bool,
    workers: int,
    mule_asof: str = "lake",
) -> None:
    if fmt not in ("jsonl", "json"):
        fail(f"unknown --format {fmt!r}", code=EXIT_BAD_INPUT, hint="--format jsonl or json")
    traced: Iterable[dict[str, Any]]
    if issue:
        traced = _traced_and_issued(settings, params, mule_asof)
    else:
        traced = trace_all(settings, params, workers=workers, mule_asof=mule_asof)
    sink: TextIO = out.open("w", encoding="utf-8") if out else sys.stdout
    count = 0
    try:
        rows = []
        for obj in traced:
            count += 1
            if fmt == "jsonl":
                sink.write(json.dumps(obj, ensure_ascii=False) + "\n")
            else:
                rows.append(obj)
        if fmt == "json":
            sink.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    finally:
        if out:
            sink.close()
    if out:
        err_console.print(f"{count} reports traced → {out}")


def _evaluate(
    settings: Settings, params: TraceParams, truth: Path, as_json: bool, mule_asof: str = "lake"
) -> None:
    from chaincut.trace.evaluate import evaluate_home, evaluation_table

    if not truth.is_dir():
        fail(
            f"no truth folder at {truth}",
            code=EXIT_BAD_INPUT,
            hint="the simulator writes OUT/truth/ (holdings.csv) next to the interchange files",
        )
    _index_or_fail(settings)
    report = evaluate_home(settings, truth, params, mule_asof)
    if as_json:
        print_json(report.as_json())
    else:
        table = evaluation_table(report)
        table_console(table).print(table)


def _read_recovered(path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                try:
                    acc, amount = row["account_id"].strip(), to_cents(row["amount"])
                except (KeyError, ValueError, AttributeError) as exc:
                    fail(
                        f"{path}:{line}: {exc}",
                        code=EXIT_BAD_INPUT,
                        hint="a CSV with header account_id,amount and amounts like 1234.50",
                    )
                out[acc] = out.get(acc, 0) + amount
    except OSError as exc:
        fail(f"cannot read {path}: {exc}", code=EXIT_BAD_INPUT)
    return out


@app.command("restitution")
def restitution_command(
    case: Annotated[str | None, typer.Option("--case", help="A case in the store.")] = None,
    reports: Annotated[
        str | None, typer.Option("--reports", help="Comma-separated report ids.")
    ] = None,
    recovered: Annotated[
        Path | None, typer.Option("--recovered", help="CSV account_id,amount recovered.")
    ] = None,
    rule: RuleOption = _DEFAULTS.rule,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Trace up to this time (default: last report).")
    ] = None,
    max_hops: HopsOption = _DEFAULTS.max_hops,
    window_days: WindowOption = _DEFAULTS.window_days,
    min_amount: MinOption = "1.00",
    home: HomeOption = None,
    engine: EngineOption = None,
    as_json: JsonOption = False,
) -> None:
    """Where each victim's money went, and who gets recovered money back (追赃挽损)."""
    settings = settings_from(home, engine)
    if (case is None) == (reports is None):
        fail("give --case CASE_ID or --reports R1,R2 (one of them)", code=EXIT_BAD_INPUT)
    if case is not None:
        from chaincut.trace.persist import case_report_ids

        ids = case_report_ids(settings, case)
        if not ids:
            fail(
                f"case {case!r} has no reports in the store",
                code=EXIT_BAD_INPUT,
                hint="attach reports to the case, or pass --reports R1,R2",
            )
    else:
        ids = [r.strip() for r in (reports or "").split(",") if r.strip()]
    params = _params(rule, max_hops, window_days, min_amount, 0.0, _DEFAULTS.busy_factor, as_of)
    index = None if settings.engine == EngineName.spark else _index_or_fail(settings)
    try:
        result = trace_case(settings, ids, params, index=index)
    except KeyError as exc:
        fail(f"no report {exc.args[0]!r} in {settings.lake_path}", code=EXIT_BAD_INPUT)
    got = _read_recovered(recovered) if recovered else {}
    plan = allocate_recovered(result, got)
    if as_json:
        print_json(restitution_json(result, plan))
        return
    from chaincut.trace.render import restitution_tables

    tables = restitution_tables(result, plan)
    table_console(tables).print(tables)
