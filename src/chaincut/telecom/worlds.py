"""Simulated worlds with randomised parameters: what the shipped models train and are judged on.

No detector may learn one world's quirks, so every world draws the simulator's assumptions from
wide, documented ranges (`SimParams.randomised`, `chaincut.simulate.ranges`): SIM lifetimes from
a day to the whole period, boxes of 4 to 256 slots, some never rotating IMEIs, boxes that work
for a day or for weeks, answer and callback rates, call centres, campaigns, couriers,
telemarketers, business lines, delivery and clinic reminder lines and company switchboards.
Seeds below `EVALUATION_SEEDS` train; seeds from it on are held out for evaluation.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from chaincut.simulate import SimParams
from chaincut.telecom.features import FeatureFrame

#: seeds from here on are for evaluation only (`chaincut evaluate --seed`, default 1000)
EVALUATION_SEEDS: Final = 1_000


def randomised_params(seed: int) -> SimParams:
    """The simulator's parameters for world `seed`, drawn from the documented ranges."""
    return SimParams.randomised(seed)


@dataclass(frozen=True)
class World:
    """One simulated, imported world: its folder, its home, and the parameters it drew."""

    seed: int
    folder: Path
    home: Path
    params: SimParams


def build_world(
    work: Path, seed: int, scale: str = "small", params: SimParams | None = None
) -> World:
    """Simulate world `seed` (randomised unless `params`) into `work/world` and import it into
    a fresh `work/home` (both replaced)."""
    from chaincut.ingest import import_folder
    from chaincut.settings import Settings
    from chaincut.simulate import simulate

    for part in ("world", "home"):
        shutil.rmtree(work / part, ignore_errors=True)
    drawn = randomised_params(seed) if params is None else params
    simulate(work / "world", seed=seed, scale=scale, fmt="parquet", params=drawn)
    import_folder(Settings(home=work / "home"), work / "world")
    return World(seed, work / "world", work / "home", drawn)


def build_foreign(work: Path, seed: int, size: str = "small") -> Path:
    """Generate the independent foreign world `seed` (`chaincut.foreign`) into `work/world` and
    import it into a fresh `work/home` (both replaced); returns the home. The shipped models
    train on some of these too (seeds below `EVALUATION_SEEDS`), so that no weight holds only
    on the simulator's way of drawing a SIM box or a look-alike line."""
    from chaincut.foreign import generate
    from chaincut.ingest import import_folder
    from chaincut.settings import Settings

    for part in ("world", "home"):
        shutil.rmtree(work / part, ignore_errors=True)
    generate(work / "world", seed=seed, size=size)
    import_folder(Settings(home=work / "home"), work / "world")
    return work / "home"


@dataclass(frozen=True)
class Labelled:
    """A world's feature frame, which rows are positive, and which are judged at all."""

    frame: FeatureFrame
    positive: np.ndarray[Any, np.dtype[np.bool_]]
    judged: np.ndarray[Any, np.dtype[np.bool_]]


def labelled(home: Path, kind: str) -> Labelled:
    """The number (`kind` number) or device features of the lake in `home`, with its labels."""
    from chaincut.lake.engine import get_engine
    from chaincut.settings import Settings
    from chaincut.telecom.features import read_devices, read_numbers
    from chaincut.telecom.labels import targets, truth

    with get_engine(Settings(home=home)) as engine:
        frame = read_numbers(engine) if kind == "number" else read_devices(engine)
        found = truth(engine, "phone" if kind == "number" else "device")
    positive, judged = targets(frame.ids, found, kind)
    return Labelled(frame, positive, judged)
