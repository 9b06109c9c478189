"""Reading a fraud-list file: CSV with a header, one identifier a line.

Columns: `kind` and `value` (required), then any of `reason`, `risk` (high, medium), `source`
(report, analyst, operator_feed, bank_feed, lake_label) and `expires_at` (an ISO date or time,
UTC when no zone is given). Every bad line is reported with its line number and field; the good
lines are returned all the same.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from chaincut.store.enums import ListedKind, ListRisk, ListSource
from chaincut.store.identifiers import normalize

COLUMNS = ("kind", "value", "reason", "risk", "source", "expires_at")


@dataclass(frozen=True)
class FileEntry:
    line: int
    kind: ListedKind
    value: str
    reason: str | None
    risk: ListRisk | None
    source: ListSource | None
    expires_at: datetime | None


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


def _when(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def read_file(path: Path) -> tuple[list[FileEntry], list[Problem]]:
    """The entries of the CSV file `path` and the problems of its bad lines.

    Raises `ValueError` when the file cannot be read as such a CSV at all (no header with
    `kind` and `value`, unknown columns, not UTF-8).
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text") from exc
        missing = [c for c in ("kind", "value") if c not in header]
        if missing:
            raise ValueError(
                f"{path}:1: the first line names the columns, kind and value among them "
                f"(missing column(s): {', '.join(missing)})"
            )
        unknown = [c for c in header if c not in COLUMNS]
        if unknown:
            raise ValueError(
                f"{path}:1: unknown column(s): {', '.join(unknown)} (known: {', '.join(COLUMNS)})"
            )
        entries: list[FileEntry] = []
        problems: list[Problem] = []
        try:
            for row in reader:
                item = _entry(reader.line_num, row)
                if isinstance(item, FileEntry):
                    entries.append(item)
                else:
                    problems.append(item)
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"{path}:{reader.line_num}: not UTF-8 text (save it as UTF-8)"
            ) from exc
        except csv.Error as exc:
            raise ValueError(f"{path}:{reader.line_num}: {exc}") from exc
    return entries, problems


def _entry(line: int, row: dict[str, str | None]) -> FileEntry | Problem:
    def text(name: str) -> str:
        return (row.get(name) or "").strip()

    try:
        kind = ListedKind(text("kind"))
    except ValueError:
        return Problem(
            line, "kind", f"{text('kind')!r} is not one of {', '.join(k.value for k in ListedKind)}"
        )
    try:
        value = normalize(kind, text("value"))
    except ValueError as exc:
        return Problem(line, "value", str(exc))
    parsed: dict[str, object] = {}
    for name, parse in (("risk", ListRisk), ("source", ListSource), ("expires_at", _when)):
        if text(name):
            try:
                parsed[name] = parse(text(name))
            except ValueError as exc:
                return Problem(line, name, f"{text(name)!r}: {exc}")
    return FileEntry(
        line,
        kind,
        value,
        text("reason") or None,
        parsed.get("risk"),  # type: ignore[arg-type]
        parsed.get("source"),  # type: ignore[arg-type]
        parsed.get("expires_at"),  # type: ignore[arg-type]
    )
