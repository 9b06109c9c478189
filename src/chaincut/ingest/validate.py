"""Turning a staged file into typed rows and precise rejects, in one vectorised SQL query.

For each format column the SQL computes the typed value and, beside it, whether the raw text
breaks the format and why. The result is the temp table `checked`: `_line`, the typed columns,
`extra` (the file's other columns as a JSON object) and `_errors` (a list of field/reason pairs,
empty for a good row).
"""

from __future__ import annotations

from dataclasses import dataclass

from chaincut.lake.sql import ident, literal
from chaincut.model.schema import EXTRA_COLUMN, Column, ColumnType, TableSpec

MAX_SHOWN = 40  # characters of an offending value quoted back in a reason


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds each format column, and which source columns are extra."""

    source_of: dict[str, str | None]
    extras: list[str]
    missing_required: list[str]


def map_columns(spec: TableSpec, file_columns: list[str]) -> ColumnMapping:
    """Match the file's header to the format, ignoring case and surrounding spaces."""
    by_key = {c.strip().lower(): c for c in file_columns}
    source_of: dict[str, str | None] = {}
    for col in spec.columns:
        source_of[col.name] = by_key.get(col.name)
    used = {s for s in source_of.values() if s is not None}
    extras = [c for c in file_columns if c not in used and c.strip() and c != EXTRA_COLUMN]
    missing = [c.name for c in spec.columns if c.required and source_of[c.name] is None]
    return ColumnMapping(source_of, extras, missing)


def _shown(v: str) -> str:
    return f"left({v}, {MAX_SHOWN})"


@dataclass(frozen=True)
class ColumnSql:
    """How one column is checked: `raw` and `helper` are computed once in an inner query."""

    raw: str  # trimmed text (or the default) of the column
    helper: str | None  # an expensive parse computed once (wide decimal, timestamp)
    typed: str  # the stored value, over the aliases r/h
    errors: list[tuple[str, str]]  # (condition, reason expression) over the aliases r/h


def _column_sql(col: Column, source: str | None, r: str, h: str) -> ColumnSql:
    """Checks for one column; `r` and `h` are the aliases of its raw text and helper value."""
    raw = f"nullif(trim({ident(source)}), '')" if source else "CAST(NULL AS VARCHAR)"
    if col.default is not None:
        raw = f"coalesce({raw}, {literal(col.default)})"
    errors: list[tuple[str, str]] = []
    helper: str | None = None
    if col.required:
        errors.append((f"{r} IS NULL", "'missing required value'"))
    t = col.type
    if t is ColumnType.STRING and col.choices:
        allowed = ", ".join(literal(c) for c in col.choices)
        typed = f"lower({r})"
        errors.append(
            (
                f"{r} IS NOT NULL AND lower({r}) NOT IN ({allowed})",
                f"'unknown value ''' || {_shown(r)} || ''' (expected one of: "
                f"{', '.join(col.choices)})'",
            )
        )
    elif t is ColumnType.STRING:
        typed = r
    elif t is ColumnType.TIMESTAMP:
        # a plain TIMESTAMP cast is fast but ignores offsets: use it only when there is none
        tail = f"substr({r}, 11)"
        has_zone = f"(contains({tail}, 'Z') OR contains({tail}, '+') OR contains({tail}, '-'))"
        helper = (
            f"CASE WHEN NOT {has_zone} THEN TRY_CAST({r} AS TIMESTAMP) "
            f"ELSE CAST(TRY_CAST({r} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END"
        )
        typed = h
        errors.append(
            (
                f"{r} IS NOT NULL AND {h} IS NULL",
                f"'not an ISO-8601 timestamp: ''' || {_shown(r)} || ''''",
            )
        )
    elif t is ColumnType.DATE:
        helper = f"TRY_CAST({r} AS DATE)"
        typed = h
        errors.append(
            (
                f"{r} IS NOT NULL AND {h} IS NULL",
                f"'not a date (YYYY-MM-DD): ''' || {_shown(r)} || ''''",
            )
        )
    elif t is ColumnType.DECIMAL:
        helper = f"TRY_CAST({r} AS DECIMAL(38,18))"
        typed = (
            f"CASE WHEN {h} = round({h}, 2) AND abs({h}) < 1e16 THEN CAST({h} AS DECIMAL(18,2)) END"
        )
        errors += [
            (
                f"{r} IS NOT NULL AND {h} IS NULL",
                f"'not a decimal number: ''' || {_shown(r)} || ''''",
            ),
            (
                f"{h} <> round({h}, 2)",
                f"'more than 2 decimal places: ''' || {_shown(r)} || ''' "
                "(amounts are exact; round at the source)'",
            ),
            (f"abs({h}) >= 1e16", f"'too large: ''' || {_shown(r)} || ''''"),
        ]
        if col.positive:
            errors.append((f"{h} <= 0", f"'must be greater than 0, got ' || {_shown(r)}"))
    elif t is ColumnType.INTEGER:
        helper = f"TRY_CAST({r} AS BIGINT)"
        int_ok = f"regexp_full_match({r}, '[+-]?[0-9]{{1,18}}')"
        typed = f"CASE WHEN {h} IS NOT NULL AND {int_ok} THEN {h} END"
        errors += [
            (
                f"{r} IS NOT NULL AND ({h} IS NULL OR NOT {int_ok})",
                f"'not a whole number: ''' || {_shown(r)} || ''''",
            ),
            # the only integer column is a duration: negative is impossible
            (f"{h} < 0", f"'must not be negative, got ' || {_shown(r)}"),
        ]
    elif t is ColumnType.ID_LIST:
        typed = f"list_filter(list_transform(string_split({r}, ';'), lambda x: trim(x)), lambda x: x <> '')"
        if col.required:
            errors.append((f"{r} IS NOT NULL AND len({typed}) = 0", "'no identifiers in the list'"))
    else:  # pragma: no cover - every ColumnType is handled above
        raise AssertionError(t)
    name = literal(col.name)
    items = [(cond, f"struct_pack(field := {name}, reason := {why})") for cond, why in errors]
    return ColumnSql(raw, helper, typed, items)


