"""The text classifier (its shipped default, `chaincut.text.classify_many`) on a world's
messages and on public corpora, one source at a time.

Public sources (under the data folder, `../shared/data` by default; each skipped when absent):

| source | what | truth |
|---|---|---|
| `tft5` | telecom_fraud_texts_5: SMS and call texts (evaluation only, GPL) | label `0` normal, else fraud |
| `teleantifraud` | TeleAntiFraud dialogues (speakers' turns joined) | file name fraud_ / normal_ |
| `normal_dialogues` | real conversations of seven public corpora, all normal | normal |

At most `limit` texts per source (default 2 000) are drawn, by seed, so an evaluation stays in
minutes on two cores; the figures say how many were read.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, TypeVar

import numpy as np

from chaincut import metrics
from chaincut.settings import Settings

TEXT_LIMIT: Final = 2_000
NOT_FRAUD: Final = frozenset({"normal", "spam", ""})
TFT5: Final = Path("telecom_fraud_texts_5")
TELEANTIFRAUD: Final = Path("teleantifraud_dialogues")
NORMAL_DIALOGUES: Final = Path("normal_dialogues")

Sample = list[tuple[str, bool]]  # (text, is fraud)
T = TypeVar("T")
Figures = dict[str, float | int]


def text_figures(sample: Sample) -> Figures:
    """Precision, recall and F1 of fraud-vs-not at the model's threshold, and the share of
    normal texts flagged (and how many)."""
    from chaincut.text import classify_many, default_model

    if not sample:
        return {}
    model = default_model()
    scores = np.fromiter(
        (
            v.score if v.note is None or v.fraud else 0.0
            for v in classify_many(t for t, _ in sample)
        ),
        dtype=np.float64,
    )
    truth = np.array([y for _, y in sample], dtype=bool)
    r = metrics.ranking(truth, scores, model.threshold)
    out: Figures = {"text.texts": len(sample)}
    if r.positives:
        out |= {"text.precision": r.precision, "text.recall": r.recall, "text.f1": r.f1}
    if r.entities > r.positives:
        out |= {
            "text.normal_flagged": r.false_positive_rate,
            "text.normal_flagged_n": r.false_positives,
        }
    return out


def labelled_messages(
    settings: Settings, columns: tuple[str, ...], label: str
) -> list[dict[str, Any]] | None:
    """A world's messages (`columns` of them) each with its ground-truth `label` (None where
    the world labels it not); None when the lake has no messages or no labels."""
    from chaincut.lake.engine import get_engine

    with get_engine(settings) as engine:
        try:
            messages = engine.table("messages")
            labels = engine.table("labels")
            msg_labels = labels.filter(labels.entity_kind == "message")
            joined = messages.left_join(msg_labels, messages.msg_id == msg_labels.entity_id)
            chosen = [messages[c] for c in columns]
            return list(
                engine.execute(joined.select(*chosen, msg_labels.label), label=label).to_pylist()
            )
        except Exception:  # no messages or no labels: no text figures for this world
            return None


def lake_messages(settings: Settings, limit: int, seed: int) -> Sample:
    """A world's messages with their labels (`normal` or a fraud type), at most `limit`."""
    rows = labelled_messages(settings, ("text",), "evaluate messages")
    if rows is None:
        return []
    sample = [(str(r["text"]), _is_fraud(str(r["label"]))) for r in rows if r["label"]]
    return _draw(sample, limit, seed)


def _is_fraud(label: str) -> bool:
    """A message label that says fraud: a fraud type, or `fraud`; `normal` and `spam` are not
    (marketing spam is a nuisance, not a fraud script)."""
    return label.strip().lower() not in NOT_FRAUD


def _draw(sample: list[tuple[T, bool]], limit: int, seed: int) -> list[tuple[T, bool]]:
    if len(sample) <= limit:
        return sample
    # keep the fraud share of the source: draw fraud and normal texts apart
    r = random.Random(seed)
    fraud = [s for s in sample if s[1]]
    normal = [s for s in sample if not s[1]]
    k = round(limit * len(fraud) / len(sample))
    return r.sample(fraud, k) + r.sample(normal, limit - k)


def _tft5(folder: Path) -> Iterator[tuple[str, bool]]:
    for path in sorted(folder.glob("*.csv")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # label04-last.csv is GB18030 (data/README.md)
            text = raw.decode("gb18030")
        for row in csv.DictReader(io.StringIO(text)):
            content, label = row.get("content"), str(row.get("label", "")).strip()
            if content:
                yield content, label not in ("0", "")


def _teleantifraud(folder: Path) -> Iterator[tuple[str, bool]]:
    for path in sorted(folder.glob("*.jsonl")):
        fraud = path.name.startswith("fraud")
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield _dialogue(json.loads(line)), fraud


def _dialogue(record: dict[str, object]) -> str:
    left, right = record.get("left") or [], record.get("right") or []
    turns: list[str] = []
    for k in range(max(len(left), len(right))):  # type: ignore[arg-type]
        for side in (left, right):
            if k < len(side):  # type: ignore[arg-type]
                turns.append(str(side[k]))  # type: ignore[index]
    return "\n".join(turns)


def _normal_dialogues(folder: Path) -> Iterator[tuple[str, bool]]:
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield str(json.loads(line)["text"]), False


SOURCES: Final = {
    "tft5": (TFT5, _tft5),
    "teleantifraud": (TELEANTIFRAUD, _teleantifraud),
    "normal_dialogues": (NORMAL_DIALOGUES, _normal_dialogues),
}


def public_samples(data: Path, limit: int, seed: int) -> dict[str, Sample]:
    """Each public text source found under `data`: at most `limit` texts of it, by seed."""
    out: dict[str, Sample] = {}
    for name, (sub, read) in SOURCES.items():
        if (data / sub).is_dir():
            sample = list(read(data / sub))
            if sample:
                out[name] = _draw(sample, limit, seed)
    return out
