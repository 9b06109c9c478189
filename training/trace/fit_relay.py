"""Fit the judge's relay weights (`chaincut.trace.relay`) on training worlds, as of each report.

Every report of each home is traced as `chaincut trace --all --mule-asof report` does (the
report cuts' scores are read from the home where a run kept them), and every account the judge
weighed at hop 2 or more with a traced payer, and not yet seen keeping the money
(`chaincut.trace.bystander.relay_counts`), becomes one row: the judge's score without the
relay's points and ln(`fast_hours` / the wait in hours) (at least 0), as two features: the
wait of a payer the trace followed, and the wait timed from the victim's payment where the
payer is no account the trace followed (a pooled account); the label is whether the world's
truth calls it a mule (`chaincut.trace.evaluate.is_mule`). A logistic regression
(scikit-learn) of the label on the three gives the relay's weights in the judge's points:
each wait's coefficient over the score's.

    python -m training.trace.fit_relay --out src/chaincut/trace/weights/relay.json H1 H2 ...

Only training seeds' homes (docs/tracing.md "Round twelve": the first half of the block).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from sklearn.linear_model import LogisticRegression

import chaincut.trace.assemble as assemble
from chaincut.settings import Settings
from chaincut.trace.api import trace_all
from chaincut.trace.bystander import Facts, Judgement, judge, relay_counts
from chaincut.trace.evaluate import account_labels, is_mule
from chaincut.trace.model import TraceParams
from chaincut.trace.relay import fast

T = TypeVar("T")
#: scores beyond this are certain either way; clipped so they do not steer the fit
CLIP = 15.0


@contextmanager
def recorded() -> Iterator[dict[tuple[str, int, int], tuple[Facts, TraceParams]]]:
    """Every account the judge weighs while the block runs, once per trace that reached it
    (its last judging, ties included): (account, arrival, hop) -> (its facts, params)."""
    seen: dict[tuple[str, int, int], tuple[Facts, TraceParams]] = {}
    plain: Callable[[Facts, TraceParams], Judgement] = getattr(assemble, "judge")  # noqa: B009

    def judged(f: Facts, params: TraceParams) -> Judgement:
        seen[f.account_id, f.arrival, f.hop] = (f, params)
        return plain(f, params)

    setattr(assemble, "judge", judged)  # noqa: B010
    try:
        yield seen
    finally:
        setattr(assemble, "judge", plain)  # noqa: B010


def traced(
    home: Path, asof: str, recorder: Callable[[], AbstractContextManager[T]]
) -> tuple[dict[str, str], T]:
    """Trace every report of `home` as `trace --all --mule-asof ASOF` does, with `recorder`
    watching the judge: the world's account labels and what the recorder kept."""
    settings = Settings(home=home)
    with recorder() as seen:
        for _ in trace_all(settings, TraceParams(), mule_asof=asof):
            pass
    return account_labels(settings), seen


def rows_of(home: Path, fast_hours: float, asof: str) -> list[tuple[float, float, float, bool]]:
    """(score without the relay, fast from a followed payer, fast timed from the victim, mule)
    for every account the relay counts for."""
    out = []
    labels, seen = traced(home, asof, recorded)
    for f, params in seen.values():
        if f.relay is None or not relay_counts(f, params):
            continue
        score = judge(replace(f, relay=None), params).score
        x = fast(f.relay, fast_hours)
        payer, victim = (0.0, x) if f.relay.from_victim else (x, 0.0)
        out.append((max(-CLIP, min(CLIP, score)), payer, victim, is_mule(labels.get(f.account_id))))
    return out


def fit(
    rows: list[tuple[float, float, float, bool]], fast_hours: float, c: float
) -> dict[str, Any]:
    """The weights on the judge's scale, with what they were fitted on."""
    x = np.array([[s, p, v] for s, p, v, _ in rows], dtype=float)
    y = np.array([m for *_, m in rows], dtype=bool)
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    coef = model.coef_[0]
    return {
        "fast_hours": fast_hours,
        "payer": round(float(coef[1] / coef[0]), 2),
        "victim": round(float(coef[2] / coef[0]), 2),
        "fitted_on": {"rows": len(rows), "mules": int(y.sum()), "C": c},
    }


def arguments(doc: str | None) -> argparse.ArgumentParser:
    """The options every judge-weight fit takes: the homes, `--out`, `--c` and `--asof`."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("homes", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--asof", default="report")
    return parser


def emit(weights: dict[str, Any], homes: list[Path], out: Path | None) -> None:
    """Print the fitted weights with the homes they were fitted on, and write them to `out`."""
    weights["fitted_on"]["homes"] = [h.name for h in homes]
    text = json.dumps(weights, indent=2) + "\n"
    if out is not None:
        out.write_text(text, encoding="utf-8")
    print(text, end="")


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--fast-hours", type=float, default=24.0)
    args = parser.parse_args()
    rows = [r for home in args.homes for r in rows_of(home, args.fast_hours, args.asof)]
    emit(fit(rows, args.fast_hours, args.c), args.homes, args.out)


if __name__ == "__main__":
    main()
