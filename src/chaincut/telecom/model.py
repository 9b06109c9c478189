"""A logistic regression over the indicators (`chaincut.telecom.indicators`), fitted by
scikit-learn and kept as plain JSON.

The model's inputs are the indicators' values (0 where a behaviour is absent), so a score is
explained exactly by each indicator's part of the log-odds, weight x value, and a number that
shows nothing scores the intercept alone. Each indicator's weight must have its sign (evidence
raises the score, a counter-indicator lowers it): an indicator the fit gives the wrong sign is
dropped and the rest refitted, so no explanation ever reads "64 SIMs on one IMEI" as a reason
against. The file holds the indicator codes, their weights, the intercept, the threshold and
what the model was trained on; a person can read it, and loading it runs no code.

The package ships one model per kind (`model/numbers.json`, `model/devices.json`), trained on
many simulated worlds with randomised parameters (`chaincut.telecom.train`); `chaincut train
numbers` fits one on a user's own labels.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

from chaincut.metrics import best_f1_threshold
from chaincut.telecom.features import FeatureFrame, FloatArray
from chaincut.telecom.indicators import INDICATORS, Indicator, values

Kind = Literal["number", "device"]
FORMAT: Final = "chaincut.telecom-model"
FORMAT_VERSION: Final = 2
#: inverse L2 strength of the fit, on indicators scaled to unit spread and rows weighted to
#: `WEIGHT` in all (half of it for each class), so the same C means the same whatever the data
C: Final = 1.0
WEIGHT: Final = 1_000.0

#: the shipped models, by kind, inside the package
SHIPPED: Final[dict[str, str]] = {"number": "numbers.json", "device": "devices.json"}


class ModelError(RuntimeError):
    """A model file is missing, damaged, or of another format; or labels cannot train one."""


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
    return out


@dataclass(frozen=True)
class TelecomModel:
    """Weights over indicator values of one kind; `threshold` flags an entity."""

    kind: Kind
    codes: tuple[str, ...]
    coef: FloatArray
    intercept: float
    threshold: float
    info: Mapping[str, Any] = field(default_factory=dict)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        known = {ind.code: ind for ind in INDICATORS[self.kind]}
        return tuple(known[c] for c in self.codes)

    def contributions(self, frame: FeatureFrame) -> FloatArray:
        """Per row and indicator, its part of the log-odds (the intercept is left out)."""
        out: FloatArray = values(frame, self.indicators) * self.coef
        return out

    def scores(self, frame: FeatureFrame) -> FloatArray:
        return _sigmoid(self.contributions(frame).sum(axis=1) + self.intercept)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "kind": self.kind,
            "indicators": list(self.codes),
            "coef": [round(float(v), 10) for v in self.coef],
            "intercept": round(self.intercept, 10),
            "threshold": round(self.threshold, 10),
            "info": dict(self.info),
        }

    def save(self, path: Path | str) -> Path:
        """Write the model as JSON (to a temporary name, then renamed: all or nothing)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        partial.write_text(json.dumps(self.to_dict(), indent=1, sort_keys=True) + "\n", "utf-8")
        partial.replace(target)
        return target

    @classmethod
    def from_dict(cls, data: object, where: str) -> TelecomModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{where} is not a chaincut telecom model (its 'format' differs)")
        if data.get("version") != FORMAT_VERSION:
            raise ModelError(
                f"{where}: model version {data.get('version')} is not {FORMAT_VERSION}; "
                "retrain it with `chaincut train numbers`"
            )
        kind = data.get("kind")
        if kind not in INDICATORS:
            raise ModelError(f"{where}: unknown kind {kind!r} (number or device)")
        known = {ind.code for ind in INDICATORS[kind]}
        codes = tuple(str(c) for c in data.get("indicators", []))
        unknown = [c for c in codes if c not in known]
        if unknown or len(codes) != len(data.get("coef", [])):
            raise ModelError(f"{where}: unknown indicators {', '.join(unknown) or '(count)'}")
        return cls(
            kind=kind,
            codes=codes,
            coef=np.asarray(data["coef"], np.float64),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            info=dict(data.get("info", {})),
        )

    @classmethod
    def load(cls, path: Path | str) -> TelecomModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ModelError(f"cannot read telecom model {path}: {error}") from error
        return cls.from_dict(data, str(path))


#: the name the number model had before it covered devices too (kept for callers)
NumberModel = TelecomModel


def shipped(kind: Kind) -> TelecomModel:
    """The model the package ships for `kind`."""
    source = resources.files("chaincut.telecom") / "model" / SHIPPED[kind]
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelError(f"the shipped {kind} model cannot be read: {error}") from error
    return TelecomModel.from_dict(data, f"shipped {SHIPPED[kind]}")


def fit(
    frame: FeatureFrame,
    positive: Sequence[bool] | npt.NDArray[np.bool_],
    *,
    kind: Kind = "number",
    weight: Sequence[float] | FloatArray | None = None,
    c: float = C,
    info: Mapping[str, Any] | None = None,
) -> TelecomModel:
    """Fit on the rows of `frame`, `positive` saying which are fraud numbers (or box IMEIs).

    Classes count equally (positives are rare); `weight` weighs rows besides (e.g. so that each
    training world counts the same). An indicator whose weight comes out with the wrong sign is
    dropped and the rest refitted. The threshold is the score with the best F1 on the
    training rows. The same data always give the same model (lbfgs from zero).
    """
    from sklearn.linear_model import LogisticRegression

    y = np.asarray(positive, dtype=bool)
    if len(y) != len(frame):
        raise ValueError("one label per row of the frame")
    n_pos = int(y.sum())
    if n_pos == 0 or n_pos == len(y):
        raise ModelError("the labels need both positives and negatives to train on")
    indicators = INDICATORS[kind]
    x = values(frame, indicators)
    w = np.ones(len(y)) if weight is None else np.asarray(weight, np.float64)
    w = w * np.where(y, 0.5 / max(w[y].sum(), 1e-12), 0.5 / max(w[~y].sum(), 1e-12)) * WEIGHT
    signs = np.array([ind.sign for ind in indicators], np.float64)
    # an indicator enters scaled by its prior, so its weight costs 1/prior² more (the weak ones)
    spread = x.std(axis=0) / np.array([ind.prior for ind in indicators])
    keep = spread > 1e-9
    while True:
        cols = np.flatnonzero(keep)
        scale = spread[cols]
        lr = LogisticRegression(C=c, max_iter=2_000, tol=1e-8)
        lr.fit(x[:, cols] / scale, y, sample_weight=w)
        coef = np.zeros(len(indicators))
        coef[cols] = lr.coef_[0] / scale
        wrong = keep & (coef * signs < 0)
        if not wrong.any():
            break
        keep &= ~wrong
    codes = tuple(ind.code for ind, k in zip(indicators, keep, strict=True) if k)
    z = x[:, keep] @ coef[keep] + float(lr.intercept_[0])
    threshold = best_f1_threshold(y, _sigmoid(z))
    about = {**dict(info or {}), "rows": len(y), "positives": n_pos}
    return TelecomModel(kind, codes, coef[keep], float(lr.intercept_[0]), threshold, about)
