"""`chaincut import`: a folder of interchange tables into the lake, atomically and idempotently.

One import is one DuckDB transaction: a crash or a kill at any point leaves the lake exactly as
it was. Each file is read and checked column by column in one query (`validate.py`),
de-duplicated on its key against itself and the lake, and appended (`merge.py`). Rows that break
the format are recorded in the `rejects` table (inside the same transaction) and, once
committed, in `HOME/rejects/<import_id>.csv`.

Event tables (transactions, calls, messages) and reports are immutable: a row whose key was
already imported with other values is rejected. Reference tables (accounts, persons, labels) take
the newer values.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from chaincut.ingest.lines import LinesUnknown, map_lines
from chaincut.ingest.merge import TableCounts, insert_checked
from chaincut.ingest.reader import (
    Opened,
    Reject,
    drop_csv_errors,
    open_source,
    refused_records,
    stage_with_python,
)
from chaincut.ingest.source import SourceFile, discover
from chaincut.ingest.validate import ColumnMapping, checked_sql, map_columns
from chaincut.lake.catalog import bump_generation, connect
from chaincut.model.schema import TABLE_ORDER, TABLES
from chaincut.settings import Settings

log = logging.getLogger(__name__)

#: test hook: seconds to pause inside the transaction after each file (to kill a real import)
PAUSE_ENV = "CHAINCUT_IMPORT_PAUSE_S"

ProgressFn = Callable[[SourceFile, int, int], None]


class _Refused(Exception):
    """DuckDB refused a CSV file mid-read, which aborts the transaction: start again."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


@dataclass
class ImportResult:
    import_id: str
    source: str
    tables: dict[str, TableCounts]
    rejected: list[Reject]
    rejected_count: int
    rejects_file: Path | None
    ignored: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def imported(self) -> dict[str, int]:
        return {name: c.imported for name, c in self.tables.items()}

    def as_dict(self, max_rejects: int | None = None) -> dict[str, object]:
        shown = self.rejected if max_rejects is None else self.rejected[:max_rejects]
        return {
            "import_id": self.import_id,
            "source": self.source,
            "imported": self.imported,
            "updated": {n: c.updated for n, c in self.tables.items()},
            "unchanged": {n: c.unchanged for n, c in self.tables.items()},
            "rejected": [r.as_dict() for r in shown],
            "rejected_count": self.rejected_count,
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
            "ignored_files": self.ignored,
            "seconds": round(self.seconds, 3),
        }


def import_folder(
    settings: Settings,
    folder: Path,
    *,
    progress: ProgressFn | None = None,
    keep_rejects: int = 10_000,
) -> ImportResult:
    """Import every interchange table found in `folder`; see the module docstring.

    Raises `SourceError` when the folder cannot be read at all. `keep_rejects` bounds how many
    rejects are returned in memory (all of them are written to the rejects file).
    """
    started = time.perf_counter()
    files, ignored = discover(folder)
    import_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    con = connect(settings)
    try:
        # describing happens before the transaction: a file DuckDB refuses would abort it
        opened = [open_source(con, src, f"stage_{i}") for i, src in enumerate(files)]
        while True:
            tables = {n: TableCounts() for n in TABLE_ORDER if any(f.table == n for f in files)}
            try:
                total_rejects, shown = _import_all(
                    con, folder, opened, tables, import_id, keep_rejects, progress
                )
                break
            except _Refused as refused:
                # rare: DuckDB gave up on a CSV file after its header; Python reads it instead
                src = files[refused.index]
                log.info("re-reading %s with Python's csv module", src.display)
                opened[refused.index] = stage_with_python(con, src, f"stage_{refused.index}")
        rejects_file = _write_rejects_file(con, settings, import_id) if total_rejects else None
    finally:
        con.close()
    if progress:
        progress(SourceFile("", Path(), ""), len(files), len(files))
    return ImportResult(
        import_id,
        str(folder),
        tables,
        shown,
        total_rejects,
        rejects_file,
        [str(p) for p in ignored],
        time.perf_counter() - started,
    )


