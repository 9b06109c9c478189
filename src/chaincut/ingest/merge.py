"""Putting a checked file's good rows into the lake: de-duplicated, idempotent, cheap when new.

Repeats inside the file are ruled out by one streaming pass when the keys increase (files sorted
on their id), else by a distinct count of the keys' hashes; the window functions that say which
repeat is which run only when that count finds one. The lake is compared only where the file's key
range overlaps it (zone maps skip the rest), and only when some key is actually there: a file of
new rows is a plain append.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from chaincut.lake.sql import ident
from chaincut.model.schema import EXTRA_COLUMN, TableSpec

MUTABLE_TABLES = frozenset({"accounts", "persons", "labels"})


@dataclass
class TableCounts:
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


def insert_checked(
    con: duckdb.DuckDBPyConnection,
    file: str,
    spec: TableSpec,
    counts: TableCounts,
    import_id: str,
) -> None:
    """Insert the good rows of the temp table `checked` into the lake table of `spec`.

    Exact repeats (inside the file or of rows already in the lake) change nothing; a repeated key
    with other values is rejected (events) or updates the row (reference tables).
    """
    keys = spec.key_columns
    part = ", ".join(ident(k) for k in keys)
    key = ident(keys[0]) if len(keys) == 1 else f"row({part})"
    first = ident(keys[0])
    # keys that only ever increase in the file are all different: one streaming pass proves it
    # for files sorted on their id, where a distinct count would hash every key
    row = con.execute(
        f"SELECT count(*), min({first}), max({first}), count(*) FILTER (_k <= _prev) FROM "
        f"(SELECT {part}, {key} AS _k, lag({key}) OVER () AS _prev FROM checked WHERE NOT _bad)"
    ).fetchone()
    rows, low, high, unordered = row if row else (0, None, None, 0)
    if not rows:
        return
    source = "(SELECT * FROM checked WHERE NOT _bad)"
    if unordered:
        # different hashes prove different keys; equal ones (a repeat, or rarely a collision)
        # go the exact way
        hashed = con.execute(f"SELECT count(DISTINCT hash({part})) FROM {source}").fetchone()
        if not hashed or hashed[0] != rows:
            source = _drop_repeats(con, file, spec, import_id, source)
    lake = f"(SELECT * FROM {ident(spec.name)} WHERE {first} BETWEEN $low AND $high)"
    on = " AND ".join(f"t.{ident(k)} = v.{ident(k)}" for k in keys)
    found = con.execute(
        f"SELECT count(*) FROM {lake} t SEMI JOIN {source} v ON {on}", {"low": low, "high": high}
    ).fetchone()
    if found and found[0]:
        _merge(con, file, spec, counts, import_id, source, lake, {"low": low, "high": high})
    else:
        cols = ", ".join(ident(c) for c in (*spec.column_names, EXTRA_COLUMN))
        done = con.execute(f"INSERT INTO {ident(spec.name)} SELECT {cols} FROM {source}")
        inserted = done.fetchone()
        counts.imported += int(inserted[0]) if inserted else 0
    for tmp in ("keyed", "matched"):
        con.execute(f"DROP TABLE IF EXISTS {tmp}")


def _drop_repeats(
    con: duckdb.DuckDBPyConnection, file: str, spec: TableSpec, import_id: str, source: str
) -> str:
    """Keep the first row of each key; reject later ones with other values. Returns the rows."""
    keys = spec.key_columns
    cols = [*spec.column_names, EXTRA_COLUMN]
    part = ", ".join(ident(k) for k in keys)
    key_text = " || '/' || ".join(f"CAST({ident(k)} AS VARCHAR)" for k in keys)
    row_hash = "hash(" + ", ".join(f"CAST({ident(c)} AS VARCHAR)" for c in cols) + ")"
    window = f"OVER (PARTITION BY {part} ORDER BY _line)"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE keyed AS SELECT *, "
        f"row_number() {window} AS _rn, first_value(_line) {window} AS _first_line, "
        f"{row_hash} AS _h, first_value({row_hash}) {window} AS _first_h FROM {source}"
    )
    con.execute(
        "INSERT INTO rejects SELECT ?, ?, _line, ?, "
        f"'duplicate {'/'.join(keys)} ''' || {key_text} || ''' with other values "
        "(first at line ' || _first_line || ')', ? FROM keyed "
        "WHERE _rn > 1 AND _h <> _first_h",
        [import_id, file, keys[0], spec.name],
    )
    return "(SELECT * FROM keyed WHERE _rn = 1)"


def _merge(
    con: duckdb.DuckDBPyConnection,
    file: str,
    spec: TableSpec,
    counts: TableCounts,
    import_id: str,
    source: str,
    lake: str,
    params: dict[str, object],
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
        f"FROM {source} v LEFT JOIN {lake} t ON {on}",
        params,
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
            [import_id, file, spec.name],
        )
    if new:
        con.execute(
            f"INSERT INTO {ident(spec.name)} SELECT {select} FROM matched v WHERE NOT _exists"
        )
    counts.imported += new
