"""Scoring numbers and devices (涉诈电话, GOIP 猫池): features from the lake, a score per
entity, a label guess and reasons with example call_ids.

A model (`chaincut.telecom.model`: the shipped one, or one from `chaincut train numbers`) weighs
the indicators of `chaincut.telecom.indicators`; each score is explained by the indicators'
parts of its log-odds, the evidence first (largest first), then what counted against it. The
guess of a flagged entity is `simbox` when its SIM-box evidence weighs at least as much as its
fraud-caller evidence, else `fraud`. (`chaincut.telecom.scorelist` holds what a scoring
returns and how it is written out.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from string import Formatter
from typing import Final

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.number_examples import DEFAULT_EXAMPLES, device_examples, number_examples
from chaincut.markers import Plural
from chaincut.telecom.features import FeatureFrame, FloatArray, read_devices, read_numbers
from chaincut.telecom.indicators import Indicator
from chaincut.telecom.model import Kind, TelecomModel, shipped
from chaincut.telecom.scorelist import Reason, Scored, ScoreList

Examples = Mapping[tuple[str, str], Sequence[str]]
ExampleJob = Callable[..., ir.Table]

#: parts of the log-odds smaller than this are not worth a reason
MIN_REASON: Final = 0.05
#: the most entities whose reasons get example records (the highest scored, flagged first)
EVIDENCE_LIMIT: Final = 5_000


def score_numbers(
    engine: Engine,
    *,
    model: TelecomModel | None = None,
    model_name: str = "",
    examples: int = DEFAULT_EXAMPLES,
    evidence_limit: int = EVIDENCE_LIMIT,
) -> ScoreList:
    """Score every number in the lake's calls and messages, highest first (ties by number).

    Each gets a score in [0, 1], a label guess and reasons; the reasons of the flagged ones (at
    most `evidence_limit`, the highest first) carry up to `examples` record ids each. Without
    `model` the shipped number model scores.
    """
    frame = read_numbers(engine)
    chosen = model if model is not None else shipped("number")
    name = f"model:{model_name}" if model_name else ("model" if model else "model:shipped")
    return _score(engine, frame, chosen, name, number_examples, examples, evidence_limit)


def score_devices(
    engine: Engine,
    *,
    model: TelecomModel | None = None,
    model_name: str = "",
    examples: int = DEFAULT_EXAMPLES,
    evidence_limit: int = EVIDENCE_LIMIT,
) -> ScoreList:
    """Score every IMEI in the lake's calls by the shipped device model; as `score_numbers`."""
    frame = read_devices(engine)
    chosen = model if model is not None else shipped("device")
    name = f"model:{model_name}" if model_name else ("model" if model else "model:shipped")
    return _score(engine, frame, chosen, name, device_examples, examples, evidence_limit)


def _score(
    engine: Engine,
    frame: FeatureFrame,
    model: TelecomModel,
    method: str,
    job: ExampleJob,
    examples: int,
    evidence_limit: int,
) -> ScoreList:
    parts = model.contributions(frame)
    scores = model.scores(frame)
    threshold = model.threshold
    order = ranked(frame, scores)
    shown = [int(i) for i in order[:evidence_limit] if scores[i] >= threshold]
    found = _examples(engine, job, [str(frame.ids[i]) for i in shown], examples)
    kinds = np.array([ind.suggests for ind in model.indicators])
    boxy = parts[:, kinds == "simbox"].sum(axis=1)
    fraudy = parts[:, kinds == "fraud"].sum(axis=1)
    indicators = model.indicators
    items = []
    for i in (int(i) for i in order):
        flagged = bool(scores[i] >= threshold)
        reasons = _reasons(frame, indicators, parts[i], i, found)
        label = label_of(flagged, float(boxy[i]), float(fraudy[i]))
        items.append(Scored(str(frame.ids[i]), float(scores[i]), label, flagged, reasons))
    kind: Kind = model.kind
    return ScoreList(kind, method, threshold, tuple(items))


def label_of(flagged: bool, simbox: float, fraud: float) -> str:
    """The guess: `normal` unless flagged; then the kind whose evidence weighs more."""
    if not flagged:
        return "normal"
    return "simbox" if simbox >= fraud else "fraud"


def ranked(frame: FeatureFrame, scores: FloatArray) -> np.ndarray[tuple[int], np.dtype[np.intp]]:
    """Row positions by score, highest first; ties by id (the frame is sorted by id)."""
    out: np.ndarray[tuple[int], np.dtype[np.intp]] = np.lexsort((np.arange(len(frame)), -scores))
    return out


def _examples(engine: Engine, job: ExampleJob, ids: Sequence[str], k: int) -> Examples:
    if not ids or k <= 0:
        return {}
    t = engine.tables(("calls", "messages", "persons", "reports"))
    wanted = ibis.memtable(pa.table({"id": pa.array(sorted(set(ids)), pa.string())}))
    expr = job(t["calls"], t["messages"], t["persons"], t["reports"], wanted, k)
    rows = engine.execute(expr, label=job.__name__).to_pylist()
    rows.sort(key=lambda r: (r["id"], r["kind"], r["ts"], r["event_id"]))
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        out[(r["id"], r["kind"])].append(r["event_id"])
    return out


def _values(frame: FeatureFrame, i: int) -> dict[str, float]:
    return {name: float(v) for name, v in zip(frame.names, frame.values[i], strict=True)}


def fields(text: str | Plural) -> list[str]:
    """The names of the `str.format` fields in `text` (in either form of a `Plural`)."""
    forms = text[:2] if isinstance(text, Plural) else (text,)
    found = (name for form in forms for _, name, _, _ in Formatter().parse(form) if name)
    return list(dict.fromkeys(found))


def _evidence(found: Examples, entity: str, kind: str) -> tuple[str, ...]:
    own = tuple(found.get((entity, kind), ()))
    if kind == "sync":  # the peers' calls in the same hours show the synchrony
        own += tuple(found.get((entity, "sync_peer"), ()))
    return own


def _reasons(
    frame: FeatureFrame,
    indicators: tuple[Indicator, ...],
    parts: FloatArray,
    i: int,
    found: Examples,
) -> tuple[Reason, ...]:
    """The indicators that raised the score, largest first, then those that lowered it."""
    values = _values(frame, i)
    entity = str(frame.ids[i])
    up = [j for j in np.lexsort((np.arange(len(parts)), -parts)) if parts[j] >= MIN_REASON]
    down = [j for j in np.lexsort((np.arange(len(parts)), parts)) if parts[j] <= -MIN_REASON]
    out = []
    for j in (*up, *down):
        ind = indicators[int(j)]
        evidence = _evidence(found, entity, ind.evidence) if parts[j] > 0 else ()
        args = {name: values[name] for name in fields(ind.text)}
        out.append(Reason(ind.code, ind.said(values), float(parts[j]), evidence, args))
    return tuple(out)
