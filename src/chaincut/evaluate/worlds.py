"""The worlds every detector is measured on, each written as an interchange folder.

A `World` is a name, a kind and a function that writes its tables (and any truth) into a
folder. Kinds:

- `simulator`: the simulator's own default world (`SimParams()`): what the detectors were
  designed on, shown for comparison;
- `randomised`: simulator worlds whose assumptions are drawn from `chaincut.simulate.ranges`
  (seeds from `EVAL_SEED_BASE` = 1000 up; training uses seeds below);
- `foreign`: the independently written generator (`chaincut.foreign.generate`), when installed;
- `public`: public data (`../shared/data` or `--data`): the AMLworld sample for accounts. Public
  text corpora are not worlds but text sources (`chaincut.evaluate.text`).

More generators plug in with `register_world_kind`.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from chaincut.evaluate.sites import sites_json
from chaincut.simulate.ranges import EVAL_SEED_BASE

Scale = Literal["tiny", "small"]
#: transactions of a world per scale (the simulator's tiny and small)
SCALE_TRANSACTIONS: Final[dict[str, int]] = {"tiny": 20_000, "small": 200_000}
#: the default seed of the foreign world and of the default simulator world (an evaluation seed)
DEFAULT_SEED: Final = EVAL_SEED_BASE
AMLWORLD_SAMPLE: Final = Path("amlworld_hi_small_sample") / "HI-Small_Trans_sample.csv"

Writer = Callable[[Path], dict[str, Any]]


@dataclass(frozen=True)
class World:
    """One evaluation world: `write(folder)` writes its interchange tables (and `truth/`) and
    returns what it is (seed, parameters, counts) for the report."""

    name: str
    kind: str
    write: Writer = field(compare=False, repr=False)
    about: dict[str, Any] = field(default_factory=dict, compare=False)


#: kind -> builder(seed, scale) for pluggable generators
_KINDS: dict[str, Callable[[int, str], World | None]] = {}


def register_world_kind(kind: str, builder: Callable[[int, str], World | None]) -> None:
    """Add a generator of evaluation worlds: `builder(seed, scale)` returns a `World`, or None
    when the generator is not available here."""
    _KINDS[kind] = builder


def simulator_world(seed: int, scale: str, *, randomised: bool) -> World:
    """The simulator's world of `seed`: its defaults, or parameters drawn from the ranges."""
    from chaincut.simulate import SimParams, simulate
    from chaincut.simulate.ranges import write_params

    params = SimParams.randomised(seed) if randomised else SimParams()
    name = f"randomised-{seed}" if randomised else "simulator-default"

    def write(folder: Path) -> dict[str, Any]:
        summary = simulate(folder, seed=seed, scale=scale, fmt="csv", params=params)
        if randomised:
            write_params(folder, params, seed)
        return {"seed": seed, "scale": scale, "victims": summary.victims, "dens": summary.dens}

    kind = "randomised" if randomised else "simulator"
    return World(name, kind, write, {"seed": seed, "scale": scale})


def foreign_world(seed: int, scale: str) -> World | None:
    """The foreign world (`chaincut.foreign.generate`), or None where it is not installed."""
    try:
        module = importlib.import_module("chaincut.foreign")
    except ImportError:
        return None
    generate = getattr(module, "generate", None)
    if generate is None:
        return None

    def write(folder: Path) -> dict[str, Any]:
        result = generate(folder, seed=seed, size=scale)
        about: dict[str, Any] = {"seed": seed, "scale": scale}
        for name in ("gangs", "victims", "reports", "bystanders", "simboxes"):
            if isinstance(getattr(result, name, None), int):
                about[name] = getattr(result, name)
        dens_json(folder)
        return about

    return World("foreign", "foreign", write, {"seed": seed, "scale": scale})


def dens_json(folder: Path) -> Path | None:
    """Write `truth/world.json` in the simulator's shape (dens with SIM boxes, fraud lines and
    members' phones) from the foreign world's `truth.json`, so the clue is judged the same way
    on both: one den per gang, its operators' lines as the fraud lines."""
    source = folder / "truth.json"
    if not source.exists():
        return None
    truth = json.loads(source.read_text(encoding="utf-8"))
    dens = []
    for gang in truth.get("gangs", []):
        phones = [m for m in gang.get("members", []) if m.get("kind") == "phone"]
        dens.append(
            {
                "den_id": gang["gang_id"],
                "simboxes": [
                    {"sims": [str(s["number"]) for s in box.get("sims", [])]}
                    for box in gang.get("boxes", [])
                ],
                "mobile_phones": [str(m["id"]) for m in phones if m.get("role") == "operator"],
                "member_phones": [str(m["id"]) for m in phones if m.get("role") != "operator"],
            }
        )
    path = folder / "truth" / "world.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"dens": dens}, ensure_ascii=False), encoding="utf-8")
    # a gang is not one site: the clue is also judged per site (issue 12), truth/sites.json
    sites_json(folder)
    return path


def amlworld_world(data: Path) -> World | None:
    """The AMLworld sample as an interchange folder (accounts labelled `laundering`); the half
    of its accounts the shipped mule model learnt from is labelled `held_out` and not judged."""
    path = data / AMLWORLD_SAMPLE
    if not path.exists():
        return None

    def write(folder: Path) -> dict[str, Any]:
        from chaincut.scoring.amlworld import convert_amlworld

        summary = convert_amlworld(path, folder, trained_half=0)
        return {"source": str(AMLWORLD_SAMPLE), "transactions": summary.transactions}

    return World("amlworld-sample", "public", write, {"source": str(AMLWORLD_SAMPLE)})


register_world_kind("foreign", foreign_world)


def plan_worlds(n: int, seed: int, scale: str, data: Path | None) -> list[World]:
    """The worlds of one evaluation: the simulator's default world, `n` randomised worlds
    (seeds `seed`, `seed + 1`, ...), every registered generator's world, and the public data."""
    if seed < EVAL_SEED_BASE:
        raise ValueError(
            f"evaluation seeds start at {EVAL_SEED_BASE} (seeds below are for training), not {seed}"
        )
    worlds = [simulator_world(seed, scale, randomised=False)]
    worlds += [simulator_world(seed + k, scale, randomised=True) for k in range(n)]
    for builder in _KINDS.values():
        extra = builder(seed, scale)
        if extra is not None:
            worlds.append(extra)
    if data is not None:
        aml = amlworld_world(data)
        if aml is not None:
            worlds.append(aml)
    return worlds
