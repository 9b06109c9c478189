"""Fit the worklist's order (`chaincut.warning.urgency`) on training worlds, and check it by
leaving each world out in turn.

Each world is replayed once through the shipped warner (with its weekly mule scores, cached in
`--cache`); every warning raised is a row: its urgency features, labelled 1 when its subject is
a victim who has not paid yet and pays within a day (urgent and still preventable), else 0 (a
victim who paid already, someone under attack who never pays, anyone else). A logistic
regression (scikit-learn) over the score's logit and `--features`, each world weighing the same
(the simulator's worlds raise more warnings), gives the priority. `--check` also fits it once per
world left out and prints, per generator, the victims in time on the worlds left out, ranked by
the score and by the priority. Training seeds only (below 1000):

    python -m training.warning.urgency --cache /tmp/urg --check \\
        --world h-r970 --world h-f970:f970 ...   # HOME[:FOREIGN_WORLD_DIR]
"""

from __future__ import annotations

import argparse
import json
import pickle
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.warning.evaluate import Truth, figures, lake_truth, person_of
from chaincut.warning.evidence import Directory, RaisedWarning
from chaincut.warning.mule import scheduled_scores
from chaincut.warning.replay import directory, lake_events, span, with_mule_scores
from chaincut.warning.signals import Warner
from chaincut.warning.urgency import BY_SCORE, URGENCY_NAMES, UrgencyModel

#: where the fit is written: round thirteen's fit is kept here, not shipped (the package's
#: `warning/model/urgency.json` ranks by the score: docs/warning.md, "Round thirteen")
SHIPPED = Path(__file__).parent / "urgency-round13.json"
#: the features round thirteen chose (docs/warning.md, "Round thirteen")
CHOSEN = ("contact_hour", "fresh", "paid", "by_payment")
DAY = 86_400


@dataclass(frozen=True)
class World:
    name: str
    truth: Truth
    #: (person, raised_at, score, urgency features) of every warning, in order
    rows: list[tuple[str, int, float, tuple[float, ...]]]


def replay(spec: str, cache: Path) -> World:
    """A world's warnings (`spec`: HOME[:FOREIGN]), cached by the home's name."""
    home, _, foreign = spec.partition(":")
    name = Path(home).name
    cached = cache / f"{name}.pkl"
    if cached.exists():
        # the cache is this script's own output, never data from elsewhere
        world: World = pickle.loads(cached.read_bytes())  # noqa: S301
        return world
    settings = Settings(home=Path(home))
    with get_engine(settings) as engine:
        book, bounds = directory(engine), span(engine)
    mule = scheduled_scores(settings, *bounds) if bounds else []
    rows = []
    with get_engine(settings) as engine:
        truth = lake_truth(engine, book, Path(foreign) if foreign else None)
        warner = Warner(book, urgency=BY_SCORE)
        for event in with_mule_scores(lake_events(engine), warner, mule):
            for w in warner.process(event):
                person = person_of(w, book)
                rows.append((person, w.raised_at, w.score, w.urgency))
    world = World(name, truth, rows)
    cached.write_bytes(pickle.dumps(world))
    return world


def fit(worlds: list[World], features: tuple[str, ...]) -> UrgencyModel:
    """The logistic priority over the score and `features`, each world weighing the same."""
    columns = [URGENCY_NAMES.index(n) for n in ("score", *features)]
    xs, ys, weights = [], [], []
    for world in worlds:
        for person, ts, _, x in world.rows:
            paid = world.truth.victims.get(person)
            xs.append([x[i] for i in columns])
            ys.append(int(paid is not None and 0 < paid - ts <= DAY))
            weights.append(1000 / len(world.rows))
    clf = LogisticRegression(max_iter=3000)
    clf.fit(np.array(xs), np.array(ys), sample_weight=np.array(weights))
    coef = [0.0] * len(URGENCY_NAMES)
    for j, i in enumerate(columns):
        coef[i] = round(float(clf.coef_[0][j]), 4)
    names = ", ".join(w.name for w in worlds)
    return UrgencyModel(round(float(clf.intercept_[0]), 4), tuple(coef),
                        f"training worlds {names}; label: a victim paying within a day")  # fmt: skip


def in_time(world: World, model: UrgencyModel) -> tuple[int, int]:
    """(victims in time, innocent people) of the world's worklist ranked by `model`."""
    ranked = [
        RaisedWarning(f"W{i}", "person", p, ts, s, "other", "sms", (), model.priority(list(x)))
        for i, (p, ts, s, x) in enumerate(world.rows)
    ]
    got = figures(ranked, world.truth, Directory())
    return got.warned_in_time, got.innocent_people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--world", action="append", required=True, help="HOME[:FOREIGN_DIR]")
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--features", default=",".join(CHOSEN))
    parser.add_argument("--out", type=Path, default=SHIPPED)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    features = tuple(f for f in args.features.split(",") if f)
    worlds = [replay(spec, args.cache) for spec in args.world]
    if args.check:
        by_score, by_priority, innocent = Counter[str](), Counter[str](), 0
        for world in worlds:
            held_out = fit([w for w in worlds if w is not world], features)
            kind = "foreign" if ":" in next(s for s in args.world if world.name in s) else "sim"
            by_score[kind] += in_time(world, BY_SCORE)[0]
            n, i = in_time(world, held_out)
            by_priority[kind] += n
            innocent += i
        print(json.dumps({"score": by_score, "priority": by_priority, "innocent": innocent}))
    model = fit(worlds, features)
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n")
    print(json.dumps(model.to_json()))


if __name__ == "__main__":
    main()
