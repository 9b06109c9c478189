"""Reading what scoring needs from the lake, through whatever engine the settings choose.

The lake jobs run on keyed data the engine materialises once: the accounts' integer keys and
the keyed transfers (`chaincut.lake.jobs.keyed_edges`). The multi-account detectors and the
victims' hops run once over the whole ledger; the per-account features and single-account
detectors run one partition of accounts at a time (`PART_ACCOUNTS` accounts, a range of keys),
so memory stays bounded however large the ledger: a part's edges, its feature rows and its
float matrix are all that is held at once.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.account_features import FeatureParams, features_of_edges
from chaincut.lake.jobs.account_motifs import MOTIFS, small_transfers
from chaincut.lake.jobs.account_patterns import PatternParams, motif_patterns, patterns_of_edges
from chaincut.lake.jobs.account_taint import account_neighbours, account_taint
from chaincut.lake.jobs.edges import DEFAULT_CURRENCY
from chaincut.lake.jobs.keyed_edges import account_keys, keyed_edges, keyed_transfers
from chaincut.scoring.features import (
    FeatureFrame,
    FloatArray,
    StrArray,
    base_features,
    fan_accounts,
    fill_ranks,
    neighbour_features,
    pattern_counts,
)

#: accounts whose features are computed together: about 0.6 GB of floats and, at the
#: simulator's 15 transfers per account, 15 M edge rows in the engine
PART_ACCOUNTS: Final = 1_000_000
#: the pattern features the multi-account detectors give
MOTIF_FEATURES: Final = tuple(f"pattern_{p}" for p in MOTIFS)


@dataclass(frozen=True)
class AccountPart:
    """The base features of one partition of accounts and the patterns they matched."""

    frame: FeatureFrame
    patterns: pa.Table  # account_patterns' rows of these accounts


@dataclass(frozen=True)
class LakeAccounts:
    """The accounts of one lake with their base features and the detectors' findings."""

    frame: FeatureFrame
    patterns: pa.Table  # account_patterns' rows
    engine: Engine
    name: str = ""  # names the lake in training folds: views of one lake share a name

    def with_neighbours(self, suspects: Sequence[str]) -> FeatureFrame:
        """The base features plus the second-pass features for these suspected accounts."""
        fan_out, fan_in = fan_accounts(self.frame)
        table = read_neighbours(self.engine, suspects, list(fan_out), list(fan_in))
        return neighbour_features(self.frame, table)


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


