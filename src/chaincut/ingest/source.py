"""Finding the interchange tables in a folder."""

from __future__ import annotations

import stat
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
    #: why the file is refused before it is opened (a link out of the folder, not a regular
    #: file); None for a file that can be read
    problem: str | None = None

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


def file_problem(path: Path, root: Path) -> str | None:
    """Why `path` must not be opened as a table file, or None.

    Checked before anything reads the file: a named pipe would block the import forever, a
    device would never end, and a link that leaves the folder would let an upload (or a careless
    folder) make the importer read, and quote in its rejects, a file the user never meant to give.
    """
    try:
        if path.is_symlink():
            target = path.resolve(strict=False)
            if not target.exists():
                return "a symbolic link to a file that does not exist; nothing was read"
            if not target.is_relative_to(root.resolve()):
                return (
                    "a symbolic link to a file outside the folder; links out of the folder are "
                    "not followed (copy the file into the folder)"
                )
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "not a regular file"
        return f"{kind}; only regular files are imported"
    return None


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
        if entry.is_dir() and not entry.is_symlink():
            if entry.name in found:
                for part in sorted(entry.rglob("*")):
                    fmt = _format_of(part)
                    if fmt and not part.is_dir():
                        problem = file_problem(part, folder)
                        found[entry.name].append(SourceFile(entry.name, part, fmt, problem))
            elif entry.name not in ("truth", "rejects"):
                ignored.append(entry)
            continue
        fmt = _format_of(entry)
        table = _table_of(entry)
        if fmt and table in found:
            found[table].append(SourceFile(table, entry, fmt, file_problem(entry, folder)))
        else:
            ignored.append(entry)
    files = [f for name in TABLE_ORDER for f in found[name]]
    return files, ignored
