"""`chaincut import` and `chaincut stats`: getting data into the lake and seeing what it holds."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from chaincut.cli.app import (
    EXIT_BAD_INPUT,
    HomeOption,
    JsonOption,
    app,
    console,
    err_console,
    fail,
    print_json,
    settings_from,
)

# the importer and the lake are imported inside the commands: every `chaincut` command may
# import this module (`demo` does), and most need neither
if TYPE_CHECKING:
    from chaincut.ingest import ImportResult, SourceFile


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} files"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def run_import(folder: Path, home: Path | None, *, quiet: bool = False) -> ImportResult:
    """Import with a progress bar; shared by `import` and `demo`."""
    from chaincut.ingest import SourceError, import_folder

    settings = settings_from(home)
    with _progress() as bar:
        task = bar.add_task("importing", total=None)

        def on_file(src: SourceFile, done: int, total: int) -> None:
            label = f"importing {src.table} from {src.path.name}" if src.table else "done"
            bar.update(task, total=total, completed=done, description=label)

        try:
            return import_folder(settings, folder, progress=None if quiet else on_file)
        except SourceError as exc:
            fail(
                str(exc),
                code=EXIT_BAD_INPUT,
                hint="chaincut import DIR, with DIR the folder of tables",
            )


#: file endings of spreadsheets that users export a table to instead of CSV
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".xlsb", ".ods", ".et", ".numbers")


def ignored_hint(path: Path) -> str:
    """What to do about an ignored file that was meant as a table (`Transactions.xlsx`,
    `transaction.csv`), or "" for one that was not (`notes.txt`)."""
    from chaincut.ingest.source import CSV_SUFFIXES, PARQUET_SUFFIXES
    from chaincut.model.schema import TABLES

    stem = path.name.split(".")[0].strip()
    close = difflib.get_close_matches(stem.lower(), list(TABLES), n=1, cutoff=0.8)
    if not close:
        return _texts_hint(path)
    table, suffix = close[0], path.name[len(stem) :].lower()
    if path.is_dir():
        return f"a folder of parts is read when it is named {table}/"
    readable = suffix in (*CSV_SUFFIXES, *PARQUET_SUFFIXES)
    name = f"{table}{suffix if readable else '.csv'}"
    if readable:
        return f"table names are lower case and exact: name it {name}"
    if suffix in SPREADSHEET_SUFFIXES:
        return f"a spreadsheet is not read: save it as CSV UTF-8 named {name} (or Parquet)"
    return f"only CSV, TSV and Parquet files are read: save it as {name}"


#: the columns a file of texts to judge is known by (telecom_fraud_texts_5: `content,label`)
TEXT_COLUMNS = ("content", "text")


def csv_header(path: Path) -> tuple[str, ...]:
    """The column names on a CSV file's first line (UTF-8 or, failing that, GB18030), or ()
    for a file that is not CSV or cannot be read."""
    import csv

    if not path.is_file() or path.suffix.lower() != ".csv":
        return ()
    try:
        with path.open("rb") as fh:
            head = fh.readline(65_536)
    except OSError:
        return ()
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("gb18030", errors="replace")
    return tuple(c.strip() for c in next(csv.reader([text]), []))


def _texts_hint(path: Path) -> str:
    """What to do with a CSV of texts (a column `content` or `text`): judge them with
    `chaincut classify`; texts are not a table of the lake."""
    header = csv_header(path)
    column = next((c for c in header if c.lower() in TEXT_COLUMNS), None)
    if column is None:
        return ""
    return (f"a file of texts: chaincut classify --file {path} --text-column {column} judges "
            "each (texts are not imported; messages.csv holds texts with their sender, "
            "receiver and time)")  # fmt: skip


def amlworld_file(folder: Path) -> Path | None:
    """The IBM AMLworld transaction file (`chaincut.scoring.amlworld`) in `folder` where the
    folder holds no interchange table, else None."""
    from chaincut.model.schema import TABLES

    if not folder.is_dir():
        return None
    files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    if any(p.name.split(".")[0] in TABLES for p in files):
        return None
    from chaincut.scoring.amlworld import COLUMNS

    return next((p for p in files if csv_header(p) == COLUMNS), None)


def _convert_amlworld(found: Path, home: Path | None) -> Path:
    """`found` (an AMLworld transaction file) as interchange tables in the home's
    `converted/` folder, said on stderr; a file AMLworld's reader refuses fails here."""
    from chaincut.home import private_folder
    from chaincut.scoring.amlworld import AmlworldError, convert_amlworld

    # (the home first, then the copy: both private, as the lake and the store that hold the
    # same people's data; made by the conversion, the home was the umask's)
    root = private_folder(settings_from(home).home)
    out = private_folder(private_folder(root / "converted") / found.stem)
    try:
        with err_console.status(f"converting {found.name} (IBM AMLworld transactions)"):
            summary = convert_amlworld(found, out)
    except (AmlworldError, OSError, ValueError) as exc:
        fail(f"{found}: {exc}", code=EXIT_BAD_INPUT,
             hint="an IBM AMLworld transaction file, as published (docs/data-format.md)")  # fmt: skip
    err_console.print(
        f"{escape(str(found))} is an IBM AMLworld transaction file: converted to interchange "
        f"tables in {escape(str(out))} ({summary.transactions:,} transactions, "
        f"{summary.accounts:,} accounts labelled laundering or normal, a row on the line it "
        "has in the file; docs/data-format.md), importing those",
        soft_wrap=True,
    )
    return out


