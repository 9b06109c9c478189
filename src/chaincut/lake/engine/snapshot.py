"""The Parquet snapshot of the lake that engines outside DuckDB (Spark) read.

`HOME/spark/<table>/` holds one table exported from DuckDB with `COPY ... (FORMAT parquet)`,
tagged with the lake's `generation` and the table's DDL. A table is re-exported only when its
tag no longer matches: the export goes to a temporary folder that is renamed into place, so a
reader never sees half a table and a crash leaves at worst a stale tag, which forces a
re-export. Exports are serialised between processes by a lock file.

Decimals stay DECIMAL(18,2) and timestamps stay naive UTC (Parquet `isAdjustedToUTC=false`,
which Spark reads as TIMESTAMP_NTZ).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from chaincut.lake import catalog
from chaincut.lake.sql import ident, literal
from chaincut.model.schema import TABLE_ORDER, TABLES
from chaincut.settings import Settings

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl; exports are then unlocked
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("chaincut.lake.engine.snapshot")

#: the tag file in each table folder; Spark and Hadoop skip names starting with "_"
TAG_FILE = "_chaincut_snapshot.json"
DATA_FILE = "part-00000.parquet"


@dataclass(frozen=True)
class Snapshot:
    """Where the snapshot of each table is, which lake generation it shows, what was redone."""

    root: Path
    generation: int
    exported: tuple[str, ...]

    def folder(self, table: str) -> Path:
        return self.root / table


def schema_fingerprint(table: str) -> str:
    """Changes whenever the lake's definition of `table` changes."""
    return hashlib.sha256(catalog.table_ddl(TABLES[table]).encode()).hexdigest()[:16]


def read_tag(folder: Path) -> dict[str, object] | None:
    """The tag of an exported table folder, or None when there is none (or it is unreadable)."""
    try:
        tag = json.loads((folder / TAG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return tag if isinstance(tag, dict) else None


def is_fresh(folder: Path, table: str, generation: int) -> bool:
    tag = read_tag(folder)
    return (
        tag is not None
        and tag.get("generation") == generation
        and tag.get("schema") == schema_fingerprint(table)
        and (folder / DATA_FILE).is_file()
    )


def export_snapshot(settings: Settings, tables: Iterable[str] = TABLE_ORDER) -> Snapshot:
    """Bring `HOME/spark/` up to date with the lake, re-exporting only stale tables."""
    root = settings.spark_dir
    root.mkdir(parents=True, exist_ok=True)
    wanted = tuple(tables)
    unknown = sorted(set(wanted) - set(TABLES))
    if unknown:
        raise ValueError(f"not lake tables: {', '.join(unknown)}")
    with _export_lock(root), contextlib.closing(catalog.connect(settings, read_only=True)) as con:
        generation = catalog.generation(con)
        _remove_leftovers(root)
        stale = [t for t in wanted if not is_fresh(root / t, t, generation)]
        for table in stale:
            _export_table(con, root, table, generation)
    return Snapshot(root=root, generation=generation, exported=tuple(stale))


def _export_table(con: duckdb.DuckDBPyConnection, root: Path, table: str, gen: int) -> None:
    started = time.perf_counter()
    partial = root / f".partial-{table}-{uuid.uuid4().hex}"
    partial.mkdir()
    try:
        data = literal((partial / DATA_FILE).as_posix())
        copy = f"COPY {ident(table)} TO {data} (FORMAT parquet, COMPRESSION zstd)"
        row = con.execute(copy).fetchone()
        rows = int(row[0]) if row else 0
        tag = {
            "table": table,
            "generation": gen,
            "schema": schema_fingerprint(table),
            "rows": rows,
            "exported_at": datetime.now(UTC).isoformat(),
        }
        (partial / TAG_FILE).write_text(json.dumps(tag, indent=1), encoding="utf-8")
        _swap_into_place(partial, root / table)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    log.info(
        "exported %s (%d rows, generation %d) in %.2f s",
        table,
        rows,
        gen,
        time.perf_counter() - started,
    )


def _swap_into_place(partial: Path, target: Path) -> None:
    """Rename `partial` to `target`; an old `target` is moved aside first, then removed.

    POSIX cannot rename over a non-empty folder, so there is a moment with no `target`; the
    lock keeps other exporters out, and a crash then leaves no tag, which forces a re-export.
    """
    old = target.with_name(f".old-{target.name}-{uuid.uuid4().hex}")
    if target.exists():
        os.rename(target, old)
    os.rename(partial, target)
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(root: Path) -> None:
    for leftover in root.glob(".partial-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in root.glob(".old-*"):
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def _export_lock(root: Path) -> Iterator[None]:
    with open(root / ".export.lock", "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
