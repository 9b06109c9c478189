"""A number model fitted on a user's own labels: L2-regularised logistic regression in numpy.

Counts enter as log(1 + x), ratios as they are, all standardised; the fit is Newton's method
(iteratively reweighted least squares) from zero, so the same data always give the same model.
Each score is explained by the features' contributions to its log-odds (coefficient x
standardised value), which are exact for this model. The file is JSON: the feature names and
transforms, the means and scales, the coefficients, the threshold and what the model was
trained on; a person can read it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from chaincut.telecom.features import NUMBER_FEATURES, FeatureFrame, FloatArray

FORMAT: Final = "chaincut.number-model"
FORMAT_VERSION: Final = 1
#: features that are ratios or shares (everything else is a count, taken as log(1 + x))
RATIOS: Final = frozenset(
    {"out_share", "callee_spread", "reciprocity", "answer_rate", "in_answer_rate",
     "short_share", "long_share", "top_cell_share", "night_share", "victim_share",
     "sync_victim_share"}
)  # fmt: skip


class ModelError(RuntimeError):
    """A model file is missing, damaged, or of another format; or labels cannot train one."""


def transform(values: FloatArray, names: Sequence[str]) -> FloatArray:
    """Counts to log(1 + x); ratios unchanged."""
    out = np.array(values, dtype=np.float64, copy=True)
    for j, name in enumerate(names):
        if name not in RATIOS:
            out[:, j] = np.log1p(np.maximum(out[:, j], 0.0))
    return out


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
    return out


@dataclass(frozen=True)
class NumberModel:
    """Coefficients over standardised, transformed features; `threshold` flags a number."""

    features: tuple[str, ...]
    mean: FloatArray
    scale: FloatArray
    coef: FloatArray
    intercept: float
    threshold: float
    info: Mapping[str, Any] = field(default_factory=dict)

    def standardised(self, frame: FeatureFrame) -> FloatArray:
        x = transform(frame.select(self.features), self.features)
        out: FloatArray = (x - self.mean) / self.scale
        return out

    def scores(self, frame: FeatureFrame) -> FloatArray:
        return _sigmoid(self.standardised(frame) @ self.coef + self.intercept)

    def contributions(self, frame: FeatureFrame) -> FloatArray:
        """Per row and feature, its part of the log-odds (the intercept is left out)."""
        out: FloatArray = self.standardised(frame) * self.coef
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "features": list(self.features),
            "descriptions": {n: NUMBER_FEATURES.get(n, n) for n in self.features},
            "mean": [round(float(v), 12) for v in self.mean],
            "scale": [round(float(v), 12) for v in self.scale],
            "coef": [round(float(v), 12) for v in self.coef],
            "intercept": round(self.intercept, 12),
            "threshold": round(self.threshold, 12),
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
    def load(cls, path: Path | str) -> NumberModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ModelError(f"cannot read number model {path}: {error}") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelError(f"{path} is not a chaincut number model (its 'format' differs)")
        if data.get("version") != FORMAT_VERSION:
            raise ModelError(
                f"{path}: number model version {data.get('version')} is not {FORMAT_VERSION}; "
                "retrain it with `chaincut train numbers`"
            )
        unknown = [n for n in data["features"] if n not in NUMBER_FEATURES]
        if unknown:
            raise ModelError(f"{path}: unknown features {', '.join(unknown)}")
        return cls(
            features=tuple(data["features"]),
            mean=np.asarray(data["mean"], np.float64),
            scale=np.asarray(data["scale"], np.float64),
            coef=np.asarray(data["coef"], np.float64),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            info=dict(data.get("info", {})),
        )


def fit(
    frame: FeatureFrame,
    positive: Sequence[bool] | npt.NDArray[np.bool_],
    *,
    l2: float = 1.0,
    iterations: int = 50,
    info: Mapping[str, Any] | None = None,
) -> NumberModel:
    """Fit on the rows of `frame` with `positive` saying which are fraud numbers.

    Classes are weighted to count equally (fraud numbers are rare). The threshold is the score
    that maximises F1 on the training rows.
    """
    y = np.asarray(positive, dtype=np.float64)
    if len(y) != len(frame):
        raise ValueError("one label per row of the frame")
    n_pos = int(y.sum())
    if n_pos == 0 or n_pos == len(y):
        raise ModelError("the labels need both fraud and normal numbers to train on")
    names = tuple(NUMBER_FEATURES)
    x = transform(frame.select(names), names)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 1e-12, scale, 1.0)
    z = np.column_stack([(x - mean) / scale, np.ones(len(y))])
    w = np.where(y > 0, len(y) / (2.0 * n_pos), len(y) / (2.0 * (len(y) - n_pos)))
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = _sigmoid(z @ beta)
        grad = z.T @ (w * (p - y)) + penalty * beta
        hess = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.max(np.abs(step))) < 1e-10:
            break
    threshold = best_f1_threshold(_sigmoid(z @ beta), y > 0)
    about = {**dict(info or {}), "rows": len(y), "positives": n_pos}
    return NumberModel(names, mean, scale, beta[:-1], float(beta[-1]), threshold, about)


def best_f1_threshold(scores: FloatArray, positive: np.ndarray[Any, np.dtype[np.bool_]]) -> float:
    """The score threshold with the best F1 (the lowest such score; 0.5 if none helps)."""
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(positive[order])
    k = np.arange(1, len(order) + 1)
    total = max(int(positive.sum()), 1)
    f1 = 2 * hits / (k + total)
    if len(f1) == 0 or float(f1.max()) <= 0:
        return 0.5
    best = int(np.argmax(f1))
    return float(scores[order][best])
