"""How well the number and device scores find the truth of a simulated world.

    python -m chaincut.telecom.evaluate --seed 101 --scale small --slots 128 [--json]
    python -m chaincut.telecom.evaluate --home HOME [--model MODEL]   # a lake with labels

Positives: numbers labelled `fraud` or `simbox`; devices labelled `simbox` (SIM-box IMEIs; a
device counts as found when it is flagged with the guess `simbox`). Numbers and devices labelled
`member` (a gang member's own phone) are neither: flagging one is no false alarm, missing one no
miss; how many were flagged is reported. With the world's truth (world.json), the flagged and
the missed are broken down by kind (SIM-box SIM, roaming or other fraud line, courier,
telemarketer, business line, call-centre seat, the city's people, numbers from outside).
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
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from chaincut.telecom.evaluate_clue import clue_quality
from chaincut.telecom.features import FloatArray, read_devices, read_numbers
from chaincut.telecom.metrics import metrics, truth
from chaincut.telecom.model import NumberModel

NUMBER_POSITIVE: Final = frozenset({"fraud", "simbox"})
DEVICE_POSITIVE: Final = frozenset({"simbox"})


def evaluate(
    engine: Engine, model: NumberModel | None = None, world: Path | None = None
) -> dict[str, Any]:
    """Score the lake's numbers and devices and compare them with its `labels` table (and, with
    `world`, break the flagged and the missed down by kind)."""
    numbers = read_numbers(engine)
    phone_truth = truth(engine, "phone")
    labels = np.array([phone_truth.get(str(i), "normal") for i in numbers.ids])
    y = np.isin(labels, list(NUMBER_POSITIVE))
    judged = labels != "member"
    found = rules.apply(numbers, rules.NUMBER_INDICATORS)
    flagged = found.scores >= rules.THRESHOLD
    out: dict[str, Any] = {
        "numbers_rules": metrics(found.scores[judged], y[judged], rules.THRESHOLD),
        "members_flagged": f"{int((flagged & ~judged).sum())} of {int((~judged).sum())}",
    }
    if model is not None:
        scores = model.scores(numbers)
        out["numbers_model"] = metrics(scores[judged], y[judged], model.threshold)
    guess = np.where(found.simbox_points >= found.fraud_points, "simbox", "fraud")
    right = flagged & y & (guess == labels)
    out["numbers_label_guess_accuracy"] = round(float(right.sum() / max(1, (flagged & y).sum())), 4)
    kinds = number_kinds(numbers.ids, labels, world)
    out["numbers_top"] = _top(found.scores, kinds)
    if world is not None:
        out["numbers_flagged_by_kind"] = _count(kinds[flagged])
        out["numbers_missed_by_kind"] = _count(kinds[y & ~flagged])
    devices = read_devices(engine)
    device_truth = truth(engine, "device")
    dlabels = np.array([device_truth.get(str(i), "normal") for i in devices.ids])
    yd = np.isin(dlabels, list(DEVICE_POSITIVE))
    dfound = rules.apply(devices, rules.DEVICE_INDICATORS)
    # a device flagged as a fraud caller's handset is not a SIM-box find
    boxy = np.where(dfound.simbox_points >= dfound.fraud_points, dfound.scores, 0.0)
    djudged = dlabels != "member"
    out["devices_rules"] = metrics(boxy[djudged], yd[djudged], rules.THRESHOLD)
    out["devices_flagged_by_label"] = _count(dlabels[boxy >= rules.THRESHOLD])
    return out


def number_kinds(ids: Any, labels: Any, world: Path | None) -> Any:
    """Each number's kind: its label, refined by the world's truth when given."""
    kinds = np.array(labels, dtype=object)
    if world is None:
        return kinds
    info = json.loads(world.read_text(encoding="utf-8"))
    kind_of: dict[str, str] = {}
    for name, numbers in info.get("heavy_callers", {}).items():
        kind_of.update((n, name) for n in numbers)
    for den in info["dens"]:
        kind_of.update((n, "fraud_line") for n in den["mobile_phones"])
        kind_of.update((n, "roaming_line") for n in den.get("roaming_phones", []))
        kind_of.update((n, "simbox") for b in den["simboxes"] for n in b["sims"])
    people = _people(info, world)
    for i, number in enumerate(ids):
        name = str(number)
        if name in kind_of:
            kinds[i] = kind_of[name]
        elif kinds[i] == "normal":
            kinds[i] = "person" if name in people else "outside"
    return kinds


def _people(info: dict[str, Any], world: Path) -> set[str]:
    import pyarrow.parquet as pq

    folder = world.parent.parent
    path = folder / "persons.parquet"
    if path.exists():
        return {str(p) for p in pq.read_table(path, columns=["phone"]).column(0).to_pylist()}
    import pyarrow.csv as pcsv

    table = pcsv.read_csv(folder / "persons.csv")
    return {str(p) for p in table.column("phone").to_pylist()}


def _count(kinds: Any) -> dict[str, int]:
    names, counts = np.unique(np.asarray(kinds, dtype=str), return_counts=True)
    return {str(k): int(c) for k, c in zip(names, counts, strict=True)}


def _top(scores: FloatArray, kinds: Any, k: int = 20) -> list[str]:
    order = np.lexsort((np.arange(len(scores)), -scores))[:k]
    return [str(kinds[i]) for i in order]


def simulate_and_import(work: Path, seed: int, scale: str, slots: Sequence[int] | None) -> Settings:
    """Simulate a world into `work/world` and import it into a fresh home `work/home` (both are
    replaced: an import into an older home would merge two worlds)."""
    import shutil

    from chaincut.ingest import import_folder
    from chaincut.simulate import SimParams, simulate

    for part in ("world", "home"):
        shutil.rmtree(work / part, ignore_errors=True)
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
    parser.add_argument(
        "--work", type=Path, help="simulate into WORK/world and WORK/home, replacing them "
        "(default: a temporary folder)",
    )  # fmt: skip
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
            result = evaluate(engine, model, world)
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
