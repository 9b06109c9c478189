"""How well the number and device scores find the truth of a simulated (or any labelled) world.

    python -m chaincut.telecom.evaluate --seed 1000 --randomised --json   # a held-out world
    python -m chaincut.telecom.evaluate --seed 101 --scale small --slots 128 [--json]
    python -m chaincut.telecom.evaluate --home HOME [--world WORLD.json] [--model MODEL]

Positives: numbers labelled `fraud` or `simbox`; devices labelled `simbox` (SIM-box IMEIs).
Numbers and devices labelled `member` (a gang member's own phone) are neither: flagging one is
no false alarm, missing one no miss; how many were flagged is reported. With the world's truth
(world.json), the flagged and the missed are broken down by kind (SIM-box SIM, roaming or other
fraud line, courier, telemarketer, business line, call-centre seat, campaign, the city's people,
numbers from outside). Figures (`chaincut.metrics`): precision and recall at the model's
threshold, the innocent entities flagged, precision among the top k (k = the number of
positives), average precision, and the precision the same recall and false-positive rate would
give at a prevalence of 0.1 % (fraud numbers are well under 1 % of numbers).
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
from chaincut.metrics import ranking
from chaincut.settings import Settings
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from chaincut.telecom.evaluate_clue import clue_quality
from chaincut.telecom.features import FloatArray, read_devices, read_numbers
from chaincut.telecom.labels import targets, truth
from chaincut.telecom.model import TelecomModel, shipped

#: the prevalence at which precision is also given
PREVALENCE: Final = 0.001


def figures(positive: Any, scores: FloatArray, threshold: float) -> dict[str, float | int]:
    """The ranking's figures, with the precision at `PREVALENCE`."""
    found = ranking(positive, scores, threshold)
    out = found.to_dict()
    out["precision_at_prevalence_0.001"] = round(found.precision_at(PREVALENCE), 4)
    return out


def evaluate(
    engine: Engine,
    model: TelecomModel | None = None,
    world: Path | None = None,
    device_model: TelecomModel | None = None,
) -> dict[str, Any]:
    """Score the lake's numbers and devices and compare them with its `labels` table (and, with
    `world`, break the flagged and the missed down by kind)."""
    numbers = read_numbers(engine)
    phone_truth = truth(engine, "phone")
    labels = np.array([phone_truth.get(str(i), "normal") for i in numbers.ids])
    y, judged = targets(numbers.ids, phone_truth, "number")
    chosen = model or shipped("number")
    scores = chosen.scores(numbers)
    flagged = scores >= chosen.threshold
    out: dict[str, Any] = {
        "numbers": figures(y[judged], scores[judged], chosen.threshold),
        "members_flagged": f"{int((flagged & ~judged).sum())} of {int((~judged).sum())}",
    }
    kinds = number_kinds(numbers.ids, labels, world)
    out["numbers_top"] = _top(scores, kinds)
    if world is not None:
        out["numbers_flagged_by_kind"] = _count(kinds[flagged])
        out["numbers_missed_by_kind"] = _count(kinds[y & ~flagged])
    devices = read_devices(engine)
    device_truth = truth(engine, "device")
    dlabels = np.array([device_truth.get(str(i), "normal") for i in devices.ids])
    yd, djudged = targets(devices.ids, device_truth, "device")
    dmodel = device_model or shipped("device")
    dscores = dmodel.scores(devices)
    out["devices"] = figures(yd[djudged], dscores[djudged], dmodel.threshold)
    out["devices_flagged_by_label"] = _count(dlabels[dscores >= dmodel.threshold])
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
    people = _people(world)
    for i, number in enumerate(ids):
        name = str(number)
        if name in kind_of:
            kinds[i] = kind_of[name]
        elif kinds[i] == "normal":
            kinds[i] = "person" if name in people else "outside"
    return kinds


def _people(world: Path) -> set[str]:
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


def simulate_and_import(
    work: Path, seed: int, scale: str, slots: Sequence[int] | None, randomised: bool = False
) -> Settings:
    """Simulate a world into `work/world` and import it into a fresh home `work/home` (both are
    replaced: an import into an older home would merge two worlds). `randomised` draws the
    parameters from the documented ranges (`chaincut.telecom.worlds`)."""
    from chaincut.simulate import SimParams
    from chaincut.telecom.worlds import build_world, randomised_params

    params = randomised_params(seed) if randomised else SimParams()
    if slots:
        params = replace(params, simbox_slots=tuple(slots))
    return Settings(home=build_world(work, seed, scale, params).home)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chaincut.telecom.evaluate")
    parser.add_argument("--home", type=Path, help="evaluate this lake (it must hold labels)")
    parser.add_argument("--world", type=Path, help="truth/world.json of --home: evaluate clues")
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--slots", type=int, nargs="*", help="SIM-box sizes (SimParams)")
    parser.add_argument(
        "--randomised", action="store_true", help="draw the parameters from the seed"
    )
    parser.add_argument("--model", type=Path, help="evaluate this number model (not the shipped)")
    parser.add_argument(
        "--work", type=Path, help="simulate into WORK/world and WORK/home, replacing them "
        "(default: a temporary folder)",
    )  # fmt: skip
    parser.add_argument("--no-clues", action="store_true", help="skip the clue figures")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    model = TelecomModel.load(args.model) if args.model else None
    with tempfile.TemporaryDirectory(prefix="chaincut-eval-") as tmp:
        world = args.world
        if args.home:
            settings = Settings(home=args.home)
            about: dict[str, Any] = {"home": str(args.home)}
        else:
            work = args.work or Path(tmp)
            settings = simulate_and_import(work, args.seed, args.scale, args.slots, args.randomised)
            world = work / "world" / "truth" / "world.json"
            about = {
                "seed": args.seed,
                "scale": args.scale,
                "slots": args.slots,
                "randomised": args.randomised,
            }
        with get_engine(settings) as engine:
            result = evaluate(engine, model, world)
        if world is not None and not args.no_clues:
            index = ClueIndex(ensure_clue_index(settings))
            result["clues"] = clue_quality(index, world)["summary"]
            sites = world.with_name("sites.json")  # the foreign world's dens per site
            if sites.exists():
                result["clues_per_site"] = clue_quality(index, sites, normal_clues=0)["summary"]
    result["world"] = about
    if args.json:
        sys.stdout.write(json.dumps(result, indent=1) + "\n")
    else:
        for key, value in result.items():
            sys.stdout.write(f"{key}: {value}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
