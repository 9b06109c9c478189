"""Reading what scoring needs from the lake, through whatever engine the settings choose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.account_features import FeatureParams, account_features
from chaincut.lake.jobs.account_patterns import PatternParams, account_patterns
from chaincut.lake.jobs.account_taint import account_neighbours, account_taint
from chaincut.lake.jobs.edges import DEFAULT_CURRENCY
from chaincut.scoring.features import FeatureFrame, base_features, neighbour_features


@dataclass(frozen=True)
class LakeAccounts:
    """The accounts of one lake with their base features and the detectors' findings."""

    frame: FeatureFrame
    patterns: pa.Table  # account_patterns' rows
    engine: Engine
    name: str = ""  # names the lake in training folds: views of one lake share a name

    def with_neighbours(self, suspects: Sequence[str]) -> FeatureFrame:
        """The base features plus the second-pass features for these suspected accounts."""
        return read_neighbours(self.engine, self.frame, suspects)


def main_currency(engine: Engine) -> str:
    """The currency most transactions of the lake are in (the default when the lake is empty)."""
    t = engine.table("transactions")
    c = t.currency.fill_null(DEFAULT_CURRENCY)
    counts = engine.execute(
        t.group_by(currency=c).aggregate(n=t.count()), label="main_currency"
    ).to_pylist()
    if not counts:
        return DEFAULT_CURRENCY
    return str(min(counts, key=lambda r: (-int(r["n"]), str(r["currency"])))["currency"])


def read_accounts(
    engine: Engine,
    features: FeatureParams | None = None,
    patterns: PatternParams | None = None,
) -> LakeAccounts:
    """Run the feature, taint and pattern jobs and assemble the base features."""
    features = features or FeatureParams()
    patterns = patterns or PatternParams(hub_degree=features.hub_degree)
    t = engine.table("transactions")
    flow = engine.execute(
        account_features(t, engine.table("accounts"), features), label="account_features"
    )
    taint = engine.execute(
        account_taint(t, engine.table("reports"), features), label="account_taint"
    )
    found = engine.execute(account_patterns(t, patterns), label="account_patterns")
    return LakeAccounts(base_features(flow, taint, found), found, engine)


def read_neighbours(engine: Engine, frame: FeatureFrame, suspects: Sequence[str]) -> FeatureFrame:
    """`frame` with the second-pass features: shares of counterparties among `suspects`."""
    ids = pa.array(sorted(set(suspects)), pa.string())
    table = ibis.memtable(pa.table({"account_id": ids}))
    result = engine.execute(
        account_neighbours(engine.table("transactions"), table), label="account_neighbours"
    )
    return neighbour_features(frame, result)


def read_labels(engine: Engine) -> dict[str, str]:
    """The ground-truth labels of accounts in the lake's `labels` table (the last one wins)."""
    labels = engine.table("labels")
    rows = engine.execute(
        labels.filter(labels.entity_kind == "account").select("entity_id", "label"),
        label="account_labels",
    )
    ids = rows.column("entity_id").to_pylist()
    values = pc.utf8_lower(pc.utf8_trim_whitespace(rows.column("label"))).to_pylist()
    order = np.argsort(np.asarray(ids, dtype=str), kind="stable")
    return {str(ids[i]): str(values[i]) for i in order}