def checked_sql(spec: TableSpec, mapping: ColumnMapping, staged: str) -> str:
    """SQL creating the temp table `checked` from the staged temp table `staged`.

    Three levels: the raw text of each column once, then the expensive parses once, then the
    typed values and the list of problems (built only for rows that have one).
    """
    inner: list[str] = ["_line"]
    middle: list[str] = ["*"]
    outer: list[str] = ["_line"]
    conditions: list[str] = []
    items: list[str] = []
    for i, col in enumerate(spec.columns):
        r, h = f"_r{i}", f"_h{i}"
        sql = _column_sql(col, mapping.source_of[col.name], r, h)
        inner.append(f"{sql.raw} AS {r}")
        if sql.helper:
            middle.append(f"{sql.helper} AS {h}")
        outer.append(f"{sql.typed} AS {ident(col.name)}")
        conditions += [f"({cond})" for cond, _ in sql.errors]
        items += [f"CASE WHEN {cond} THEN {item} END" for cond, item in sql.errors]
    if mapping.extras:
        inner.append(
            "json_object("
            + ", ".join(f"{literal(c.strip())}, {ident(c)}" for c in mapping.extras)
            + f") AS {EXTRA_COLUMN}"
        )
    else:
        inner.append(f"CAST(NULL AS JSON) AS {EXTRA_COLUMN}")
    outer.append(EXTRA_COLUMN)
    empty = "CAST([] AS STRUCT(field VARCHAR, reason VARCHAR)[])"
    if items:
        outer.append(
            f"CASE WHEN coalesce({' OR '.join(conditions)}, false) "
            f"THEN list_filter([{', '.join(items)}], lambda x: x IS NOT NULL) "
            f"ELSE {empty} END AS _errors"
        )
    else:
        outer.append(f"{empty} AS _errors")
    return (
        f"CREATE OR REPLACE TEMP TABLE checked AS SELECT {', '.join(outer)} FROM "
        f"(SELECT {', '.join(middle)} FROM (SELECT {', '.join(inner)} FROM {staged}))"
    )
