"""Ground-truth labels (evaluation only): every account, person, phone and device, and every
message (its fraud type, or normal)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from chaincut.model.schema import FRAUD_TYPES
from chaincut.simulate.dens import Den
from chaincut.simulate.params import Format
from chaincut.simulate.registry import (
    ACCOUNT_LABELS,
    DEVICE_LABELS,
    PERSON_LABELS,
    PHONE_LABELS,
    Registry,
    code,
)
from chaincut.simulate.tables import build
from chaincut.simulate.victims import Victim

MESSAGE_LABELS = ("normal", *FRAUD_TYPES)


def mark_roles(
    accounts: Registry, persons: Registry, dens: list[Den], victims: list[Victim]
) -> None:
    """Label victims' paying accounts and persons, and the mules who lent their accounts."""
    victim_accounts = np.array([v.account for v in victims], dtype=np.int64)
    victim_persons = np.array([v.person for v in victims], dtype=np.int64)
    accounts.set("label", victim_accounts, code(ACCOUNT_LABELS, "victim"))
    persons.set("label", victim_persons, code(PERSON_LABELS, "victim"))
    mules = np.array(sorted({p for d in dens for p in d.owner.values()}), dtype=np.int64)
    if len(mules):
        persons.set("label", mules, code(PERSON_LABELS, "mule"))


def _table(
    ids: pa.Array, kind: str, labels: NDArray[np.uint8], vocab: tuple[str, ...], fmt: Format
) -> pa.Table:
    return build(
        "labels",
        fmt,
        {
            "entity_id": ids,
            "entity_kind": pa.repeat(pa.scalar(kind), len(ids)),
            "label": pa.array(list(vocab)).take(pa.array(labels)),
        },
    )


def entity_labels(
    accounts: Registry, persons: Registry, phones: Registry, devices: Registry, fmt: Format
) -> list[pa.Table]:
    return [
        _table(accounts.ids, "account", accounts.col["label"], ACCOUNT_LABELS, fmt),
        _table(persons.ids, "person", persons.col["label"], PERSON_LABELS, fmt),
        _table(phones.ids, "phone", phones.col["label"], PHONE_LABELS, fmt),
        _table(devices.ids, "device", devices.col["label"], DEVICE_LABELS, fmt),
    ]


def message_labels(msg_ids: pa.Array, labels: NDArray[np.uint8], fmt: Format) -> pa.Table:
    return _table(msg_ids, "message", labels, MESSAGE_LABELS, fmt)
