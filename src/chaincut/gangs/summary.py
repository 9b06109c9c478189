"""A gang's members counted for people: by role, and within a role by kind.

A role counts persons, lines, handsets and accounts apart: a SIM box's hundreds of lines and
handsets listed as operators are hardware, not hundreds of operators (docs/gangs.md "Round ten:
the figures"). The member list (`Member.json`) is unchanged; only its summary is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: member kinds in the order a summary names them, with their words (one, several)
KINDS: dict[str, tuple[str, str]] = {
    "person": ("person", "persons"),
    "phone": ("line", "lines"),
    "device": ("handset", "handsets"),
    "account": ("account", "accounts"),
}


def role_counts(members: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Role -> kind -> how many members of that role are of that kind (`Member.json` objects),
    roles sorted by name and kinds in `KINDS` order (unknown kinds last, by name)."""
    found: dict[str, dict[str, int]] = {}
    for m in members:
        kind = str(m.get("kind") or "member")  # (a hand-made object may name no kind)
        kinds = found.setdefault(str(m["role"]), {})
        kinds[kind] = kinds.get(kind, 0) + 1
    order = {k: i for i, k in enumerate(KINDS)}
    return {
        role: {k: kinds[k] for k in sorted(kinds, key=lambda k: (order.get(k, len(order)), k))}
        for role, kinds in sorted(found.items())
    }


def _words(kind: str, n: int) -> str:
    one, many = KINDS.get(kind, (kind, kind + "s"))
    return f"{n} {one if n == 1 else many}"


def count_lines(members: Iterable[Mapping[str, Any]]) -> list[str]:
    """The summary's lines: per role "ROLE N KIND", its other kinds on an indented line after
    ("operator 7 persons", "  364 lines, 402 handsets"); every member counted once."""
    out: list[str] = []
    for role, kinds in role_counts(members).items():
        parts = [_words(k, n) for k, n in kinds.items()]
        out.append(f"{role} {parts[0]}")
        if parts[1:]:
            out.append("  " + ", ".join(parts[1:]))
    return out
