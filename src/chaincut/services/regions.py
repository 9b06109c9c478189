"""Region names from the six-digit administrative-division codes (GB/T 2260) that begin every
resident ID number, read from the table shipped with the package (`chaincut/data/divisions.csv`,
3,500 provinces, cities and counties).

A code the table does not know (a county created since, a foreign world's made-up code) is named
by its city or province when those are known, else shown as the code itself.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files


@cache
def divisions() -> dict[str, str]:
    """code -> full name (四川省成都市武侯区), from the shipped table."""
    text = files("chaincut").joinpath("data/divisions.csv").read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return {row["code"]: row["full_name"] for row in csv.DictReader(lines)}


def region_name(code: str) -> str:
    """The name of division `code`, or of the nearest enclosing one known, or `code`."""
    table = divisions()
    if code in table:
        return table[code]
    for enclosing in (code[:4] + "00", code[:2] + "0000"):
        if len(code) == 6 and code.isdigit() and enclosing in table:
            return f"{table[enclosing]}（{code}）"
    return code