def show_import(result: ImportResult, max_shown: int = 20) -> None:
    table = Table(title=f"import {result.import_id}", title_justify="left")
    cols = ["table", "read", "imported", "updated", "unchanged", "rejected"]
    repeats = any(c.repeated for c in result.tables.values())
    if repeats:  # rows a file holds twice, word for word: kept once
        cols.append("repeated")
    for col in cols:
        table.add_column(col, justify="left" if col == "table" else "right")
    for name, c in result.tables.items():
        values = [c.read, c.imported, c.updated, c.unchanged, c.rejected]
        values += [c.repeated] if repeats else []
        table.add_row(name, *(f"{v:,}" for v in values))
    console.print(table)
    if result.ignored:
        console.print(
            "[yellow]ignored (not an interchange table):[/] " + escape(", ".join(result.ignored)),
            soft_wrap=True,
        )
        for path in result.ignored:
            hint = ignored_hint(Path(path))
            if hint:
                console.print(f"  {escape(path)}: {escape(hint)}", soft_wrap=True)
    if result.rejected_count:
        _show_rejects(result, max_shown)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", soft_wrap=True)
    console.print(f"[dim]imported in {result.seconds:.2f} s[/]")


def _show_rejects(result: ImportResult, max_shown: int) -> None:
    """The problems as docs/data-format.md writes them (`file:line [field]: reason`), one a
    line however narrow the terminal, so that the list can be searched and compared; alike
    ones (same file, field and reason: a GBK file's 383 lines) on one line with their lines
    (`persons.csv:2-384 (383 lines) not valid UTF-8 ...`), so that they hide no other file's."""
    from chaincut.ingest.importer import RejectGroup

    groups = result.groups or [
        RejectGroup(r.file, r.field, r.reason, 1, [] if r.line is None else [r.line])
        for r in result.rejected
    ]
    groups = groups[:max_shown]
    n, shown = result.rejected_count, sum(g.count for g in groups)
    head = f"[bold yellow]{n:,} problem{'s' if n > 1 else ''}[/]"
    console.print(head + (":" if shown == n else f" (first {shown:,} below):"))
    for g in groups:
        where = g.file + (f":{line_ranges(g.lines, g.count)}" if g.lines else "")
        many = f" ({g.count:,} lines)" if g.count > 1 and g.lines else ""
        field = f" [bold]{escape(f'[{g.field}]')}[/]:" if g.field else ""
        console.print(f"  {escape(where)}{many}{field} {escape(g.reason)}", soft_wrap=True)
    console.print(f"all of them: {result.rejects_file}", soft_wrap=True)


