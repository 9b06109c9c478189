"""The worlds the shipped account model is trained, calibrated and evaluated on.

Every world is drawn from its seed: the simulator's parameters (`randomised_params`:
`SimParams.randomised` and the mules' timing) and its size (20 000 to 50 000 transactions);
foreign worlds are the generator's tiny or small world of the seed.
The seed ranges are disjoint and fixed here (docs/scoring.md quotes them):

| use | simulator seeds | foreign-generator seeds |
|---|---|---|
| training | 1-30 | 1-10 |
| calibration (Platt scaling and the threshold) | 500-509 | 500-504 |
| evaluation (never seen when building) | 1000-1009 | 1000-1004 |

The public AMLworld sample (`../shared/data/amlworld_hi_small_sample`, kind "amlworld") is cut
in two by `chaincut.scoring.amlworld.attempt_halves` (laundering accounts by attempt, the others
by account): half 0 trains, half 1 is reported, and no figure is reported on half 0.

The foreign worlds come from `chaincut.foreign.generate` (an independent generator written
without reading the simulator) when the package has it; the pipeline runs without them and
says so. Each world is generated and imported once into `CACHE/<name>/` and reused.
"""

from __future__ import annotations

import importlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from chaincut.ingest import import_folder
from chaincut.scoring.amlworld import attempt_halves, convert_amlworld, read_amlworld
from chaincut.scoring.train import HELD_OUT
from chaincut.settings import Settings
from chaincut.simulate import SimParams, simulate

log = logging.getLogger("training.scoring")

TRAIN_SEEDS = range(1, 31)
CALIBRATION_SEEDS = range(500, 510)
EVALUATION_SEEDS = range(1000, 1010)
FOREIGN_TRAIN_SEEDS = range(1, 11)
FOREIGN_CALIBRATION_SEEDS = range(500, 505)
FOREIGN_EVALUATION_SEEDS = range(1000, 1005)
#: transactions per simulated world, drawn per seed
SIZE = (20_000, 50_000)
#: the foreign generator's named sizes and about how many transactions they hold
FOREIGN_SIZES = (10_000, 60_000)
FOREIGN_SIZE_NAMES = {10_000: "tiny", 60_000: "small"}
#: the public AMLworld sample; the training half weighs this much per account (its 48
#: launderers against some 5 000 mules of the generated worlds)
AMLWORLD_SAMPLE = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "amlworld_hi_small_sample"
)
AMLWORLD_CSV = "HI-Small_Trans_sample.csv"
AMLWORLD_WEIGHT = 5.0


@dataclass(frozen=True)
class WorldSpec:
    """One world: `kind` "sim" (the simulator) or "foreign" (the independent generator)."""

    name: str
    seed: int
    kind: str = "sim"
    transactions: int = 30_000

    def home(self, cache: Path) -> Path:
        return cache / self.name / "home"

    @property
    def params(self) -> SimParams:
        return randomised_params(self.seed)


def randomised_params(seed: int) -> SimParams:
    """The simulator's randomised world of `seed` (`SimParams.randomised`: the documented
    ranges of docs/simulator.md), with the mules' timing drawn too, which those ranges keep at
    the defaults: forwarding after minutes to half a day per level, and holding money for hours
    to a week."""
    r = random.Random(f"chaincut-mule-world:{seed}")
    base = min(r.uniform(1.0, 240.0), r.uniform(1.0, 720.0))
    return replace(
        SimParams.randomised(seed),
        forward_delay_min=tuple(base * k for k in (1.0, 2.0, 4.0, 6.0)),
        hold_hours=(r.uniform(1.0, 24.0), r.uniform(24.0, 168.0)),
    )


def foreign_generator() -> Callable[..., Any] | None:
    """`chaincut.foreign.generate`, or None where this checkout has no foreign generator."""
    try:
        module = importlib.import_module("chaincut.foreign")
    except ImportError:
        return None
    found: Callable[..., Any] | None = getattr(module, "generate", None)
    return found