def _import_all(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    opened: list[Opened],
    tables: dict[str, TableCounts],
    import_id: str,
    keep_rejects: int,
    progress: ProgressFn | None,
) -> tuple[int, list[Reject]]:
    """Import every opened file in one transaction; returns the rejects' count and first ones."""
    pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
    con.execute("BEGIN TRANSACTION")
    try:
        t0 = datetime.now(UTC).replace(tzinfo=None)
        for i, source in enumerate(opened):
            src = source.src
            if progress:
                progress(src, i, len(opened))
            counts = tables[src.table]
            _import_file(con, i, source, counts, import_id)
            con.execute(
                "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    t0,
                    datetime.now(UTC).replace(tzinfo=None),
                    str(folder),
                    src.table,
                    src.display,
                    counts.read,
                    counts.imported,
                    counts.unchanged,
                    counts.rejected,
                ],
            )
            if pause:
                sys.stderr.write(f"chaincut: paused inside the import after {src.display}\n")
                sys.stderr.flush()
                time.sleep(pause)
        if any(c.imported or c.updated for c in tables.values()):
            bump_generation(con)
        total, shown = _fetch_rejects(con, import_id, keep_rejects)
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    return total, shown


def _import_file(
    con: duckdb.DuckDBPyConnection,
    index: int,
    source: Opened,
    counts: TableCounts,
    import_id: str,
) -> None:
    """Check and insert one file, recording its rejects."""
    src, spec = source.src, TABLES[source.src.table]
    rejects = list(source.rejects)
    whole_file = False
    if source.columns:
        mapping = map_columns(spec, list(source.columns), source.header)
        refusals = _header_problems(mapping, list(source.columns))
        if refusals:
            whole_file = True
            rejects += [Reject(src.display, 1, name, why) for name, why in refusals]
            rows = con.execute(f"SELECT count(*) FROM {source.relation}").fetchone()
            counts.rejected += int(rows[0]) if rows else 0
            counts.read += int(rows[0]) if rows else 0
        else:
            if source.duckdb_csv:
                drop_csv_errors(con)
            sql = checked_sql(spec, mapping, source.columns, source.relation, source.line)
            try:
                con.execute(sql)
            except duckdb.Error as exc:
                if source.duckdb_csv:
                    raise _Refused(index) from exc
                raise
            rows = con.execute("SELECT count(*) FROM checked_rows").fetchone()
            n_rows = int(rows[0]) if rows else 0
            counts.read += n_rows
            if source.duckdb_csv:
                rejects += _csv_lines(con, index, source, n_rows)
            else:
                con.execute("CREATE OR REPLACE TEMP VIEW checked AS SELECT * FROM checked_rows")
            con.execute(
                "INSERT INTO rejects SELECT ?, ?, _line, e.field, e.reason, ? FROM "
                "(SELECT _line, unnest(_errors) AS e FROM checked WHERE _bad)",
                [import_id, src.display, spec.name],
            )
            insert_checked(con, src.display, spec, counts, import_id)
            con.execute("DROP VIEW checked")
            con.execute("DROP TABLE checked_rows")
            con.execute("DROP TABLE IF EXISTS chaincut_lines")
    counts.read += len(rejects) if not whole_file else 0
    _insert_rejects(con, import_id, src.table, rejects)
    if not whole_file:
        counts.rejected += _rejected_lines(con, import_id, src)


def _header_problems(mapping: ColumnMapping, columns: list[str]) -> list[tuple[str, str]]:
    """Why the whole file is refused, by column: a required column missing, or one repeated."""
    found = ", ".join(columns)
    return [
        (
            name,
            f"required column '{name}' is missing from the header (found: {found}); "
            "no row of this file was imported",
        )
        for name in mapping.missing_required
    ] + [
        (
            name,
            f"column '{name}' appears {times} times in the header (names match ignoring case "
            "and spaces); no row of this file was imported",
        )
        for name, times in mapping.repeated.items()
    ]


