"""How well number clues find the den, and how fast, on a simulated world (truth/world.json).

For every den of the world that has numbers in the records, a clue is tried from each of its
SIM boxes (the first SIM that made a call) and from each of its mobile fraud lines. A clue's den
is compared with the truth: precision (the share of the den's numbers that belong to that den:
its fraud numbers and its members' own phones)
and recall (the share of that den's numbers with calls or messages that the den holds), and
which of its boxes it found, and how many innocent numbers it returned (numbers of no den at
all: a clue that returns another den's SIM returns a fraud number, not an innocent one). Latency is measured per clue on a warm index, plus clues of
ordinary numbers, which must answer as fast.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.verify import investigate


def _den_numbers(den: dict[str, Any]) -> set[str]:
    sims = {s for box in den["simboxes"] for s in box["sims"]}
    return sims | set(den["mobile_phones"])


def _den_phones(den: dict[str, Any]) -> set[str]:
    """Every number of the den: its fraud numbers and its members' own phones (a logistics
    member's phone at the box's cell in the box's hours belongs in the den found)."""
    return _den_numbers(den) | set(den.get("member_phones", []))


def _active(ix: ClueIndex, number: str) -> bool:
    code = ix.code("num_ids", number)
    if code < 0:
        return False
    return any(ix.rows(g, code).stop > ix.rows(g, code).start for g in ("out", "mout"))


def clue_quality(ix: ClueIndex, world_json: Path, normal_clues: int = 50) -> dict[str, Any]:
    """Precision and recall of the dens found from clues, and latency (ms) of every clue."""
    world = json.loads(world_json.read_text(encoding="utf-8"))
    # every number of every den: a clue that returns another den's SIM returns no innocent
    fraud = set().union(set(), *(_den_phones(d) for d in world["dens"]))
    rows = []
    latencies = []
    for den in world["dens"]:
        truth = {n for n in _den_numbers(den) if _active(ix, n)}
        if not truth:
            continue
        clues = [next((s for s in b["sims"] if _active(ix, s)), None) for b in den["simboxes"]]
        clues += [p for p in den["mobile_phones"] if _active(ix, p)]
        for number in [c for c in clues if c]:
            started = time.perf_counter()
            result = investigate(ix, [number])
            latencies.append((time.perf_counter() - started) * 1000)
            members = {m.number for d in result.dens for m in d.members}
            found = len(members & truth)
            right = len(members & _den_phones(den))
            boxes = [b for b in den["simboxes"] if set(b["sims"]) & members]
            rows.append(
                {
                    "den": den["den_id"],
                    "clue": number,
                    "kind": "simbox"
                    if any(number in b["sims"] for b in den["simboxes"])
                    else "line",
                    "members": len(members),
                    "precision": round(right / len(members), 4) if members else None,
                    "innocent": len(members - fraud),
                    # another den's numbers in this den's file mislead the analyst too
                    "others": len((members & fraud) - _den_phones(den)),
                    "recall": round(found / len(truth), 4),
                    "boxes_found": len(boxes),
                    "boxes": len(den["simboxes"]),
                }
            )
    rng = np.random.default_rng(0)
    everyone = ix.arrays["num_ids"]
    for code in rng.choice(len(everyone), size=min(normal_clues, len(everyone)), replace=False):
        started = time.perf_counter()
        investigate(ix, [ix.number(int(code))])
        latencies.append((time.perf_counter() - started) * 1000)
    return {"clues": rows, "summary": _summary(rows, latencies)}


def _summary(rows: list[dict[str, Any]], latencies: list[float]) -> dict[str, Any]:
    out: dict[str, Any] = {"clues": len(rows)}
    for kind in ("simbox", "line"):
        mine = [r for r in rows if r["kind"] == kind]
        with_den = [r for r in mine if r["members"]]
        out[f"{kind}_clues"] = len(mine)
        out[f"{kind}_clues_with_a_den"] = len(with_den)
        out[f"{kind}_precision"] = _mean([r["precision"] for r in with_den])
        out[f"{kind}_recall"] = _mean([r["recall"] for r in mine])
    out["innocent_mean"] = _mean([r["innocent"] for r in rows])
    out["innocent_max"] = max((r["innocent"] for r in rows), default=0)
    out["others_mean"] = _mean([r["others"] for r in rows])
    out["others_max"] = max((r["others"] for r in rows), default=0)
    out["boxes_found"] = sum(r["boxes_found"] for r in rows)
    out["boxes_of_clued_dens"] = sum(r["boxes"] for r in rows)
    if latencies:
        for q in (50, 95):
            out[f"latency_ms_p{q}"] = round(float(np.percentile(latencies, q)), 2)
        out["latency_ms_max"] = round(float(np.max(latencies)), 2)
    return out


def _mean(values: list[float]) -> float | None:
    return round(float(np.mean(values)), 4) if values else None
