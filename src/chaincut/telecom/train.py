"""Training telecom models: on a user's own labels (`chaincut train numbers`), and the shipped
models on many randomised simulated worlds.

    python -m chaincut.telecom.train --seeds 1-40 --foreign-seeds 1-10 \
        [--number-foreign-seeds SEEDS] [--default-seeds SEEDS] [--kind number|device|both] \
        [--scale tiny,small] --work /tmp/telecom-worlds --out src/chaincut/telecom/model

A user's model: phones labelled `fraud`, `simbox` (or `goip`, `scam`, `1`, ...) are the
positives; every other number of the lake counts as normal, as in the account trainer. The
figures reported with it are out-of-fold (5 folds, assigned by a hash of the number, so they are
the same on every run): precision, recall and average precision on numbers the fold's model did
not see.

The shipped models: one world per training seed (`chaincut.telecom.worlds`, seeds below 1 000),
simulated with randomised parameters, and (the device model) from the independent foreign
generator, each world weighing the same in the fit, whatever its size. Foreign worlds in the
number fit raised its average precision on held-out foreign worlds but doubled the innocent
numbers it flags at the calibrated threshold, on them and on the simulated worlds
(docs/telecom.md), so the number model leaves them out unless asked.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np

from chaincut.lake.engine import Engine
from chaincut.metrics import ranking
from chaincut.telecom.features import FeatureFrame, read_numbers
from chaincut.telecom.labels import NEITHER, is_positive, normalise, truth
from chaincut.telecom.model import Kind, ModelError, TelecomModel, fit

FOLDS: Final = 5
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]

__all__ = ["TrainingError", "is_positive", "normalise", "train_numbers", "train_shipped"]


class TrainingError(ModelError):
    """The labels cannot train a model (none given, or only one class)."""


def fold_of(number: str) -> int:
    """The cross-validation fold of a number, the same on every run and machine."""
    return hashlib.blake2b(number.encode(), digest_size=2).digest()[0] % FOLDS


def train_numbers(engine: Engine) -> TelecomModel:
    """Fit a number model on the lake's numbers and its `labels` of kind `phone`."""
    labels = truth(engine, "phone")
    if not labels:
        raise TrainingError("the labels table has no rows of entity_kind 'phone'")
    frame = read_numbers(engine)
    names = [labels.get(str(n), "normal") for n in frame.ids]
    judged = np.array([n not in NEITHER for n in names])
    y = np.array([is_positive(n) for n in names])
    if not y.any() or y[judged].all():
        raise TrainingError(
            "the phone labels need fraud numbers (fraud, simbox, ...) and normal ones"
        )
    frame, y = subset(frame, judged), y[judged]
    info: dict[str, Any] = {"labelled": len(labels), "out_of_fold": _out_of_fold(frame, y)}
    return fit(frame, y, kind="number", info=info)


def subset(frame: FeatureFrame, rows: BoolArray) -> FeatureFrame:
    return FeatureFrame(frame.ids[rows], frame.names, frame.values[rows], {})


def _out_of_fold(frame: FeatureFrame, y: BoolArray) -> dict[str, float | int]:
    folds = np.array([fold_of(str(n)) for n in frame.ids])
    scores = np.zeros(len(y))
    thresholds = []
    for k in range(FOLDS):
        test = folds == k
        train = ~test
        if not y[train].any() or y[train].all() or not test.any():
            continue
        model = fit(subset(frame, train), y[train], kind="number")
        scores[test] = model.scores(subset(frame, test))
        thresholds.append(model.threshold)
    threshold = float(np.median(thresholds)) if thresholds else 0.5
    return ranking(y, scores, threshold).to_dict()


def world_frames(
    seeds: Sequence[int],
    work: Path,
    kind: Kind,
    scale: str = "small",
    *,
    foreign: bool = False,
    default: bool = False,
) -> list[tuple[int, FeatureFrame, BoolArray]]:
    """(seed, judged rows of its frame, positives) per world, simulated (with `foreign`: the
    independent generator's world; with `default`: the simulator's default parameters, as
    `chaincut simulate` without `--randomise`, instead of randomised ones) on first use and kept
    in `work/<scale>-<seed>.<kind>.npz` (`foreign-<scale>-<seed>...`,
    `default-<scale>-<seed>...`; a cache: delete it to generate again)."""
    from chaincut.simulate import SimParams
    from chaincut.telecom.worlds import build_foreign, build_world, labelled

    out = []
    prefix = "foreign-" if foreign else "default-" if default else ""
    for seed in seeds:
        name = f"{prefix}{scale}-{seed}"
        cache = work / f"{name}.{kind}.npz"
        if not cache.exists():
            if foreign:
                home = build_foreign(work / name, seed, scale)
            else:
                params = SimParams() if default else None
                home = build_world(work / name, seed, scale, params).home
            for k in ("number", "device"):
                found = labelled(home, k)
                keep = found.judged
                np.savez(
                    work / f"{name}.{k}.npz",
                    ids=found.frame.ids[keep],
                    names=np.array(found.frame.names),
                    values=found.frame.values[keep],
                    positive=found.positive[keep],
                )
        data = np.load(cache, allow_pickle=False)
        frame = FeatureFrame(data["ids"], tuple(str(n) for n in data["names"]), data["values"], {})
        out.append((seed, frame, np.asarray(data["positive"], bool)))
    return out