def _csv_lines(
    con: duckdb.DuckDBPyConnection, index: int, source: Opened, n_good: int
) -> list[Reject]:
    """Make the view `checked`: the rows of `checked_rows` with their physical lines.

    Returns the records DuckDB refused, as rejects at their lines.
    """
    src = source.src
    refused = refused_records(con)
    try:
        lines = map_lines(src.path, n_good, [r.offset for r in refused])
    except LinesUnknown as exc:
        # the file's records could not be matched to DuckDB's: Python's reading decides
        log.info("%s: %s; re-reading it with Python's csv module", src.display, exc)
        raise _Refused(index) from exc
    # checked_rows holds the good records in file order (DuckDB keeps the insertion order),
    # numbered by rowid from a base (inside a transaction rowids start high): record r, on line
    # r + 1 unless something moved it, is rowid base + r - 1
    (span,) = con.execute("SELECT min(rowid), max(rowid) FROM checked_rows").fetchall()
    base = int(span[0]) if span[0] is not None else 0
    if span[0] is not None and int(span[1]) - base + 1 != n_good:
        raise AssertionError("checked_rows is not numbered contiguously")  # pragma: no cover
    rec = f"(c.rowid - {base} + 2)"
    if lines.good_lines is not None:
        # only records after the first blank line, quoted newline or refused record move
        recs = np.arange(2, n_good + 2, dtype=np.int64)
        moved = recs != lines.good_lines
        table = pa.table({"rec": recs[moved], "line": lines.good_lines[moved]})
        con.register("chaincut_moved", table)
        con.execute("CREATE OR REPLACE TEMP TABLE chaincut_lines AS SELECT * FROM chaincut_moved")
        con.unregister("chaincut_moved")
        con.execute(
            "CREATE OR REPLACE TEMP VIEW checked AS SELECT c.* REPLACE "
            f"(coalesce(l.line, {rec}) AS _line) FROM checked_rows c "
            f"LEFT JOIN chaincut_lines l ON l.rec = {rec}"
        )
    else:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW checked AS SELECT c.* REPLACE ({rec} AS _line) "
            "FROM checked_rows c"
        )
    return [
        Reject(src.display, line, "", r.reason)
        for r, line in zip(refused, lines.bad_lines, strict=True)
    ]


def _rejected_lines(con: duckdb.DuckDBPyConnection, import_id: str, src: SourceFile) -> int:
    """How many records of this file were rejected (a record may have several problems)."""
    row = con.execute(
        "SELECT count(DISTINCT coalesce(line, -1)) FROM rejects WHERE import_id = ? AND file = ?",
        [import_id, src.display],
    ).fetchone()
    return int(row[0]) if row else 0


def _insert_rejects(
    con: duckdb.DuckDBPyConnection, import_id: str, table: str, rejects: list[Reject]
) -> None:
    if rejects:
        con.executemany(
            "INSERT INTO rejects VALUES (?, ?, ?, ?, ?, ?)",
            [[import_id, r.file, r.line, r.field, r.reason, table] for r in rejects],
        )


def _fetch_rejects(
    con: duckdb.DuckDBPyConnection, import_id: str, limit: int
) -> tuple[int, list[Reject]]:
    total = con.execute("SELECT count(*) FROM rejects WHERE import_id = ?", [import_id]).fetchone()
    rows = con.execute(
        "SELECT file, line, field, reason FROM rejects WHERE import_id = ? "
        "ORDER BY file, line NULLS FIRST, field LIMIT ?",
        [import_id, limit],
    ).fetchall()
    return (int(total[0]) if total else 0), [Reject(f, ln, fd, r) for f, ln, fd, r in rows]


def _write_rejects_file(con: duckdb.DuckDBPyConnection, settings: Settings, import_id: str) -> Path:
    settings.rejects_dir.mkdir(parents=True, exist_ok=True)
    path = settings.rejects_dir / f"{import_id}.csv"
    rows = con.execute(
        "SELECT file, line, field, reason FROM rejects WHERE import_id = ? "
        "ORDER BY file, line NULLS FIRST, field",
        [import_id],
    ).fetchall()
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "line", "field", "reason"])
        writer.writerows(rows)
    tmp.replace(path)
    return path
