"""Fit the judge's weight for a split beside stopped accounts (`chaincut.trace.chain`), as of
each report, on training worlds.

Every report of each home is traced as `chaincut trace --all --mule-asof report` does (the
report cuts' scores are read from the home where a run kept them), and every account the judge
weighed at hop 2 or more whose payer the trace followed becomes one row: the judge's score
without the split's points, and whether it was paid a real part of a split beside accounts the
trace stops (`chaincut.trace.chain.split_counts`, as the judge last saw it); the label is
whether the world's truth calls it a mule (`chaincut.trace.evaluate.is_mule`). A logistic
regression (scikit-learn) of the label on the two gives the weight in the judge's points: the
split's coefficient over the score's.

    python -m training.trace.fit_split --out src/chaincut/trace/weights/split.json H1 H2 ...

Only training seeds' homes (docs/tracing.md "Round fourteen": the first half of the block).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from training.trace.fit_relay import arguments, emit, traced

import chaincut.trace.assemble as assemble
from chaincut.trace.bystander import Facts, Judgement, judge
from chaincut.trace.chain import Split, split_counts
from chaincut.trace.evaluate import is_mule
from chaincut.trace.model import TraceParams

#: scores beyond this are certain either way; clipped so they do not steer the fit
CLIP = 15.0
#: one judged account: (account, arrival, hop)
Key = tuple[str, int, int]


@contextmanager
def recorded() -> Iterator[dict[Key, list[Any]]]:
    """Every account the judge weighs while the block runs, once per trace that reached it:
    key -> [its last facts, params, the split the judge last computed for it]."""
    seen: dict[Key, list[Any]] = {}
    latest: dict[str, Key] = {}
    plain: Callable[[Facts, TraceParams], Judgement] = getattr(assemble, "judge")  # noqa: B009
    split_of: Callable[..., Split | None] = getattr(assemble, "split_of")  # noqa: B009

    def judged(f: Facts, params: TraceParams) -> Judgement:
        key = (f.account_id, f.arrival, f.hop)
        latest[f.account_id] = key
        split = seen[key][2] if key in seen else None
        seen[key] = [f, params, split]
        return plain(f, params)

    def split(account_id: str, *args: Any) -> Split | None:
        out = split_of(account_id, *args)
        if account_id in latest:
            seen[latest[account_id]][2] = out
        return out

    setattr(assemble, "judge", judged)  # noqa: B010
    setattr(assemble, "split_of", split)  # noqa: B010
    try:
        yield seen
    finally:
        setattr(assemble, "judge", plain)  # noqa: B010
        setattr(assemble, "split_of", split_of)  # noqa: B010


def rows_of(home: Path, asof: str) -> list[tuple[float, float, bool]]:
    """(score without the split, split beside stopped accounts, mule) for every account at
    hop 2 or more whose payer the trace followed."""
    out = []
    labels, seen = traced(home, asof, recorded)
    for f, params, split in seen.values():
        if f.hop < 2 or f.relay is None or f.relay.from_victim:
            continue
        score = judge(replace(f, ties=replace(f.ties, split=None)), params).score
        x = 1.0 if split_counts(split) else 0.0
        out.append((max(-CLIP, min(CLIP, score)), x, is_mule(labels.get(f.account_id))))
    return out


def fit(rows: list[tuple[float, float, bool]], c: float) -> dict[str, Any]:
    """The weight on the judge's scale, with what it was fitted on."""
    x = np.array([[s, v] for s, v, _ in rows], dtype=float)
    y = np.array([m for *_, m in rows], dtype=bool)
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    coef = model.coef_[0]
    fired = [m for _, v, m in rows if v]
    return {
        "weight": round(float(coef[1] / coef[0]), 2),
        "fitted_on": {
            "rows": len(rows),
            "mules": int(y.sum()),
            "split_rows": len(fired),
            "split_mules": sum(fired),
            "C": c,
        },
    }


def main() -> None:
    args = arguments(__doc__).parse_args()
    rows = [r for home in args.homes for r in rows_of(home, args.asof)]
    emit(fit(rows, args.c), args.homes, args.out)


if __name__ == "__main__":
    main()
