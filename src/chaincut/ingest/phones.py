"""One form for a Chinese mobile number in the lake: E.164, `+8613800005678`.

Banks, operators and police systems write the same mobile as `+8613800005678`, `0086…`,
`8613800005678` or `13800005678`. chaincut joins calls, messages, persons and labels on the
number as stored, so a number written two ways would count as two numbers (its calls split, its
holder unknown to its calls, its label missing from its scores). The importer therefore stores
every Chinese mobile (11 digits, `1[3-9]…`) in E.164: with the country code (`+86`, `0086`) in
any region, and without it (`13800005678`, `8613800005678`) when `CHAINCUT_PHONE_REGION` is CN,
the region a number without country code is read in (elsewhere `13125551234` may be a number of
another country). Any other number written with China's international prefix `00` instead of `+`
(`0063 917 123 4567`, a den's number abroad in an operator's records) is stored with `+`
(`+639171234567`), and a `0` after `+86` (`+86 (0)10 8888 6666`, the trunk prefix that a domestic
number keeps when people add the country code in front of it) is dropped (`+861088886666`; only
before a digit 1-9, so that storing a stored number again changes nothing), so
that a number written with `+` in one table and `00` in another is one number; outside CN only a
number written `0086…` is read so. Other numbers (landlines and service numbers written without a
country code, SMS gateways, IM ids) are kept as written but for separators
(`chaincut.ingest.values`).

The original writing is not kept beside it: the number is the same (its 11 digits are the last
11 of the stored form), only the way it was written differs, as with the separators already
dropped; and the `extra` column holds the source's own columns, where a key of ours could meet
one of theirs.

The rule is a DuckDB macro, `chaincut_phone(text)`, defined on the import's connection
(`define_macro`), so that the checked SQL (`validate.py`) is the same for every region. A lake
imported before this rule may hold the other forms: `upgrade_lake` rewrites them once, inside
the first import's transaction, so that importing the same file again changes nothing.
"""

from __future__ import annotations

import re

import duckdb

from chaincut.lake.sql import literal

#: the SQL macro the checked SQL applies to every phone value (after dropping separators)
MACRO = "chaincut_phone"
#: a Chinese mobile with the country code written as + or 00
WITH_CODE = r"(?:\+86|0086)1[3-9][0-9]{9}"
#: ... and, where numbers are read as Chinese, also without it or with a bare 86
ANY_FORM_CN = r"(?:\+86|0086|86)?1[3-9][0-9]{9}"
#: the phone columns of each table (labels: entity_id where entity_kind is phone)
PHONE_COLUMNS = {
    "calls": ("caller", "callee"),
    "messages": ("sender", "receiver"),
    "persons": ("phone",),
}
#: lake_meta key recording that the lake's numbers were brought to the form of this region
_META_KEY = "phone_form"


#: a number with China's country code and the trunk prefix kept (`+86 (0)10 …`), and a number
#: written with the international prefix `00` (E.164 allows 15 digits after it); the first is
#: read so in any region, the second only in CN, where `00` is the international prefix
TRUNK_ZERO = r"(?:\+|00)860[1-9][0-9]{5,12}"
IDD_CN = r"00[1-9][0-9]{6,14}"
IDD_ANY = r"0086[1-9][0-9]{5,12}"


def pattern(region: str) -> str:
    """The numbers (RE2, full match) stored as `+86` and their last 11 digits in `region`."""
    return ANY_FORM_CN if region.upper() == "CN" else WITH_CODE


def international(region: str) -> str:
    """The other numbers (RE2, full match) whose `00` becomes `+` and whose `0` after `+86` goes."""
    return f"{TRUNK_ZERO}|{IDD_CN if region.upper() == 'CN' else IDD_ANY}"


def canonical(text: str, region: str) -> str:
    """`text` (separators already dropped) as the importer stores it; the macro in Python."""
    if re.fullmatch(pattern(region), text):
        return "+86" + text[-11:]
    if re.fullmatch(international(region), text):
        return re.sub(r"^\+860([1-9])", r"+86\1", re.sub(r"^00", "+", text))
    return text


def define_macro(con: duckdb.DuckDBPyConnection, region: str) -> None:
    """Define `chaincut_phone(p)` on `con` for numbers read in `region`."""
    con.execute(
        f"CREATE OR REPLACE TEMP MACRO {MACRO}(p) AS "
        f"CASE WHEN regexp_full_match(p, {literal(pattern(region))}) "
        "THEN '+86' || right(p, 11) "
        f"WHEN regexp_full_match(p, {literal(international(region))}) "
        "THEN regexp_replace(regexp_replace(p, '^00', '+'), '^\\+860([1-9])', '+86\\1') ELSE p END"
    )


def _form(region: str) -> str:
    """What lake_meta records for the rule of `region` (a lake of an older rule is upgraded)."""
    return f"{pattern(region)} {international(region)}"


def upgrade_lake(con: duckdb.DuckDBPyConnection, region: str) -> int:
    """Rewrite, once per lake and region, the numbers an earlier import stored in another
    form; returns how many values changed. Runs inside the caller's transaction, after
    `define_macro`. A label written in both forms keeps the one already in E.164."""
    done = con.execute("SELECT value FROM lake_meta WHERE key = ?", [_META_KEY]).fetchall()
    if done and done[0][0] == _form(region):
        return 0
    changed = 0

    def match(c: str) -> str:  # a number in another form than the one stored from now on
        return f"{MACRO}({c}) <> {c}"

    for table, columns in PHONE_COLUMNS.items():
        for c in columns:
            where = match(f'"{c}"')
            sql = f'UPDATE "{table}" SET "{c}" = {MACRO}("{c}") WHERE {where}'  # noqa: S608 - fixed names
            changed += _count(con.execute(sql))
    phone = match("l.entity_id") + " AND l.entity_kind = 'phone'"
    con.execute(  # the national form of a label also held in E.164 goes: one label per number
        "DELETE FROM labels WHERE entity_kind = 'phone' AND (entity_id, entity_kind) IN "  # noqa: S608
        f"(SELECT l.entity_id, l.entity_kind FROM labels l WHERE {phone} AND EXISTS "
        f"(SELECT 1 FROM labels k WHERE k.entity_kind = 'phone' "
        f"AND k.entity_id = {MACRO}(l.entity_id)))"
    )
    where = match("entity_id") + " AND entity_kind = 'phone'"
    sql = f"UPDATE labels SET entity_id = {MACRO}(entity_id) WHERE {where}"  # noqa: S608
    changed += _count(con.execute(sql))
    con.execute("INSERT OR REPLACE INTO lake_meta VALUES (?, ?)", [_META_KEY, _form(region)])
    return changed


def _count(cursor: duckdb.DuckDBPyConnection) -> int:
    row = cursor.fetchone()
    return int(row[0]) if row else 0
