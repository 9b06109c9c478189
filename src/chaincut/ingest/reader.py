"""How each source file is read: a FROM-clause for DuckDB, its columns, and how rows cite lines.

Parquet and CSV are read by DuckDB in the same query that checks them (no staging copy). A
Parquet row cites its row number. A CSV record's line is worked out afterwards from its position
in the checked table (DuckDB keeps the file's order there) and the file's bytes (`lines.py`):
numbering records inside the query would need a window that runs on one thread. A CSV file DuckDB refuses as a whole (an unterminated quote, say) is read by
Python's csv module instead, so that every good record before the damage still imports and the
damage is reported at its line.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from chaincut.ingest.source import SourceFile
from chaincut.lake.sql import ident, literal
from chaincut.model.schema import TABLES

CSV_ERRORS = "chaincut_csv_errors"
NOT_UTF8 = (
    "not valid UTF-8: save the file as UTF-8 (Excel: 'CSV UTF-8'; a GBK/GB18030 file: "
    "iconv -f GB18030 -t UTF-8)"
)
#: a file that starts with a UTF-16 byte-order mark (Excel's "Unicode Text" export)
UTF16 = (
    "the file is UTF-16 (Excel's 'Unicode Text'), not UTF-8; no row of this file was imported: "
    "save it as 'CSV UTF-8', or convert it: iconv -f UTF-16 -t UTF-8"
)
CSV_SCANS = "chaincut_csv_scans"
#: the widest header a file may have: the format has at most 9 columns per table and keeps extra
#: ones, but a file of thousands of columns is a mistake (or an attack) that would stall the
#: import and everyone waiting on the lake
MAX_COLUMNS = 1_000
#: how much of a CSV file's start is read to find its header
HEADER_BYTES = 1 << 20


@dataclass(frozen=True)
class Reject:
    file: str
    line: int | None
    field: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "reason": self.reason}


@dataclass
class Opened:
    """A source file ready to be read by one query: `SELECT ... FROM {relation}`."""

    src: SourceFile
    relation: str
    line: str  # SQL expression of a row's line or row number; NULL for DuckDB's CSV (see below)
    columns: dict[str, str]  # the file's columns and their DuckDB types, in file order
    rejects: list[Reject] = field(default_factory=list)
    duckdb_csv: bool = False  # DuckDB parses the CSV: refused records and lines come after
    header: list[str] = field(default_factory=list)  # the names as written (DuckDB renames repeats)


def open_source(con: duckdb.DuckDBPyConnection, src: SourceFile, name: str) -> Opened:
    """Describe `src` (reading only its header or footer); `name` names any staging table.

    Call it outside a transaction: a file DuckDB refuses raises inside DuckDB, which would
    abort an open transaction. Every problem with the file as a whole (its kind, a damaged
    compression, a header too wide) becomes a reject of that file; the other files still import.
    """
    if src.problem:
        return _refused(src, src.problem)
    if src.format == "parquet":
        relation = f"read_parquet({_str(src)}, file_row_number = true)"
        try:
            columns = _describe(con, relation)
        except duckdb.Error as exc:
            reason = f"cannot read Parquet file: {first_line(str(exc))}"
            return Opened(src, "", "", {}, [Reject(src.display, None, "", reason)])
        if len(columns) > MAX_COLUMNS:
            return _refused(src, _too_wide(len(columns)))
        # the names as written: DuckDB renames a second `AMOUNT` beside `amount`, which would
        # hide that the file names one column twice
        written = con.execute(
            f"SELECT name FROM parquet_schema({_str(src)}) WHERE num_children IS NULL "  # noqa: S608 - literal() path
            "OR num_children = 0"
        ).fetchall()
        header = [str(n) for (n,) in written]
        if len(header) != len(columns):
            header = []
        return Opened(src, relation, "file_row_number + 1", columns, header=header)
    try:
        header = _csv_header(src)
    except (OSError, EOFError) as exc:
        return _refused(src, _unreadable(src, exc))
    if len(header) > MAX_COLUMNS:
        return _refused(src, _too_wide(len(header)))
    relation = csv_relation(src)
    try:
        columns = _describe(con, relation)
    except duckdb.Error:
        return stage_with_python(con, src, name)
    if not any(header):
        return Opened(src, "", "", {}, [Reject(src.display, 1, "", no_header(src.table))])
    return Opened(src, relation, "NULL", columns, duckdb_csv=True, header=header)


def no_header(name: str) -> str:
    """The reason for a file without a header row, naming the columns the table needs."""
    spec = TABLES.get(name)
    needed = ",".join(c.name for c in spec.columns if c.required) if spec else ""
    first = f" (at least {needed})" if needed else ""
    return (
        "no header row: the file is empty or its first line is blank; start it with the "
        f"column names{first}; a table with no rows is a file holding only that line"
    )


def _refused(src: SourceFile, reason: str) -> Opened:
    return Opened(src, "", "", {}, [Reject(src.display, None, "", reason)])


def _too_wide(n: int) -> str:
    return (
        f"the header has more than {MAX_COLUMNS:,} columns ({n:,} seen): not an interchange table "
        "(check the separator and the first line); no row of this file was imported"
    )


def _unreadable(src: SourceFile, exc: BaseException) -> str:
    if src.path.name.lower().endswith(".gz") and isinstance(exc, EOFError | gzip.BadGzipFile):
        return (
            f"damaged or truncated gzip file ({exc}); no row of this file was imported: "
            "compress it again or give the plain CSV"
        )
    return f"cannot read the file ({exc}); no row of this file was imported"


def _csv_header(src: SourceFile) -> list[str]:
    """The header's names as written in the file (read from its first megabyte).

    A first line longer than that is cut there: enough to tell a header too wide to import.
    """
    opener = gzip.open if src.path.name.lower().endswith(".gz") else open
    with opener(src.path, "rb") as fh:
        head = fh.read(HEADER_BYTES).decode("utf-8-sig", errors="replace")
    delim = "\t" if _is_tsv(src) else ","
    first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delim), [])
    return [name.strip() for name in first]


def csv_relation(src: SourceFile) -> str:
    delim = "\\t" if _is_tsv(src) else ","
    return (
        f"read_csv({_str(src)}, header = true, all_varchar = true, delim = E'{delim}', "
        "quote = '\"', escape = '\"', ignore_errors = true, store_rejects = true, "
        f"rejects_table = '{CSV_ERRORS}', rejects_scan = '{CSV_SCANS}', "
        "max_line_size = 16777216)"
    )


def _is_tsv(src: SourceFile) -> bool:
    return src.path.name.lower().endswith((".tsv", ".tsv.gz"))


def _str(src: SourceFile) -> str:
    return literal(str(src.path))


def _describe(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    rows = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()  # noqa: S608 - reader's relation
    return {str(n): str(t) for n, t, *_ in rows if n != "file_row_number"}


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


@dataclass(frozen=True)
class Refused:
    """A record DuckDB could not split into the header's fields."""

    offset: int  # byte where the record starts
    reason: str


