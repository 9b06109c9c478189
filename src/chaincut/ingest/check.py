"""Checking one source file and putting its good rows into the lake, inside the import's
transaction.

A file is read and checked in one query into the temp table `checked_rows`; the view `checked`
gives its rows their lines (`lines.py` for CSV). A large Parquet file whose keys do not repeat
inside it (which one pass over its key column shows) is streamed instead: batches of row groups
are checked and appended in one query each, with no intermediate table, so its size costs
neither memory nor temporary disk. When some of its keys are in the lake already (a re-import),
each batch is merged on its own: no key is in two batches, so that is exact.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from chaincut.ingest.lines import LinesUnknown, map_lines
from chaincut.ingest.merge import (
    TableCounts,
    append,
    first_row,
    in_lake,
    insert_checked,
    key_stats,
    merge_rows,
)
from chaincut.ingest.reader import (
    NOT_UTF8,
    Opened,
    Reject,
    drop_csv_errors,
    first_line,
    refused_records,
)
from chaincut.ingest.source import SourceFile
from chaincut.ingest.validate import (
    ColumnMapping,
    checked_select,
    checked_sql,
    keys_sql,
    map_columns,
)
from chaincut.lake.sql import ident, literal
from chaincut.model.schema import EXTRA_COLUMN, TABLES, TableSpec

log = logging.getLogger(__name__)

#: Parquet files longer than this go through in batches of about this many rows
BATCH_ROWS = 4_000_000


@dataclass(frozen=True)
class _Batches:
    ranges: list[tuple[int, int]]
    merge: bool  # some key is in the lake already: merge each batch rather than append it


@dataclass(frozen=True)
class _Batch:
    lo: int
    hi: int
    merge: bool


class Refused(Exception):
    """DuckDB could not read a file to its end, which aborts the transaction: start again."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(index, reason)
        self.index = index
        self.reason = reason


def import_file(
    con: duckdb.DuckDBPyConnection,
    index: int,
    source: Opened,
    counts: TableCounts,
    import_id: str,
) -> None:
    """Check and insert one file (the `index`-th), recording its rejects.

    Raises `Refused` when DuckDB cannot read the file to its end: the transaction is then
    aborted, and the caller starts again with the file read another way or reported.
    """
    src, spec = source.src, TABLES[source.src.table]
    rejects = list(source.rejects)
    whole_file = False
    if source.columns:
        mapping = map_columns(spec, list(source.columns), source.header)
        refusals = _header_problems(mapping, list(source.columns))
        if refusals:
            whole_file = True
            rejects += [Reject(src.display, 1, name, why) for name, why in refusals]
            (rows,) = first_row(con, f"SELECT count(*) FROM {source.relation}")  # noqa: S608 - reader's relation, path quoted
            counts.rejected += rows
            counts.read += rows
        else:
            batches = _batches(con, index, source, spec, mapping)
            if batches:
                for lo, hi in batches.ranges:
                    rows = _Batch(lo, hi, batches.merge)
                    _stream_batch(con, index, source, spec, mapping, rows, counts, import_id)
            else:
                rejects += _check(con, index, source, spec, mapping, counts)
                if any(r.reason == NOT_UTF8 for r in rejects):
                    _reject_misread(con, spec)
                _insert_checked_rejects(con, src.display, spec, import_id, "checked")
                insert_checked(con, src.display, spec, counts, import_id)
                # (inside the transaction DuckDB keeps a dropped table's storage until COMMIT)
                con.execute("DROP VIEW checked")
                con.execute("DROP TABLE checked_rows")
                con.execute("DROP TABLE IF EXISTS chaincut_lines")
    counts.read += len(rejects) if not whole_file else 0
    _insert_rejects(con, import_id, src.table, rejects)
    if not whole_file:
        counts.rejected += _rejected_lines(con, import_id, src)


def _insert_checked_rejects(
    con: duckdb.DuckDBPyConnection, file: str, spec: TableSpec, import_id: str, rows: str
) -> None:
    """Record the problems of the bad rows of `rows` (a table, view or parenthesised query)."""
    con.execute(
        "INSERT INTO rejects SELECT ?, ?, _line, e.field, e.reason, ? FROM "  # noqa: S608 - rows: the importer's own view/query, values bound
        f"(SELECT _line, unnest(_errors) AS e FROM {rows} WHERE _bad)",
        [import_id, file, spec.name],
    )


