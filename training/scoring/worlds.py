"""The simulated worlds the shipped account model is trained and evaluated on.

Training worlds vary the simulator's typology knobs around their defaults (mule layers,
forwarding delays, splits, runners, pooled accounts); held-out worlds use other seeds with the
defaults; the shifted world uses typology parameters outside the training range (slow mules
that hold money for hours, wide splits, four layers, mostly runners and pooled accounts).
Each world is simulated and imported once into `CACHE/<name>/` and reused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from chaincut.ingest import import_folder
from chaincut.settings import Settings
from chaincut.simulate import SimParams, simulate

log = logging.getLogger("training.scoring")
BASE = SimParams()


@dataclass(frozen=True)
class WorldSpec:
    name: str
    seed: int
    scale: str = "small"
    params: SimParams = field(default_factory=SimParams)

    def home(self, cache: Path) -> Path:
        return cache / self.name / "home"


TRAIN: tuple[WorldSpec, ...] = (
    WorldSpec("train-base", 101),
    WorldSpec("train-two-layers", 102, params=replace(BASE, mule_layers=2)),
    WorldSpec("train-four-layers", 103, params=replace(BASE, mule_layers=4)),
    WorldSpec(
        "train-runners", 104, params=replace(BASE, runner_entry_share=0.4, pooled_share=0.35)
    ),
    WorldSpec(
        "train-fast",
        105,
        params=replace(BASE, forward_delay_min=(10.0, 30.0, 60.0, 120.0), hold_probability=0.3),
    ),
    WorldSpec("train-wide", 106, params=replace(BASE, split_factor=(1, 6), next_layer_ratio=0.8)),
)
HELD_OUT: tuple[WorldSpec, ...] = (WorldSpec("test-201", 201), WorldSpec("test-202", 202))
SHIFTED = WorldSpec(
    "shifted-301",
    301,
    params=replace(
        BASE,
        mule_layers=4,
        forward_delay_min=(240.0, 480.0, 720.0, 960.0),
        hold_probability=0.5,
        hold_hours=(24.0, 120.0),
        split_factor=(3, 8),
        runner_entry_share=0.5,
        pooled_share=0.5,
        early_exit_share=0.3,
        exit_mix=(0.7, 0.1, 0.2),
    ),
)


def prepare(spec: WorldSpec, cache: Path) -> Settings:
    """Simulate and import the world (once); the settings of its home."""
    settings = Settings(home=spec.home(cache))
    done = spec.home(cache) / ".imported"
    if not done.exists():
        folder = cache / spec.name / "world"
        log.info("simulating %s (seed %d, %s)", spec.name, spec.seed, spec.scale)
        simulate(folder, seed=spec.seed, scale=spec.scale, params=spec.params)
        log.info("importing %s", spec.name)
        result = import_folder(settings, folder)
        if result.rejected_count:
            raise RuntimeError(f"{spec.name}: {result.rejected_count} rows rejected on import")
        done.write_text("ok\n", encoding="utf-8")
    return settings
