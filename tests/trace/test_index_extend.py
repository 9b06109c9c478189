"""Extending the trace index after an append-only import equals rebuilding it, array for array."""

from __future__ import annotations

import json
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chaincut.lake.catalog import connect
from chaincut.lake.engine import DuckDBEngine
from chaincut.settings import Settings
from chaincut.trace import AccountInfo, ReportInfo, TraceIndex, Txn, ensure_index
from chaincut.trace.index import ledger as index_ledger
from chaincut.trace.index.build import build_index
from tests.trace.helpers import at, worked_example, write_lake
from tests.trace.test_properties import ledgers

#: meta fields that say how an index was made, not what it holds
_HOW = {"build_seconds", "extended_from", "appended"}
NEW_IDS = ["A05", "B", "C0", "Z9", "0X"]
NEW_CHANNELS = [None, "transfer", "crypto_otc", "wire_new"]


def assert_same_index(a: Path, b: Path) -> None:
    """Every array and every metadata field (but timings and provenance) equal."""
    names = sorted(p.name for p in a.glob("*.npy"))
    assert names == sorted(p.name for p in b.glob("*.npy"))
    for name in names:
        x, y = np.load(a / name), np.load(b / name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    meta_a, meta_b = (json.loads((p / "meta.json").read_text()) for p in (a, b))
    assert {k: v for k, v in meta_a.items() if k not in _HOW} == {
        k: v for k, v in meta_b.items() if k not in _HOW
    }


def rebuilt(settings: Settings, out: Path) -> Path:
    with DuckDBEngine(settings) as engine:
        build_index(engine, out)
    return out


@st.composite
def appends(draw: st.DrawFn) -> dict[str, Any]:
    """A ledger cut in two at a time: what the first import brings and what a later one adds
    (later transactions, some with new accounts or channels, new reports and accounts)."""
    txns, reports, accounts = draw(ledgers())
    txns.sort(key=lambda t: t.key)
    cut = draw(st.integers(max(1, len(txns) // 2), len(txns)))
    base, later = txns[:cut], txns[cut:]
    last = base[-1].key
    extra = []
    for i in range(draw(st.integers(0, 6))):
        src = draw(st.sampled_from(NEW_IDS + ["A0", "A3"]))
        dst = draw(st.sampled_from(NEW_IDS + ["A1", "C"]))
        ts = last[0] + draw(st.integers(1, 30)) * 3_600_000_000
        cents = draw(st.integers(1, 90_000))
        extra.append(Txn(ts, f"x{i:02d}", src, dst, cents, draw(st.sampled_from(NEW_CHANNELS))))
    # a later transaction at the very same time as the last one sorts after it by txn_id
    tie = [Txn(last[0], last[1] + "z", "A2", "A4", 500)] if draw(st.booleans()) else []
    first_reports = [r for r in reports if all(t.key <= last for t in r.fraud_txns)]
    new_accounts = [
        AccountInfo(a, "bank_card", "BANK9") for a in draw(st.sets(st.sampled_from(NEW_IDS)))
    ]
    return {
        "base": base,
        "later": later + extra + tie,
        "reports": (first_reports, [r for r in reports if r not in first_reports]),
        "accounts": (accounts, new_accounts),
        "recolour": draw(st.booleans()),
    }


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(appends())
def test_extending_equals_rebuilding(case: dict[str, Any]) -> None:
    with TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        first_reports, later_reports = case["reports"]
        old_accounts, new_accounts = case["accounts"]
        settings = write_lake(home, case["base"], first_reports, old_accounts)
        before = ensure_index(settings)
        write_lake(home, case["later"], later_reports, new_accounts)
        if case["recolour"]:  # reference data changes too: an account becomes a merchant
            con = connect(settings)
            con.execute("UPDATE accounts SET kind = 'merchant' WHERE account_id = 'A1'")
            con.close()
        after = ensure_index(settings)
        event("extended" if "extended_from" in after.meta else "rebuilt")
        event("accounts changed" if new_accounts or case["recolour"] else "accounts the same")
        if len(case["later"]) <= len(case["base"]):
            assert after.meta["extended_from"] == before.path.name
            assert after.meta["appended"] == len(case["later"])
        else:  # more new rows than old: rebuilt (as cheap, in bounded memory)
            assert "extended_from" not in after.meta
        assert_same_index(after.path, rebuilt(settings, Path(tmp) / "full"))


def test_a_back_dated_transaction_rebuilds(tmp_path: Path) -> None:
    txns, report = worked_example()
    settings = write_lake(tmp_path, txns, [report])
    ensure_index(settings)
    write_lake(tmp_path, [Txn(at(0.5), "early", "C", "M", 700)])
    after = ensure_index(settings)
    assert "extended_from" not in after.meta and after.meta["transactions"] == len(txns) + 1
    assert_same_index(after.path, rebuilt(settings, tmp_path / "full"))


def test_the_extended_index_traces_like_a_rebuilt_one(tmp_path: Path) -> None:
    txns, report = worked_example()
    late = Txn(at(30), "late", "Y", "NEWACC", 500)
    settings = write_lake(tmp_path, txns, [report])
    ensure_index(settings)
    write_lake(tmp_path, [late], [ReportInfo("R2", at(40), "V", (txns[0],))])
    index = ensure_index(settings)
    full = TraceIndex(rebuilt(settings, tmp_path / "full"))
    assert index.meta["appended"] == 1
    assert_same_index(index.path, full.path)
    for acc in ("M", "X", "Y", "NEWACC"):
        assert index.account(acc) == full.account(acc)
        assert index.load(acc, (0, ""), at(50)) == full.load(acc, (0, ""), at(50))
    assert index.report_ids() == ["R1", "R2"]


def test_the_build_is_the_same_in_small_buckets(
    world_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = rebuilt(world_settings, tmp_path / "whole")
    monkeypatch.setattr(index_ledger, "BUCKET_ROWS", 64)  # hundreds of buckets, some one hub
    assert_same_index(rebuilt(world_settings, tmp_path / "buckets"), whole)
