"""`evaluate()`: build every world in a temporary folder, import it into a fresh home, run the
detectors with their shipped defaults and collect the figures, world by world."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from chaincut.evaluate import detectors
from chaincut.evaluate.conversation import (
    conversation_figures,
    lake_conversations,
    public_conversations,
)
from chaincut.evaluate.text import TEXT_LIMIT, lake_messages, public_samples, text_figures
from chaincut.evaluate.worlds import DEFAULT_SEED, World, plan_worlds
from chaincut.settings import Settings

log = logging.getLogger(__name__)

#: the detector areas `--only` chooses from
AREAS: Final = ("trace", "accounts", "numbers", "devices", "clue", "text", "warn")
#: progress(world name, step)
Progress = Callable[[str, str], None]


@dataclass
class Column:
    """One column of the table: a world or a public text source, and its figures."""

    name: str
    kind: str
    about: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, float | int] = field(default_factory=dict)
    seconds: float = 0.0
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class Evaluation:
    """Every column's figures; `to_json()` is the `--json` output."""

    columns: list[Column]
    areas: tuple[str, ...]
    seed: int
    scale: str
    mule_asof: str = "lake"

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "scale": self.scale,
            "areas": list(self.areas),
            "mule_asof": self.mule_asof,
            "worlds": [
                {
                    "name": c.name,
                    "kind": c.kind,
                    "about": c.about,
                    "figures": {
                        k: round(v, 4) if isinstance(v, float) else v for k, v in c.figures.items()
                    },
                    "seconds": round(c.seconds, 2),
                    "errors": c.errors,
                }
                for c in self.columns
            ],
        }


def parse_only(only: str | None) -> tuple[str, ...]:
    """The areas of `--only a,b` (all when None); ValueError naming an unknown one."""
    if only is None or not only.strip():
        return AREAS
    chosen = tuple(dict.fromkeys(p.strip().lower() for p in only.split(",") if p.strip()))
    unknown = [a for a in chosen if a not in AREAS]
    if unknown:
        raise ValueError(f"unknown detector area {', '.join(unknown)}: use {','.join(AREAS)}")
    return chosen


def _no_progress(*_: str) -> None:
    return None


def evaluate(
    worlds: int = 3,
    seed: int = DEFAULT_SEED,
    scale: str = "tiny",
    data: Path | None = None,
    areas: Sequence[str] = AREAS,
    *,
    text_limit: int = TEXT_LIMIT,
    progress: Progress | None = None,
    plan: list[World] | None = None,
    mule_asof: str = "lake",
) -> Evaluation:
    """Measure every detector in `areas` on the simulator's default world, `worlds` randomised
    worlds (seeds from `seed`), the foreign world where installed, and the public data under
    `data`; `plan` replaces the planned worlds (tests). The stops' judge weighs the mule
    model's scores of the lake as `mule_asof` says (`trace --all --mule-asof`)."""
    report = progress or _no_progress
    chosen = tuple(a for a in AREAS if a in areas)
    columns: list[Column] = []
    todo = plan if plan is not None else plan_worlds(worlds, seed, scale, data)
    with tempfile.TemporaryDirectory(prefix="chaincut-evaluate-") as tmp:
        for k, world in enumerate(todo):
            columns.append(
                _run_world(world, Path(tmp) / f"w{k}", chosen, text_limit, report, mule_asof)
            )
    if data is not None and "text" in chosen:
        conversations = public_conversations(data, text_limit, seed)
        for name, sample in public_samples(data, text_limit, seed).items():
            report(name, "text")
            started = time.perf_counter()
            col = Column(name, "public text", {"source": name})
            col.figures = text_figures(sample) | conversation_figures(conversations.get(name, []))
            col.seconds = time.perf_counter() - started
            columns.append(col)
    return Evaluation(columns, chosen, seed, scale, mule_asof)


def _run_world(
    world: World,
    work: Path,
    areas: tuple[str, ...],
    text_limit: int,
    report: Progress,
    mule_asof: str = "lake",
) -> Column:
    from chaincut.ingest import import_folder

    started = time.perf_counter()
    col = Column(world.name, world.kind, dict(world.about))
    report(world.name, "building")
    folder = work / "world"
    col.about |= world.write(folder)
    report(world.name, "importing")
    settings = Settings(home=work / "home", duckdb_threads=2)
    import_folder(settings, folder)
    truth = folder / "truth"
    steps: dict[str, Callable[[], dict[str, float | int]]] = {
        "trace": lambda: detectors.trace_figures(settings, truth, mule_asof),
        "accounts": lambda: detectors.account_figures(settings),
        "clue": lambda: detectors.clue_figures(settings, truth / "world.json"),
        "text": lambda: (
            text_figures(lake_messages(settings, text_limit, int(col.about.get("seed", 0))))
            | conversation_figures(
                lake_conversations(settings, text_limit, int(col.about.get("seed", 0)))
            )
        ),
        "warn": lambda: detectors.warn_figures(settings, folder),
    }
    if "numbers" in areas or "devices" in areas:
        steps["telecom"] = lambda: detectors.telecom_figures(settings)
    for name, step in steps.items():
        if name != "telecom" and name not in areas:
            continue
        report(world.name, name)
        try:
            found = step()
        except Exception as exc:  # one detector failing on a world must not hide the others
            log.exception("evaluate: %s failed on %s", name, world.name)
            col.errors[name] = f"{type(exc).__name__}: {exc}"
            continue
        col.figures |= {k: v for k, v in found.items() if k.split(".")[0] in areas}
    col.seconds = time.perf_counter() - started
    return col
