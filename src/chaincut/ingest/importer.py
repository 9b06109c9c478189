"""`chaincut import`: a folder of interchange tables into the lake, atomically and idempotently.

One import is one DuckDB transaction: a crash or a kill at any point leaves the lake exactly as
it was. Each file is staged, checked column by column, de-duplicated on its key against itself
and the lake, and appended. Rows that break the format are recorded in the `rejects` table
(inside the same transaction) and, once committed, in `HOME/rejects/<import_id>.csv`.

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

from chaincut.ingest.source import SourceFile, discover
from chaincut.ingest.stage import Reject, Staged, stage_file
from chaincut.ingest.validate import checked_sql, map_columns
from chaincut.lake.catalog import bump_generation, connect
from chaincut.lake.sql import ident
from chaincut.model.schema import EXTRA_COLUMN, TABLE_ORDER, TABLES, TableSpec
from chaincut.settings import Settings

log = logging.getLogger(__name__)

MUTABLE_TABLES = frozenset({"accounts", "persons", "labels"})
#: test hook: seconds to pause inside the transaction after each file (to kill a real import)
PAUSE_ENV = "CHAINCUT_IMPORT_PAUSE_S"

ProgressFn = Callable[[SourceFile, int, int], None]


@dataclass
class TableCounts:
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


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
    tables = {name: TableCounts() for name in TABLE_ORDER if any(f.table == name for f in files)}
    shown: list[Reject] = []
    total_rejects = 0
    pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
    con = connect(settings)
    try:
        # staging happens before the transaction: a file DuckDB refuses would abort it
        staged: list[Staged] = []
        for i, src in enumerate(files):
            if progress:
                progress(src, i, 2 * len(files))
            staged.append(stage_file(con, src, f"stage_{i}"))
        con.execute("BEGIN TRANSACTION")
        t0 = datetime.now(UTC).replace(tzinfo=None)
        for i, src in enumerate(files):
            if progress:
                progress(src, len(files) + i, 2 * len(files))
            counts = tables[src.table]
            rejects, whole_file = _import_file(
                con, src, staged[i], f"stage_{i}", TABLES[src.table], counts, import_id
            )
            _insert_rejects(con, import_id, src.table, rejects)
            if not whole_file:
                counts.rejected += _rejected_lines(con, import_id, src)
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
        total_rejects, shown = _fetch_rejects(con, import_id, keep_rejects)
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    rejects_file = _write_rejects_file(con, settings, import_id) if total_rejects else None
    con.close()
    if progress:
        progress(SourceFile("", Path(), ""), 2 * len(files), 2 * len(files))
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


def _import_file(
    con: duckdb.DuckDBPyConnection,
    src: SourceFile,
    staged: Staged,
    staged_table: str,
    spec: TableSpec,
    counts: TableCounts,
    import_id: str,
) -> tuple[list[Reject], bool]:
    """Check and insert one staged file; returns its structural rejects and whether the whole
    file was refused (a required column missing from its header)."""
    rejects = list(staged.rejects)
    counts.read += staged.rows + len(staged.rejects)
    if not staged.columns:
        return rejects, False
    mapping = map_columns(spec, staged.columns)
    if mapping.missing_required:
        found = ", ".join(staged.columns)
        for name in mapping.missing_required:
            rejects.append(
                Reject(
                    src.display,
                    1,
                    name,
                    f"required column '{name}' is missing from the header (found: {found}); "
                    "no row of this file was imported",
                )
            )
        counts.rejected += staged.rows
        return rejects, True
    con.execute(checked_sql(spec, mapping, staged_table))
    con.execute(
        "INSERT INTO rejects SELECT ?, ?, _line, e.field, e.reason, ? FROM "
        "(SELECT _line, unnest(_errors) AS e FROM checked)",
        [import_id, src.display, spec.name],
    )
    _dedupe_and_insert(con, src, spec, counts, import_id)
    con.execute(f"DROP TABLE IF EXISTS {staged_table}")
    return rejects, False


def _dedupe_and_insert(
    con: duckdb.DuckDBPyConnection,
    src: SourceFile,
    spec: TableSpec,
    counts: TableCounts,
    import_id: str,
) -> None:
    keys = spec.key_columns
    cols = [*spec.column_names, EXTRA_COLUMN]
    part = ", ".join(ident(k) for k in keys)
    select = ", ".join(f"v.{ident(c)}" for c in cols)
    key_text = " || '/' || ".join(f"CAST({ident(k)} AS VARCHAR)" for k in keys)
    key_name = "/".join(keys)
    source = "(SELECT * FROM checked WHERE len(_errors) = 0)"
    dup = con.execute(f"SELECT count(*) - count(DISTINCT ({part})) FROM {source}").fetchone()
    if dup and dup[0]:
        # repeats inside the file: an exact repeat is dropped, one with other values rejected
        row_hash = "hash(" + ", ".join(f"CAST({ident(c)} AS VARCHAR)" for c in cols) + ")"
        con.execute(
            "CREATE OR REPLACE TEMP TABLE keyed AS SELECT *, "
            f"row_number() OVER (PARTITION BY {part} ORDER BY _line) AS _rn, "
            f"first_value(_line) OVER (PARTITION BY {part} ORDER BY _line) AS _first_line, "
            f"{row_hash} AS _h, "
            f"first_value({row_hash}) OVER (PARTITION BY {part} ORDER BY _line) AS _first_h "
            f"FROM {source}"
        )
        con.execute(
            "INSERT INTO rejects SELECT ?, ?, _line, ?, "
            f"'duplicate {key_name} ''' || {key_text} || ''' with other values "
            "(first at line ' || _first_line || ')', ? FROM keyed "
            "WHERE _rn > 1 AND _h <> _first_h",
            [import_id, src.display, keys[0], spec.name],
        )
        source = "(SELECT * FROM keyed WHERE _rn = 1)"
    lake_rows = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {ident(spec.name)} LIMIT 1)")
    row = lake_rows.fetchone()
    if row and row[0] == 0:
        inserted = con.execute(f"INSERT INTO {ident(spec.name)} SELECT {select} FROM {source} v")
        done = inserted.fetchone()
        counts.imported += int(done[0]) if done else 0
    else:
        _merge(con, src, spec, counts, import_id, source)
    for tmp in ("keyed", "matched", "checked"):
        con.execute(f"DROP TABLE IF EXISTS {tmp}")


def _merge(
    con: duckdb.DuckDBPyConnection,
    src: SourceFile,
    spec: TableSpec,
    counts: TableCounts,
    import_id: str,
    source: str,
) -> None:
    """Insert what is new, count what is unchanged, and update or reject what differs."""
    keys = spec.key_columns
    cols = [*spec.column_names, EXTRA_COLUMN]
    select = ", ".join(f"v.{ident(c)}" for c in cols)
    on = " AND ".join(f"t.{ident(k)} = v.{ident(k)}" for k in keys)
    key_text = " || '/' || ".join(f"CAST(v.{ident(k)} AS VARCHAR)" for k in keys)

    def distinct(c: str) -> str:
        if c == EXTRA_COLUMN:  # JSON compares as text
            return f"CAST(t.{ident(c)} AS VARCHAR) IS DISTINCT FROM CAST(v.{ident(c)} AS VARCHAR)"
        return f"t.{ident(c)} IS DISTINCT FROM v.{ident(c)}"

    differs = " OR ".join(distinct(c) for c in cols if c not in keys)
    first_diff = "CASE " + " ".join(f"WHEN {distinct(c)} THEN '{c}'" for c in cols) + " END"
    found = f"t.{ident(keys[0])} IS NOT NULL"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE matched AS SELECT v.*, {found} AS _exists, "
        f"{found} AND ({differs}) AS _diff, "
        f"CASE WHEN {found} AND ({differs}) THEN {first_diff} END AS _diff_col "
        f"FROM {source} v LEFT JOIN {ident(spec.name)} t ON {on}"
    )
    stats = con.execute(
        "SELECT count(*) FILTER (NOT _exists), count(*) FILTER (_exists AND NOT _diff), "
        "count(*) FILTER (_diff) FROM matched"
    ).fetchone()
    new, same, diff = (int(x) for x in stats) if stats else (0, 0, 0)
    counts.unchanged += same
    if spec.name in MUTABLE_TABLES:
        if diff:
            con.execute(f"DELETE FROM {ident(spec.name)} t USING matched v WHERE {on} AND v._diff")
            con.execute(
                f"INSERT INTO {ident(spec.name)} SELECT {select} FROM matched v WHERE _diff"
            )
        counts.updated += diff
    elif diff:
        con.execute(
            "INSERT INTO rejects SELECT ?, ?, _line, _diff_col, "
            f"'{'/'.join(keys)} ''' || {key_text} || ''' was already imported with another "
            "value of ' || _diff_col || ' (rows are immutable: give a correction a new id)', ? "
            "FROM matched v WHERE _diff",
            [import_id, src.display, spec.name],
        )
    if new:
        con.execute(
            f"INSERT INTO {ident(spec.name)} SELECT {select} FROM matched v WHERE NOT _exists"
        )
    counts.imported += new


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
