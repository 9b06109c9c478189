"""Loading one source file into a staging table of text columns, with exact line numbers.

Every file becomes a temporary DuckDB table `stage` whose columns are the file's own columns as
VARCHAR plus `_line`, the line (CSV: the physical line where the record starts; Parquet: the row
number) that error messages cite. Rows the parser cannot split into fields are returned as
structural rejects. CSV is parsed by DuckDB; when DuckDB refuses a file as a whole (for example
an unterminated quote), Python's csv module reads it instead so that every good record before
the damage is still imported and the damage is reported at its line.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa

from chaincut.ingest.source import SourceFile
from chaincut.lake.sql import ident

LINE = "_line"


@dataclass(frozen=True)
class Reject:
    file: str
    line: int | None
    field: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "reason": self.reason}


@dataclass
class Staged:
    columns: list[str]
    rows: int
    rejects: list[Reject] = field(default_factory=list)


def stage_file(con: duckdb.DuckDBPyConnection, src: SourceFile, target: str) -> Staged:
    """Fill the temp table `target` from `src` (replacing it); see the module docstring.

    Call it outside a transaction: a file DuckDB refuses raises inside DuckDB, which would
    abort an open transaction.
    """
    if src.format == "parquet":
        staged = _stage_parquet(con, src)
    else:
        try:
            staged = _stage_csv_duckdb(con, src)
        except duckdb.Error:
            staged = _stage_csv_python(con, src)
    if staged.columns:
        con.execute(f"ALTER TABLE stage RENAME TO {target}")
    return staged


def _stage_parquet(con: duckdb.DuckDBPyConnection, src: SourceFile) -> Staged:
    path = str(src.path)
    try:
        described = con.execute(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
            [path],
        ).fetchall()
    except duckdb.Error as exc:
        return Staged([], 0, [Reject(src.display, None, "", f"cannot read Parquet file: {exc}")])
    exprs = []
    for name, ctype in described:
        col = ident(name)
        if ctype.endswith("[]"):
            exprs.append(f"array_to_string({col}, ';') AS {col}")
        elif ctype.startswith("TIMESTAMP WITH TIME ZONE"):
            exprs.append(f"strftime({col}, '%Y-%m-%dT%H:%M:%S.%fZ') AS {col}")
        else:
            exprs.append(f"CAST({col} AS VARCHAR) AS {col}")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE stage AS SELECT {', '.join(exprs)}, "
        f"CAST(file_row_number + 1 AS BIGINT) AS {LINE} "
        "FROM read_parquet(?, file_row_number = true)",
        [path],
    )
    rows = con.execute("SELECT count(*) FROM stage").fetchone()
    return Staged([n for n, _ in described], int(rows[0]) if rows else 0)


def _stage_csv_duckdb(con: duckdb.DuckDBPyConnection, src: SourceFile) -> Staged:
    delim = "\t" if src.path.name.lower().endswith(".tsv") else ","
    con.execute("DROP TABLE IF EXISTS chaincut_rej_err")
    con.execute("DROP TABLE IF EXISTS chaincut_rej_scan")
    # row_number() over an unordered window numbers rows in scan order, which DuckDB keeps
    # for CSV (preserve_insertion_order); a test checks it on a file larger than one batch
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage_raw AS SELECT *, row_number() OVER () AS _rec "
        "FROM read_csv(?, header = true, "
        "all_varchar = true, delim = ?, quote = '\"', escape = '\"', ignore_errors = true, "
        "store_rejects = true, rejects_table = 'chaincut_rej_err', "
        "rejects_scan = 'chaincut_rej_scan', max_line_size = 16777216)",
        [str(src.path), delim],
    )
    columns = [
        d[0] for d in con.execute("SELECT * EXCLUDE (_rec) FROM stage_raw LIMIT 0").description
    ]
    nl_terms = " + ".join(
        f"coalesce(length({ident(c)}) - length(replace({ident(c)}, chr(10), '')), 0)"
        for c in columns
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stage AS SELECT *, "
        f"CAST({nl_terms or '0'} AS BIGINT) AS _nl, CAST(NULL AS BIGINT) AS {LINE} FROM stage_raw"
    )
    con.execute("DROP TABLE stage_raw")
    bad = con.execute(
        "SELECT line - 1 AS rec, min(error_type)::VARCHAR, min(error_message), min(csv_line) "
        "FROM chaincut_rej_err GROUP BY line ORDER BY line"
    ).fetchall()
    has_nl = con.execute("SELECT coalesce(max(_nl), 0) FROM stage").fetchone()
    if not bad and not (has_nl and has_nl[0]):
        con.execute(f"UPDATE stage SET {LINE} = _rec + 1")
        lines_of_bad: list[int] = []
    else:
        lines_of_bad = _assign_lines(con, [(int(r[0]), str(r[3] or "")) for r in bad])
    con.execute("ALTER TABLE stage DROP COLUMN _rec")
    con.execute("ALTER TABLE stage DROP COLUMN _nl")
    rejects = [
        Reject(src.display, line, "", _structural_reason(str(etype), str(msg)))
        for line, (_, etype, msg, _csv) in zip(lines_of_bad, bad, strict=True)
    ]
    rows = con.execute("SELECT count(*) FROM stage").fetchone()
    return Staged(columns, int(rows[0]) if rows else 0, rejects)


def _assign_lines(con: duckdb.DuckDBPyConnection, bad: list[tuple[int, str]]) -> list[int]:
    """Physical start lines for good and bad records when records span lines or were skipped.

    DuckDB numbers records, not lines; a quoted field holding newlines shifts every later line.
    Returns the lines of the bad records, and writes the good records' lines into `stage`.
    """
    good_nl = con.execute("SELECT _nl FROM stage ORDER BY _rec").fetchnumpy()["_nl"]
    n_good = len(good_nl)
    bad_idx = np.array([b[0] for b in bad], dtype=np.int64)  # 1-based data record numbers
    total = n_good + len(bad)
    is_bad = np.zeros(total + 1, dtype=bool)
    is_bad[bad_idx[(bad_idx >= 1) & (bad_idx <= total)]] = True
    nl_all = np.zeros(total + 1, dtype=np.int64)
    good_pos = np.flatnonzero(~is_bad[1:]) + 1
    nl_all[good_pos[:n_good]] = np.asarray(good_nl, dtype=np.int64)
    for idx, text in bad:
        if 1 <= idx <= total:
            nl_all[idx] = text.count("\n")
    nl_before = np.concatenate(([0], np.cumsum(nl_all)[:-1]))
    line_of = 1 + np.arange(total + 1) + nl_before
    good_lines = line_of[good_pos[:n_good]]
    table = pa.table({"rec": np.arange(1, n_good + 1, dtype=np.int64), "line": good_lines})
    con.register("chaincut_lines", table)
    con.execute(f"UPDATE stage SET {LINE} = l.line FROM chaincut_lines l WHERE stage._rec = l.rec")
    con.unregister("chaincut_lines")
    return [int(line_of[i]) if 1 <= i <= total else i + 1 for i, _ in bad]


def _structural_reason(error_type: str, message: str) -> str:
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    found = f"expected {counts[1]} fields as in the header, found {counts[2]}" if counts else ""
    if error_type == "MISSING COLUMNS":
        return f"too few fields on this line ({found})"
    if error_type == "TOO MANY COLUMNS":
        return f"too many fields on this line ({found}; quote fields that contain commas)"
    if error_type == "INVALID ENCODING":
        return "not valid UTF-8: save the file as UTF-8"
    return f"cannot parse this line ({error_type.lower()}): {message.splitlines()[0]}"


def _stage_csv_python(con: duckdb.DuckDBPyConnection, src: SourceFile) -> Staged:
    """Slow path for files DuckDB refuses whole: keep every record before the damage."""
    rejects: list[Reject] = []
    raw = src.path.read_bytes()
    if src.path.name.lower().endswith(".gz"):
        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Staged([], 0, [Reject(src.display, line, "", "not valid UTF-8: save as UTF-8")])
    delim = "\t" if src.path.name.lower().endswith(".tsv") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return Staged([], 0, [Reject(src.display, 1, "", "no header row")])
    columns = [h.strip() for h in header]
    data: list[list[str | None]] = [[] for _ in columns]
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            last = text.count("\n") + 1
            rejects.append(
                Reject(
                    src.display,
                    start,
                    "",
                    f"cannot parse from here to the end of the file (lines {start}-{last}): "
                    f"{exc}; look for an unterminated quote",
                )
            )
            break
        if not row:
            start = reader.line_num + 1
            continue
        if len(row) != len(columns):
            rejects.append(
                Reject(
                    src.display,
                    start,
                    "",
                    f"expected {len(columns)} fields as in the header, found {len(row)}",
                )
            )
        else:
            for col, value in zip(data, row, strict=True):
                col.append(value)
            lines.append(start)
        start = reader.line_num + 1
    arrays = {f"c{i}": pa.array(col, type=pa.string()) for i, col in enumerate(data)}
    arrays[LINE] = pa.array(lines, type=pa.int64())
    con.register("chaincut_py_stage", pa.table(arrays))
    select = ", ".join(f"c{i} AS {ident(c)}" for i, c in enumerate(columns))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE stage AS SELECT {select}, {LINE} FROM chaincut_py_stage"
    )
    con.unregister("chaincut_py_stage")
    return Staged(columns, len(lines), rejects)
