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
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from chaincut.gangs.collect import Evidence
from chaincut.gangs.people import PersonLink
from chaincut.gangs.rowset import RowSet

FILE = Path("gangs") / "graph.json.gz"
#: the reports joined live since: one line each, the evidence it added and the groups after
JOURNAL = Path("gangs") / "graph.journal.jsonl"
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
    #: parts of the last graph built (`build.build_graph`'s `memo`): held in memory between
    #: joins, never saved; reused only where their inputs are equal
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def graph_path(home: Path) -> Path:
    return home / FILE


#: evidence rows `collect` does not return sorted (built in a loop): new ones go last
_UNSORTED = frozenset({"indicators", "targeted"})


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    """`collect`'s order: by the row's plain columns in turn (nulls last, as Arrow sorts)."""
    if "totals" in row:  # a trace: `trace_all_engine` sorts them by report id
        return (row["report_id"],)
    return tuple((v is None, v) for v in row.values() if not isinstance(v, (list, dict)))


def merge(ev: Evidence, extra: Evidence) -> Evidence:
    """`ev` with the rows and figures of `extra` (a new report's evidence) added: each row
    once, in the order `collect` would have returned them; `extra`'s figures win."""
    return merge_added(ev, extra)[0]


def merge_added(ev: Evidence, extra: Evidence) -> tuple[Evidence, Evidence]:
    """`merge`, and the rows of `extra` it added (those `ev` did not hold, each once; the
    figures as `extra` gives them): what a live join changed, for the parts kept between
    joins. A list `extra` adds nothing to is `ev`'s own list."""
    out, added = replace(ev), Evidence()
    for f in fields(Evidence):
        old, new = getattr(ev, f.name), getattr(extra, f.name)
        if not new:
            continue
        if isinstance(old, dict):
            setattr(out, f.name, old | new)
            setattr(added, f.name, dict(new))
            continue
        # (a few new rows against many old ones: a dict comparison each is cheaper than
        # writing every old row out to compare them)
        rows = list(old)
        for r in new:
            if r not in rows:
                rows.append(r)
        setattr(added, f.name, rows[len(old) :])
        if len(rows) == len(old):
            continue  # (nothing new: the list stays the one kept parts were made of)
        if f.name not in _UNSORTED:
            rows.sort(key=_key)
        setattr(out, f.name, rows)
    return out, added


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


#: the types of a row's plain values, left as they are without asking what else they are (an
#: `isinstance` against `RowSet`, an abstract `Sequence`, was most of writing the graph)
_PLAIN = frozenset({str, int, float, bool, type(None), Decimal, datetime, date})


def _tuples(value: Any) -> Any:
    """Tuples (the `reach` values) tagged: `json` would write them as lists otherwise."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, tuple):
        return {"$tuple": [_tuples(v) for v in value]}
    if isinstance(value, dict):
        return {k: v if type(v) in _PLAIN else _tuples(v) for k, v in value.items()}
    if isinstance(value, list | RowSet):  # (`collect` keeps its largest row sets as columns)
        return [v if type(v) in _PLAIN else _tuples(v) for v in value]
    return value


def _evidence_json(ev: Evidence, *, only_filled: bool = False) -> dict[str, Any]:
    return {f.name: _tuples(getattr(ev, f.name)) for f in fields(Evidence)
            if not only_filled or getattr(ev, f.name)}  # fmt: skip


#: list items encoded at a time when the graph is written
PIECE = 4_096


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_encode)


class _Tagged(dict[str, Any]):
    """Evidence to write with its tuples tagged (`_tuples`), as `_evidence_json` gives it."""


def _pieces(value: Any, levels: int, tag: bool = False) -> Iterator[str]:
    """The text `json.dumps(value, ensure_ascii=False, default=_encode)` gives (the values
    under a `_Tagged` dict as `_tuples` tags them), in pieces: the outer `levels` of dicts
    (string keys) written here, each `PIECE` items of a list below them by one `json.dumps`.
    The same characters: `json.dump` ran the pure-Python encoder over every value of the
    graph (over a quarter of `chaincut gangs` at 200 k transactions, docs/benchmarks.md "Round
    eleven"), `json.dumps` runs the C one, and the graph's text is never held whole."""
    tag = tag or isinstance(value, _Tagged)
    if levels > 0 and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield f"{', ' if i else ''}{_dumps(key)}: "
            yield from _pieces(item, levels - 1, tag)
        yield "}"
    elif isinstance(value, list | RowSet) and len(value) > PIECE:
        rows = iter(value)
        yield "["
        for i, piece in enumerate(iter(lambda: list(islice(rows, PIECE)), [])):
            yield f"{', ' if i else ''}{_dumps(_tuples(piece) if tag else piece)[1:-1]}"
        yield "]"
    else:
        yield _dumps(_tuples(value) if tag else value)


def save_graph(home: Path, saved: SavedGraph) -> Path:
    """Write `saved` to the home, all or nothing, as the base of later live joins (the
    journal of the joins before it is emptied)."""
    data = {
        "version": VERSION,
        "generation": saved.generation,
        "seed": saved.seed,
        "evidence": _Tagged((f.name, getattr(saved.evidence, f.name)) for f in fields(Evidence)),
        "links": [[k.a, k.b, k.match_weight, k.probability, k.source] for k in saved.links],
        "groups": saved.groups,
        "weights": [[a, b, w] for (a, b), w in sorted(saved.weights.items())],
    }
    path = graph_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as fh:
            fh.writelines(_pieces(data, levels=2))
        (home / JOURNAL).unlink(missing_ok=True)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def append_join(home: Path, extra: Evidence, after: SavedGraph) -> None:
    """Record a live join in the journal: the evidence `extra` it added and the groups after
    it (`after.groups`). A line is a few kilobytes where the whole graph is megabytes: a join
    costs what the report brings, not what the analysis holds."""
    line = {"generation": after.generation, "evidence": _evidence_json(extra, only_filled=True),
            "groups": after.groups}  # fmt: skip
    with (home / JOURNAL).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False, default=_encode) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def stamp(home: Path) -> tuple[int, int, int] | None:
    """What changes whenever the saved graph does (the base's time and size, the journal's
    size): a reader that kept the graph in memory compares it to know it is current."""
    try:
        base = graph_path(home).stat()
    except OSError:
        return None
    journal = home / JOURNAL
    return (base.st_mtime_ns, base.st_size, journal.stat().st_size if journal.exists() else 0)


def load_graph(home: Path) -> SavedGraph | None:
    """The saved graph with the live joins of its journal applied, or None when none was
    saved (or in an older layout)."""
    path = graph_path(home)
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh, object_hook=_decode)
    if data.get("version") != VERSION:
        return None
    saved = SavedGraph(
        generation=int(data["generation"]),
        evidence=Evidence(**data["evidence"]),
        links=[PersonLink(a, b, float(w), float(p), src) for a, b, w, p, src in data["links"]],
        groups=[list(g) for g in data["groups"]],
        weights={(a, b): float(w) for a, b, w in data["weights"]},
        seed=int(data["seed"]),
    )
    journal = home / JOURNAL
    if journal.exists():
        with journal.open(encoding="utf-8") as fh:
            lines = [json.loads(x, object_hook=_decode) for x in fh if x.strip()]
        if lines:
            from chaincut.gangs.build import build_graph  # (only with joins to replay)

            for line in lines:
                saved.evidence = merge(saved.evidence, Evidence(**line["evidence"]))
                saved.groups = [list(g) for g in line["groups"]]
            saved.weights = build_graph(saved.evidence, saved.links).weighted()
    return saved
