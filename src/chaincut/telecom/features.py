"""Number and device features as float matrices, from the exact counts the lake jobs return.

The lake (`chaincut.lake.jobs.number_features`, `device_features`) counts; this module divides,
in numpy, the same way whatever engine counted. Rows are sorted by id, so runs are
deterministic. A ratio with nothing to divide by takes the value an ordinary phone would have
(an answer rate of 1 for a number that never called), so absent behaviour never looks suspect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.device_features import DEVICE_COUNT_COLUMNS, device_features
from chaincut.lake.jobs.number_features import COUNT_COLUMNS, number_features

FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]
DAY_S: Final = 86_400.0

#: derived number feature -> what it measures (shown in explanations and model files)
NUMBER_FEATURES: Final[dict[str, str]] = {
    "out_calls": "calls made",
    "in_calls": "calls received",
    "out_share": "share of its calls that it made (outbound / all)",
    "distinct_callees": "distinct numbers called",
    "callee_spread": "distinct numbers called per call made",
    "reciprocity": "share of the numbers it called that ever called it",
    "answer_rate": "share of its calls that were answered",
    "in_answer_rate": "share of the calls it received that it answered",
    "short_share": "share of answered calls under 30 s",
    "long_share": "share of answered calls of 5 min or more",
    "mean_answered_s": "mean seconds of an answered call",
    "imeis": "IMEIs (handsets or box slots) it called from",
    "cells": "cells it called from",
    "top_cell_share": "share of its calls made from its busiest cell",
    "calls_per_hour": "calls per hour window with calls",
    "calls_per_day": "calls per local day with calls",
    "active_days": "local days on which it called",
    "active_hours": "distinct local hours of the day with calls",
    "night_share": "share of calls made at night (local 0-6 h)",
    "msgs_out": "messages sent",
    "msgs_in": "messages received",
    "victims_contacted": "people it called or messaged who later reported fraud",
    "victims_talked": "of those, talked to at length or messaged in the week before the report",
    "victim_share": "share of the people it contacted who later reported fraud",
    "victim_contacts_each": "calls and messages to each of them before their report",
    "max_sims_per_imei": "most SIMs seen on one of its IMEIs",
    "sync_peers": "numbers calling from the same cell in the same hours (in sync)",
    "sync_shared_max": "most hour windows shared with one number in sync",
    "sync_pitched": "people its peers in sync talked to for 5 minutes or more",
    "sync_victims": "of those, people who later reported fraud",
    "sync_victim_share": "share of the people its peers in sync pitched who later reported fraud",
    "sync_sharers": "numbers among it and its peers in sync that share an IMEI with another "
    "number (a box's reused slots)",
    "lifetime_d": "days between its first and last call or message",
    "id_numbers": "most numbers registered to one ID number of its holders",
}

#: derived device feature -> what it measures
DEVICE_FEATURES: Final[dict[str, str]] = {
    "calls": "calls made with it",
    "sims": "SIMs (numbers) that called with it",
    "distinct_callees": "distinct numbers called",
    "callee_spread": "distinct numbers called per call",
    "answer_rate": "share of its calls that were answered",
    "short_share": "share of answered calls under 30 s",
    "cells": "cells it called from",
    "top_cell_share": "share of its calls made from its busiest cell",
    "calls_per_hour": "calls per hour window with calls",
    "active_days": "local days on which it called",
    "night_share": "share of calls made at night (local 0-6 h)",
    "sims_in_calls": "calls its SIMs received",
    "sims_in_share": "calls its SIMs received per call made",
    "sims_in_answer_rate": "share of the calls its SIMs received that they answered",
    "sims_max_imeis": "most IMEIs one of its SIMs used (IMEI rotation)",
    "sims_in_sync": "its SIMs in sync with other numbers at one cell",
    "max_sync_peers": "most numbers in sync with one of its SIMs",
    "sync_pitched": "most people the peers in sync of one of its SIMs talked to for 5 minutes "
    "or more",
    "sync_victims": "most people who later reported fraud among those",
    "sync_victim_share": "victims per person pitched by its SIMs' peers in sync",
    "sync_sharers": "most numbers sharing IMEIs in the group in sync of one of its SIMs",
    "victims_contacted": "people called from it who later reported fraud",
    "victim_share": "share of the numbers it called that later reported fraud",
    "lifetime_d": "days between its first and last call",
    "site_reused": "other IMEIs with reused slots (several SIMs, or SIMs on several IMEIs) that "
    "call out from its busiest cell, where they too make most of their calls",
    "site_calls": "its calls from its busiest cell in hours when one of those called there too",
    "site_share": "share of its calls made in those hours",
    "site_days": "its calls from its busiest cell on local days when one of those called there too",
}


@dataclass(frozen=True)
class FeatureFrame:
    """Ids (sorted) by named float features, and the exact counts they came from."""

    ids: StrArray
    names: tuple[str, ...]
    values: FloatArray
    counts: Mapping[str, FloatArray]

    def column(self, name: str) -> FloatArray:
        return self.values[:, self.names.index(name)]

    def select(self, names: Sequence[str]) -> FloatArray:
        missing = [n for n in names if n not in self.names]
        if missing:
            raise KeyError(f"features missing: {', '.join(missing)}")
        return self.values[:, [self.names.index(n) for n in names]]

    def __len__(self) -> int:
        return len(self.ids)


def _div(a: FloatArray, b: FloatArray, empty: float) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(b > 0, a / np.where(b > 0, b, 1.0), empty)
    return out


def _columns(
    table: pa.Table, id_column: str, names: Sequence[str]
) -> tuple[StrArray, dict[str, FloatArray]]:
    order = pc.sort_indices(table, [(id_column, "ascending")])
    t = table.take(order)
    ids = np.asarray(t.column(id_column).to_pylist(), dtype=str)
    cols = {n: np.asarray(t.column(n).to_numpy(zero_copy_only=False), np.float64) for n in names}
    us = pa.timestamp("us")
    span = pc.subtract(pc.cast(t.column("last_ts"), us), pc.cast(t.column("first_ts"), us))
    seconds = pc.divide(pc.cast(span, pa.int64()), 1_000_000).to_numpy(zero_copy_only=False)
    cols["lifetime_d"] = np.nan_to_num(np.asarray(seconds, np.float64)) / DAY_S
    return ids, cols


def number_frame(table: pa.Table) -> FeatureFrame:
    """The derived number features of `number_features`' rows."""
    ids, c = _columns(table, "number", COUNT_COLUMNS)
    out, inc = c["out_calls"], c["in_calls"]
    derived = {
        "out_calls": out,
        "in_calls": inc,
        "out_share": _div(out, out + inc, 0.5),
        "distinct_callees": c["distinct_callees"],
        "callee_spread": _div(c["distinct_callees"], out, 0.0),
        "reciprocity": _div(c["reciprocal_callees"], c["distinct_callees"], 1.0),
        "answer_rate": _div(c["out_answered"], out, 1.0),
        "in_answer_rate": _div(c["in_answered"], inc, 1.0),
        "short_share": _div(c["out_short"], c["out_answered"], 0.0),
        "long_share": _div(c["out_long"], c["out_answered"], 0.0),
        "mean_answered_s": _div(c["out_duration_s"], c["out_answered"], 0.0),
        "imeis": c["imeis"],
        "cells": c["cells"],
        "top_cell_share": _div(c["top_cell_calls"], c["out_calls_with_cell"], 0.0),
        "calls_per_hour": _div(out, c["active_windows"], 0.0),
        "calls_per_day": _div(out, c["active_days"], 0.0),
        "active_days": c["active_days"],
        "active_hours": c["active_hours"],
        "night_share": _div(c["night_calls"], out, 0.0),
        "msgs_out": c["msgs_out"],
        "msgs_in": c["msgs_in"],
        "victims_contacted": c["victims_contacted"],
        "victims_talked": c["victims_talked"],
        "victim_share": _div(c["victims_contacted"], c["contacts_out"], 0.0),
        "victim_contacts_each": _div(
            c["victim_calls"] + c["victim_msgs"], c["victims_contacted"], 0.0
        ),
        "max_sims_per_imei": c["max_sims_per_imei"],
        "sync_peers": c["sync_peers"],
        "sync_shared_max": c["sync_shared_max"],
        "sync_pitched": c["sync_pitched"],
        "sync_victims": c["sync_victims"],
        "sync_victim_share": _div(c["sync_victims"], c["sync_pitched"], 0.0),
        "sync_sharers": c["sync_sharers"],
        "lifetime_d": c["lifetime_d"],
        "id_numbers": c["id_numbers"],
    }
    return _frame(ids, derived, NUMBER_FEATURES, c)