def _size(kind: str, seed: int) -> int:
    return random.Random(f"chaincut-mule-size:{kind}:{seed}").randint(*SIZE)


def worlds(kind: str, seeds: range) -> tuple[WorldSpec, ...]:
    """The worlds of `kind` ("sim" or "foreign") with these seeds; none of a missing kind.
    Foreign worlds alternate between the generator's tiny (~10 k transactions) and small
    (~60 k) sizes."""
    if kind == "foreign" and foreign_generator() is None:
        return ()
    return tuple(
        WorldSpec(
            f"{kind}-{s}",
            s,
            kind,
            _size(kind, s) if kind == "sim" else FOREIGN_SIZES[s % 2],
        )
        for s in seeds
    )


def training_worlds(foreign: bool = True) -> tuple[WorldSpec, ...]:
    """The training worlds; without `foreign`, the simulator's only."""
    found = worlds("foreign", FOREIGN_TRAIN_SEEDS) if foreign else ()
    return (*worlds("sim", TRAIN_SEEDS), *found)


def calibration_worlds(foreign: bool = True) -> tuple[WorldSpec, ...]:
    """The calibration worlds; without `foreign`, the simulator's only."""
    found = worlds("foreign", FOREIGN_CALIBRATION_SEEDS) if foreign else ()
    return (*worlds("sim", CALIBRATION_SEEDS), *found)


def evaluation_worlds() -> tuple[WorldSpec, ...]:
    """The worlds the figures of docs/scoring.md are reported on: simulator 1000-1004, the
    foreign generator's seed 1000 at both sizes, and AMLworld's held-out half where the sample
    is at hand."""
    found = worlds("foreign", FOREIGN_EVALUATION_SEEDS[:1])
    small = tuple(WorldSpec(f"{w.name}-small", w.seed, w.kind, FOREIGN_SIZES[1]) for w in found)
    return (*worlds("sim", EVALUATION_SEEDS[:5]), *found, *small, *amlworld())


def amlworld(sample: Path = AMLWORLD_SAMPLE) -> tuple[WorldSpec, ...]:
    """The AMLworld sample as a world, or none where it is not at hand."""
    return (WorldSpec("amlworld", 0, "amlworld"),) if (sample / AMLWORLD_CSV).is_file() else ()


def amlworld_halves(sample: Path = AMLWORLD_SAMPLE) -> dict[str, int]:
    """Each account of the AMLworld sample in half 0 (trains) or 1 (reported)."""
    return attempt_halves(read_amlworld(sample / AMLWORLD_CSV))


def training_labels(labels: dict[str, str], halves: dict[str, int]) -> dict[str, str]:
    """AMLworld's labels for training: those of half 1 `HELD_OUT` (never learnt from)."""
    accounts = set(labels) | set(halves)
    return {a: HELD_OUT if halves.get(a, 0) == 1 else labels.get(a, "normal") for a in accounts}


def generate(spec: WorldSpec, folder: Path) -> None:
    """Write the world's interchange folder."""
    if spec.kind == "amlworld":
        convert_amlworld(AMLWORLD_SAMPLE / AMLWORLD_CSV, folder)
    elif spec.kind == "foreign":
        make = foreign_generator()
        if make is None:
            raise RuntimeError("this checkout has no chaincut.foreign generator")
        make(folder, spec.seed, FOREIGN_SIZE_NAMES[spec.transactions])
    else:
        simulate(folder, seed=spec.seed, scale=spec.transactions, params=spec.params)


def prepare(spec: WorldSpec, cache: Path) -> Settings:
    """Generate and import the world (once); the settings of its home."""
    settings = Settings(home=spec.home(cache))
    done = spec.home(cache) / ".imported"
    if not done.exists():
        folder = cache / spec.name / "world"
        log.info("generating %s (%d transactions)", spec.name, spec.transactions)
        generate(spec, folder)
        result = import_folder(settings, folder)
        if result.rejected_count:
            raise RuntimeError(f"{spec.name}: {result.rejected_count} rows rejected on import")
        done.write_text("ok\n", encoding="utf-8")
    return settings