def line_ranges(lines: list[int], count: int, runs: int = 6) -> str:
    """Ascending line numbers as runs ("2-384", "4, 7-9, 12"), the first `runs` of them, and
    "..." where there are more (or `count` says lines were left out)."""
    out: list[str] = []
    start = prev = lines[0]
    for line in [*lines[1:], None]:
        if line is not None and line == prev + 1:
            prev = line
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if line is not None:
            start = prev = line
    more = len(out) > runs or count > len(lines)
    return ", ".join(out[:runs]) + (", ..." if more else "")


@app.command("import")
def import_command(
    folder: Annotated[Path, typer.Argument(help="Folder of interchange tables (CSV or Parquet).")],
    home: HomeOption = None,
    json_out: JsonOption = False,
    max_rejects: Annotated[
        int,
        typer.Option(
            "--max-rejects",
            min=0,
            help="Rejects listed in --json (all go to the file; the console lists alike ones "
            "on one line).",
        ),
    ] = 1000,
    index: Annotated[
        bool, typer.Option("--index/--no-index", help="Build the trace index after the import.")
    ] = True,
) -> None:
    """Import a folder in the interchange format (see docs/data-format.md).

    Bad rows are rejected with file, line, field and reason; the rest imports. Importing the
    same folder again changes nothing. Exit code 2 when any row was rejected.
    """
    # (a new user's AMLworld sample was "ignored (not an interchange table)", no way named)
    aml = amlworld_file(folder)
    result = run_import(_convert_amlworld(aml, home) if aml else folder, home, quiet=json_out)
    if index and (any(result.imported.values()) or any(c.updated for c in result.tables.values())):
        # lay the ledger out for point look-ups now, so the first trace answers at once
        from chaincut.trace import IndexUnavailable, ensure_index

        with err_console.status("building the trace index"):
            try:
                ensure_index(settings_from(home))
            except IndexUnavailable as exc:
                err_console.print(f"[yellow]trace index not built:[/] {escape(str(exc))}")
    if json_out:
        print_json(result.as_dict(max_rejects))
    else:
        show_import(result)
    if not result.tables:  # a wrong folder, or tables saved in a form that is not read
        from chaincut.model.schema import TABLE_ORDER

        fail(
            f"no interchange table in {folder}: nothing was imported",
            code=EXIT_BAD_INPUT,
            hint="name each table NAME.csv, NAME.tsv or NAME.parquet (or a folder NAME/ of "
            "parts), NAME one of " + ", ".join(TABLE_ORDER) + " (docs/data-format.md)",
        )
    if result.rejected_count:
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command("stats")
def stats_command(home: HomeOption = None, json_out: JsonOption = False) -> None:
    """What the home holds: rows per table, time ranges, imports and rejects so far."""
    from chaincut.lake.stats import describe_home

    settings = settings_from(home)
    if not settings.lake_path.exists():
        fail(
            f"no lake in {settings.home.resolve()}",
            code=EXIT_BAD_INPUT,
            hint="run `chaincut import DIR` or `chaincut demo` first, or pass --home",
        )
    stats = describe_home(settings)
    if json_out:
        print_json(stats)
        return
    table = Table(title=f"chaincut home {settings.home}", title_justify="left")
    for col in ("table", "rows", "from", "to"):
        table.add_column(col, justify="right" if col == "rows" else "left")
    for name, info in stats["tables"].items():
        table.add_row(
            name, f"{info['rows']:,}", str(info.get("from") or ""), str(info.get("to") or "")
        )
    console.print(table)
    console.print(
        f"imports: {stats['imports']}  rejected rows so far: {stats['rejected_rows']:,} "
        f"({stats['rejects']:,} {'problem' if stats['rejects'] == 1 else 'problems'} reported)  "
        f"generation: {stats['generation']}"
    )
