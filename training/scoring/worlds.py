"""The worlds the shipped account model is trained, calibrated and evaluated on.

Every world is drawn from its seed: the simulator's parameters (`randomised_params`, or
`SimParams.randomised` once the simulator has it) and its size (20 000 to 50 000 transactions).
The seed ranges are disjoint and fixed here (docs/scoring.md quotes them):

| use | simulator seeds | foreign-generator seeds |
|---|---|---|
| training | 1-30 | 1-10 |
| calibration (Platt scaling and the threshold) | 500-509 | 500-504 |
| evaluation (never seen when building) | 1000-1009 | 1000-1004 |

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
from chaincut.settings import Settings
from chaincut.simulate import SimParams, simulate

log = logging.getLogger("training.scoring")

TRAIN_SEEDS = range(1, 31)
CALIBRATION_SEEDS = range(500, 510)
EVALUATION_SEEDS = range(1000, 1010)
FOREIGN_TRAIN_SEEDS = range(1, 11)
FOREIGN_CALIBRATION_SEEDS = range(500, 505)
FOREIGN_EVALUATION_SEEDS = range(1000, 1005)
#: transactions per world, drawn per seed
SIZE = (20_000, 50_000)


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
        return sim_params(self.seed)


def randomised_params(seed: int) -> SimParams:
    """Simulator parameters drawn over wide ranges from `seed`: mule layers 1-4, forwarding
    delays from minutes to half a day, holding money for days, splits, runners and pooled
    accounts from none to most, exits in any mix, windows of 1-8 weeks, busy or quiet people."""
    r = random.Random(f"chaincut-mule-world:{seed}")
    base = min(r.uniform(1.0, 240.0), r.uniform(1.0, 720.0))
    mix = [r.random() + 0.05 for _ in range(3)]
    total = sum(mix)
    split_low = r.randint(1, 3)
    return replace(
        SimParams(),
        days=r.randint(14, 60),
        txns_per_person=r.uniform(10.0, 60.0),
        victims_per_10k_txns=r.uniform(2.0, 10.0),
        report_rate=r.uniform(0.4, 1.0),
        mule_layers=r.randint(1, 4),
        victims_per_l1=r.uniform(1.0, 8.0),
        next_layer_ratio=r.uniform(0.3, 1.0),
        split_factor=(split_low, split_low + r.randint(0, 6)),
        forward_delay_min=tuple(base * k for k in (1.0, 2.0, 4.0, 6.0)),
        hold_probability=r.uniform(0.0, 0.6),
        hold_hours=(r.uniform(1.0, 24.0), r.uniform(24.0, 168.0)),
        runner_entry_share=r.uniform(0.0, 0.6),
        pooled_share=r.uniform(0.0, 0.5),
        early_exit_share=r.uniform(0.0, 0.4),
        merchant_spend_probability=r.uniform(0.0, 0.6),
        exit_mix=(mix[0] / total, mix[1] / total, 1.0 - mix[0] / total - mix[1] / total),
        exit_batch_cny=r.uniform(5_000.0, 80_000.0),
        exit_wait_hours=r.uniform(1.0, 48.0),
        lot_policy=r.choice(("random", "fifo", "pro_rata")),
    )


def sim_params(seed: int) -> SimParams:
    """The simulator's own randomiser when it has one (branch simeval), else ours."""
    drawn: Callable[[int], SimParams] | None = getattr(SimParams, "randomised", None)
    return drawn(seed) if drawn is not None else randomised_params(seed)


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
    """The worlds of `kind` ("sim" or "foreign") with these seeds; none of a missing kind."""
    if kind == "foreign" and foreign_generator() is None:
        return ()
    return tuple(WorldSpec(f"{kind}-{s}", s, kind, _size(kind, s)) for s in seeds)


def training_worlds() -> tuple[WorldSpec, ...]:
    return (*worlds("sim", TRAIN_SEEDS), *worlds("foreign", FOREIGN_TRAIN_SEEDS))


def calibration_worlds() -> tuple[WorldSpec, ...]:
    return (*worlds("sim", CALIBRATION_SEEDS), *worlds("foreign", FOREIGN_CALIBRATION_SEEDS))


def evaluation_worlds() -> tuple[WorldSpec, ...]:
    return (*worlds("sim", EVALUATION_SEEDS), *worlds("foreign", FOREIGN_EVALUATION_SEEDS))


def generate(spec: WorldSpec, folder: Path) -> None:
    """Write the world's interchange folder."""
    if spec.kind == "foreign":
        make = foreign_generator()
        if make is None:
            raise RuntimeError("this checkout has no chaincut.foreign generator")
        make(folder, seed=spec.seed, transactions=spec.transactions)
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