def train_shipped(
    seeds: Sequence[int],
    work: Path,
    kind: Kind,
    scale: str = "small",
    foreign_seeds: Sequence[int] = (),
    foreign_weight: float = 1.0,
    default_seeds: Sequence[int] = (),
) -> TelecomModel:
    """Fit the `kind` model on the simulated worlds of `seeds` (randomised parameters), those of
    `default_seeds` (the simulator's default parameters) and the foreign worlds of
    `foreign_seeds` (`chaincut.foreign`), each world weighing the same (a foreign world
    `foreign_weight` times as much). `scale` may name several sizes (`tiny,small`): every
    seed's world at each of them."""
    scales = parse_scales(scale)
    worlds = [w for s, only in scales for w in world_frames(seeds_at(seeds, only), work, kind, s)]
    worlds += [
        w
        for s, only in scales
        for w in world_frames(seeds_at(default_seeds, only), work, kind, s, default=True)
    ]
    foreign = [
        w
        for s, only in scales
        for w in world_frames(seeds_at(foreign_seeds, only), work, kind, s, foreign=True)
    ]
    worlds += foreign
    frame = FeatureFrame(
        np.concatenate([f.ids for _, f, _ in worlds]),
        worlds[0][1].names,
        np.concatenate([f.values for _, f, _ in worlds]),
        {},
    )
    y = np.concatenate([p for _, _, p in worlds])
    share = [1.0] * (len(worlds) - len(foreign)) + [foreign_weight] * len(foreign)
    weight = np.concatenate(
        [np.full(len(f), w / len(f)) for (_, f, _), w in zip(worlds, share, strict=True)]
    )
    trained = (
        f"{len(seeds)} simulated worlds with randomised parameters (chaincut.telecom.worlds), "
        f"scale {scale.replace(',', ' and ')}, seeds {_span(seeds)}"
    )
    if default_seeds:
        trained += (
            f"; {len(default_seeds)} simulated worlds with the default parameters, seeds "
            + _span(default_seeds)
        )
    if foreign_seeds:
        trained += f"; {len(foreign_seeds)} foreign worlds (chaincut.foreign), seeds " + _span(
            foreign_seeds
        )
    return fit(frame, y, kind=kind, weight=weight, info={"trained_on": trained})


def parse_scales(text: str) -> list[tuple[str, frozenset[int] | None]]:
    """`tiny,small` (every seed's world at each size) or `tiny,small:680-686` (the worlds of
    that size only for those seeds, of either generator): (size, its seeds or None) each."""
    out: list[tuple[str, frozenset[int] | None]] = []
    for part in (p for p in text.split(",") if p):
        size, _, seeds = part.partition(":")
        out.append((size, frozenset(parse_seeds(seeds.replace(";", ","))) if seeds else None))
    return out


def seeds_at(seeds: Sequence[int], only: frozenset[int] | None) -> list[int]:
    """The seeds among `seeds` that a size's `only` (from `parse_scales`) keeps."""
    return [s for s in seeds if only is None or s in only]


def _span(seeds: Sequence[int]) -> str:
    return f"{min(seeds)}-{max(seeds)}"


def parse_seeds(text: str) -> list[int]:
    """`1-40` or `1,2,5-9`; a ValueError that names the part it cannot read."""
    out: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise ValueError(
                f"seeds {text!r}: {part!r} is neither a seed nor a range such as 680-686"
            ) from None
        if last < first:
            raise ValueError(f"seeds {text!r}: the range {part!r} ends before it starts")
        out.extend(range(first, last + 1))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from chaincut.telecom.worlds import EVALUATION_SEEDS

    parser = argparse.ArgumentParser(prog="python -m chaincut.telecom.train")
    parser.add_argument("--seeds", default="1-40", help="training worlds, e.g. 1-40")
    parser.add_argument("--work", type=Path, required=True, help="worlds and their cache")
    parser.add_argument(
        "--foreign-seeds", default="1-10", help="foreign worlds for the device model, e.g. 1-10"
    )
    parser.add_argument(
        "--default-seeds",
        default="",
        help="worlds of the simulator's default parameters too (simulate without --randomise)",
    )
    parser.add_argument(
        "--number-foreign-seeds", default="", help="foreign worlds for the number model (none)"
    )
    parser.add_argument(
        "--scale",
        default="small",
        help="world size, or several: tiny,small; small:680-686 limits a size to those seeds",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the model files")
    parser.add_argument(
        "--kind", choices=("number", "device", "both"), default="both", help="which models"
    )
    args = parser.parse_args(argv)
    try:
        seeds = parse_seeds(args.seeds)
        foreign = {
            "number": parse_seeds(args.number_foreign_seeds) if args.number_foreign_seeds else [],
            "device": parse_seeds(args.foreign_seeds) if args.foreign_seeds else [],
        }
        default = parse_seeds(args.default_seeds) if args.default_seeds else []
        parse_scales(args.scale)
    except ValueError as error:
        parser.error(str(error))
    if max(seeds + foreign["number"] + foreign["device"] + default) >= EVALUATION_SEEDS:
        parser.error(f"seeds from {EVALUATION_SEEDS} on are held out for evaluation")
    args.work.mkdir(parents=True, exist_ok=True)
    for kind, name in (("number", "numbers.json"), ("device", "devices.json")):
        if args.kind not in ("both", kind):
            continue
        model = train_shipped(
            seeds,
            args.work,
            kind,  # type: ignore[arg-type]
            args.scale,
            foreign[kind],
            default_seeds=default,
        )
        model.save(args.out / name)
        weights = ", ".join(f"{c} {w:+.2f}" for c, w in zip(model.codes, model.coef, strict=True))
        sys.stdout.write(f"{kind}: intercept {model.intercept:+.2f}; {weights}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
