"""Turning a source file into typed rows and precise rejects, in one vectorised SQL query.

For each format column the SQL computes the typed value and, beside it, whether the source value
breaks the format and why. Text (every CSV column, string Parquet columns) is parsed; Parquet
columns that already carry a type are checked natively, without a round trip through text. The
result (`checked_select`, or the temp table `checked_rows`) is `_line`, the typed columns, `extra` (the file's other columns
as a JSON object), `_bad` (whether the row has a problem) and `_errors` (the list of field/reason
pairs, built only for bad rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chaincut.ingest.phones import MACRO
from chaincut.ingest.values import (
    AMOUNT_FULL_WIDTH,
    AMOUNT_HALF_WIDTH,
    AMOUNT_LIMIT,
    CENTS_TEXT,
    FULL_WIDTH_DIGIT,
    IMPOSSIBLE_OFFSET,
    INTEGER_TEXT,
    NAIVE_TIME_TAIL,
    PHONE_FULL_WIDTH,
    PHONE_HALF_WIDTH,
    PHONE_SEPARATORS,
    PHONE_WITH_SEPARATORS,
    PLAIN_DECIMAL_TEXT,
    SPACED_OFFSET,
    UNAMBIGUOUS_ZONES,
    YEAR_RANGE,
    ZONE_ABBREVIATION_END,
    float_cents_limit,
)
from chaincut.lake.sql import ident, literal
from chaincut.model.schema import EXTRA_COLUMN, Column, ColumnType, TableSpec

MAX_SHOWN = 40  # characters of an offending value quoted back in a reason

INTEGER_TYPES = frozenset(
    [
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "UHUGEINT",
    ]
)
FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE"})
TIMESTAMP_TYPES = frozenset({"TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"})
DECIMAL_TYPE = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


#: the column holding a phone number in the rows whose entity_kind is `phone`
LABELLED_PHONE = ("labels", "entity_id")


@dataclass(frozen=True)
class ColumnMapping:
    """Which source column feeds each format column, and which source columns are extra."""

    source_of: dict[str, str | None]
    extras: list[str]
    missing_required: list[str]
    repeated: dict[str, int]  # format columns named more than once in the header: how often
    #: extras whose header cell is blank (a trailing delimiter on every line): kept in `extra`
    #: only on the rows where they hold a value
    unnamed: list[str] = field(default_factory=list)


def map_columns(
    spec: TableSpec, file_columns: list[str], header: list[str] | None = None
) -> ColumnMapping:
    """Match the file's header to the format, ignoring case and surrounding spaces.

    `header` is the names as the file writes them, where the reader may have renamed repeats.
    """
    written = [c.strip().lower() for c in (header or file_columns)]
    repeated = {c.name: written.count(c.name) for c in spec.columns if written.count(c.name) > 1}
    by_key: dict[str, str] = {}
    for c in file_columns:
        by_key.setdefault(c.strip().lower(), c)
    source_of: dict[str, str | None] = {}
    for col in spec.columns:
        source_of[col.name] = by_key.get(col.name)
    used = {s for s in source_of.values() if s is not None}
    extras = [c for c in file_columns if c not in used and c.strip()]
    missing = [c.name for c in spec.columns if c.required and source_of[c.name] is None]
    unnamed: list[str] = []
    if header and len(header) == len(file_columns):
        unnamed = [c for c, h in zip(file_columns, header, strict=True) if not h.strip()]
    return ColumnMapping(source_of, extras, missing, repeated, [c for c in unnamed if c in extras])


def _shown(v: str) -> str:
    return f"left(CAST({v} AS VARCHAR), {MAX_SHOWN})"


def _quoted(v: str) -> str:
    return f"'''' || {_shown(v)} || ''''"


@dataclass(frozen=True)
class ColumnSql:
    """How one column is checked: `raw` and `helper` are computed once in inner queries."""

    raw: str  # the source value (trimmed text, or the typed value) or the default
    helper: str | None  # an expensive parse computed once (decimal, timestamp)
    typed: str  # the stored value, over the aliases r/h
    errors: list[tuple[str, str]]  # (condition, reason expression) over the aliases r/h
    bad: list[str]  # conditions that together say whether any of `errors` holds, cheaply


def _raw(col: Column, source: str | None, source_type: str) -> tuple[str, str]:
    """The column's raw value and the type it has (VARCHAR when it is text to parse)."""
    if source is None:
        raw, kind = "CAST(NULL AS VARCHAR)", "VARCHAR"
    elif source_type == "VARCHAR":
        c = ident(source)
        # trim() copies every string; only strings with surrounding spaces need it
        raw = (
            f"CASE WHEN prefix({c}, ' ') OR suffix({c}, ' ') THEN nullif(trim({c}), '') "
            f"ELSE nullif({c}, '') END"
        )
        kind = "VARCHAR"
    else:
        raw, kind = ident(source), source_type
    if col.default is not None:
        raw = f"coalesce({raw}, {literal(col.default)})"
    return raw, kind


