"""Keeping the clue index of a home fresh: `ensure_clue_index(settings)`.

The index lives in `HOME/index/clue-<generation>-<id>/`; `HOME/index/clue.json` names the
current one with the lake fingerprint it was built from (the lake's `generation` and the row
counts of calls, messages, persons and reports, and the digest of the shipped number model whose
scores it holds, so an upgrade that brings a new model rebuilds it) and the lake file's size and
modification time,
which let a fresh process skip opening the lake when nothing changed. A rebuild writes a new
folder and swaps the pointer atomically under a file lock, so a reader never sees half an index;
the folders it replaced are removed. The lake is read through the settings' engine (DuckDB or
Spark, `chaincut.lake.readers.clue_index`); an index built on either is the same.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chaincut.lake.locks import index_lock
from chaincut.settings import Settings
from chaincut.telecom.clue.store import FORMAT_VERSION

if TYPE_CHECKING:  # the lake engines (Ibis, Arrow) load only when the index must be rebuilt
    from chaincut.lake.engine import Engine

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
    if data.get("fingerprint", {}).get("model") != model_digest():
        return None  # built with another number model's scores (`num_score`)
    return dict(data)


def model_digest() -> str:
    """The first 16 hex digits of the SHA-256 of the shipped number model's file."""
    from importlib import resources

    # the file `chaincut.telecom.model.shipped("number")` reads, named here so that a fresh
    # `chaincut clue` does not import the model module (numpy, scikit-learn) to check it
    source = resources.files("chaincut.telecom") / "model" / "numbers.json"
    return hashlib.sha256(source.read_bytes()).hexdigest()[:16]


def fingerprint(engine: Engine) -> dict[str, int | str]:
    """What the index must match: its format, the lake's generation and its row counts of
    calls, messages, persons and reports, and the shipped number model (`model_digest`)."""
    from chaincut.lake.readers.clue_index import lake_fingerprint

    return {"format": FORMAT_VERSION, **lake_fingerprint(engine), "model": model_digest()}


def _open_lake(settings: Settings) -> Engine:
    """The engine the build reads the lake with (`build_engine`), connected, spilling into
    the index folder."""
    from chaincut.lake.engine import EngineError, build_engine

    if not settings.lake_path.exists():
        raise ClueUnavailable(f"no lake at {settings.lake_path}: import data first")
    engine = build_engine(settings)
    try:
        engine.connect()  # Spark: brings the snapshot up to date
        engine.spill_to(settings.index_dir / "tmp-clue")
    except EngineError as error:
        engine.close()
        raise ClueUnavailable(
            f"cannot read the lake {settings.lake_path} ({error}); an import may be running"
        ) from error
    return engine


def ensure_clue_index(settings: Settings) -> Path:
    """The folder of a clue index matching the lake of `settings`, built when missing or stale."""
    stat = _stat(settings)
    pointer = _read_pointer(settings)
    if pointer is not None and pointer.get("lake_stat") == stat:
        return settings.index_dir / str(pointer["folder"])
    with index_lock(settings, "clue"):
        pointer = _read_pointer(settings)
        engine = _open_lake(settings)
        try:
            current = fingerprint(engine)
            if pointer is None or pointer.get("fingerprint") != current:
                folder = f"clue-{current['generation']}-{uuid.uuid4().hex[:8]}"
                log.info("building the clue index %s on %s", folder, engine.name)
                from chaincut.telecom.clue.build import build_clue_index  # Ibis: only to build

                meta = build_clue_index(engine, settings.index_dir / folder)
                meta.update(generation=current["generation"], built_at=_now(), engine=engine.name)
                (settings.index_dir / folder / "meta.json").write_text(json.dumps(meta, indent=1))
                pointer = {"format": FORMAT_VERSION, "folder": folder, "fingerprint": current}
        finally:
            engine.close()
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
