"""Compare warning models on one world, in one replay each, beside the plain rule.

What `chaincut warn --replay --evaluate` does for the shipped model, for any model files (the
`chaincut/warning/model/warning.json` shape), with the world's events and weekly mule scores
read once: how the tables of docs/warning.md ("Evaluation") are measured. The mule scores are
cached in `--mule FILE` (JSON) when given, since computing them takes most of the time.

    python -m training.warning.compare --home H [--foreign-truth DIR] [--mule m.json] a.json b.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.warning.evaluate import PlainRule, figures, lake_truth
from chaincut.warning.mule import scheduled_scores
from chaincut.warning.replay import directory, lake_events, span, with_mule_scores
from chaincut.warning.scoring import WarningModel
from chaincut.warning.signals import Warner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--foreign-truth", type=Path, default=None)
    parser.add_argument("--mule", type=Path, default=None)
    parser.add_argument("models", type=Path, nargs="+")
    args = parser.parse_args()
    settings = Settings(home=args.home)
    with get_engine(settings) as engine:
        book = directory(engine)
        truth = lake_truth(engine, book, args.foreign_truth)
        bounds = span(engine)
        events = list(lake_events(engine))
    if args.mule is not None and args.mule.exists():
        mule = [(int(t), s) for t, s in json.loads(args.mule.read_text())]
    else:
        mule = scheduled_scores(settings, *bounds) if bounds else []
        if args.mule is not None:
            args.mule.write_text(json.dumps(mule))
    out: dict[str, object] = {"home": str(args.home), "events": len(events), "days": truth.days}
    for path in args.models:
        model = WarningModel.from_json(json.loads(path.read_text()))
        warner, raised = Warner(book, model), []
        started = time.process_time()
        for event in with_mule_scores(events, warner, mule):
            raised += warner.process(event)
        cpu = time.process_time() - started
        out[path.name] = figures(raised, truth, book).to_json() | {"cpu_s": round(cpu, 2)}
    rule, plain = PlainRule(book), []
    for event in events:
        plain += rule.process(event)
    out["plain_rule"] = figures(plain, truth, book).to_json()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
