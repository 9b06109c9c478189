"""The flagged accounts of the last whole-lake scoring, kept in the home for the next reader.

`chaincut score accounts` and `chaincut gangs` score every account of the lake; at 10 M
transactions that is the largest part of a gang analysis. The flagged accounts and their
scores are written to `HOME/index/account-flags.parquet`, with the lake's fingerprint (its
generation and row counts, as the trace index checks them), the model's digest and the engine
that scored them. A later reader gets them back only when all three are the same; anything
else (an import since, another model, a damaged file) reads as nothing, and the caller scores
again. Scores are Parquet float64 columns: the values come back bit for bit.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from chaincut.lake.engine.base import Engine
from chaincut.scoring.model import AccountModel

log = logging.getLogger(__name__)

FILE = "account-flags.parquet"
FORMAT = 1
_KEY = b"chaincut.account-flags"


def model_digest(model: AccountModel) -> str:
    """A digest of everything in `model` that decides a score (its whole saved form)."""
    text = json.dumps(model.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def flags_key(engine: Engine, model: AccountModel) -> dict[str, Any]:
    """What saved flags must match to be this lake's and this model's."""
    from chaincut.lake.readers.trace_index import lake_fingerprint

    return {
        "format": FORMAT,
        "lake": lake_fingerprint(engine),
        "model": model_digest(model),
        "engine": engine.name,
    }


def _path(engine: Engine, file: str = FILE) -> Path:
    return engine.settings.index_dir / file


def save_flags(
    engine: Engine,
    key: dict[str, Any],
    flags: dict[str, float],
    *,
    file: str = FILE,
    meta: bytes = _KEY,
) -> None:
    """Keep `flags` (account -> score of the flagged accounts) under `key` in the home's index
    folder (`file`, the key under the schema metadata `meta`); a home that cannot be written
    only loses the saving (logged)."""
    ids = sorted(flags)
    table = pa.table(
        {
            "account_id": pa.array(ids, pa.string()),
            "score": pa.array([flags[a] for a in ids], pa.float64()),
        }  # fmt: skip
    ).replace_schema_metadata({meta: json.dumps(key, sort_keys=True).encode("utf-8")})
    target = _path(engine, file)
    partial = target.with_name(f".{file}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, partial)
        os.replace(partial, target)  # a reader sees the old file or the new, never half
    except OSError as error:
        log.warning("account scores not kept in %s: %s", target.parent, error)
        partial.unlink(missing_ok=True)


def load_flags(
    engine: Engine, key: dict[str, Any], *, file: str = FILE, meta: bytes = _KEY
) -> dict[str, float] | None:
    """The flags saved under `key` (in `file`, by `save_flags`), or None when there are none
    for it (or none readable)."""
    try:
        table = pq.read_table(_path(engine, file))
    except (OSError, pa.ArrowException):
        return None
    found = (table.schema.metadata or {}).get(meta)
    try:
        if found is None or json.loads(found) != key:
            return None
    except ValueError:
        return None
    ids, scores = table.column("account_id").to_pylist(), table.column("score").to_pylist()
    return {str(a): float(s) for a, s in zip(ids, scores, strict=True)}


def flagged_accounts(engine: Engine, model: AccountModel | None = None) -> dict[str, float]:
    """The accounts `model` (default: the shipped one) flags on the lake behind `engine`,
    with their scores: the saved ones when the lake, the model and the engine are those they
    were saved for, else scored now (`score_accounts`) and saved."""
    from chaincut.scoring.model import default_model
    from chaincut.scoring.score import score_accounts

    model = model or default_model()
    key = flags_key(engine, model)
    found = load_flags(engine, key)
    if found is not None:
        return found
    s = score_accounts(engine, model, explain=0)
    flags = flags_of(s.ids, s.values, s.flagged)
    save_flags(engine, key, flags)
    return flags


def flags_of(ids: Any, values: Any, flagged: Any) -> dict[str, float]:
    """account -> score of the flagged accounts among the scores' columns."""
    return {str(a): float(v) for a, v, f in zip(ids, values, flagged, strict=True) if bool(f)}
