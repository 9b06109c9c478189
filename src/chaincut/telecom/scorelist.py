"""Ranked, explained lists of numbers and devices, and how they are written out.

The shape follows the account scores' (`chaincut.scoring.AccountScore`): per entity its id
(`number` or `imei`), `score` in [0, 1], a `label` guess (`simbox`, `fraud` or `normal`),
`flagged`, and `reasons`, each with the example records (call_ids, or msg_ids of messages to
victims) that show it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

Kind = Literal["number", "device"]
LABELS: Final = ("simbox", "fraud", "normal")
ID_KEY: Final[dict[str, str]] = {"number": "number", "device": "imei"}
#: file extensions `write` understands
FORMATS: Final = (".csv", ".parquet", ".jsonl", ".json", ".ndjson")


@dataclass(frozen=True)
class Reason:
    """Why an entity scored: the rule or feature, in words, its weight and example records."""

    code: str
    text: str
    weight: float  # its part of the log-odds (negative: it counted against)
    evidence: tuple[str, ...] = ()
    #: the values `text` was written with (its indicator's fields): a client that says the
    #: indicator in another language fills its own template with them
    args: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "weight": round(self.weight, 4),
            "evidence": list(self.evidence),
            "args": {k: round(v, 6) for k, v in self.args.items()},
        }

    def __str__(self) -> str:
        shown = ", ".join(self.evidence)
        return f"{self.text} ({self.weight:+.2f})" + (f": {shown}" if shown else "")


@dataclass(frozen=True)
class Scored:
    """One number or device of a ranked list."""

    id: str
    score: float
    label: str
    flagged: bool
    reasons: tuple[Reason, ...] = ()

    def to_dict(self, kind: Kind = "number") -> dict[str, Any]:
        return {
            ID_KEY[kind]: self.id,
            "score": round(self.score, 6),
            "label": self.label,
            "flagged": self.flagged,
            "reasons": [r.to_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class ScoreList:
    """Every entity scored, highest score first (ties by id), and how the list was made."""

    kind: Kind
    method: str  # "model:shipped" or "model:<file>"
    threshold: float
    items: tuple[Scored, ...] = field(default_factory=tuple)

    @property
    def flagged(self) -> int:
        return sum(1 for s in self.items if s.flagged)

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        shown = self.items if top is None else self.items[:top]
        return {
            "kind": self.kind,
            "method": self.method,
            "threshold": round(self.threshold, 6),
            "scored": len(self.items),
            "flagged": self.flagged,
            "items": [s.to_dict(self.kind) for s in shown],
        }


def flat_table(scores: ScoreList) -> pa.Table:
    """One row per entity: id, score, label, flagged, reasons (one string), evidence (ids)."""
    items = scores.items
    return pa.table(
        {
            ID_KEY[scores.kind]: pa.array([s.id for s in items], pa.string()),
            "score": pa.array([round(s.score, 6) for s in items], pa.float64()),
            "label": pa.array([s.label for s in items], pa.string()),
            "flagged": pa.array([s.flagged for s in items], pa.bool_()),
            "reasons": pa.array(["; ".join(r.text for r in s.reasons) for s in items]),
            "evidence": pa.array([";".join(_evidence(s.reasons)) for s in items], pa.string()),
        }
    )


def _evidence(reasons: Sequence[Reason]) -> list[str]:
    return list(dict.fromkeys(e for r in reasons for e in r.evidence))


def write(scores: ScoreList, path: Path | str) -> Path:
    """Write every entity of `scores` to `path` by its extension: flat `.csv` or `.parquet`,
    or full JSON lines (`.jsonl`, `.json`, `.ndjson`); to a temporary name, then renamed."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot write {target}: use .csv, .parquet or .jsonl")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    if suffix == ".csv":
        pacsv.write_csv(flat_table(scores), partial)
    elif suffix == ".parquet":
        pq.write_table(flat_table(scores), partial)
    else:
        with partial.open("w", encoding="utf-8") as handle:
            for s in scores.items:
                handle.write(json.dumps(s.to_dict(scores.kind), ensure_ascii=False) + "\n")
    partial.replace(target)
    return target
