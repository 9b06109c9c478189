"""Each detector, called through its public entry point with its shipped default, on one
imported world, and its figures against the world's labels (all from `chaincut.metrics`).

Every function returns {figure key: value}; a figure the world cannot give (no reports, no
calls, no truth of dens) is left out, and the table shows a dash.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import numpy as np

from chaincut import metrics
from chaincut.lake.engine import Engine, get_engine
from chaincut.settings import Settings

#: number labels that are fraud lines, device labels that are SIM boxes
NUMBER_POSITIVE: Final = frozenset({"fraud", "simbox"})
DEVICE_POSITIVE: Final = frozenset({"simbox"})
#: a gang member's own phone or handset: neither a find nor a false alarm
NEITHER: Final = "member"

Figures = dict[str, float | int]


def labels_of(engine: Engine, kind: str) -> dict[str, str]:
    """entity_id -> label of one entity kind from the lake's `labels` (empty without them)."""
    try:
        labels = engine.table("labels")
        rows = engine.execute(
            labels.filter(labels.entity_kind == kind).select("entity_id", "label"),
            label="evaluate labels",
        ).to_pylist()
    except Exception:  # a lake without a labels table: nothing to judge against
        return {}
    return {str(r["entity_id"]): str(r["label"]).strip().lower() for r in rows}


def _ranked(
    prefix: str, truth: Iterable[bool], scores: Iterable[float], threshold: float
) -> Figures:
    t = np.fromiter(truth, dtype=bool)
    s = np.fromiter(scores, dtype=np.float64)
    if not t.any():
        return {}
    r = metrics.ranking(t, s, threshold)
    return {
        f"{prefix}.ap": r.average_precision,
        f"{prefix}.precision": r.precision,
        f"{prefix}.recall": r.recall,
        f"{prefix}.innocent_flagged": r.false_positives,
    }


def trace_figures(settings: Settings, truth: Path, mule_asof: str = "lake") -> Figures:
    """Emergency stops of every report (default `TraceParams`, the mule model's scores as of
    `mule_asof`: `trace --all --mule-asof`) against `truth/holdings.csv`: the share of victims'
    money still in mule accounts the stops cover, the accounts stopped, how many of them are
    innocent (count and share) and the innocent share of stopped money."""
    from chaincut.trace.api import trace_all
    from chaincut.trace.evaluate import account_labels, is_mule, read_holdings
    from chaincut.trace.model import TraceParams
    from chaincut.trace.money import to_cents

    holdings_file = truth / "holdings.csv"
    if not holdings_file.exists():
        return {}
    holdings = read_holdings(truth)
    labels = account_labels(settings)
    stopped: dict[tuple[str, str], int] = {}
    for obj in trace_all(settings, TraceParams(), mule_asof=mule_asof):
        for order in obj["freeze"]:
            key = (str(obj["report_id"]), str(order["account_id"]))
            stopped[key] = stopped.get(key, 0) + to_cents(order["claim"])
    in_mules = {k: c for k, c in holdings.items() if is_mule(labels.get(k[1]))}
    truth_cents = sum(in_mules.values())
    covered = sum(min(c, in_mules.get(k, 0)) for k, c in stopped.items())
    accounts = {a for _, a in stopped}
    innocent = {a for a in accounts if not is_mule(labels.get(a))}
    money = sum(stopped.values())
    innocent_money = sum(c for (_, a), c in stopped.items() if a in innocent)
    return {
        "trace.money_covered": covered / truth_cents if truth_cents else 1.0,
        "trace.stopped_accounts": len(accounts),
        "trace.innocent_accounts": len(innocent),
        "trace.innocent_account_share": len(innocent) / len(accounts) if accounts else 0.0,
        "trace.innocent_money_share": innocent_money / money if money else 0.0,
    }


def account_figures(settings: Settings) -> Figures:
    """The shipped default mule model, untouched: average precision, and precision and recall
    at its threshold (positives: mule and score-running labels, `scoring.truth.is_positive`);
    accounts labelled `held_out` (those the model learnt from) are not judged."""
    from chaincut.scoring import default_model, score_accounts
    from chaincut.scoring.train import HELD_OUT
    from chaincut.scoring.truth import is_positive

    model = default_model()
    with get_engine(settings) as engine:
        labels = labels_of(engine, "account")
        if not labels:
            return {}
        scores = score_accounts(engine, model, explain=0)
    judged = [i for i, a in enumerate(scores.ids) if labels.get(str(a)) != HELD_OUT]
    truth = (is_positive(labels.get(str(scores.ids[i]), "normal")) for i in judged)
    return _ranked("accounts", truth, [scores.values[i] for i in judged], model.threshold)


