"""`chaincut demo`: a simulated city, imported, traced and summarised, ready to explore."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.panel import Panel
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from chaincut.cli.app import (
    HomeOption,
    JsonOption,
    app,
    console,
    err_console,
    print_json,
    table_console,
)
from chaincut.cli.commands_lake import run_import, show_import
from chaincut.settings import Settings

# the simulator and the lake are imported inside the command: `chaincut --help` imports this
if TYPE_CHECKING:
    from chaincut.service.demo_work import DemoWork
    from chaincut.simulate import SimSummary
    from chaincut.trace import TraceResult


def _simulate(out: Path, seed: int, scale: str) -> SimSummary:
    from chaincut.simulate import simulate

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("simulating", total=None)

        def on_step(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"simulating {step}", completed=done, total=total or None)

        return simulate(out, seed=seed, scale=scale, progress=on_step)


def ground_truth(settings: Settings) -> dict[str, dict[str, int]]:
    """Labels per entity kind and label, as imported (the world's ground truth)."""
    from chaincut.lake.engine import get_engine
    from chaincut.lake.readers import events

    with get_engine(settings) as engine:
        return events.label_counts(engine)


def _show_truth(summary: SimSummary, truth: dict[str, dict[str, int]]) -> None:
    loss = Decimal(summary.reported_loss)
    console.print(
        Panel.fit(
            f"[bold]{summary.dens}[/] fraud dens, [bold]{summary.victims}[/] victims, "
            f"[bold]{summary.reports}[/] reports, reported loss [bold]¥{loss:,.2f}[/], "
            f"[bold]{summary.simboxes}[/] SIM boxes\n"
            f"{sum(summary.rows.values()):,} rows written in {summary.seconds:.1f} s "
            f"to {summary.out_dir}",
            title=f"simulated city (seed {summary.seed})",
        )
    )
    table = Table(title="ground truth (labels)", title_justify="left")
    table.add_column("kind")
    table.add_column("label")
    table.add_column("count", justify="right")
    for kind, labels in truth.items():
        for label, n in labels.items():
            if label != "normal":
                table.add_row(kind, label, f"{n:,}")
        if "normal" in labels:
            table.add_row(kind, "normal", f"{labels['normal']:,}", style="dim")
    console.print(table)


def _spinner(text: str) -> Progress:
    bar = Progress(SpinnerColumn(), TextColumn(text), TimeElapsedColumn(), console=err_console,
                   transient=True)  # fmt: skip
    bar.add_task(text, total=None)
    return bar


def trace_and_issue(settings: Settings, world: Path) -> dict[str, Any]:
    """Trace every report (LIBR), score it against the simulator's truth, issue the orders."""
    from chaincut.cli.commands_trace import issue_in_time_order
    from chaincut.trace import Rule, TraceParams, ensure_index
    from chaincut.trace.evaluate import evaluate_home

    with _spinner("building the trace index"):
        index = ensure_index(settings)
    params = TraceParams(rule=Rule.libr)
    with _spinner("tracing every report against the ground truth"):
        evaluation = evaluate_home(settings, world / "truth", params)
    issued = {"created": 0, "updated": 0, "unchanged": 0}
    sample: tuple[str, Any] | None = None
    with _spinner("issuing freeze orders"):
        # in time order, each report judged with the stops of the reports before it (as the
        # evaluation above and `chaincut trace --all --issue` judge them)
        for report_id, result, done in issue_in_time_order(
            settings, index.report_ids(), params, index
        ):
            for kind in issued:
                issued[kind] += (done or {}).get(kind, 0)
            orders = result.orders_for(report_id)
            if orders and (sample is None or len(orders) > len(sample[1].orders_for(sample[0]))):
                sample = (report_id, result)
    return {"evaluation": evaluation, "issued": issued, "sample": sample}


def show_sample(report_id: str, result: TraceResult) -> None:
    """The money tree and orders of the demo's sample report, as `chaincut trace` prints them."""
    from chaincut.trace import money_tree

    console.print(f"\n[bold]the money tree of report {report_id}[/] (chaincut trace {report_id})")
    tree = money_tree(result, report_id)
    # to a pipe or a log, as wide as the orders table needs: Rich would fold account numbers
    # and amounts across lines
    table_console(tree).print(tree)


def _show_trace(traced: dict[str, Any]) -> None:
    from chaincut.trace.evaluate import evaluation_table

    if traced["sample"] is not None:
        show_sample(*traced["sample"])
    console.print(evaluation_table(traced["evaluation"]))
    i = traced["issued"]
    console.print(
        f"freeze orders in the store: {i['created']} new, {i['updated']} updated, "
        f"{i['unchanged']} unchanged"
    )


def _seed_work(settings: Settings, world: Path) -> DemoWork:
    from chaincut.service.demo_work import seed_demo_work
    from chaincut.store import open_store

    with (
        _spinner("opening a case, returning money, punishing"),
        open_store(settings.resolved_store_url) as store,
    ):
        return seed_demo_work(store, settings, world)


def _show_work(work: DemoWork) -> None:
    if work.case_id is None:
        return
    console.print(
        f"supervised case [bold]{work.case_id}[/] opened on the largest den: "
        f"¥{work.returned:,.2f} returned to its victims, {work.punished} card sellers punished"
    )


def raise_warnings(settings: Settings) -> dict[str, int]:
    """Replay the lake into the early-warning worklist and record a few outcomes on its top."""
    from chaincut.services.warning_demo import raise_and_work
    from chaincut.store import open_store

    with _spinner("raising early warnings"):
        store = open_store(settings.resolved_store_url)
        try:
            return raise_and_work(settings, store)
        finally:
            store.close()


@app.command("demo")
def demo_command(
    home: HomeOption = None,
    seed: Annotated[int, typer.Option(help="Seed of the simulated city.")] = 7,
    scale: Annotated[
        str, typer.Option(help="tiny, small, medium, large or a row count.")
    ] = "small",
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the service and console at the end.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address the service listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the service.", min=1, max=65535)] = 8000,
    json_out: JsonOption = False,
) -> None:
    """Simulate a city with fraud gangs, import it, trace and freeze, summarise, then serve.

    Re-running it is safe: the same seed writes the same city, and the import, the index and
    the freeze orders are idempotent.
    """
    from chaincut.cli.app import settings_from

    settings = settings_from(home)
    world = settings.home / "demo-world"
    summary = _simulate(world, seed, scale)
    result = run_import(world, home, quiet=json_out)
    truth = ground_truth(settings)
    traced = trace_and_issue(settings, world)
    work = _seed_work(settings, world)
    warned = raise_warnings(settings)
    report: dict[str, Any] = {
        "home": str(settings.home.resolve()),
        "world": summary.out_dir,
        "simulated": {
            "seed": summary.seed,
            "rows": summary.rows,
            "dens": summary.dens,
            "victims": summary.victims,
            "reports": summary.reports,
            "simboxes": summary.simboxes,
            "reported_loss": summary.reported_loss,
        },
        "import": result.as_dict(max_rejects=20),
        "ground_truth": truth,
        "trace": traced["evaluation"].as_json(),
        "freeze_orders": traced["issued"],
        "work": work.as_dict(),
        "warnings": warned,
    }
    if json_out:
        print_json(report)
    else:
        _show_truth(summary, truth)
        show_import(result)
        _show_trace(traced)
        _show_work(work)
        console.print(
            f"early warning: {warned['raised']} warnings raised on replay, "
            f"{warned['on_worklist']} on the worklist, {warned['worked']} worked in the demo"
        )
        console.print(
            "\nnext: [bold]chaincut stats[/] · [bold]chaincut trace REPORT_ID[/] · "
            "[bold]chaincut trace --all --format jsonl[/] · [bold]chaincut classify TEXT[/] · "
            f"home [bold]{settings.home}[/]"
        )
    if serve:
        from chaincut.service.server import serve as run_service

        run_service(
            settings,
            host,
            port,
            demo_users=True,
            echo=lambda text: console.print(text, markup=False, highlight=False),
        )
