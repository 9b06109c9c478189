"""Finding the interchange tables in a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chaincut.model.schema import TABLE_ORDER

CSV_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".tsv.gz")
PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True)
class SourceFile:
    """One file holding (part of) one interchange table."""

    table: str
    path: Path
    format: str  # "csv" or "parquet"

    @property
    def display(self) -> str:
        return str(self.path)


class SourceError(ValueError):
    """The folder given to the importer cannot be read as the interchange format."""


def _format_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None


def _table_of(path: Path) -> str:
    name = path.name
    for suffix in (*CSV_SUFFIXES, *PARQUET_SUFFIXES):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def discover(folder: Path) -> tuple[list[SourceFile], list[Path]]:
    """The table files in `folder`, in import order, and the files that are not tables.

    A table is `<table>.csv` (or .csv.gz, .tsv, .tsv.gz), `<table>.parquet`, or a sub-folder `<table>/`
    holding such files (parts of one table). Anything else is returned as ignored, so the
    caller can tell the user (a misspelt `transaction.csv` should not vanish silently).
    """
    if not folder.exists():
        raise SourceError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise SourceError(f"{folder}: not a folder (give the folder that holds the tables)")
    found: dict[str, list[SourceFile]] = {name: [] for name in TABLE_ORDER}
    ignored: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if entry.name in found:
                for part in sorted(entry.rglob("*")):
                    fmt = _format_of(part)
                    if part.is_file() and fmt:
                        found[entry.name].append(SourceFile(entry.name, part, fmt))
            elif entry.name not in ("truth", "rejects"):
                ignored.append(entry)
            continue
        fmt = _format_of(entry)
        table = _table_of(entry)
        if fmt and table in found:
            found[table].append(SourceFile(table, entry, fmt))
        else:
            ignored.append(entry)
    files = [f for name in TABLE_ORDER for f in found[name]]
    return files, ignored