def _as_text(r: str, kind: str) -> tuple[str, list[tuple[str, str]]]:
    """A typed source value as text, for a text column of the format."""
    if kind == "VARCHAR":
        return r, []
    if kind in FLOAT_TYPES:
        # identifiers written as floats (a common pandas accident): whole numbers only
        whole = f"(isfinite({r}) AND {r} = trunc({r}) AND abs({r}) < 9007199254740992)"
        why = f"'a floating-point number where text was expected: ' || {_shown(r)} || ' (write identifiers as text)'"
        return f"CASE WHEN {whole} THEN CAST(CAST({r} AS BIGINT) AS VARCHAR) END", [
            (f"{r} IS NOT NULL AND NOT {whole}", why)
        ]
    return f"CAST({r} AS VARCHAR)", []


#: blank and invisible characters: an identifier made only of these names nothing
_INVISIBLE = r"^[\s\x{3000}\x{a0}\x{200b}-\x{200f}\x{2060}\x{feff}]*$"


def _identifier_problems(text: str) -> list[tuple[str, str]]:
    """An identifier must show a character and hold no control character (a tab, a NUL, ...)."""
    return [
        (
            f"regexp_matches({text}, '[\\x00-\\x1f\\x7f]')",
            "'an identifier with a control character (a tab, line break or NUL): ' || "
            f"{_quoted(text)}",
        ),
        (
            f"regexp_matches({text}, {literal(_INVISIBLE)})",
            "'an identifier made only of blank or invisible characters (spaces, U+3000, "
            "U+00A0, zero-width)'",
        ),
    ]


def _year_outside(ts: str) -> str:
    lo, hi = YEAR_RANGE
    return f"(year({ts}) < {lo} OR year({ts}) > {hi})"


def _year_why(r: str) -> str:
    lo, hi = YEAR_RANGE
    return f"'year outside {lo}-{hi}: ' || {_quoted(r)}"


