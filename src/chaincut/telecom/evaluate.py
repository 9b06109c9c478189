"""How well the number and device scores find the truth of a simulated world.

    python -m chaincut.telecom.evaluate --seed 101 --scale small --slots 128 [--json]
    python -m chaincut.telecom.evaluate --home HOME [--model MODEL]   # a lake with labels

Positives: numbers labelled `fraud` or `simbox`; devices labelled `simbox` (SIM-box IMEIs; a
device counts as found when it is flagged with the guess `simbox`).
Figures: precision and recall at the method's threshold, precision among the top k (k = 10,
100 and the number of positives), average precision, and the precision the same recall and
false-positive rate would give at a chosen prevalence (fraud numbers well under 1 % of numbers:
`precision = p*TPR / (p*TPR + (1-p)*FPR)`).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

import numpy as np

from chaincut.lake.engine import Engine, get_engine
from chaincut.settings import Settings
from chaincut.telecom import indicators as rules
from chaincut.telecom.clue_facts import ClueIndex
from chaincut.telecom.clue_fresh import ensure_clue_index
from chaincut.telecom.evaluate_clue import clue_quality
from chaincut.telecom.features import FloatArray, read_devices, read_numbers
from chaincut.telecom.metrics import metrics, truth
from chaincut.telecom.model import NumberModel

NUMBER_POSITIVE: Final = frozenset({"fraud", "simbox"})
DEVICE_POSITIVE: Final = frozenset({"simbox"})


def evaluate(engine: Engine, model: NumberModel | None = None) -> dict[str, Any]:
    """Score the lake's numbers and devices and compare them with its `labels` table."""
    numbers = read_numbers(engine)
    phone_truth = truth(engine, "phone")
    y = np.array([phone_truth.get(str(i), "normal") in NUMBER_POSITIVE for i in numbers.ids])
    found = rules.apply(numbers, rules.NUMBER_INDICATORS)
    out: dict[str, Any] = {"numbers_rules": metrics(found.scores, y, rules.THRESHOLD)}
    if model is not None:
        out["numbers_model"] = metrics(model.scores(numbers), y, model.threshold)
    kinds = np.array([phone_truth.get(str(i), "normal") for i in numbers.ids])
    flagged = found.scores >= rules.THRESHOLD
    guess = np.where(found.simbox_points >= found.fraud_points, "simbox", "fraud")
    right = flagged & y & (guess == kinds)
    out["numbers_label_guess_accuracy"] = round(float(right.sum() / max(1, (flagged & y).sum())), 4)
    out["numbers_top"] = _top(numbers.ids, found.scores, kinds)
    devices = read_devices(engine)
    device_truth = truth(engine, "device")
    yd = np.array([device_truth.get(str(i), "normal") in DEVICE_POSITIVE for i in devices.ids])
    dfound = rules.apply(devices, rules.DEVICE_INDICATORS)
    # a device flagged as a fraud caller's handset is not a SIM-box find
    boxy = dfound.simbox_points >= dfound.fraud_points
    out["devices_rules"] = metrics(np.where(boxy, dfound.scores, 0.0), yd, rules.THRESHOLD)
    return out


def _top(ids: Any, scores: FloatArray, kinds: Any, k: int = 20) -> list[str]:
    order = np.lexsort((np.arange(len(ids)), -scores))[:k]
    return [str(kinds[i]) for i in order]


def simulate_and_import(work: Path, seed: int, scale: str, slots: Sequence[int] | None) -> Settings:
    from chaincut.ingest import import_folder
    from chaincut.simulate import SimParams, simulate

    params = SimParams() if not slots else replace(SimParams(), simbox_slots=tuple(slots))
    simulate(work / "world", seed=seed, scale=scale, fmt="parquet", params=params)
    settings = Settings(home=work / "home")
    import_folder(settings, work / "world")
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chaincut.telecom.evaluate")
    parser.add_argument("--home", type=Path, help="evaluate this lake (it must hold labels)")
    parser.add_argument("--world", type=Path, help="truth/world.json of --home: evaluate clues")
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--slots", type=int, nargs="*", help="SIM-box sizes (SimParams)")
    parser.add_argument("--model", type=Path, help="also evaluate this number model")
    parser.add_argument("--work", type=Path, help="where to simulate (default: a temp folder)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    model = NumberModel.load(args.model) if args.model else None
    with tempfile.TemporaryDirectory(prefix="chaincut-eval-") as tmp:
        world = args.world
        if args.home:
            settings = Settings(home=args.home)
            about: dict[str, Any] = {"home": str(args.home)}
        else:
            work = args.work or Path(tmp)
            settings = simulate_and_import(work, args.seed, args.scale, args.slots)
            world = work / "world" / "truth" / "world.json"
            about = {"seed": args.seed, "scale": args.scale, "slots": args.slots}
        with get_engine(settings) as engine:
            result = evaluate(engine, model)
        if world is not None:
            index = ClueIndex(ensure_clue_index(settings))
            result["clues"] = clue_quality(index, world)["summary"]
    result["world"] = about
    if args.json:
        sys.stdout.write(json.dumps(result, indent=1) + "\n")
    else:
        for key, value in result.items():
            sys.stdout.write(f"{key}: {value}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