def _stream_batch(
    con: duckdb.DuckDBPyConnection,
    index: int,
    source: Opened,
    spec: TableSpec,
    mapping: ColumnMapping,
    rows: _Batch,
    counts: TableCounts,
    import_id: str,
) -> None:
    """Check rows [lo, hi) of a Parquet file and append (or merge) the good ones, without a
    temp table.

    A temp table dropped inside the transaction would keep its storage until COMMIT, so a large
    file would spill all of it; reading the batch again for its rejects costs less, and only
    when the append shows that there are some.
    """
    lo, hi = rows.lo, rows.hi
    # lo and hi are ints the importer counted, written into the text because the batch is a
    # subquery of several statements (a parameter would have to follow it into each)
    batch = (
        f"(SELECT * FROM {source.relation} "  # noqa: S608 - ints, quoted path
        f"WHERE file_row_number >= {int(lo)} AND file_row_number < {int(hi)})"
    )
    checked = f"({checked_select(spec, mapping, source.columns, batch, source.line)})"
    good = f"(SELECT * FROM {checked} WHERE NOT _bad)"  # noqa: S608 - composed of the above
    file = source.src.display
    try:
        if rows.merge:
            # the batch's own key range: with ids in file order the lake is read only there
            keys = keys_sql(spec, mapping, source.columns, batch)
            first = ident(spec.key_columns[0])
            low, high = first_row(con, f"SELECT min({first}), max({first}) FROM ({keys})")  # noqa: S608 - ident() names
            seen = merge_rows(con, file, spec, counts, import_id, good, (low, high))
        else:
            seen = append(con, spec, good)
            counts.imported += seen
        if seen < hi - lo:
            _insert_checked_rejects(con, file, spec, import_id, checked)
    except duckdb.Error as exc:
        raise Refused(index, first_line(str(exc))) from exc
    counts.read += hi - lo


#: why a line that decoded is rejected all the same, in a file with lines that did not
MISREAD = (
    "non-ASCII text in a file whose other lines are not valid UTF-8: most likely GBK/GB18030 "
    "that happens to decode as UTF-8, and would import garbled (郑平 as ֣ƽ); convert the "
    "whole file: iconv -f GB18030 -t UTF-8"
)