def _timestamp(r: str, kind: str, h: str) -> tuple[str | None, str, list[tuple[str, str]]]:
    if kind in TIMESTAMP_TYPES or kind == "DATE" or kind == "TIMESTAMP WITH TIME ZONE":
        native = f"timezone('UTC', {r})" if kind == "TIMESTAMP WITH TIME ZONE" else r
        helper = f"CASE WHEN NOT {_year_outside(r)} THEN CAST({native} AS TIMESTAMP) END"
        failed = f"{r} IS NOT NULL AND {h} IS NULL"
        return helper, h, [(failed, _year_why(r))]
    text = r if kind == "VARCHAR" else f"CAST({r} AS VARCHAR)"
    tail = f"substr({text}, 11)"
    # a plain TIMESTAMP cast is fast but ignores offsets and zone names: use it only without one
    naive = f"regexp_full_match({tail}, {literal(NAIVE_TIME_TAIL)})"
    # the zone-aware parser reads CST as US Central, which a Chinese exporter means as UTC+8;
    # the common ...Z skips the regular expressions
    allowed = ", ".join(literal(z) for z in UNAMBIGUOUS_ZONES)
    abbreviation = (
        f"(NOT suffix({text}, 'Z') "
        f"AND regexp_matches({text}, {literal(ZONE_ABBREVIATION_END)}) "
        f"AND upper(regexp_extract({text}, '[A-Za-z]+$')) NOT IN ({allowed}))"
    )
    # git and many logs put a space before the offset (16:15:02 +0800), which the parser refuses
    joined = f"regexp_replace({text}, {literal(SPACED_OFFSET)}, '\\1')"
    # the year from the text's first characters: cheap, and a year of five digits or before
    # Christ never reaches the parser (which would take 10000-01-01 and 0001-01-01 (BC))
    lo, hi = YEAR_RANGE
    year = f"TRY_CAST(substr({text}, 1, 4) AS INTEGER)"
    bad_year = (
        f"(substr({text}, 5, 1) NOT IN ('-', '/') OR coalesce({year} NOT BETWEEN {lo} AND {hi}, true) "
        f"OR contains({text}, '(BC)'))"
    )
    bad_offset = f"regexp_matches({text}, {literal(IMPOSSIBLE_OFFSET)})"
    helper = (
        f"CASE WHEN {naive} THEN (CASE WHEN NOT {bad_year} THEN TRY_CAST({text} AS TIMESTAMP) END) "
        f"WHEN {abbreviation} OR {bad_year} THEN NULL "
        f"WHEN suffix({text}, 'Z') THEN timezone('UTC', TRY_CAST({text} AS TIMESTAMPTZ)) "
        f"WHEN {bad_offset} THEN NULL "
        f"ELSE timezone('UTC', TRY_CAST({joined} AS TIMESTAMPTZ)) END"
    )
    failed = f"{r} IS NOT NULL AND {h} IS NULL"
    zone_why = (
        f"'an ambiguous time-zone abbreviation: ' || {_quoted(r)} || ' (CST is UTC+8 in China "
        "and UTC-6 in the US: write an offset such as +08:00, or a zone name such as "
        "Asia/Shanghai)'"
    )
    why = f"'not an ISO-8601 timestamp: ' || {_quoted(r)} || {_timestamp_hint(text)}"
    offset_why = f"'an impossible UTC offset (hours up to 14, minutes up to 59): ' || {_quoted(r)}"
    looks_dated = f"regexp_matches({text}, '^[0-9]{{4,}}-')"
    year_failed = f"{failed} AND {bad_year} AND {looks_dated}"
    offset_failed = f"{failed} AND NOT {bad_year} AND NOT {abbreviation} AND {bad_offset}"
    other = (
        f"{failed} AND NOT {abbreviation} AND NOT ({bad_year} AND {looks_dated}) "
        f"AND NOT (NOT {bad_year} AND {bad_offset})"
    )
    return (
        helper,
        h,
        [
            (f"{failed} AND {abbreviation}", zone_why),
            (year_failed, _year_why(r)),
            (offset_failed, offset_why),
            (other, why),
        ],
    )


