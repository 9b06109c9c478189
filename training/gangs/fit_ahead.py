"""Calibrate the freeze-ahead model (`chaincut.gangs.ahead_model`) on training worlds' leads.

Each world is analysed as `chaincut gangs` analyses it, and every freeze-ahead lead
(`chaincut.gangs.ahead.leads`, taken before any is listed) becomes one row: the model's
log-odds (`ahead.log_odds` without the calibration), its highest over the gangs it is a lead
of (the gang `freeze_ahead` would list it with), and whether the world's truth calls the
account a gang's card (any gang's: a card listed with the wrong gang harms no innocent
person). A logistic regression (scikit-learn) of the label on the log-odds (Platt scaling)
gives `ahead_model.SCALE` and `SHIFT`.

    python -m training.gangs.fit_ahead HOME=WORLD [HOME=WORLD ...]

Only training seeds' worlds (docs/gangs.md "Round thirteen: cards": the first half of the
block, and round eleven's 420-429).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

import chaincut.gangs.cards as cards
from chaincut.gangs.ahead import Lead, freeze_ahead, leads, log_odds
from chaincut.gangs.analyse import Gang, analyse
from chaincut.gangs.collect import Evidence, collect
from chaincut.gangs.evaluate import read_truth
from chaincut.gangs.graph import LinkGraph
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings


@contextmanager
def recorded() -> Iterator[list[Lead]]:
    """Every lead `freeze_ahead` weighs while the block runs, before it lists any."""
    seen: list[Lead] = []
    plain = freeze_ahead  # (what `kin_cards` calls, by its name in `chaincut.gangs.cards`)

    def weighed(gangs: list[Gang], ev: Evidence, graph: LinkGraph) -> None:
        seen.extend(leads(gangs, ev, graph))
        plain(gangs, ev, graph)

    setattr(cards, "freeze_ahead", weighed)  # noqa: B010
    try:
        yield seen
    finally:
        setattr(cards, "freeze_ahead", plain)  # noqa: B010


def rows_of(ev: Evidence, world: Path) -> list[tuple[str, float, bool]]:
    """(account, its highest uncalibrated log-odds as a lead, a gang's card) for every
    account that is a lead of some gang of `ev`'s analysis."""
    with recorded() as seen:
        analyse(ev)
    truth = set().union(*(t.cards for t in read_truth(world)))
    best: dict[str, float] = {}
    for lead in seen:
        card = str(lead.row["account_id"])
        best[card] = max(best.get(card, -1e9), log_odds(lead.x, calibrated=False))
    return [(card, z, card in truth) for card, z in sorted(best.items())]


def fit(rows: list[tuple[str, float, bool]], c: float) -> dict[str, Any]:
    """`SCALE` and `SHIFT`, with what they were fitted on."""
    x = np.array([[z] for _, z, _ in rows], dtype=float)
    y = np.array([card for *_, card in rows], dtype=bool)
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    return {
        "scale": round(float(model.coef_[0][0]), 2),
        "shift": round(float(model.intercept_[0]), 2),
        "fitted_on": {"leads": len(rows), "cards": int(y.sum()), "C": c},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pairs", nargs="+", help="HOME=WORLD: an imported home and its world")
    parser.add_argument("--c", type=float, default=1.0)
    args = parser.parse_args()
    rows: list[tuple[str, float, bool]] = []
    for pair in args.pairs:
        home, world = (Path(p) for p in pair.split("=", 1))
        with get_engine(Settings(home=home)) as lake:
            rows += rows_of(collect(lake), world)
    out = fit(rows, args.c)
    out["fitted_on"]["worlds"] = [
        p.split("=", 1)[1].rstrip("/").rsplit("/", 1)[-1] for p in args.pairs
    ]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
