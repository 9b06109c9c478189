"""Simulated worlds with randomised parameters: what the shipped models train and are judged on.

No detector may learn one world's quirks, so every world draws the simulator's assumptions from
wide ranges (`randomised_params`): how long a box's SIMs live (a box that makes a few calls a
SIM a day runs for weeks, one that makes forty runs a day or two; swaps from none to most
SIMs), box sizes from 4 to 256 slots, IMEI rotation from none to all, answer and callback rates,
how many call centres, campaigns, couriers, telemarketers and business lines there are and how
they answer. Seeds below `EVALUATION_SEEDS` train; seeds from it on are held out. When the
simulator offers its own `SimParams.randomised(seed)`, that is used instead (with the same
split of seeds).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import numpy as np

from chaincut.simulate import SimParams
from chaincut.telecom.features import FeatureFrame

#: seeds from here on are for evaluation only
EVALUATION_SEEDS: Final = 1_000
SLOTS: Final = (4, 8, 16, 32, 64, 128, 256)


def randomised_params(seed: int) -> SimParams:
    """The simulator's parameters for world `seed`, drawn from the documented ranges."""
    own = getattr(SimParams, "randomised", None)
    if callable(own):
        drawn = own(seed)
        if isinstance(drawn, SimParams):
            return drawn
    rng = np.random.default_rng([seed, 12])
    days = int(rng.integers(14, 43))
    sizes = tuple(sorted(rng.choice(SLOTS, size=int(rng.integers(1, 4)), replace=False).tolist()))
    campaign_low = int(rng.integers(2, 6))

    def u(low: float, high: float) -> float:
        return float(rng.uniform(low, high))

    fill_low = u(0.3, 1.0)
    seats_low = int(rng.integers(4, 16))
    return replace(
        SimParams(),
        days=days,
        calls_per_txn=u(0.4, 1.0),
        simbox_den_share=u(0.3, 1.0),
        simbox_slots=tuple(int(s) for s in sizes),
        rotating_imei_share=u(0.0, 1.0),
        simbox_answer_rate=u(0.08, 0.45),
        calls_per_sim_day=int(rng.integers(2, 41)),
        spam_share=u(0.0, 0.03),
        victim_contact_via_box=u(0.2, 0.9),
        handover_share=u(0.1, 0.7),
        simbox_fill=(fill_low, u(fill_low, 1.0)),
        simbox_stagger_min=u(0.0, 120.0),
        simbox_idle_share=u(0.0, 0.4),
        simbox_swap_rate=u(0.0, 0.6),
        simbox_move_share=u(0.0, 0.5),
        callback_rate=u(0.0, 0.25),
        callback_answer_rate=u(0.0, 0.6),
        roaming_line_share=u(0.0, 1.0),
        roaming_calls_per_day=int(rng.integers(5, 61)),
        real_identity_share=u(0.0, 1.0),
        courier_share=u(0.0005, 0.006),
        telemarketer_share=u(0.0002, 0.002),
        business_line_share=u(0.001, 0.01),
        call_centres_per_100k=u(0.5, 8.0),
        call_centre_seats=(seats_low, int(rng.integers(seats_low, 61))),
        call_centre_answering_share=u(0.0, 1.0),
        campaigns_per_100k=u(0.5, 5.0),
        campaign_days=(campaign_low, int(rng.integers(campaign_low, days - 1))),
    )


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