def refused_records(con: duckdb.DuckDBPyConnection) -> list[Refused]:
    """The records the last CSV read refused, in file order (one entry per record)."""
    rows = con.execute(
        f"SELECT min(line_byte_position), min(error_type)::VARCHAR, min(error_message) "  # noqa: S608 - constant table
        f"FROM {CSV_ERRORS} GROUP BY line ORDER BY 1"
    ).fetchall()
    return [Refused(int(pos), structural_reason(str(t), str(m))) for pos, t, m in rows]


def drop_csv_errors(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"DROP TABLE IF EXISTS {CSV_ERRORS}")
    con.execute(f"DROP TABLE IF EXISTS {CSV_SCANS}")


def structural_reason(error_type: str, message: str) -> str:
    counts = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    found = f"expected {counts[1]} fields as in the header, found {counts[2]}" if counts else ""
    if error_type == "MISSING COLUMNS":
        return f"too few fields on this line ({found})"
    if error_type == "TOO MANY COLUMNS":
        return f"too many fields on this line ({found}; quote fields that contain commas)"
    if error_type == "INVALID ENCODING":
        return NOT_UTF8
    return f"cannot parse this line ({error_type.lower()}): {first_line(message)}"


def stage_with_python(con: duckdb.DuckDBPyConnection, src: SourceFile, name: str) -> Opened:
    """Slow path for files DuckDB refuses whole: keep every record before the damage.

    Fills the temp table `name` with the file's columns as text and `_line`.
    """
    rejects: list[Reject] = []
    try:
        raw = src.path.read_bytes()
        if src.path.name.lower().endswith(".gz"):
            raw = gzip.decompress(raw)
    except (OSError, EOFError) as exc:
        return _refused(src, _unreadable(src, exc))
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Opened(src, "", "", {}, [Reject(src.display, 1, "", UTF16)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Opened(src, "", "", {}, [Reject(src.display, line, "", NOT_UTF8)])
    delim = "\t" if _is_tsv(src) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return Opened(src, "", "", {}, [Reject(src.display, 1, "", no_header(src.table))])
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
            why = (
                f"cannot parse from here to the end of the file (lines {start}-{last}): "
                f"{exc}; look for an unterminated quote"
            )
            rejects.append(Reject(src.display, start, "", why))
            break
        if not row:
            start = reader.line_num + 1
            continue
        if len(row) != len(columns):
            why = f"expected {len(columns)} fields as in the header, found {len(row)}"
            rejects.append(Reject(src.display, start, "", why))
        else:
            for col, value in zip(data, row, strict=True):
                col.append(value or None)  # an empty field is NULL, as DuckDB's reader makes it
            lines.append(start)
        start = reader.line_num + 1
    arrays = {f"c{i}": pa.array(col, type=pa.string()) for i, col in enumerate(data)}
    arrays["_line"] = pa.array(lines, type=pa.int64())
    con.register("chaincut_py_stage", pa.table(arrays))
    # a blank name gets DuckDB's reader's name for it, so both ways store the same `extra`
    named = [c or f"column{i}" for i, c in enumerate(columns)]
    unique = [f"{c}_{i}" if c in named[:i] else c for i, c in enumerate(named)]
    select = ", ".join(f"c{i} AS {ident(c)}" for i, c in enumerate(unique))
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ident(name)} AS SELECT {select}, _line "  # noqa: S608 - ident() names
        "FROM chaincut_py_stage"
    )
    con.unregister("chaincut_py_stage")
    types = dict.fromkeys(unique, "VARCHAR")
    return Opened(src, ident(name), "_line", types, rejects, header=columns)