def _decimal(r: str, kind: str, h: str) -> tuple[str | None, str, list[tuple[str, str]]]:
    """Money: the helper is an exact DECIMAL(38,2) or NULL, never a rounded value."""
    too_large = (f"abs({h}) >= {AMOUNT_LIMIT}", f"'too large: ' || {_shown(r)}")
    m = DECIMAL_TYPE.fullmatch(kind)
    if kind == "VARCHAR" or not (m or kind in INTEGER_TYPES or kind in FLOAT_TYPES):
        raw_text = r if kind == "VARCHAR" else f"CAST({r} AS VARCHAR)"
        # full-width digits are read as ASCII only for values the plain match refused, so
        # that the common ASCII amount pays nothing for them
        text = f"translate({raw_text}, {literal(AMOUNT_FULL_WIDTH)}, {literal(AMOUNT_HALF_WIDTH)})"
        helper = (
            f"CASE WHEN regexp_full_match({raw_text}, {literal(CENTS_TEXT)}) "
            f"THEN TRY_CAST({raw_text} AS DECIMAL(38,2)) "
            f"WHEN regexp_matches({raw_text}, {literal(FULL_WIDTH_DIGIT)}) "
            f"AND regexp_full_match({text}, {literal(CENTS_TEXT)}) "
            f"THEN TRY_CAST({text} AS DECIMAL(38,2)) END"
        )
        plain = f"regexp_full_match({text}, {literal(PLAIN_DECIMAL_TEXT)})"
        return (
            helper,
            h,
            [
                (
                    f"{r} IS NOT NULL AND NOT {plain}",
                    f"'not a decimal number: ' || {_quoted(r)} || ' (write digits with an "
                    "optional point: no exponent, thousands separator or currency sign)'",
                ),
                (
                    f"{plain} AND NOT regexp_full_match({text}, {literal(CENTS_TEXT)})",
                    f"'more than 2 decimal places: ' || {_quoted(r)} || "
                    "' (amounts are exact; round at the source)'",
                ),
                (
                    f"{h} IS NULL AND regexp_full_match({text}, {literal(CENTS_TEXT)})",
                    f"'too large: ' || {_shown(r)}",
                ),
                too_large,
            ],
        )
    if m or kind in INTEGER_TYPES:
        scale = int(m[2]) if m else 0
        exact = "true" if scale <= 2 else f"{r} = round({r}, 2)"
        helper = f"CASE WHEN {exact} THEN TRY_CAST({r} AS DECIMAL(38,2)) END"
        return (
            helper,
            h,
            [
                (
                    f"NOT ({exact})",
                    f"'more than 2 decimal places: ' || {_shown(r)} || "
                    "' (amounts are exact; round at the source)'",
                ),
                (f"{r} IS NOT NULL AND ({exact}) AND {h} IS NULL", f"'too large: ' || {_shown(r)}"),
                too_large,
            ],
        )
    # binary floats: accepted when the value is the float nearest to a whole number of cents
    # and small enough that no other number of cents has that same nearest float
    limit = float_cents_limit(kind)
    cents = f"TRY_CAST({r} AS DECIMAL(38,2))"
    fits = f"(isfinite({r}) AND abs({r}) < {limit})"
    exact = f"({fits} AND CAST({cents} AS {kind}) = {r})"
    helper = f"CASE WHEN {exact} THEN {cents} END"
    return (
        helper,
        h,
        [
            (
                f"{r} IS NOT NULL AND NOT {exact}",
                f"'a binary floating-point amount that is not an exact number of cents: ' || "
                f"{_shown(r)} || ' (write amounts as decimals or text)'",
            ),
            too_large,
        ],
    )


def _integer(r: str, kind: str, h: str) -> tuple[str | None, str, list[tuple[str, str]]]:
    if kind in INTEGER_TYPES:
        helper = f"TRY_CAST({r} AS BIGINT)"
        ok = "true"
    elif kind in FLOAT_TYPES or DECIMAL_TYPE.fullmatch(kind):
        ok = (
            f"({r} = trunc({r}))"
            if kind not in FLOAT_TYPES
            else f"(isfinite({r}) AND {r} = trunc({r}))"
        )
        helper = f"CASE WHEN {ok} THEN TRY_CAST({r} AS BIGINT) END"
    else:
        text = r if kind == "VARCHAR" else f"CAST({r} AS VARCHAR)"
        ok = f"regexp_full_match({text}, {literal(INTEGER_TEXT)})"
        helper = f"CASE WHEN {ok} THEN TRY_CAST({text} AS BIGINT) END"
    return (
        helper,
        h,
        [
            (f"{r} IS NOT NULL AND {h} IS NULL", f"'not a whole number: ' || {_quoted(r)}"),
            # the only integer column is a duration: negative is impossible
            (f"{h} < 0", f"'must not be negative, got ' || {_shown(r)}"),
        ],
    )