def _reject_misread(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> None:
    """Mark bad the rows of `checked_rows` that hold non-ASCII text: in a file some of whose
    lines are not UTF-8, a line that decodes is not UTF-8 either, only lucky (GBK's two-byte
    characters are often valid UTF-8 pairs); its ASCII-only lines read the same in both."""
    texts = [f"CAST({ident(c.name)} AS VARCHAR)" for c in spec.columns]
    texts.append(f"CAST({EXTRA_COLUMN} AS VARCHAR)")
    error = f"[struct_pack(field := '', reason := {literal(MISREAD)})]"
    con.execute(
        f"UPDATE checked_rows SET _bad = true, _errors = {error} "  # noqa: S608 - ident()/literal()
        f"WHERE NOT _bad AND regexp_matches(concat_ws('', {', '.join(texts)}), '[^\\x00-\\x7F]')"
    )


def _read(con: duckdb.DuckDBPyConnection, index: int, source: Opened, sql: str) -> None:
    """Run a query that reads the source file; a failure to read it becomes `Refused`."""
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        if source.duckdb_csv or source.src.format == "parquet":
            raise Refused(index, first_line(str(exc))) from exc
        raise


def _check(
    con: duckdb.DuckDBPyConnection,
    index: int,
    source: Opened,
    spec: TableSpec,
    mapping: ColumnMapping,
    counts: TableCounts,
) -> list[Reject]:
    """Fill `checked_rows` from the whole file and make the view `checked`; returns the records
    the CSV reader refused."""
    if source.duckdb_csv:
        drop_csv_errors(con)
    sql = checked_sql(spec, mapping, source.columns, source.relation, source.line)
    _read(con, index, source, sql)
    (n_rows,) = first_row(con, "SELECT count(*) FROM checked_rows")
    counts.read += n_rows
    if source.duckdb_csv:
        return _csv_lines(con, index, source, n_rows)
    con.execute("CREATE OR REPLACE TEMP VIEW checked AS SELECT * FROM checked_rows")
    return []


def _batches(
    con: duckdb.DuckDBPyConnection,
    index: int,
    source: Opened,
    spec: TableSpec,
    mapping: ColumnMapping,
) -> _Batches | None:
    """Row ranges to take a large Parquet file in, when none of its keys repeats in it; None to
    take the file whole."""
    if source.src.format != "parquet":
        return None
    (n,) = first_row(con, f"SELECT count(*) FROM {source.relation}")  # noqa: S608 - from the footer; quoted path
    if n <= BATCH_ROWS:
        return None
    keys = keys_sql(spec, mapping, source.columns, source.relation)
    present = " AND ".join(f"{ident(k)} IS NOT NULL" for k in spec.key_columns)
    keys = f"SELECT * FROM ({keys}) WHERE {present}"  # noqa: S608 - ident() names
    try:
        stats = key_stats(con, spec, keys)
        if stats.repeats:
            return None
        known = in_lake(con, spec, keys, stats.low, stats.high)
    except duckdb.Error as exc:
        raise Refused(index, first_line(str(exc))) from exc
    how = "merged with the lake" if known else "appended"
    log.info("%s: %d rows, no key repeated: taken in batches, %s", source.src.display, n, how)
    ranges = [(lo, min(lo + BATCH_ROWS, n)) for lo in range(0, n, BATCH_ROWS)]
    return _Batches(ranges, known)


_CJK = re.compile(r"[\u3400-\u9fff]")
#: Chinese column names a centre's or a bank's export often carries, and the format's name for
#: each: named in the hint only (the format's names are English; nothing is renamed silently)
CHINESE_COLUMNS = {
    "账号": "account_id", "卡号": "account_id", "账户": "account_id", "银行卡号": "account_id",
    "交易流水号": "txn_id", "流水号": "txn_id", "交易号": "txn_id", "交易时间": "ts",
    "时间": "ts", "付款账号": "src_account", "转出账号": "src_account",
    "收款账号": "dst_account", "转入账号": "dst_account", "金额": "amount",
    "交易金额": "amount", "主叫": "caller", "主叫号码": "caller", "被叫": "callee",
    "被叫号码": "callee", "通话时长": "duration_s", "报案编号": "report_id",
    "人员编号": "person_id", "短信编号": "msg_id", "话单编号": "call_id",
}  # fmt: skip


def _chinese_header_hint(missing: list[str], columns: list[str]) -> str:
    """What to rename in a header written in Chinese: the format names its columns in English
    (docs/data-format.md), so `账号` is not `account_id` until the file says so."""
    known = [f"{c} → {CHINESE_COLUMNS[c.strip()]}" for c in columns
             if CHINESE_COLUMNS.get(c.strip()) in missing]  # fmt: skip
    said = f": rename {', '.join(known)}" if known else ""
    return f" (the format's column names are English{said}; docs/data-format.md)"


def _header_problems(mapping: ColumnMapping, columns: list[str]) -> list[tuple[str, str]]:
    """Why the whole file is refused, by column: a required column missing, or one repeated."""
    found = ", ".join(columns)
    hint = ""
    if len(columns) == 1 and "\t" in columns[0]:
        hint = " (the header is separated by tabs: name the file .tsv, or separate by ',')"
        found = found.replace("\t", "<TAB>")
    elif len(columns) == 1 and (";" in columns[0] or "|" in columns[0]):
        hint = " (the header looks separated by ';' or '|': the format separates by ',')"
    elif any(_CJK.search(c) for c in columns):
        hint = _chinese_header_hint(mapping.missing_required, columns)
    return [
        (
            name,
            f"required column '{name}' is missing from the header (found: {found}){hint}; "
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
        raise Refused(index, str(exc)) from exc
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
        # joined once here rather than in every query that reads `checked`
        con.execute(
            "CREATE OR REPLACE TEMP TABLE checked_lines AS SELECT c.* REPLACE "  # noqa: S608 - rec: int arithmetic
            f"(coalesce(l.line, {rec}) AS _line) FROM checked_rows c "
            f"LEFT JOIN chaincut_lines l ON l.rec = {rec}"
        )
        con.execute("DROP TABLE checked_rows")
        con.execute("ALTER TABLE checked_lines RENAME TO checked_rows")
        con.execute("CREATE OR REPLACE TEMP VIEW checked AS SELECT * FROM checked_rows")
    else:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW checked AS SELECT c.* REPLACE ({rec} AS _line) "  # noqa: S608 - int; a view holds no parameters
            "FROM checked_rows c"
        )
    return [
        Reject(src.display, line, "", r.reason)
        for r, line in zip(refused, lines.bad_lines, strict=True)
    ]


def _rejected_lines(con: duckdb.DuckDBPyConnection, import_id: str, src: SourceFile) -> int:
    """How many records of this file were rejected (a record may have several problems)."""
    (count,) = first_row(
        con,
        "SELECT count(DISTINCT coalesce(line, -1)) FROM rejects WHERE import_id = ? AND file = ?",
        [import_id, src.display],
    )
    return int(count)


def _insert_rejects(
    con: duckdb.DuckDBPyConnection, import_id: str, table: str, rejects: list[Reject]
) -> None:
    if not rejects:
        return
    # one Arrow table rather than a statement per row: a file in another encoding can have a
    # problem on every line
    found = pa.table(
        {
            "file": pa.array([r.file for r in rejects], pa.string()),
            "line": pa.array([r.line for r in rejects], pa.int64()),
            "field": pa.array([r.field for r in rejects], pa.string()),
            "reason": pa.array([r.reason for r in rejects], pa.string()),
        }
    )
    con.register("chaincut_found", found)
    con.execute(
        "INSERT INTO rejects SELECT ?, file, line, field, reason, ? FROM chaincut_found",
        [import_id, table],
    )
    con.unregister("chaincut_found")
