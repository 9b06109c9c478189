"""Keeping the clue index of a home fresh: `ensure_clue_index(settings)`.

The index lives in `HOME/index/clue-<generation>-<id>/`; `HOME/index/clue.json` names the
current one with the lake fingerprint it was built from (the lake's `generation` and the row
counts of calls, messages, persons and reports) and the lake file's size and modification time,
which let a fresh process skip opening the lake when nothing changed. A rebuild writes a new
folder and swaps the pointer atomically under a file lock, so a reader never sees half an index;
the folders it replaced are removed.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaincut.settings import Settings
from chaincut.telecom.clue.store import FORMAT_VERSION

if TYPE_CHECKING:  # imported where the lake is opened: an answer from a fresh index needs none
    import duckdb

log = logging.getLogger(__name__)
POINTER = "clue.json"


class ClueUnavailable(RuntimeError):
    """No clue index can be opened or built (no lake yet, or the lake is locked by a writer)."""


def _stat(settings: Settings) -> list[int]:
    out: list[int] = []
    for path in (settings.lake_path, Path(f"{settings.lake_path}.wal")):
        st = path.stat() if path.exists() else None
        out += [st.st_size, st.st_mtime_ns] if st else [0, 0]
    return out


def _read_pointer(settings: Settings) -> dict[str, Any] | None:
    try:
        data = json.loads((settings.index_dir / POINTER).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    folder = settings.index_dir / str(data.get("folder", ""))
    if data.get("format") != FORMAT_VERSION or not (folder / "meta.json").exists():
        return None
    return dict(data)


def fingerprint(con: duckdb.DuckDBPyConnection, schema: str = "main") -> dict[str, int]:
    row = con.execute(
        f"SELECT (SELECT count(*) FROM {schema}.calls), (SELECT count(*) FROM {schema}.messages),"
        f" (SELECT count(*) FROM {schema}.persons), (SELECT count(*) FROM {schema}.reports),"
        f" (SELECT max(value) FROM {schema}.lake_meta WHERE key = 'generation')"
    ).fetchall()[0]
    return {
        "format": FORMAT_VERSION,
        "generation": int(row[4] or 0),
        "calls": int(row[0]),
        "messages": int(row[1]),
        "persons": int(row[2]),
        "reports": int(row[3]),
    }


@contextmanager
def _lock(settings: Settings) -> Iterator[None]:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with (settings.index_dir / "clue.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _connect(settings: Settings) -> duckdb.DuckDBPyConnection:
    if not settings.lake_path.exists():
        raise ClueUnavailable(f"no lake at {settings.lake_path}: import data first")
    import duckdb

    con = duckdb.connect(config=settings.duckdb_config())
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET temp_directory = '{settings.index_dir / 'tmp-clue'}'")
        con.execute("ATTACH ? AS lake (READ_ONLY)", [str(settings.lake_path)])
    except duckdb.Error as error:
        con.close()
        raise ClueUnavailable(
            f"cannot read the lake {settings.lake_path} ({error}); an import may be running"
        ) from error
    return con


def ensure_clue_index(settings: Settings) -> Path:
    """The folder of a clue index matching the lake of `settings`, built when missing or stale."""
    stat = _stat(settings)
    pointer = _read_pointer(settings)
    if pointer is not None and pointer.get("lake_stat") == stat:
        return settings.index_dir / str(pointer["folder"])
    with _lock(settings):
        pointer = _read_pointer(settings)
        con = _connect(settings)
        try:
            current = fingerprint(con, "lake")
            if pointer is None or pointer.get("fingerprint") != current:
                folder = f"clue-{current['generation']}-{uuid.uuid4().hex[:8]}"
                log.info("building the clue index %s", folder)
                from chaincut.telecom.clue.build import build_clue_index  # Ibis: only to build

                meta = build_clue_index(con, settings.index_dir / folder)
                meta.update(generation=current["generation"], built_at=_now())
                (settings.index_dir / folder / "meta.json").write_text(json.dumps(meta, indent=1))
                pointer = {"format": FORMAT_VERSION, "folder": folder, "fingerprint": current}
        finally:
            con.close()
        pointer["lake_stat"] = stat
        _write_pointer(settings, pointer)
        _remove_others(settings, str(pointer["folder"]))
        return settings.index_dir / str(pointer["folder"])


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_pointer(settings: Settings, pointer: dict[str, Any]) -> None:
    path = settings.index_dir / POINTER
    partial = path.with_name(f".{POINTER}.{uuid.uuid4().hex}")
    partial.write_text(json.dumps(pointer, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, path)


def _remove_others(settings: Settings, keep: str) -> None:
    for old in settings.index_dir.glob("clue-*"):
        if old.is_dir() and old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