def _date_hint(r: str) -> str:
    """SQL for the hint appended to a refused date: one that cannot exist, or day/month first."""
    r = f"CAST({r} AS VARCHAR)"  # a typed Parquet column's value, as text
    return (
        f"(CASE WHEN regexp_full_match({r}, '[0-9]{{4}}[/-][0-9]{{1,2}}[/-][0-9]{{1,2}}') "
        f"THEN {literal(' (no such date: check the month and the day of the month)')} "
        f"WHEN regexp_matches({r}, '^[0-9]{{1,2}}[/.-][0-9]{{1,2}}[/.-][0-9]{{2,4}}') "
        f"THEN {literal(' (day or month first: which is meant cannot be known; write YYYY-MM-DD)')} "
        "ELSE '' END)"
    )


#: what to do about a timestamp the parser refused, by what it looks like (first match wins)
TIMESTAMP_HINTS = (
    (
        FULL_WIDTH_DIGIT,
        " (full-width digits: write the timestamp in ASCII digits, YYYY-MM-DD hh:mm:ss)",
    ),
    (
        r"^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}",
        " (day or month first: which is meant cannot be known; write the year first, "
        "YYYY-MM-DD hh:mm:ss)",
    ),
    (r"^[0-9]+$", " (a bare number: write YYYY-MM-DD hh:mm:ss, or YYYY-MM-DD for midnight)"),
    (
        r"^[0-9]{4}[/-][0-9]{1,2}[/-][0-9]{1,2}([ T][0-9:.]*)?$",
        " (no such date or time: check the day of the month, the month and the hours)",
    ),
)
_OTHER_TIMESTAMP_HINT = " (write for example 2024-03-01 16:15:02+08:00; see docs/data-format.md)"


def _timestamp_hint(text: str) -> str:
    """SQL for the hint appended to a refused timestamp's reason (`TIMESTAMP_HINTS`)."""
    cases = " ".join(
        f"WHEN regexp_matches({text}, {literal(rx)}) THEN {literal(hint)}"
        for rx, hint in TIMESTAMP_HINTS
    )
    return f"(CASE {cases} ELSE {literal(_OTHER_TIMESTAMP_HINT)} END)"


def _phone(typed: str) -> str:
    """SQL for a phone value as stored: separators dropped, full-width digits read as ASCII
    (anything not a number stays as written), one form per Chinese mobile (`phones.py`: the
    macro is the import connection's)."""
    ascii_ = f"translate({typed}, {literal(PHONE_FULL_WIDTH)}, {literal(PHONE_HALF_WIDTH)})"
    formatted = f"regexp_full_match({ascii_}, {literal(PHONE_WITH_SEPARATORS)})"
    plain = f"regexp_replace({ascii_}, {literal(PHONE_SEPARATORS)}, '', 'g')"
    return f"{MACRO}(CASE WHEN {formatted} THEN {plain} ELSE {typed} END)"