def telecom_figures(settings: Settings) -> Figures:
    """Numbers (`score_numbers`) and SIM-box IMEIs (`score_devices`, found when flagged with
    the guess `simbox`; ranked by score for the average precision) with their defaults; members'
    own phones and handsets are not judged."""
    from chaincut.telecom import score_devices, score_numbers

    with get_engine(settings) as engine:
        phones, devices = labels_of(engine, "phone"), labels_of(engine, "device")
        if not phones and not devices:
            return {}
        numbers = score_numbers(engine, examples=0, evidence_limit=0)
        imeis = score_devices(engine, examples=0, evidence_limit=0)
    out: Figures = {}
    judged = [s for s in numbers.items if phones.get(s.id, "normal") != NEITHER]
    out |= _ranked(
        "numbers",
        (phones.get(s.id, "normal") in NUMBER_POSITIVE for s in judged),
        (s.score for s in judged),
        numbers.threshold,
    )
    boxes = [s for s in imeis.items if devices.get(s.id, "normal") != NEITHER]
    out |= _ranked(
        "devices",
        (devices.get(s.id, "normal") in DEVICE_POSITIVE for s in boxes),
        # ranked by score; only an IMEI flagged with another guess (a fraud caller's handset)
        # drops to the bottom: zeroing every unflagged one too would make the average precision
        # move with the threshold rather than measure the ranking
        (0.0 if s.flagged and s.label != "simbox" else s.score for s in boxes),
        imeis.threshold,
    )
    return out


def clue_figures(settings: Settings, world_json: Path) -> Figures:
    """The number clue: the mean share of a den's numbers it returns, per clue (a box's SIM or
    a den's line), from `telecom.evaluate_clue.clue_quality` on the world's dens; where the
    world also has `truth/sites.json` (the foreign world, whose dens are gangs spread over
    several cities), the same per site (`clue.site_numbers`): what issue 12 means by a den.
    `clue.innocent_mean` and `clue.innocent_max`: the numbers of no den that a clue returned;
    `clue.others_mean` and `clue.others_max`: those of another den (round fourteen)."""
    from chaincut.telecom.clue.facts import ClueIndex
    from chaincut.telecom.clue.fresh import ensure_clue_index
    from chaincut.telecom.evaluate_clue import clue_quality

    if not world_json.exists():
        return {}
    info: dict[str, Any] = json.loads(world_json.read_text(encoding="utf-8"))
    if not info.get("dens"):
        return {}
    index = ClueIndex(ensure_clue_index(settings))
    rows = clue_quality(index, world_json, normal_clues=0)["clues"]
    if not rows:
        return {}
    out: Figures = {
        "clue.den_numbers": float(np.mean([r["recall"] for r in rows])),
        "clue.clues": len(rows),
        # harm per person: numbers of no den at all that a clue returned
        "clue.innocent_mean": float(np.mean([r["innocent"] for r in rows])),
        "clue.innocent_max": max(r["innocent"] for r in rows),
        # and another den's: a second gang's numbers in one gang's file (issue 14)
        "clue.others_mean": float(np.mean([r["others"] for r in rows])),
        "clue.others_max": max(r["others"] for r in rows),
    }
    sites = world_json.with_name("sites.json")
    if sites.exists():
        site_rows = clue_quality(index, sites, normal_clues=0)["clues"]
        if site_rows:
            out["clue.site_numbers"] = float(np.mean([r["recall"] for r in site_rows]))
            box = [r["recall"] for r in site_rows if r["kind"] == "simbox"]
            if box:
                out["clue.site_numbers_box"] = float(np.mean(box))
    return out


def warn_figures(settings: Settings, folder: Path) -> Figures:
    """The early-warning worklist (`warning.evaluate.measure`, what `chaincut warn --replay
    --evaluate` prints): the lake replayed in time order, the mule model rescored weekly on the
    lake as it was then, the default capacity; victims and the people the fraud numbers reached
    from the labels, or from `folder/truth.json` on a foreign world (`--foreign-truth`). The
    warner's figures as `warn.*`, the plain rule's beside them as `warn.plain_*`."""
    from chaincut.warning.evaluate import measure
    from chaincut.warning.mule import scheduled_scores
    from chaincut.warning.replay import directory, span

    foreign = folder if (folder / "truth.json").is_file() else None
    with get_engine(settings) as engine:
        if foreign is None and "victim" not in labels_of(engine, "person").values():
            return {}
        book = directory(engine)
        bounds = span(engine)
    if bounds is None:
        return {}
    # the copies of the lake the weekly scores are cut from are made with the lake closed
    mule = scheduled_scores(settings, *bounds)
    with get_engine(settings) as engine:
        measured = measure(engine, book, foreign, mule=mule)
    if not measured.truth.victims:
        return {}
    model, plain = measured.model, measured.plain_rule
    out: Figures = {
        "warn.victims": model.victims,
        "warn.capacity": model.capacity,
        "warn.in_time": model.warned_in_time,
        "warn.share_in_time": model.share_in_time,
        "warn.precision": model.precision,
        "warn.innocent_people": model.innocent_people,
        "warn.plain_in_time": plain.warned_in_time,
        "warn.plain_share_in_time": plain.share_in_time,
        "warn.plain_precision": plain.precision,
        "warn.plain_innocent_people": plain.innocent_people,
    }
    optional = {
        "warn.median_lead_h": model.median_lead_h,
        "warn.innocent_per_warned": model.innocent_per_warned,
        "warn.bothered_per_warned": model.bothered_per_warned,
        "warn.plain_innocent_per_warned": plain.innocent_per_warned,
        "warn.plain_bothered_per_warned": plain.bothered_per_warned,
    }
    return out | {k: v for k, v in optional.items() if v is not None}
