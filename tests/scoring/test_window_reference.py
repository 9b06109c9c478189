"""The per-account window features against a plain-Python reference on random ledgers.

`account_features` computes every window in one scan of the edges: sums per hour, summed again
into days, weeks and months, with fan-in/out counted from each contact's previous one with the
same counterparty (a window function) rather than by COUNT(DISTINCT) per window. The reference
groups each window's buckets directly and counts distinct counterparties in sets.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.lake.jobs.account_features import WINDOWS, FeatureParams, account_features

T0 = datetime(2024, 3, 1)
Txn = tuple[int, str, str, int]  # ts_s since T0, src, dst, cents

ACCOUNTS = st.sampled_from(["A", "B", "C", "D", "E"])
SECONDS = st.one_of(
    st.integers(0, 12).map(lambda q: q * 900),  # quarter hours within three hours: repeats
    st.integers(0, 70 * 24).map(lambda h: h * 3600 + 1799),  # any hour over ten weeks
)
TXN = st.tuples(SECONDS, ACCOUNTS, ACCOUNTS, st.sampled_from([100, 9_000, 250_000]))
COLUMNS = ("in_count", "out_count", "fan_in", "fan_out", "in_amount", "out_amount", "active")


def _ledger(txns: list[Txn]) -> pa.Table:
    return pa.table(
        {
            "txn_id": [f"t{i}" for i in range(len(txns))],
            "ts": pa.array([T0 + timedelta(seconds=t[0]) for t in txns], pa.timestamp("us")),
            "src_account": [t[1] for t in txns],
            "dst_account": [t[2] for t in txns],
            "amount": pa.array([Decimal(t[3]) / 100 for t in txns], pa.decimal128(18, 2)),
            "currency": ["CNY"] * len(txns),
            "channel": ["transfer"] * len(txns),
        }
    )


def reference(txns: list[Txn], windows: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """`w<window>_*` per account: each tumbling bucket of epoch seconds grouped on its own."""
    epoch = int((T0 - datetime(1970, 1, 1)).total_seconds())
    rows = [(s, d, False, ts, c) for ts, s, d, c in txns if s != d]
    rows += [(d, s, True, ts, c) for ts, s, d, c in txns if s != d]
    out: dict[str, dict[str, Any]] = defaultdict(dict)
    for name in windows:
        buckets: dict[tuple[str, int], list[tuple[str, bool, int]]] = defaultdict(list)
        for acc, other, inbound, ts, cents in rows:
            buckets[(acc, (epoch + ts) // WINDOWS[name])].append((other, inbound, cents))
        per: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for (acc, _), found in buckets.items():
            side = [[(o, c) for o, i, c in found if i == inbound] for inbound in (True, False)]
            per[acc].append(
                (
                    *(len(s) for s in side),
                    *(len({o for o, _ in s}) for s in side),
                    *(Decimal(sum(c for _, c in s)) / 100 for s in side),
                )
            )
        for acc, values in per.items():
            most = [max(v[k] for v in values) for k in range(6)]
            out[acc].update(
                zip((f"w{name}_{c}" for c in COLUMNS), (*most, len(values)), strict=True)
            )
    return out


@pytest.fixture(scope="module")
def duck() -> Any:
    return ibis.duckdb.connect()


#: ledgers a query: each has accounts of its own (`0A`, `1A`, ...), so none sees another's
#: transfers; one query costs about 0.4 s of CPU whatever its size, the reference milliseconds
LEDGERS = 3


@settings(
    max_examples=14, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.lists(TXN, min_size=1, max_size=40), min_size=LEDGERS, max_size=LEDGERS),
    st.sampled_from([tuple(WINDOWS), ("1d", "7d", "30d"), ("7d", "30d"), ("1h",)]),
)
def test_windows_equal_the_reference(
    duck: Any, ledgers: list[list[Txn]], windows: tuple[str, ...]
) -> None:
    txns = [(ts, f"{k}{s}", f"{k}{d}", c) for k, raw in enumerate(ledgers) for ts, s, d, c in raw]
    accounts = ibis.memtable(
        pa.table(
            {
                "account_id": [f"{k}A" for k in range(LEDGERS)],
                "kind": ["personal"] * LEDGERS,
                "opened_at": [T0] * LEDGERS,
            }
        )
    )
    params = FeatureParams(windows=windows)
    found = duck.to_pyarrow(account_features(ibis.memtable(_ledger(txns)), accounts, params))
    names = [f"w{w}_{c}" for w in windows for c in COLUMNS]
    got = {r["account_id"]: {k: r[k] for k in names} for r in found.to_pylist()}
    assert got == reference(txns, windows)