def _column_sql(col: Column, source: str | None, source_type: str, r: str, h: str) -> ColumnSql:
    """Checks for one column; `r` and `h` are the aliases of its raw value and helper value."""
    raw, kind = _raw(col, source, source_type)
    errors: list[tuple[str, str]] = []
    helper: str | None = None
    cheap: list[str] | None = None
    if col.required:
        errors.append((f"{r} IS NULL", "'missing required value'"))
    t = col.type
    if t is ColumnType.STRING:
        typed, problems = _as_text(r, kind)
        errors += problems
        if col.phone:
            typed = _phone(typed)
        if col.identifier:
            errors += _identifier_problems(typed)
        if col.choices:
            allowed = ", ".join(literal(c) for c in col.choices)
            helper, typed = f"lower({typed})", h
            errors.append(
                (
                    f"{h} NOT IN ({allowed})",
                    f"'unknown value ' || {_quoted(r)} || "
                    + literal(f" (expected one of: {', '.join(col.choices)})"),
                )
            )
    elif t is ColumnType.TIMESTAMP:
        helper, typed, problems = _timestamp(r, kind, h)
        errors += problems
        if problems:  # which of the reasons applies is worked out only for bad rows
            cheap = [f"{r} IS NOT NULL AND {h} IS NULL"]
    elif t is ColumnType.DATE:
        helper = f"TRY_CAST({r} AS DATE)"
        typed = h
        why = f"'not a date (YYYY-MM-DD): ' || {_quoted(r)} || {_date_hint(r)}"
        errors.append((f"{r} IS NOT NULL AND {h} IS NULL", why))
    elif t is ColumnType.DECIMAL:
        helper, typed, problems = _decimal(r, kind, h)
        typed = f"CASE WHEN abs({h}) < {AMOUNT_LIMIT} THEN CAST({h} AS DECIMAL(18,2)) END"
        errors += problems
        # the helper is NULL for any value that is not an exact amount: the reasons, with their
        # regular expressions, are worked out only for the rows that have a problem
        cheap = [f"{r} IS NOT NULL AND {h} IS NULL", f"abs({h}) >= {AMOUNT_LIMIT}"]
        if col.positive:
            errors.append((f"{h} <= 0", f"'must be greater than 0, got ' || {_shown(r)}"))
            cheap.append(f"{h} <= 0")
    elif t is ColumnType.INTEGER:
        helper, typed, problems = _integer(r, kind, h)
        errors += problems
    elif t is ColumnType.ID_LIST:
        items = r if kind.endswith("[]") else f"string_split({r}, ';')"
        listed = (
            f"list_filter(list_transform({items}, lambda x: trim(CAST(x AS VARCHAR))), "
            "lambda x: x IS NOT NULL AND x <> '')"
        )
        # an id named twice (G0;G0;G1) counts once, in the order first written: a repeat would
        # double the report's loss in every statistic
        typed = f"list_filter({listed}, lambda x, i: list_position({listed}, x) = i)"
        if col.required:
            errors.append((f"{r} IS NOT NULL AND len({typed}) = 0", "'no identifiers in the list'"))
    else:  # pragma: no cover - every ColumnType is handled above
        raise AssertionError(t)
    name = literal(col.name)
    items_sql = [(cond, f"struct_pack(field := {name}, reason := {why})") for cond, why in errors]
    bad = [cond for cond, _ in errors]
    if cheap is not None:
        bad = [f"{r} IS NULL", *cheap] if col.required else cheap
    return ColumnSql(raw, helper, typed, items_sql, bad)


@dataclass
class _Levels:
    """The nested SELECT lists: raw values, then expensive parses, then typed values."""

    inner: list[str]
    middle: list[str]
    outer: list[str]
    conditions: list[str]
    items: list[str]

    def query(self, final: list[str], relation: str, bad: str | None = None) -> str:
        checks = f"SELECT *, {bad} AS _bad FROM " if bad else "SELECT * FROM "  # noqa: S608 - checks built from ident()/literal()
        return (
            f"SELECT {', '.join(final)} FROM ({checks}"  # noqa: S608 - checks built from ident()/literal()
            f"(SELECT {', '.join(self.middle)} FROM "
            f"(SELECT {', '.join(self.inner)} FROM {relation})))"
        )


def _levels(
    spec: TableSpec, mapping: ColumnMapping, types: dict[str, str], only: tuple[str, ...] = ()
) -> _Levels:
    levels = _Levels([], ["*"], [], [], [])
    for i, col in enumerate(spec.columns):
        if only and col.name not in only:
            continue
        r, h = f"_r{i}", f"_h{i}"
        source = mapping.source_of[col.name]
        sql = _column_sql(col, source, types.get(source or "", "VARCHAR"), r, h)
        levels.inner.append(f"{sql.raw} AS {r}")
        if sql.helper:
            levels.middle.append(f"{sql.helper} AS {h}")
        typed = sql.typed
        if (spec.name, col.name) == LABELLED_PHONE:  # a phone's label names it as calls do
            kind = f"_h{[c.name for c in spec.columns].index('entity_kind')}"
            typed = f"CASE WHEN {kind} = 'phone' THEN {_phone(typed)} ELSE {typed} END"
        levels.outer.append(f"{typed} AS {ident(col.name)}")
        levels.conditions += [f"({cond})" for cond in sql.bad]
        levels.items += [f"CASE WHEN {cond} THEN {item} END" for cond, item in sql.errors]
    return levels


