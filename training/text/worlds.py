"""Which fraud messages of generated worlds the message verdict misses (round ten diagnosis).

    python -m training.text.worlds DIR [DIR ...] [--misses 30]

Each DIR is a world written by `chaincut simulate` or `chaincut foreign-world` (its
`messages.csv` and `labels.csv`; training seeds < 1000 only). Every labelled message is
classified twice, with the cue weights (`classify_many`, shipped) and without them (the n-gram
score alone, as in round nine); identical texts are scored once. A fraud message *carries no
fraud content on its own* when its normalised text is also sent as an ordinary message in the
same world ("好的", "在吗", "收到"), or when it has no cue (`ask.py`: no ask, pretext or hook)
and names no amount, number, account or link ("想你了，今天工作有点累，晚上视频好不好"):
nothing in it could tell a reader it is fraud, so it is counted, and recall is reported on all
fraud messages and on those with content.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from chaincut.text import classify_many
from chaincut.text.ask import find_cues
from chaincut.text.normalize import normalize_text

csv.field_size_limit(sys.maxsize)
NOT_FRAUD = frozenset({"normal", "spam", ""})


def read_world(folder: Path) -> list[tuple[str, str, str]]:
    """(text, label, channel) of every labelled message of a world folder."""
    labels: dict[str, str] = {}
    with (folder / "labels.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["entity_kind"] == "message":
                labels[row["entity_id"]] = row["label"]
    out: list[tuple[str, str, str]] = []
    with (folder / "messages.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            label = labels.get(row["msg_id"])
            if label:
                out.append((row["text"], label.strip().lower(), row.get("channel", "")))
    return out


def _no_content(text: str, ordinary: set[str]) -> bool:
    normalized = normalize_text(text)
    if normalized.text in ordinary:
        return True
    bare = not any(c in normalized.text for c in "NCUPE")  # placeholders: amounts, links…
    return bare and not find_cues(normalized)


def kind(text: str, no_content: bool) -> str:
    """A missed fraud message's kind, from its cues and its shape."""
    if no_content:
        return "no content (an ordinary message, or no cue and no amount or link)"
    cues = find_cues(normalize_text(text))
    families = {c.family for c in cues}
    if "HOOK" in families:
        return "names a hook"
    if "ASK" in families and "PRETEXT" in families:
        return "pretext and ask"
    if "ASK" in families:
        return "an ask, no pretext"
    if "PRETEXT" in families:
        return "a pretext, no ask"
    return "no cue (wording the cues lack)"


def diagnose(folder: Path, misses: int) -> dict[str, int]:
    """Print one world's figures and its most frequent misses; return the totals."""
    rows = read_world(folder)
    texts = sorted({t for t, _, _ in rows})
    after = dict(zip(texts, (v.fraud for v in classify_many(texts)), strict=True))
    before = dict(zip(texts, (v.fraud for v in classify_many(texts, cues=False)), strict=True))
    ordinary = {normalize_text(t).text for t, label, _ in rows if label in NOT_FRAUD}
    fraud = [(t, label) for t, label, _ in rows if label not in NOT_FRAUD]
    normal = [t for t, label, _ in rows if label in NOT_FRAUD]
    empty = {t for t, _ in fraud if _no_content(t, ordinary)}
    content = [(t, label) for t, label in fraud if t not in empty]
    out = {
        "fraud": len(fraud),
        "no_content": len(fraud) - len(content),
        "normal": len(normal),
        "before_caught": sum(before[t] for t, _ in fraud),
        "after_caught": sum(after[t] for t, _ in fraud),
        "before_caught_content": sum(before[t] for t, _ in content),
        "after_caught_content": sum(after[t] for t, _ in content),
        "before_normal_flagged": sum(before[t] for t in normal),
        "after_normal_flagged": sum(after[t] for t in normal),
    }
    _report(folder.name, out)
    by_type: Counter[str] = Counter(label for _, label in fraud)
    for label, n in sorted(by_type.items()):
        b = sum(before[t] for t, x in fraud if x == label)
        a = sum(after[t] for t, x in fraud if x == label)
        print(f"   {label:28s} {n:6d}  recall before {b / n:.3f}  after {a / n:.3f}")
    kinds = Counter(kind(t, t in empty) for t, _ in fraud if not after[t])
    for name, n in kinds.most_common():
        print(f"   missed: {name:48s} {n}")
    missed = Counter((label, t[:70]) for t, label in fraud if not after[t])
    for (label, text), n in missed.most_common(misses):
        print(f"     {n:5d} {label:22s} {text}")
    for t in sorted({t for t in normal if after[t]})[:misses]:
        print(f"     normal flagged: {t[:90]}")
    return out


def _report(name: str, n: Mapping[str, int]) -> None:
    """One line: counts, and recall on all fraud messages and on those with content."""
    with_content = n["fraud"] - n["no_content"]
    print(
        f"== {name}: fraud {n['fraud']} (no content {n['no_content']}), normal {n['normal']}; "
        f"recall before {n['before_caught'] / max(1, n['fraud']):.3f} "
        f"after {n['after_caught'] / max(1, n['fraud']):.3f}; with content before "
        f"{n['before_caught_content'] / max(1, with_content):.3f} "
        f"after {n['after_caught_content'] / max(1, with_content):.3f}; normal flagged "
        f"before {n['before_normal_flagged']} after {n['after_normal_flagged']}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("worlds", nargs="+", type=Path)
    parser.add_argument("--misses", type=int, default=25)
    args = parser.parse_args(argv)
    total: Counter[str] = Counter()
    for folder in args.worlds:
        total.update(diagnose(folder, args.misses))
    _report("all", total)


if __name__ == "__main__":
    main()
