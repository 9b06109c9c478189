"""Keeping the trace index in the home fresh: `ensure_index(settings)`.

The index lives in `HOME/index/trace-<generation>-<id>/`, and `HOME/index/trace.json` names the
current one with the lake fingerprint it was built from: the lake's `generation` plus row
counts of transactions, accounts and reports (so rows inserted without an import are noticed),
and the lake file's size and modification time, which let a fresh process skip opening the lake
when nothing changed. A rebuild writes a new folder and then swaps the pointer atomically, under
a file lock, so a reader never sees a half-built index. When the lake only gained transactions
later than the index's last one (the normal import), the new folder is the old index extended
(`chaincut.trace.index.extend`) instead of a full rebuild.
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaincut.settings import Settings
from chaincut.trace.index.mapped import TraceIndex

if TYPE_CHECKING:
    import duckdb
from chaincut.trace.model import INDEX_FORMAT as FORMAT_VERSION

log = logging.getLogger(__name__)


class IndexUnavailable(RuntimeError):
    """No trace index can be opened or built (no lake yet, or the lake is locked)."""


def _pointer(settings: Settings) -> Path:
    return settings.index_dir / "trace.json"


def _lake_stat(settings: Settings) -> list[int]:
    out: list[int] = []
    for path in (settings.lake_path, Path(f"{settings.lake_path}.wal")):
        st = path.stat() if path.exists() else None
        out += [st.st_size, st.st_mtime_ns] if st else [0, 0]
    return out


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """What the index must match: the lake's generation and its row counts."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM transactions), (SELECT count(*) FROM accounts), "
        "(SELECT count(*) FROM reports), "
        "(SELECT max(value) FROM lake_meta WHERE key = 'generation')"
    ).fetchall()[0]
    return {
        "format": FORMAT_VERSION,
        "generation": int(counts[3] or 0),
        "transactions": int(counts[0]),
        "accounts": int(counts[1]),
        "reports": int(counts[2]),
    }


def _read_pointer(settings: Settings) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(_pointer(settings).read_text())
    except (OSError, ValueError):
        return None
    if not (settings.index_dir / data.get("dir", "")).joinpath("meta.json").exists():
        return None
    if data.get("fp", {}).get("format") != FORMAT_VERSION:
        return None  # built by another version of chaincut: rebuild
    return data


def _write_pointer(settings: Settings, data: dict[str, Any]) -> None:
    tmp = settings.index_dir / f".trace.json.{os.getpid()}"
    tmp.write_text(json.dumps(data))
    os.replace(tmp, _pointer(settings))


@contextmanager
def _locked(settings: Settings) -> Iterator[None]:
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.index_dir / "trace.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _open_lake(settings: Settings) -> duckdb.DuckDBPyConnection:
    import duckdb

    if not settings.lake_path.exists():
        raise IndexUnavailable(
            f"no lake at {settings.lake_path}: import data first (chaincut import DIR)"
        )
    # a DuckDB instance of the build's own, with the lake attached read-only: the settings the
    # build changes (spill folder, insertion order) are global to an instance, and must not
    # reach other connections of this process to the lake (the service's shared reader)
    try:
        con = duckdb.connect(config=settings.duckdb_config())  # threads, memory cap: it sorts
    except duckdb.Error as exc:
        raise IndexUnavailable(f"cannot open DuckDB for the lake's trace index: {exc}") from exc
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        con.execute("ATTACH ? AS lake (READ_ONLY)", [str(settings.lake_path)])
        con.execute("USE lake")
    except duckdb.Error as exc:
        con.close()
        raise IndexUnavailable(f"cannot open the lake {settings.lake_path}: {exc}") from exc
    return con


def ensure_index(
    settings: Settings, con: duckdb.DuckDBPyConnection | None = None, *, rebuild: bool = False
) -> TraceIndex:
    """The trace index of the lake in `settings.home`, rebuilt first if the lake changed.

    The importer calls it after an import with its own connection `con`; otherwise the lake is
    opened read-only, and only when its file changed since the index was built. If the lake is
    locked by another process, a previous index is used (with a warning) when there is one.
    """
    current = _read_pointer(settings)
    if current and not rebuild and current.get("lake_stat") == _lake_stat(settings) and con is None:
        return TraceIndex(settings.index_dir / current["dir"])
    with _locked(settings):
        current = _read_pointer(settings)
        own = con is None
        try:
            lake = _open_lake(settings) if con is None else con
        except IndexUnavailable:
            if current is None:
                raise
            log.warning("lake unavailable; using the trace index built at %s", current["fp"])
            return TraceIndex(settings.index_dir / current["dir"])
        try:
            fp = fingerprint(lake)
            if current and not rebuild and current.get("fp") == fp:
                current["lake_stat"] = _lake_stat(settings)
                _write_pointer(settings, current)
                return TraceIndex(settings.index_dir / current["dir"])
            name = f"trace-{fp['generation']}-{uuid.uuid4().hex[:8]}"
            _configure(lake, settings.index_dir / name, own=own)
            try:
                _build(lake, settings.index_dir, name, None if rebuild else current)
            finally:
                shutil.rmtree(settings.index_dir / name / "tmp", ignore_errors=True)
        finally:
            if own:
                lake.close()
        _write_pointer(settings, {"dir": name, "fp": fp, "lake_stat": _lake_stat(settings)})
        for old in settings.index_dir.glob("trace-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)
        return TraceIndex(settings.index_dir / name)


def _build(
    con: duckdb.DuckDBPyConnection, index_dir: Path, name: str, current: dict[str, Any] | None
) -> None:
    """Extend the current index when the lake only gained later transactions, else rebuild."""
    from chaincut.trace.index.build import build_index
    from chaincut.trace.index.extend import extend_index

    out = index_dir / name
    if current is not None and extend_index(con, index_dir / current["dir"], out) is not None:
        return
    build_index(con, out)


def _configure(con: duckdb.DuckDBPyConnection, out: Path, *, own: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    if own:
        # on the build's own instance (see _open_lake): the sort spills next to the new index,
        # not beside a lake we may only read, and need not keep rows in insertion order (less
        # memory at 100 M rows). A caller's connection is left as it is: both settings are
        # global to its DuckDB instance, and DuckDB cannot switch (or reset) the temporary
        # directory once it has spilled there, as a 100 M-row import does
        con.execute(f"SET temp_directory = '{out / 'tmp'}'")
        con.execute("SET preserve_insertion_order = false")
