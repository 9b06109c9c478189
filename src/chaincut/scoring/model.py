"""The account model: gradient-boosted trees (LightGBM) in a plain-text file.

Three boosters: `first` scores accounts on their own behaviour and taint; its suspects feed the
second-pass features (who deals with suspected mules); `final` gives the score on all
features; `roles` (optional) guesses the level of an account the score flags. The file is JSON
holding each booster in LightGBM's own text format, the feature names and the parameters the
lake jobs used, so it loads without pickle on any LightGBM 4 and can be read by a person.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from chaincut.lake.jobs.account_features import FeatureParams
from chaincut.lake.jobs.account_patterns import PatternParams
from chaincut.scoring.features import FloatArray

if TYPE_CHECKING:  # LightGBM is imported when a model is loaded or trained
    import lightgbm as lgb

FORMAT: Final = "chaincut.account-model"
FORMAT_VERSION: Final = 1
DEFAULT_MODEL_PATH: Final = Path(__file__).with_name("model") / "accounts.json"


class ModelError(RuntimeError):
    """A model file is missing, damaged, or of another format."""


@dataclass(frozen=True)
class AccountModel:
    """The trained boosters, what they read and the thresholds chosen when training."""

    first: lgb.Booster
    final: lgb.Booster
    first_features: tuple[str, ...]
    final_features: tuple[str, ...]
    suspect_threshold: float  # first-pass score from which an account is a suspect
    threshold: float  # final score from which an account is flagged
    roles: lgb.Booster | None = None
    role_classes: tuple[str, ...] = ()
    #: Platt scaling (a, b) of the final model's log-odds z: score = sigmoid(a z + b)
    calibration: tuple[float, float] = (1.0, 0.0)
    feature_params: FeatureParams = field(default_factory=FeatureParams)
    pattern_params: PatternParams = field(default_factory=PatternParams)
    info: Mapping[str, Any] = field(default_factory=dict)

    def first_scores(self, values: FloatArray) -> FloatArray:
        return _predict(self.first, values)

    def final_scores(self, values: FloatArray) -> FloatArray:
        """The calibrated score of each row: sigmoid(a z + b) of the final model's log-odds z."""
        if len(values) == 0:
            return np.zeros(0)
        a, b = self.calibration
        z = np.asarray(self.final.predict(values, raw_score=True), dtype=np.float64)
        return np.asarray(1.0 / (1.0 + np.exp(-(a * z + b))), dtype=np.float64)

    def contributions(self, values: FloatArray) -> FloatArray:
        """SHAP values per feature in the calibrated score's log-odds (the last column is the
        bias): a row's values add up to the logit of its score."""
        if len(values) == 0:
            return np.zeros((0, len(self.final_features) + 1))
        a, b = self.calibration
        shap = np.asarray(self.final.predict(values, pred_contrib=True), dtype=np.float64) * a
        shap[:, -1] += b
        return shap

    def role_probabilities(self, values: FloatArray) -> FloatArray | None:
        """Per account, the probability of each of `role_classes`, or None without a role model."""
        if self.roles is None or len(values) == 0:
            return None
        p = np.asarray(self.roles.predict(values), dtype=np.float64)
        return p.reshape(len(values), len(self.role_classes))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "first_features": list(self.first_features),
            "final_features": list(self.final_features),
            "suspect_threshold": self.suspect_threshold,
            "threshold": self.threshold,
            "calibration": list(self.calibration),
            "role_classes": list(self.role_classes),
            "feature_params": self.feature_params.to_dict(),
            "pattern_params": self.pattern_params.to_dict(),
            "info": dict(self.info),
            "first": self.first.model_to_string(),
            "final": self.final.model_to_string(),
            "roles": self.roles.model_to_string() if self.roles is not None else None,
        }

    def save(self, path: Path | str) -> Path:
        """Write the model to `path` (JSON; written to a temporary name, then renamed)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=True)
        partial.write_text(text + "\n", encoding="utf-8")
        partial.replace(target)
        return target

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AccountModel:
        import lightgbm as lgb

        if data.get("format") != FORMAT:
            raise ModelError("not a chaincut account model (its 'format' field differs)")
        if data.get("version") != FORMAT_VERSION:
            raise ModelError(
                f"account model format version {data.get('version')} is not {FORMAT_VERSION}; "
                "retrain it with `chaincut train accounts`"
            )
        roles = data.get("roles")
        return cls(
            first=lgb.Booster(model_str=data["first"]),
            final=lgb.Booster(model_str=data["final"]),
            first_features=tuple(data["first_features"]),
            final_features=tuple(data["final_features"]),
            suspect_threshold=float(data["suspect_threshold"]),
            threshold=float(data["threshold"]),
            calibration=(float(data["calibration"][0]), float(data["calibration"][1])),
            roles=lgb.Booster(model_str=roles) if roles else None,
            role_classes=tuple(data.get("role_classes", ())),
            feature_params=FeatureParams.from_dict(data.get("feature_params", {})),
            pattern_params=PatternParams.from_dict(data.get("pattern_params", {})),
            info=dict(data.get("info", {})),
        )

    @classmethod
    def load(cls, path: Path | str) -> AccountModel:
        """Read a model file written by `save` (or `chaincut train accounts --out`)."""
        source = Path(path)
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise ModelError(f"no model file at {source}") from error
        except (OSError, ValueError) as error:
            raise ModelError(f"cannot read the model file {source}: {error}") from error
        if not isinstance(data, dict):
            raise ModelError(f"{source} is not a chaincut account model")
        import lightgbm as lgb

        try:
            return cls.from_dict(data)
        except (KeyError, TypeError, lgb.basic.LightGBMError) as error:
            raise ModelError(f"{source} is damaged: {error}") from error


def default_model() -> AccountModel:
    """The model shipped in the package, trained on simulated worlds (training/scoring/)."""
    return AccountModel.load(DEFAULT_MODEL_PATH)


def _predict(booster: lgb.Booster, values: FloatArray) -> FloatArray:
    if len(values) == 0:
        return np.zeros(0)
    return np.asarray(booster.predict(values), dtype=np.float64)


def feature_order(names: Sequence[str], wanted: Sequence[str]) -> list[int]:
    """Indices of `wanted` in `names` (a model's features in a frame's columns)."""
    missing = [n for n in wanted if n not in names]
    if missing:
        raise ModelError(f"the lake gives no feature {', '.join(missing)}; retrain the model")
    return [list(names).index(n) for n in wanted]
