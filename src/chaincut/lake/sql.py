"""Quoting for the few places that must compose SQL text.

Values always travel as parameters. Identifiers (table and column names, some from a user's file
header) cannot be parameters, so they are quoted here and nowhere else.
"""

from __future__ import annotations


def ident(name: str) -> str:
    """A SQL identifier, double-quoted with embedded quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal for text that is part of the program (reasons, choices)."""
    return "'" + text.replace("'", "''") + "'"
