"""Scoring numbers and devices (涉诈电话, GOIP 猫池): features from the lake, a score per
entity, a label guess and reasons with example call_ids.

Without a model the transparent indicators of `chaincut.telecom.indicators` score; with a
`NumberModel` (fitted by `chaincut train numbers` on the user's labels) its probability scores
and its largest contributions explain, while the indicators still say whether a flagged
number looks like a box's SIM or a fraud caller in a handset.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.number_examples import DEFAULT_EXAMPLES, device_examples, number_examples
from chaincut.telecom import indicators as rules
from chaincut.telecom.features import (
    DEVICE_FEATURES,
    NUMBER_FEATURES,
    FeatureFrame,
    FloatArray,
    read_devices,
    read_numbers,
)
from chaincut.telecom.model import NumberModel
from chaincut.telecom.scorelist import Reason, Scored, ScoreList

Examples = Mapping[tuple[str, str], Sequence[str]]
ExampleJob = Callable[..., ir.Table]

#: model feature -> the example kind that shows it
FEATURE_EVIDENCE: Final[dict[str, str]] = {
    "sync_peers": "sync",
    "sync_shared_max": "sync",
    "max_sims_per_imei": "device",
    "imeis": "imei",
    "answer_rate": "unanswered",
    "short_share": "short",
    "victims_contacted": "victim",
    "victims_talked": "victim",
    "victim_share": "victim",
}
MODEL_REASONS: Final = 4
#: the most entities whose reasons get example records (the highest scored, flagged first)
EVIDENCE_LIMIT: Final = 5_000


def score_numbers(
    engine: Engine,
    *,
    model: NumberModel | None = None,
    model_name: str = "",
    examples: int = DEFAULT_EXAMPLES,
    evidence_limit: int = EVIDENCE_LIMIT,
) -> ScoreList:
    """Score every number in the lake's calls and messages, highest first (ties by number).

    Each gets a score in [0, 1], a label guess and reasons; the reasons of the flagged ones (at
    most `evidence_limit`, the highest first) carry up to `examples` record ids each.
    """
    frame = read_numbers(engine)
    result = rules.apply(frame, rules.NUMBER_INDICATORS)
    if model is None:
        scores, threshold, method = result.scores, rules.THRESHOLD, "rules"
    else:
        scores, threshold = model.scores(frame), model.threshold
        method = f"model:{model_name}" if model_name else "model"
    order = ranked(frame, scores)
    shown = [int(i) for i in order[:evidence_limit] if scores[i] >= threshold]
    found = _examples(engine, number_examples, [str(frame.ids[i]) for i in shown], examples)
    contributions = model.contributions(frame) if model is not None else None
    items = []
    for i in (int(i) for i in order):
        flagged = bool(scores[i] >= threshold)
        if contributions is None or model is None:
            reasons = _rule_reasons(frame, result, i, rules.NUMBER_INDICATORS, found)
        elif flagged:
            reasons = _model_reasons(frame, model, contributions[i], i, found)
        else:
            reasons = ()
        label = _label(result, i, flagged)
        items.append(Scored(str(frame.ids[i]), float(scores[i]), label, flagged, reasons))
    return ScoreList("number", method, threshold, tuple(items))


def score_devices(
    engine: Engine,
    *,
    examples: int = DEFAULT_EXAMPLES,
    evidence_limit: int = EVIDENCE_LIMIT,
) -> ScoreList:
    """Score every IMEI in the lake's calls by the device indicators; as `score_numbers`."""
    frame = read_devices(engine)
    result = rules.apply(frame, rules.DEVICE_INDICATORS)
    threshold = rules.THRESHOLD
    order = ranked(frame, result.scores)
    shown = [int(i) for i in order[:evidence_limit] if result.scores[i] >= threshold]
    found = _examples(engine, device_examples, [str(frame.ids[i]) for i in shown], examples)
    items = []
    for i in (int(i) for i in order):
        flagged = bool(result.scores[i] >= threshold)
        reasons = _rule_reasons(frame, result, i, rules.DEVICE_INDICATORS, found)
        score = float(result.scores[i])
        items.append(Scored(str(frame.ids[i]), score, _label(result, i, flagged), flagged, reasons))
    return ScoreList("device", "rules", threshold, tuple(items))


def ranked(frame: FeatureFrame, scores: FloatArray) -> np.ndarray[tuple[int], np.dtype[np.intp]]:
    """Row positions by score, highest first; ties by id (the frame is sorted by id)."""
    out: np.ndarray[tuple[int], np.dtype[np.intp]] = np.lexsort((np.arange(len(frame)), -scores))
    return out


def _label(result: rules.RuleResult, i: int, flagged: bool) -> str:
    if not flagged:
        return "normal"
    return rules.suggestion(float(result.simbox_points[i]), float(result.fraud_points[i]))


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


def _evidence(found: Examples, entity: str, kind: str) -> tuple[str, ...]:
    own = tuple(found.get((entity, kind), ()))
    if kind == "sync":  # the peers' calls in the same hours show the synchrony
        own += tuple(found.get((entity, "sync_peer"), ()))
    return own


def _rule_reasons(
    frame: FeatureFrame,
    result: rules.RuleResult,
    i: int,
    indicators: tuple[rules.Indicator, ...],
    found: Examples,
) -> tuple[Reason, ...]:
    values = _values(frame, i)
    entity = str(frame.ids[i])
    fired = [
        (ind, j)
        for j, ind in enumerate(indicators)
        if result.fired[i, j] and (not ind.veto or result.cancelled[i] > 0)
    ]
    fired.sort(key=lambda pair: (-abs(result.weight(i, pair[0])), pair[1]))
    return tuple(
        Reason(
            ind.code,
            ind.text.format(**values),
            result.weight(i, ind),
            _evidence(found, entity, ind.evidence),
        )
        for ind, _ in fired
    )


def _model_reasons(
    frame: FeatureFrame,
    model: NumberModel,
    contributions: FloatArray,
    i: int,
    found: Examples,
) -> tuple[Reason, ...]:
    entity = str(frame.ids[i])
    order = np.lexsort((np.arange(len(contributions)), -contributions))
    reasons = []
    for j in order[:MODEL_REASONS]:
        if contributions[j] <= 0:
            break
        name = model.features[j]
        value = float(frame.column(name)[i])
        text = f"{NUMBER_FEATURES.get(name, DEVICE_FEATURES.get(name, name))}: {value:.4g}"
        kind = FEATURE_EVIDENCE.get(name, "out")
        reasons.append(Reason(name, text, float(contributions[j]), _evidence(found, entity, kind)))
    return tuple(reasons)
