"""Count what a reader calls wrong in the English the detectors write (round twelve, docs/cli.md
"Round twelve: a new user's run"): a count of 1 before a plural noun, `called on N days over M
days` with N > M, a call said as `a message from`, a span of an hour or more in minutes, `a 8 s
call`, a yuan amount of four digits or more ungrouped; the burst's hand-made ordinal for
information. Reads the JSON of `chaincut score numbers|devices --json` and the JSONL of
`chaincut warn --replay --out F`; prints one JSON line of counts.

    python benchmarks/english_counts.py num.json dev.json warnings.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PATTERNS: dict[str, str] = {
    "1 + plural noun": r"(?<![\d.,])1 (?:people|peers|numbers|other numbers|calls|callees|others"
    r"|other accounts|SIMs|cells|hours|days|accounts|victims)\b",
    "span >= 60 min in minutes": r"\b(?:[6-9]\d|\d{3,}) min \d+ s\b",
    "'a 8'/'a 11'/'a 18' article": r"\ba (?:8|11|18|8\d)\b",
    "yuan of 4+ digits ungrouped": r"¥\d{4,}\.\d\d",
    "burst as an ordinal (information)": r"\b\d+(?:st|nd|rd|th) payment",
}
DAYS_OVER = re.compile(r"called on (\d+) days over (\d+) days")


def texts(path: Path) -> Iterator[tuple[str, str]]:
    """(signal kind or "", text) of every string in a score JSON or a warnings JSONL."""
    if path.suffix == ".jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            for signal in json.loads(line).get("signals", []):
                yield str(signal["kind"]), str(signal["why"])
        return
    stack: list[Any] = [json.loads(path.read_text(encoding="utf-8"))]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            yield "", item


def counts(paths: list[Path]) -> dict[str, int]:
    found: Counter[str] = Counter()
    total = 0
    for path in paths:
        for kind, text in texts(path):
            total += 1
            found.update(name for name, pattern in PATTERNS.items() if re.search(pattern, text))
            days = DAYS_OVER.findall(text)
            found["days over fewer days"] += any(int(a) > int(b) for a, b in days)
            found["call said as a message"] += kind == "call" and text.startswith("a message from")
    names = [*PATTERNS, "days over fewer days", "call said as a message"]
    return {"texts": total, **{name: found[name] for name in names}}


if __name__ == "__main__":
    print(json.dumps(counts([Path(p) for p in sys.argv[1:]])))
