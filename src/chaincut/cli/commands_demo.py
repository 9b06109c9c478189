"""`chaincut demo`: a simulated city, imported, traced and summarised, ready to explore."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from chaincut.cli.app import HomeOption, JsonOption, app, console, err_console, print_json
from chaincut.cli.commands_lake import run_import, show_import
from chaincut.lake.catalog import connect
from chaincut.settings import Settings
from chaincut.simulate import SimSummary, simulate


def _simulate(out: Path, seed: int, scale: str) -> SimSummary:
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
    con = connect(settings, read_only=True)
    try:
        rows = con.execute(
            "SELECT entity_kind, label, count(*) FROM labels GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, dict[str, int]] = {}
    for kind, label, n in rows:
        out.setdefault(str(kind), {})[str(label)] = int(n)
    return out


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


@app.command("demo")
def demo_command(
    home: HomeOption = None,
    seed: Annotated[int, typer.Option(help="Seed of the simulated city.")] = 7,
    scale: Annotated[
        str, typer.Option(help="tiny, small, medium, large or a row count.")
    ] = "small",
    json_out: JsonOption = False,
) -> None:
    """Simulate a small city with fraud gangs, import it, trace its reports and summarise."""
    from chaincut.cli.app import settings_from

    settings = settings_from(home)
    world = settings.home / "demo-world"
    summary = _simulate(world, seed, scale)
    result = run_import(world, home, quiet=json_out)
    truth = ground_truth(settings)
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
    }
    if json_out:
        print_json(report)
        return
    _show_truth(summary, truth)
    show_import(result)
    console.print(
        "\nnext: [bold]chaincut stats[/] · [bold]chaincut trace --all --format jsonl[/] · "
        f"home [bold]{settings.home}[/]"
    )
