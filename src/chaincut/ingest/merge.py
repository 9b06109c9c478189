"""Putting a checked file's good rows into the lake: de-duplicated, idempotent, cheap when new.

Repeats inside the file are ruled out by one streaming pass when the keys increase (files sorted
on their id), else by a distinct count of the keys' hashes (`key_stats`); the window functions
that say which repeat is which run only when that count finds one. The lake is compared only where the file's key
range overlaps it (zone maps skip the rest), and only when some key is actually there: a file of
new rows is a plain append.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from chaincut.lake.sql import ident, literal
from chaincut.model.schema import EXTRA_COLUMN, TableSpec

MUTABLE_TABLES = frozenset({"accounts", "persons", "labels"})
PROBE_ROWS = 10_000


@dataclass
class TableCounts:
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    #: rows that repeat an earlier row of the same file exactly (kept once, changing nothing)
    repeated: int = 0


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple[Any, ...]:
    """The first row of a query, with the result fully read (DuckDB refuses to register a table
    while a result is still open)."""
    rows = (
        con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
    )
    return tuple(rows[0]) if rows else ()


@dataclass(frozen=True)
class KeyStats:
    rows: int
    low: object  # the smallest and largest first key column, to compare only that range
    high: object
    repeats: bool  # some key may occur twice (exact: False means none does)


def key_stats(con: duckdb.DuckDBPyConnection, spec: TableSpec, keys: str) -> KeyStats:
    """Count the rows of the query `keys` (the key columns, never NULL) and look for repeats.

    Keys that only ever increase are all different: one streaming pass proves it for files
    sorted on their id. Otherwise different hashes prove different keys; equal ones (a repeat,
    or rarely a collision) say `repeats` and leave the exact answer to the caller.
    """
    part = ", ".join(ident(k) for k in spec.key_columns)
    key = part if len(spec.key_columns) == 1 else f"row({part})"
    first = ident(spec.key_columns[0])

    def breaks(rows: str) -> str:
        """Rows of the query `rows` whose key is not above the one before, and the counts."""
        lagged = f"SELECT {first}, {key} AS _k, lag({key}) OVER () AS _prev FROM ({rows})"  # noqa: S608 - ident() names
        return f"count(*) FILTER (_k <= _prev) FROM ({lagged})"  # noqa: S608 - ident() names

    # a look at the first rows says which way is likely to pay: an unsorted file goes straight
    # to the hash count, in the same pass as the counts
    (probe,) = first_row(con, f"SELECT {breaks(f'SELECT * FROM ({keys}) LIMIT {PROBE_ROWS}')}")  # noqa: S608 - ident() names, a constant
    if probe:
        rows, low, high, hashed = first_row(
            con,
            f"SELECT count(*), min({first}), max({first}), count(DISTINCT hash({part})) "  # noqa: S608 - ident() names
            f"FROM ({keys})",
        )
        return KeyStats(int(rows), low, high, hashed != rows)
    rows, low, high, unordered = first_row(
        con,
        f"SELECT count(*), min({first}), max({first}), {breaks(keys)}",  # noqa: S608 - ident() names
    )
    repeats = False
    if unordered:
        (hashed,) = first_row(con, f"SELECT count(DISTINCT hash({part})) FROM ({keys})")  # noqa: S608 - ident() names
        repeats = hashed != rows
    return KeyStats(int(rows), low, high, repeats)


def in_lake(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, keys: str, low: object, high: object
) -> bool:
    """Whether any key of the query `keys` is already in the lake (only the range is read)."""
    first = ident(spec.key_columns[0])
    lake = f"(SELECT * FROM {ident(spec.name)} WHERE {first} BETWEEN $low AND $high)"  # noqa: S608 - ident() names, values bound
    on = " AND ".join(f"t.{ident(k)} = v.{ident(k)}" for k in spec.key_columns)
    (found,) = first_row(
        con,
        f"SELECT count(*) FROM {lake} t SEMI JOIN ({keys}) v ON {on}",  # noqa: S608 - ident() names
        {"low": low, "high": high},
    )
    return bool(found)


def append(con: duckdb.DuckDBPyConnection, spec: TableSpec, rows: str) -> int:
    """Append the query `rows` (with every lake column) to the lake table; returns the count."""
    cols = ", ".join(ident(c) for c in (*spec.column_names, EXTRA_COLUMN))
    (done,) = first_row(con, f"INSERT INTO {ident(spec.name)} SELECT {cols} FROM {rows}")  # noqa: S608 - ident() names
    return int(done)


def insert_checked(
    con: duckdb.DuckDBPyConnection,
    file: str,
    spec: TableSpec,
    counts: TableCounts,
    import_id: str,
) -> None:
    """Insert the good rows of the view `checked` into the lake table of `spec`.

    Exact repeats (inside the file or of rows already in the lake) change nothing; a repeated key
    with other values is rejected (events) or updates the row (reference tables).
    """
    source = "(SELECT * FROM checked WHERE NOT _bad)"
    stats = key_stats(con, spec, f"SELECT * FROM {source}")  # noqa: S608 - the importer's view
    if not stats.rows:
        return
    if stats.repeats:
        source = _drop_repeats(con, file, spec, counts, import_id, source)
    if in_lake(con, spec, f"SELECT * FROM {source}", stats.low, stats.high):  # noqa: S608 - the importer's view
        merge_rows(con, file, spec, counts, import_id, source, (stats.low, stats.high))
    else:
        counts.imported += append(con, spec, source)
    con.execute("DROP TABLE IF EXISTS keyed")


def _drop_repeats(
    con: duckdb.DuckDBPyConnection,
    file: str,
    spec: TableSpec,
    counts: TableCounts,
    import_id: str,
    source: str,
) -> str:
    """Keep the first row of each key; reject later ones with other values and count the exact
    repeats (`counts.repeated`), so that read = imported + updated + unchanged + rejected +
    repeated. Returns the rows."""
    keys = spec.key_columns
    cols = [*spec.column_names, EXTRA_COLUMN]
    part = ", ".join(ident(k) for k in keys)
    key_text = " || '/' || ".join(f"CAST({ident(k)} AS VARCHAR)" for k in keys)
    row_hash = "hash(" + ", ".join(f"CAST({ident(c)} AS VARCHAR)" for c in cols) + ")"
    window = f"OVER (PARTITION BY {part} ORDER BY _line)"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE keyed AS SELECT *, "  # noqa: S608 - ident() names
        f"row_number() {window} AS _rn, first_value(_line) {window} AS _first_line, "
        f"{row_hash} AS _h, first_value({row_hash}) {window} AS _first_h FROM {source}"
    )
    said = literal(f"duplicate {'/'.join(keys)} '")
    con.execute(
        "INSERT INTO rejects SELECT ?, ?, _line, ?, "  # noqa: S608 - ident()/literal(), values bound
        f"{said} || {key_text} || "
        "''' with other values (first at line ' || _first_line || ')', ? FROM keyed "
        "WHERE _rn > 1 AND _h <> _first_h",
        [import_id, file, keys[0], spec.name],
    )
    counts.repeated += int(
        first_row(con, "SELECT count(*) FROM keyed WHERE _rn > 1 AND _h = _first_h")[0]
    )
    return "(SELECT * FROM keyed WHERE _rn = 1)"


def merge_rows(
    con: duckdb.DuckDBPyConnection,
    file: str,
    spec: TableSpec,
    counts: TableCounts,
    import_id: str,
    source: str,
    key_range: tuple[object, object],
) -> int:
    """Merge the query `source` (rows with every lake column and `_line`, no key repeated in
    it, the first key column within `key_range`) into the lake table: insert what is new, count
    what is unchanged, update or reject what differs. Returns how many rows `source` had."""
    keys = spec.key_columns
    lake = f"(SELECT * FROM {ident(spec.name)} WHERE {ident(keys[0])} BETWEEN $low AND $high)"  # noqa: S608 - ident() names, values bound
    params = {"low": key_range[0], "high": key_range[1]}
    cols = [*spec.column_names, EXTRA_COLUMN]
    select = ", ".join(f"v.{ident(c)}" for c in cols)
    on = " AND ".join(f"t.{ident(k)} = v.{ident(k)}" for k in keys)
    key_text = " || '/' || ".join(f"CAST(v.{ident(k)} AS VARCHAR)" for k in keys)

    def distinct(c: str) -> str:
        if c == EXTRA_COLUMN:  # JSON compares as text
            return f"CAST(t.{ident(c)} AS VARCHAR) IS DISTINCT FROM CAST(v.{ident(c)} AS VARCHAR)"
        return f"t.{ident(c)} IS DISTINCT FROM v.{ident(c)}"

    differs = " OR ".join(distinct(c) for c in cols if c not in keys)
    first_diff = "CASE " + " ".join(f"WHEN {distinct(c)} THEN {literal(c)}" for c in cols) + " END"
    found = f"t.{ident(keys[0])} IS NOT NULL"
    # counted first without keeping the joined rows: a re-import where nothing differs (the
    # usual case) then needs no copy of the file
    new, same, diff = (
        int(x)
        for x in first_row(
            con,
            f"SELECT count(*) FILTER (NOT {found}), count(*) FILTER ({found} AND NOT ({differs})), "  # noqa: S608 - ident()/literal(), values bound
            f"count(*) FILTER ({found} AND ({differs})) FROM {source} v LEFT JOIN {lake} t ON {on}",
            params,
        )
    )
    if not diff:
        counts.unchanged += same
        if new:
            con.execute(
                f"INSERT INTO {ident(spec.name)} SELECT {select} FROM {source} v "  # noqa: S608 - ident() names
                f"ANTI JOIN {lake} t ON {on}",
                params,
            )
        counts.imported += new
        return new + same
    # only the rows to insert or to update/reject are kept: an unchanged row needs no copy
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE matched AS SELECT v.*, {found} AS _exists, "  # noqa: S608 - ident()/literal(), values bound
        f"{found} AND ({differs}) AS _diff, "
        f"CASE WHEN {found} AND ({differs}) THEN {first_diff} END AS _diff_col "
        f"FROM {source} v LEFT JOIN {lake} t ON {on} WHERE NOT ({found}) OR ({differs})",
        params,
    )
    counts.unchanged += same
    if spec.name in MUTABLE_TABLES:
        if diff:
            con.execute(f"DELETE FROM {ident(spec.name)} t USING matched v WHERE {on} AND v._diff")  # noqa: S608 - ident() names
            con.execute(
                f"INSERT INTO {ident(spec.name)} SELECT {select} FROM matched v WHERE _diff"  # noqa: S608 - ident() names
            )
        counts.updated += diff
    elif diff:
        said = literal(f"{'/'.join(keys)} '")
        con.execute(
            "INSERT INTO rejects SELECT ?, ?, _line, _diff_col, "  # noqa: S608 - ident()/literal(), values bound
            f"{said} || {key_text} || ''' was already imported with another value of ' || "
            "_diff_col || ' (rows are immutable: give a correction a new id)', ? "
            "FROM matched v WHERE _diff",
            [import_id, file, spec.name],
        )
    if new:
        con.execute(
            f"INSERT INTO {ident(spec.name)} SELECT {select} FROM matched v WHERE NOT _exists"  # noqa: S608 - ident() names
        )
    counts.imported += new
    con.execute("DROP TABLE matched")
    return new + same + diff
