"""Turning a staged file into typed rows and precise rejects, in one vectorised SQL pass.

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


def _column_sql(col: Column, source: str | None) -> tuple[str, list[tuple[str, str]]]:
    """(typed expression, [(error condition, reason expression)]) for one column."""
    raw = f"nullif(trim({ident(source)}), '')" if source else "CAST(NULL AS VARCHAR)"
    if col.default is not None:
        raw = f"coalesce({raw}, {literal(col.default)})"
    name = literal(col.name)
    errors: list[tuple[str, str]] = []
    if col.required:
        errors.append((f"{raw} IS NULL", "'missing required value'"))
    t = col.type
    if t is ColumnType.STRING and col.choices:
        allowed = ", ".join(literal(c) for c in col.choices)
        typed = f"lower({raw})"
        errors.append(
            (
                f"{raw} IS NOT NULL AND lower({raw}) NOT IN ({allowed})",
                f"'unknown value ''' || {_shown(raw)} || ''' (expected one of: "
                f"{', '.join(col.choices)})'",
            )
        )
    elif t is ColumnType.STRING:
        typed = raw
    elif t is ColumnType.TIMESTAMP:
        typed = f"CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)"
        errors.append(
            (
                f"{raw} IS NOT NULL AND {typed} IS NULL",
                f"'not an ISO-8601 timestamp: ''' || {_shown(raw)} || ''''",
            )
        )
    elif t is ColumnType.DATE:
        typed = f"TRY_CAST({raw} AS DATE)"
        errors.append(
            (
                f"{raw} IS NOT NULL AND {typed} IS NULL",
                f"'not a date (YYYY-MM-DD): ''' || {_shown(raw)} || ''''",
            )
        )
    elif t is ColumnType.DECIMAL:
        num_ok = f"regexp_full_match({raw}, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)')"
        frac = f"rtrim(regexp_extract({raw}, '[.]([0-9]*)', 1), '0')"
        whole = f"ltrim(regexp_extract({raw}, '^[+-]?([0-9]*)', 1), '0')"
        typed = (
            f"CASE WHEN {num_ok} AND length({frac}) <= 2 AND length({whole}) <= 16 "
            f"THEN CAST({raw} AS DECIMAL(18,2)) END"
        )
        errors += [
            (
                f"{raw} IS NOT NULL AND NOT {num_ok}",
                f"'not a decimal number: ''' || {_shown(raw)} || ''''",
            ),
            (
                f"{raw} IS NOT NULL AND {num_ok} AND length({frac}) > 2",
                f"'more than 2 decimal places: ''' || {_shown(raw)} || ''' "
                "(amounts are exact; round at the source)'",
            ),
            (
                f"{raw} IS NOT NULL AND {num_ok} AND length({whole}) > 16",
                f"'too large: ''' || {_shown(raw)} || ''''",
            ),
        ]
        if col.positive:
            errors.append((f"{typed} <= 0", f"'must be greater than 0, got ' || {_shown(raw)}"))
    elif t is ColumnType.INTEGER:
        int_ok = f"regexp_full_match({raw}, '[+-]?[0-9]{{1,18}}')"
        typed = f"CASE WHEN {int_ok} THEN CAST({raw} AS BIGINT) END"
        errors += [
            (
                f"{raw} IS NOT NULL AND NOT {int_ok}",
                f"'not a whole number: ''' || {_shown(raw)} || ''''",
            ),
            # the only integer column is a duration: negative is impossible
            (f"{typed} < 0", f"'must not be negative, got ' || {_shown(raw)}"),
        ]
    elif t is ColumnType.ID_LIST:
        typed = f"list_filter(list_transform(string_split({raw}, ';'), lambda x: trim(x)), lambda x: x <> '')"
        if col.required:
            errors.append(
                (f"{raw} IS NOT NULL AND len({typed}) = 0", "'no identifiers in the list'")
            )
    else:  # pragma: no cover - every ColumnType is handled above
        raise AssertionError(t)
    return typed, [(cond, f"struct_pack(field := {name}, reason := {r})") for cond, r in errors]


def checked_sql(spec: TableSpec, mapping: ColumnMapping, staged: str) -> str:
    """SQL creating the temp table `checked` from the staged temp table `staged`."""
    selects: list[str] = ["_line"]
    error_items: list[str] = []
    for col in spec.columns:
        typed, errors = _column_sql(col, mapping.source_of[col.name])
        selects.append(f"{typed} AS {ident(col.name)}")
        error_items += [f"CASE WHEN {cond} THEN {item} END" for cond, item in errors]
    if mapping.extras:
        pairs = ", ".join(f"{literal(c.strip())}, {ident(c)}" for c in mapping.extras)
        selects.append(f"json_object({pairs}) AS {EXTRA_COLUMN}")
    else:
        selects.append(f"CAST(NULL AS JSON) AS {EXTRA_COLUMN}")
    errors_sql = (
        f"list_filter([{', '.join(error_items)}], lambda x: x IS NOT NULL)"
        if error_items
        else "CAST([] AS STRUCT(field VARCHAR, reason VARCHAR)[])"
    )
    selects.append(f"{errors_sql} AS _errors")
    return f"CREATE OR REPLACE TEMP TABLE checked AS SELECT {', '.join(selects)} FROM {staged}"
