"""The last gang analysis, kept in the home (`HOME/gangs/gangs.jsonl`) for the service and the
console to read: one JSON object per gang, as `chaincut gangs` writes them, written atomically.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

FILE = Path("gangs") / "gangs.jsonl"


def gangs_path(home: Path) -> Path:
    return home / FILE


def save(home: Path, gangs: list[dict[str, Any]]) -> Path:
    """Write `gangs` (JSON objects) to the home, all or nothing."""
    path = gangs_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        with partial.open("w", encoding="utf-8") as fh:
            for g in gangs:
                fh.write(json.dumps(g, ensure_ascii=False) + "\n")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def load(home: Path) -> list[dict[str, Any]] | None:
    """The gangs of the last analysis, or None when none was run in this home."""
    path = gangs_path(home)
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
