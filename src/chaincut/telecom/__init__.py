"""Fraud numbers, SIM boxes and number-clue verification (涉诈电话, GOIP 猫池, 号码核查).

    from chaincut.telecom import clue, score_numbers, score_devices, train_numbers

    result = clue(settings, ["+8613900000001"])     # ClueResult: facts per number, dens
    with get_engine(settings) as engine:
        numbers = score_numbers(engine)              # ScoreList, by the shipped model
        devices = score_devices(engine)

Names are imported on first use, so `clue` (numpy on the clue index) does not pay for Ibis and
the lake jobs that scoring needs. See docs/telecom.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chaincut.telecom.model import ModelError, NumberModel
    from chaincut.telecom.scorelist import Reason, Scored, ScoreList
    from chaincut.telecom.scoring import score_devices, score_numbers
    from chaincut.telecom.train import TrainingError, train_numbers
    from chaincut.telecom.verify import ClueResult, ClueUnavailable, clue

_WHERE = {
    "ClueResult": "verify",
    "ClueUnavailable": "verify",
    "clue": "verify",
    "ModelError": "model",
    "NumberModel": "model",
    "TelecomModel": "model",
    "Reason": "scorelist",
    "ScoreList": "scorelist",
    "Scored": "scorelist",
    "score_devices": "scoring",
    "score_numbers": "scoring",
    "TrainingError": "train",
    "train_numbers": "train",
}

__all__ = [
    "ClueResult",
    "ClueUnavailable",
    "ModelError",
    "NumberModel",
    "Reason",
    "ScoreList",
    "Scored",
    "TelecomModel",
    "TrainingError",
    "clue",
    "score_devices",
    "score_numbers",
    "train_numbers",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'chaincut.telecom' has no attribute {name!r}")
    return getattr(import_module(f"chaincut.telecom.{_WHERE[name]}"), name)