def checked_select(
    spec: TableSpec,
    mapping: ColumnMapping,
    types: dict[str, str],
    relation: str,
    line: str,
) -> str:
    """A query of the checked rows of `relation` (a FROM-clause): `_line`, the typed columns,
    `extra`, `_bad` and `_errors`.

    `types` gives each source column's DuckDB type; `line` is the SQL expression of a row's
    line (CSV) or row number (Parquet). Three levels: the raw value of each column once, then the
    expensive parses once, then the typed values and the problems (listed only for bad rows).
    """
    levels = _levels(spec, mapping, types)
    levels.inner.insert(0, f"CAST({line} AS BIGINT) AS _line")
    levels.inner.append(f"{_extra_sql(mapping, types)} AS {EXTRA_COLUMN}")
    conditions, items = levels.conditions, levels.items
    bad = f"coalesce({' OR '.join(conditions)}, false)" if conditions else "false"
    errors = (
        f"CASE WHEN _bad THEN list_filter([{', '.join(items)}], lambda x: x IS NOT NULL) END"
        if items
        else "CAST(NULL AS STRUCT(field VARCHAR, reason VARCHAR)[])"
    )
    # the problems are listed in a last level so that the row's checks are evaluated once
    final = ["_line", *levels.outer, EXTRA_COLUMN, "_bad", f"{errors} AS _errors"]
    return levels.query(final, relation, bad)


def _extra_value(column: str, kind: str) -> str:
    """A source column's value as a member of `extra`."""
    c = ident(column)
    if kind in FLOAT_TYPES:
        # NaN and infinities are no JSON numbers: kept as the strings "nan", "inf", "-inf"
        return f"CASE WHEN isfinite({c}) THEN to_json({c}) ELSE to_json(CAST({c} AS VARCHAR)) END"
    return c


def _extra_sql(mapping: ColumnMapping, types: dict[str, str]) -> str:
    """The `extra` JSON object of the file's other columns (NULL when there are none)."""
    named = [c for c in mapping.extras if c not in mapping.unnamed]
    members = (f"{literal(c.strip())}, {_extra_value(c, types.get(c, 'VARCHAR'))}" for c in named)
    base = "json_object(" + ", ".join(members) + ")" if named else "CAST('{}' AS JSON)"
    if not mapping.unnamed:
        return base if named else "CAST(NULL AS JSON)"
    # a blank-named column is nearly always empty (a trailing delimiter): it adds a member
    # under the reader's name (column7) only where it has a value, and no value is lost
    empty = [f"nullif({ident(c)}, '') IS NULL" for c in mapping.unnamed]
    patches = [
        f"CASE WHEN {e} THEN CAST('{{}}' AS JSON) ELSE json_object({literal(c)}, {ident(c)}) END"
        for c, e in zip(mapping.unnamed, empty, strict=True)
    ]
    merged = f"json_merge_patch({base}, {', '.join(patches)})"
    if named:
        return merged
    return f"CASE WHEN {' AND '.join(empty)} THEN CAST(NULL AS JSON) ELSE {merged} END"


def checked_sql(
    spec: TableSpec,
    mapping: ColumnMapping,
    types: dict[str, str],
    relation: str,
    line: str,
) -> str:
    """SQL creating the temp table `checked_rows` of `checked_select`."""
    select = checked_select(spec, mapping, types, relation, line)
    return f"CREATE OR REPLACE TEMP TABLE checked_rows AS {select}"


def keys_sql(spec: TableSpec, mapping: ColumnMapping, types: dict[str, str], relation: str) -> str:
    """A query of the file's keys exactly as `checked_sql` stores them (one row per source row,
    bad rows included)."""
    levels = _levels(spec, mapping, types, only=spec.key_columns)
    return levels.query(levels.outer, relation)