class LakeParts:
    """Every account's base features, read part by part, to be iterated as often as needed.

    Reading runs the per-account jobs one range of `part_accounts` keys at a time and keeps each
    part's float matrix in a scratch folder (in memory when there is one part); the
    multi-account detectors run once, after every part has named its hubs (accounts with more
    than `hub_degree` counterparties, which take part in no shape), and their counts are added
    as the parts are read back. Parts come in account-id order.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._parts: list[tuple[StrArray, Path | FloatArray]] = []
        self._names: tuple[str, ...] = ()
        self._local: list[pa.Table] = []
        self._motifs = pa.table({})

    def __len__(self) -> int:
        return len(self._parts)

    def __iter__(self) -> Iterator[AccountPart]:
        for (accounts, stored), local in zip(self._parts, self._local, strict=True):
            values = np.load(stored) if isinstance(stored, Path) else stored
            motifs = self._motifs.filter(
                pc.is_in(self._motifs.column("account_id"), value_set=pa.array(accounts))
            )
            counts = pattern_counts(accounts, motifs)
            for name in MOTIF_FEATURES:
                values[:, self._names.index(name)] = counts[name]
            frame = fill_ranks(FeatureFrame(accounts, self._names, values))
            yield AccountPart(frame, pa.concat_tables([local, motifs.cast(local.schema)]))

    def patterns(self) -> pa.Table:
        """Every pattern row of every part (`account_patterns`' rows)."""
        local = self._local or [self._motifs]
        return pa.concat_tables([*local, self._motifs.cast(local[0].schema)])

    def read(
        self,
        engine: Engine,
        features: FeatureParams,
        patterns: PatternParams,
        part_accounts: int = PART_ACCOUNTS,
    ) -> None:
        t = engine.table("transactions")
        with (
            engine.materialised(account_keys(t), label="account_keys") as keys,
            engine.materialised(
                keyed_transfers(t, keys, features.currency), label="keyed_transfers"
            ) as transfers,
        ):
            count = engine.execute(keys.count().as_table(), label="account_count")
            accounts = int(count.column(0)[0].as_py())
            taint = engine.execute(
                account_taint(t, engine.table("reports"), features), label="account_taint"
            )
            hubs: list[pa.Array] = []
            step = max(1, part_accounts)
            for first in range(0, max(accounts, 1), step):  # an empty lake: one empty part
                part = keyed_edges(transfers, (first, first + step))
                with engine.materialised(part, label="keyed_edges") as edges:
                    flow = engine.execute(
                        features_of_edges(edges, keys, engine.table("accounts"), features),
                        label="account_features",
                    )
                    local = engine.execute(
                        patterns_of_edges(edges, keys, patterns), label="account_patterns"
                    )
                hub = pc.greater(flow.column("counterparties"), patterns.hub_degree)
                hubs.append(flow.filter(hub).column("account_id").combine_chunks())
                frame = base_features(flow, taint, local)
                self._store(frame, len(self._parts), accounts > step)
                self._local.append(local)
            self._motifs = self._read_motifs(engine, transfers, keys, hubs, patterns)

    def _store(self, frame: FeatureFrame, i: int, on_disk: bool) -> None:
        self._names = frame.names
        if on_disk:
            path = self._folder / f"part-{i}.npy"
            np.save(path, frame.values)
            self._parts.append((frame.accounts, path))
        else:
            self._parts.append((frame.accounts, frame.values))

    @staticmethod
    def _read_motifs(
        engine: Engine,
        transfers: ir.Table,
        keys: ir.Table,
        hubs: Sequence[pa.Array],
        patterns: PatternParams,
    ) -> pa.Table:
        ids = pa.concat_arrays(list(hubs)) if hubs else pa.array([], pa.string())
        named = ibis.memtable(pa.table({"account_id": ids.cast(pa.string())}))
        hub_keys = keys.semi_join(named, "account_id").select("key")
        small = small_transfers(transfers, hub_keys)
        with engine.materialised(small, label="small_transfers") as kept:
            return engine.execute(motif_patterns(kept, keys, patterns), label="motif_patterns")


@contextmanager
def lake_parts(
    engine: Engine,
    features: FeatureParams | None = None,
    patterns: PatternParams | None = None,
    part_accounts: int = PART_ACCOUNTS,
) -> Iterator[LakeParts]:
    """Read the lake's accounts (`LakeParts`); the scratch files go when the block ends."""
    features = features or FeatureParams()
    patterns = patterns or PatternParams(hub_degree=features.hub_degree)
    with tempfile.TemporaryDirectory(prefix="chaincut-parts-") as scratch:
        parts = LakeParts(Path(scratch))
        parts.read(engine, features, patterns, part_accounts)
        yield parts


def read_accounts(
    engine: Engine,
    features: FeatureParams | None = None,
    patterns: PatternParams | None = None,
) -> LakeAccounts:
    """Run the feature, taint and pattern jobs and assemble the base features of every account
    at once (for training and evaluation; `score_accounts` reads part by part)."""
    with lake_parts(engine, features, patterns) as found:
        parts = list(found)
    frame = concat_frames([p.frame for p in parts])
    return LakeAccounts(frame, pa.concat_tables([p.patterns for p in parts]), engine)


def concat_frames(frames: Sequence[FeatureFrame]) -> FeatureFrame:
    """Frames of consecutive partitions as one (they share their feature names)."""
    if len(frames) == 1:
        return frames[0]
    accounts = np.concatenate([f.accounts for f in frames])
    return replace(frames[0], accounts=accounts, values=np.vstack([f.values for f in frames]))


def _neighbours_of(engine: Engine, accounts: Sequence[str], label: str) -> pa.Table:
    ids = pa.array(sorted(set(accounts)), pa.string())
    table = ibis.memtable(pa.table({"account_id": ids}))
    return engine.execute(account_neighbours(engine.table("transactions"), table), label=label)


def read_neighbours(
    engine: Engine,
    suspects: Sequence[str],
    fan_out: Sequence[str] = (),
    fan_in: Sequence[str] = (),
) -> pa.Table:
    """`account_neighbours` for these suspected accounts (who deals with them, how much), with
    `from_fan_out` (payments received from the `fan_out` accounts) and `to_fan_in` (payments
    sent to the `fan_in` ones): one row per account with any of them, zeros where it has none."""
    table = _neighbours_of(engine, suspects, "account_neighbours")
    for accounts, column, name in (
        (fan_out, "suspect_in", "from_fan_out"),
        (fan_in, "suspect_out", "to_fan_in"),
    ):
        found = _neighbours_of(engine, accounts, f"account_neighbours_{name}")
        found = found.select(["account_id", column]).rename_columns(["account_id", name])
        table = table.join(found, "account_id", join_type="full outer", coalesce_keys=True)
    return pa.table(
        {
            name: table.column(name)
            if name == "account_id"
            else pc.fill_null(table.column(name), 0)
            for name in table.column_names
        }
    )


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