def device_frame(table: pa.Table) -> FeatureFrame:
    """The derived device features of `device_features`' rows."""
    ids, c = _columns(table, "imei", DEVICE_COUNT_COLUMNS)
    calls = c["calls"]
    derived = {
        "calls": calls,
        "sims": c["sims"],
        "distinct_callees": c["distinct_callees"],
        "callee_spread": _div(c["distinct_callees"], calls, 0.0),
        "answer_rate": _div(c["answered"], calls, 1.0),
        "short_share": _div(c["short"], c["answered"], 0.0),
        "cells": c["cells"],
        "top_cell_share": _div(c["top_cell_calls"], c["calls_with_cell"], 0.0),
        "calls_per_hour": _div(calls, c["active_windows"], 0.0),
        "active_days": c["active_days"],
        "night_share": _div(c["night_calls"], calls, 0.0),
        "sims_in_calls": c["sims_in_calls"],
        "sims_in_share": _div(c["sims_in_calls"], calls, 1.0),
        "sims_in_answer_rate": _div(c["sims_in_answered"], c["sims_in_calls"], 1.0),
        "sims_max_imeis": c["sims_max_imeis"],
        "sims_in_sync": c["sims_in_sync"],
        "max_sync_peers": c["max_sync_peers"],
        "sync_pitched": c["sync_pitched"],
        "sync_victims": c["sync_victims"],
        "sync_victim_share": _div(c["sync_victims"], c["sync_pitched"], 0.0),
        "sync_sharers": c["sync_sharers"],
        "victims_contacted": c["victims_contacted"],
        "victim_share": _div(c["victims_contacted"], c["distinct_callees"], 0.0),
        "lifetime_d": c["lifetime_d"],
        "site_reused": c["site_reused"],
        "site_calls": c["site_calls"],
        "site_share": _div(c["site_calls"], calls, 0.0),
        "site_days": c["site_days"],
    }
    return _frame(ids, derived, DEVICE_FEATURES, c)


def _frame(
    ids: StrArray,
    derived: Mapping[str, FloatArray],
    described: Mapping[str, str],
    counts: Mapping[str, FloatArray],
) -> FeatureFrame:
    names = tuple(described)
    values = np.column_stack([derived[n] for n in names]) if len(ids) else np.zeros((0, len(names)))
    return FeatureFrame(ids, names, np.asarray(values, np.float64), dict(counts))


def read_numbers(engine: Engine) -> FeatureFrame:
    """Run `number_features` on the engine's lake and derive the number features."""
    t = engine.tables(("calls", "messages", "persons", "reports"))
    job = number_features(t["calls"], t["messages"], t["persons"], t["reports"])
    return number_frame(engine.execute(job, label="number_features"))


def read_devices(engine: Engine) -> FeatureFrame:
    """Run `device_features` on the engine's lake and derive the device features."""
    t = engine.tables(("calls", "messages", "persons", "reports"))
    job = device_features(t["calls"], t["messages"], t["persons"], t["reports"])
    return device_frame(engine.execute(job, label="device_features"))
