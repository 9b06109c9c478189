"""The conversation verdict (`chaincut.text.classify_conversations`) per conversation, beside the
per-message text rows.

A world's conversation is the thread of messages between two parties (sender and receiver in
either direction), in time order; its truth is fraud when any of its messages is labelled
fraud. Public sources: `tft5` each SMS as a one-turn conversation (real SMS, so the rows show
what the conversation verdict does to them), `teleantifraud` each call as its speakers' turns,
`normal_dialogues` each dialogue as its lines (all normal). At most `limit` conversations per
source, drawn by seed like the messages.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from chaincut import metrics
from chaincut.evaluate.text import (
    NORMAL_DIALOGUES,
    TELEANTIFRAUD,
    TFT5,
    _draw,
    _is_fraud,
    _tft5,
    labelled_messages,
)
from chaincut.settings import Settings

#: (turns as (speaker, text), is fraud)
Thread = tuple[list[tuple[str, str]], bool]
Figures = dict[str, float | int]
MAX_TURNS: Final = 200  # a longer thread is judged on its first turns


def conversation_figures(sample: list[Thread]) -> Figures:
    """Per conversation: how many, precision, recall and F1 of the conversation verdict, and
    the share (and number) of normal conversations flagged."""
    from chaincut.text import classify_conversations

    if not sample:
        return {}
    flagged = [v.fraud for v in classify_conversations(turns for turns, _ in sample)]
    truth = [y for _, y in sample]
    r = metrics.ranking(truth, [float(f) for f in flagged], 0.5)
    out: Figures = {"text.conv_conversations": len(sample)}
    if r.positives:
        out |= {"text.conv_precision": r.precision, "text.conv_recall": r.recall}
        out["text.conv_f1"] = r.f1
    if r.entities > r.positives:
        out |= {
            "text.conv_normal_flagged": r.false_positive_rate,
            "text.conv_normal_flagged_n": r.false_positives,
        }
    return out


def lake_conversations(settings: Settings, limit: int, seed: int) -> list[Thread]:
    """A world's threads (messages between two parties, in time order) with their truth."""
    columns = ("ts", "msg_id", "sender", "receiver", "text")
    rows = labelled_messages(settings, columns, "evaluate conversations")
    if rows is None:  # no messages or no labels: no conversation figures for this world
        return []
    threads: dict[tuple[str, str], list[tuple[str, str, str, str, bool]]] = defaultdict(list)
    for r in rows:
        sender, receiver = str(r["sender"]), str(r["receiver"])
        key = (sender, receiver) if sender <= receiver else (receiver, sender)
        fraud = _is_fraud(str(r["label"] or ""))
        threads[key].append((str(r["ts"]), str(r["msg_id"]), sender, str(r["text"]), fraud))
    sample: list[Thread] = []
    for key in sorted(threads):
        turns = sorted(threads[key])[:MAX_TURNS]
        sample.append(([(t[2], t[3]) for t in turns], any(t[4] for t in turns)))
    return _draw(sample, limit, seed)


def _teleantifraud(folder: Path) -> Iterator[Thread]:
    for path in sorted(folder.glob("*.jsonl")):
        fraud = path.name.startswith("fraud")
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    record = json.loads(line)
                    left = [str(t) for t in record.get("left") or []]
                    right = [str(t) for t in record.get("right") or []]
                    turns = [
                        (name, side[k])
                        for k in range(max(len(left), len(right)))
                        for name, side in (("left", left), ("right", right))
                        if k < len(side)
                    ]
                    yield turns, fraud


def _normal_dialogues(folder: Path) -> Iterator[Thread]:
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    lines = [t for t in str(json.loads(line)["text"]).split("\n") if t.strip()]
                    yield [(f"s{k % 2}", t) for k, t in enumerate(lines[:MAX_TURNS])], False


def _sms(folder: Path) -> Iterator[Thread]:
    for text, fraud in _tft5(folder):
        yield [("sender", text)], fraud


SOURCES: Final = {
    "tft5": (TFT5, _sms),
    "teleantifraud": (TELEANTIFRAUD, _teleantifraud),
    "normal_dialogues": (NORMAL_DIALOGUES, _normal_dialogues),
}


def public_conversations(data: Path, limit: int, seed: int) -> dict[str, list[Thread]]:
    """Each public source found under `data` as conversations: at most `limit`, by seed."""
    out: dict[str, list[Thread]] = {}
    for name, (sub, read) in SOURCES.items():
        if (data / sub).is_dir():
            sample = list(read(data / sub))
            if sample:
                out[name] = _draw(sample, limit, seed)
    return out
