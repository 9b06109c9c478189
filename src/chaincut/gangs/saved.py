"""The link graph kept with the last gang analysis (`HOME/gangs/graph.json.gz`), so that a
report filed later joins its gang without collecting the lake again (`incremental.live_join`).

What is kept: the evidence `collect` gathered (the rows the graph is built from), the person
links (the analyst's judgements applied), the grouping of the weighted graph before the
analysis placed dealers' idle cards and lines' targets, the weights it was grouped on, and the
lake generation it was collected at. A graph of another generation is stale: the lake changed
under it (an import), and only a new `chaincut gangs` run says what the new data means.

Decimals and times are tagged in the JSON, so the rows come back exactly as collected.
"""

from __future__ import annotations

import gzip
import json
import os
import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from chaincut.gangs.collect import Evidence
from chaincut.gangs.people import PersonLink

FILE = Path("gangs") / "graph.json.gz"
#: the file's layout; another version is read as no saved graph (the next run writes one)
VERSION = 1

Pair = tuple[str, str]


@dataclass
class SavedGraph:
    """The state a live join starts from and leaves behind."""

    generation: int
    evidence: Evidence
    links: list[PersonLink]
    groups: list[list[str]]
    weights: dict[Pair, float]
    seed: int = 0


def graph_path(home: Path) -> Path:
    return home / FILE


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": list(value)}
    raise TypeError(f"cannot save a {type(value).__name__} in the gang graph")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((key, value),) = obj.items()
        if key == "$dec":
            return Decimal(value)
        if key == "$dt":
            return datetime.fromisoformat(value)
        if key == "$date":
            return date.fromisoformat(value)
        if key == "$tuple":
            return tuple(value)
    return obj


def _tuples(value: Any) -> Any:
    """Tuples (the `reach` values) tagged: `json` would write them as lists otherwise."""
    if isinstance(value, tuple):
        return {"$tuple": [_tuples(v) for v in value]}
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tuples(v) for v in value]
    return value


def save_graph(home: Path, saved: SavedGraph) -> Path:
    """Write `saved` to the home, all or nothing."""
    data = {
        "version": VERSION,
        "generation": saved.generation,
        "seed": saved.seed,
        "evidence": {f.name: _tuples(getattr(saved.evidence, f.name)) for f in fields(Evidence)},
        "links": [[k.a, k.b, k.match_weight, k.probability, k.source] for k in saved.links],
        "groups": saved.groups,
        "weights": [[a, b, w] for (a, b), w in sorted(saved.weights.items())],
    }
    path = graph_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        # level 1: the file is written on every live join, where time matters more than bytes
        with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as fh:
            json.dump(data, fh, ensure_ascii=False, default=_encode)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def load_graph(home: Path) -> SavedGraph | None:
    """The saved graph, or None when none was saved (or in an older layout)."""
    path = graph_path(home)
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh, object_hook=_decode)
    if data.get("version") != VERSION:
        return None
    ev = Evidence(**data["evidence"])
    return SavedGraph(
        generation=int(data["generation"]),
        evidence=ev,
        links=[PersonLink(a, b, float(w), float(p), src) for a, b, w, p, src in data["links"]],
        groups=[list(g) for g in data["groups"]],
        weights={(a, b): float(w) for a, b, w in data["weights"]},
        seed=int(data["seed"]),
    )
