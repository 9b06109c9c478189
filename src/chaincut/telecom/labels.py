"""The truth a lake's `labels` table holds about phones and devices, and which labels count.

Phones labelled `fraud`, `simbox` (or `goip`, `scam`, `1`, ...) are fraud numbers; IMEIs
labelled `simbox` (or `goip`, ...) are SIM boxes. `member` (a gang member's own phone or
handset) is neither: left out of training and of the figures, flagging one is no false alarm.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

from chaincut.lake.engine import Engine

POSITIVE: Final = frozenset(
    {"fraud", "simbox", "sim_box", "goip", "scam", "spam_fraud", "fraud_number", "1", "true",
     "yes", "positive"}
)  # fmt: skip
BOX: Final = frozenset({"simbox", "sim_box", "goip"})
#: labels that are neither positive nor negative
NEITHER: Final = frozenset({"member"})


def normalise(label: str) -> str:
    return label.strip().lower().replace("-", "_").replace(" ", "_")


def is_positive(label: str) -> bool:
    return normalise(label) in POSITIVE


def truth(engine: Engine, kind: str) -> dict[str, str]:
    """entity_id -> its label (normalised), for the labels of `entity_kind` `kind`."""
    labels = engine.table("labels")
    rows = engine.execute(
        labels.filter(labels.entity_kind == kind).select("entity_id", "label"), label="labels"
    )
    return {str(r["entity_id"]): normalise(str(r["label"])) for r in rows.to_pylist()}


def targets(
    ids: npt.NDArray[np.str_], labels: dict[str, str], kind: str
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(positive, judged) per id: fraud numbers (`kind` number) or SIM boxes (`device`);
    judged is False for the labels that count neither way."""
    names = np.array([labels.get(str(i), "normal") for i in ids], dtype=object)
    wanted = POSITIVE if kind == "number" else BOX
    positive = np.array([n in wanted for n in names], dtype=bool)
    judged = np.array([n not in NEITHER for n in names], dtype=bool)
    return positive, judged
