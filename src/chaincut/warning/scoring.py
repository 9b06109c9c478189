"""The warning score: weighted evidence through a logistic model, and what to do about it.

Each feature is a number in [0, 1] that a signal raises (a long call from a number that reaches
many people, a fraud script, a payment to a reported account, ...). The score is a logistic
regression over them, fitted with scikit-learn on simulator worlds with randomised parameters
(training seeds only; `training/warning/train.py`) and calibrated on held-out worlds, so that a
score reads as the chance the person is being defrauded. A logistic score never reaches 1.0,
so the top of the worklist stays ordered. No feature is a veto: each only adds its weight.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Final, Literal

#: feature name -> what it means (docs/warning.md lists the same)
FEATURES: Final[dict[str, str]] = {
    "reach": "the most people any number (or its handset) that contacted them has reached",
    "stranger_long_call": "the longest call from a number they had never contacted",
    "reach_long_call": "a long call from a number that reaches many people (product)",
    "repeat_contact": "repeated contact from the same stranger",
    "strangers": "how many strangers contacted them",
    "script": "a message the text classifier calls a fraud script (its score)",
    "scripts": "how many fraud-script messages strangers sent them",
    "script_reach": "a fraud script from a number that reaches many people (product)",
    "listed_contact": "contact from a reported or listed number",
    "pay_flagged": "a transfer to a reported, listed, stopped or mule-scored account",
    "pay_fanin": "a first transfer to a payee that many strangers pay",
    "pay_new_large": "the largest first transfer to a new payee",
    "pay_burst": "repeated transfers to new payees within hours",
    "reverse_trace": "paid an account that was reported or stopped afterwards",
    "pay_after_contact": "a first transfer to a new payee soon after suspicious contact",
    "conversation": "a fraud script and a long call from the same stranger",
    "personal_script": "a fraud script from a stranger who has written to few people (an "
    "approach to them, not a mass text)",
    "lure_shared": "a message naming a link, account, number or chat id that fraud scripts "
    "sent to others named",
    "engaged": "they called or wrote back to a stranger who had sent a script or called long",
    "pay_mule": "a first transfer to a payee the mule model scores as a mule",
    "pay_lure": "a first transfer to an account that fraud scripts named",
    "thread": "a thread with one stranger who sent a script or called long: turns either way",
}
NAMES: Final[tuple[str, ...]] = tuple(FEATURES)
INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(NAMES)}

Action = Literal["sms", "call", "visit"]
ACTIONS: Final[tuple[Action, ...]] = ("sms", "call", "visit")


class ModelError(RuntimeError):
    """The shipped warning model is missing or does not match the features."""


@dataclass(frozen=True)
class WarningModel:
    """Logistic weights over `NAMES`, then Platt calibration: p = sigmoid(a * z + b)."""

    intercept: float
    weights: tuple[float, ...]
    platt_a: float = 1.0
    platt_b: float = 0.0
    #: a subject is warned about once its score reaches `raise_at` ...
    raise_at: float = 0.2
    #: ... and again each time it rises by `step` since the last warning
    step: float = 0.1
    #: score thresholds from which a call, then a visit, is suggested
    call_at: float = 0.5
    visit_at: float = 0.8
    trained_on: str = ""

    @cached_property
    def _active(self) -> tuple[tuple[int, float], ...]:
        """(index, weight) of the features with a weight: the others add nothing."""
        return tuple((i, w) for i, w in enumerate(self.weights) if w)

    def logit(self, x: list[float]) -> float:
        if len(x) != len(self.weights):
            raise ValueError(f"{len(x)} features given, the model has {len(self.weights)}")
        z = self.intercept
        for i, w in self._active:
            z += w * x[i]
        return z

    def score(self, x: list[float]) -> float:
        """The calibrated chance (0 < p < 1) that the subject is being defrauded."""
        z = self.platt_a * self.logit(x) + self.platt_b
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def contributions(self, x: list[float]) -> dict[str, float]:
        """Each feature's share of the logit (weight times value), for explanations."""
        return {n: w * v for n, w, v in zip(NAMES, self.weights, x, strict=True) if v}

    def action(self, score: float, failed_attempts: int = 0) -> Action:
        """SMS, call or visit by score, one step up for every attempt that failed."""
        level = 2 if score >= self.visit_at else 1 if score >= self.call_at else 0
        return ACTIONS[min(2, level + failed_attempts)]

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(NAMES),
            "intercept": self.intercept,
            "weights": list(self.weights),
            "platt_a": self.platt_a,
            "platt_b": self.platt_b,
            "raise_at": self.raise_at,
            "step": self.step,
            "call_at": self.call_at,
            "visit_at": self.visit_at,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> WarningModel:
        if data.get("features") != list(NAMES):
            raise ModelError("the warning model's features do not match this version")
        weights = data["weights"]
        if not isinstance(weights, list):
            raise ModelError("the warning model has no weights")
        return cls(
            intercept=_float(data, "intercept"),
            weights=tuple(float(w) for w in weights),
            platt_a=_float(data, "platt_a"),
            platt_b=_float(data, "platt_b"),
            raise_at=_float(data, "raise_at"),
            step=_float(data, "step"),
            call_at=_float(data, "call_at"),
            visit_at=_float(data, "visit_at"),
            trained_on=str(data.get("trained_on", "")),
        )


def _float(data: dict[str, object], key: str) -> float:
    value = data.get(key)
    if not isinstance(value, int | float):
        raise ModelError(f"the warning model's {key} is missing")
    return float(value)


def shipped(name: str, what: str) -> dict[str, object]:
    """The JSON of `chaincut/warning/model/{name}` (`what`: the model's name in the error)."""
    try:
        text = resources.files("chaincut.warning").joinpath(f"model/{name}").read_text()
    except FileNotFoundError as error:
        raise ModelError(f"the shipped {what} model is missing; reinstall chaincut") from error
    data: dict[str, object] = json.loads(text)
    return data


@cache
def default_model() -> WarningModel:
    """The model shipped in `chaincut/warning/model/warning.json`."""
    return WarningModel.from_json(shipped("warning.json", "warning"))
