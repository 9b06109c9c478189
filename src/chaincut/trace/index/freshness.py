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

import json
import logging
import os
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaincut.lake.locks import index_lock
from chaincut.settings import Settings
from chaincut.trace.index.mapped import TraceIndex
from chaincut.trace.model import INDEX_FORMAT as FORMAT_VERSION

if TYPE_CHECKING:  # the lake engines (Ibis, Arrow) load only when the index must be rebuilt
    from chaincut.lake.engine import Engine

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


def fingerprint(engine: Engine) -> dict[str, int]:
    """What the index must match: the lake's generation and its row counts."""
    from chaincut.lake.readers import trace_index as lake_reader

    return {"format": FORMAT_VERSION, **lake_reader.lake_fingerprint(engine)}


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


def _open_lake(settings: Settings) -> Engine:
    """The engine the build reads the lake with (`build_engine`), connected."""
    from chaincut.lake.engine import EngineError, build_engine

    if not settings.lake_path.exists():
        raise IndexUnavailable(
            f"no lake at {settings.lake_path}: import data first (chaincut import DIR)"
        )
    engine = build_engine(settings)
    try:
        engine.connect()  # Spark: brings the snapshot up to date
    except EngineError as exc:
        engine.close()
        raise IndexUnavailable(f"cannot open the lake {settings.lake_path}: {exc}") from exc
    return engine


def ensure_index(
    settings: Settings, engine: Engine | None = None, *, rebuild: bool = False
) -> TraceIndex:
    """The trace index of the lake in `settings.home`, rebuilt first if the lake changed.

    A caller that holds the lake open (an importer, with its own connection) passes an
    `engine` over it; otherwise the lake is opened read-only with the settings' engine, and
    only when its file changed since the index was built. If the lake is locked by another
    process, a previous index is used (with a warning) when there is one.
    """
    current = _read_pointer(settings)
    fresh_stat = current and current.get("lake_stat") == _lake_stat(settings)
    if current and not rebuild and fresh_stat and engine is None:
        return TraceIndex(settings.index_dir / current["dir"])
    with index_lock(settings, "trace"):
        current = _read_pointer(settings)
        own = engine is None
        try:
            lake = _open_lake(settings) if engine is None else engine
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
            (settings.index_dir / name).mkdir(parents=True, exist_ok=True)
            if own:  # a caller's engine keeps its settings (see DuckDBEngine.spill_to)
                lake.spill_to(settings.index_dir / name / "tmp")
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


def _build(engine: Engine, index_dir: Path, name: str, current: dict[str, Any] | None) -> None:
    """Extend the current index when the lake only gained later transactions, else rebuild."""
    from chaincut.trace.index.build import build_index
    from chaincut.trace.index.extend import extend_index

    out = index_dir / name
    if current is not None and extend_index(engine, index_dir / current["dir"], out) is not None:
        return
    build_index(engine, out)
