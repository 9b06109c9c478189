"""Extending the trace index after an import that only appended transactions.

An import normally adds transactions later than every one already in the lake. Then the new
index is the old one with the new rows merged in, and nothing needs sorting again:

- account ids: the new ids are merged into the sorted list; the old codes move up by the
  number of new ids before them (a monotonic map, so every per-account order is kept);
- incidence rows: each account's old rows are copied (counterparty codes mapped) and its new
  rows, sorted by sequence, follow them, their running balance continuing from its last one;
- txn ids: the new ones are appended (their sequence numbers follow the old ones);
- degrees: recounted only for the accounts the new rows touch;
- account facts and reports: written from the lake by the same code as a full build, so changed
  reference data (accounts, persons, reports) is picked up.

`extend_index` returns None, writing nothing, when the lake's transactions are not the old
ones plus rows after the last in (ts, txn_id) order (a back-dated transaction, a deleted row),
when the old index predates this layout, or when the new rows outnumber the old (a rebuild
then costs little more, in bounded memory); the caller rebuilds. The result equals a full
rebuild array for array (tests/trace/test_index_extend.py).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.lake.engine import Engine
from chaincut.lake.readers import trace_index as lake
from chaincut.trace.index.build import (
    FORMAT_VERSION,
    earliest,
    finish,
    first_ts,
    write_accounts,
    write_reports,
)
from chaincut.trace.index.ledger import CHUNK_ROWS, INCIDENCE, distinct_counterparties
from chaincut.trace.model import NO_TIME
from chaincut.trace.textarray import fixed_width, variable_width

#: the most new transactions merged in memory; above it the index is rebuilt
MAX_NEW_ROWS = 20_000_000

_INC = INCIDENCE


def _old(path: Path, name: str) -> npt.NDArray[Any]:
    arr: npt.NDArray[Any] = np.load(path / f"{name}.npy", mmap_mode="r")
    return arr


def _new_rows(engine: Engine, meta: dict[str, Any]) -> pa.Table | None:
    """The transactions after the old index's last one, or None if the lake holds others too."""
    if meta.get("format") != FORMAT_VERSION or meta.get("last_txn_id") is None:
        return None
    last_ts, last_id = int(meta["last_ts"]), str(meta["last_txn_id"])
    total, after = lake.count_after(engine, last_ts, last_id)
    old = int(meta["transactions"])
    if total != old + after or after > max(old, 0) or after > MAX_NEW_ROWS:
        return None
    rows = lake.rows_after(engine, last_ts, last_id)
    ts_us = pa.array(lake.micros(rows.column("ts"), 0))
    return rows.drop_columns(["ts"]).add_column(1, "ts_us", ts_us)


def _strings(ids: npt.NDArray[np.bytes_]) -> pa.Array:
    """Fixed-width ids back to an Arrow string array."""
    return pa.array(ids, type=pa.binary()).cast(pa.string())


def _merge_ids(
    old_ids: npt.NDArray[np.bytes_], incoming: npt.NDArray[np.bytes_]
) -> tuple[npt.NDArray[np.bytes_], npt.NDArray[np.int64]]:
    """The sorted union of the ids and, for each old code, its new code."""
    width = max(old_ids.dtype.itemsize, incoming.dtype.itemsize, 1)
    dtype = np.dtype(f"S{width}")
    # searching needs one width (numpy would cut longer ids to the array's)
    ids = old_ids if old_ids.dtype == dtype else old_ids.astype(dtype)
    cand = np.unique(incoming.astype(dtype))
    if len(ids):
        pos = np.minimum(np.searchsorted(ids, cand), len(ids) - 1)
        cand = cand[ids[pos] != cand]
    merged = np.concatenate([ids, cand])
    merged.sort(kind="stable")  # two sorted runs: a linear merge
    before = np.searchsorted(ids, cand)  # each new id goes before this old code
    remap = np.arange(len(ids), dtype=np.int64)
    remap += np.searchsorted(before, remap, side="right")
    return merged, remap


def _codes_of(ids: npt.NDArray[np.bytes_], col: pa.ChunkedArray) -> npt.NDArray[np.int64]:
    return np.searchsorted(ids, fixed_width(col).astype(ids.dtype)).astype(np.int64)


def _link(old: Path, out: Path, names: list[str]) -> None:
    """Share unchanged arrays with the old index (hard links; a copy where links fail)."""
    for name in names:
        try:
            os.link(old / f"{name}.npy", out / f"{name}.npy")
        except OSError:
            shutil.copyfile(old / f"{name}.npy", out / f"{name}.npy")


def extend_index(engine: Engine, old: Path, out: Path) -> dict[str, Any] | None:
    """Write into `out` the index of the lake `engine` reads, from the index in `old` plus the
    lake's transactions after its last one; None (nothing written) if the lake changed
    otherwise."""
    started = time.perf_counter()
    meta_old: dict[str, Any] = json.loads((old / "meta.json").read_text())
    new = _new_rows(engine, meta_old)
    if new is None:
        return None
    out.mkdir(parents=True, exist_ok=True)
    old_ids = _old(old, "acct_ids")
    reference = lake.reference(engine)
    same_reference = meta_old.get("reference") == reference
    parts = [fixed_width(new.column(c)) for c in ("src", "dst")]
    if not same_reference:  # new accounts rows may bring ids no transaction has
        parts.append(fixed_width(lake.account_ids(engine)))
    ids, remap = _merge_ids(old_ids, np.concatenate(parts))
    channels = sorted(set(meta_old["channels"]) | set(pc.unique(new.column("channel")).to_pylist()))
    chan_map = np.array([channels.index(c) for c in meta_old["channels"]], dtype=np.int8)
    n_old = int(meta_old["transactions"])
    rows = _delta_rows(new, ids, n_old, channels)
    if len(ids) == len(old_ids) and not new.num_rows and channels == meta_old["channels"]:
        # only reference data changed (accounts, persons, reports): the ledger part is shared
        _link(old, out, [*_INC, "offsets", "txn_off", "txn_data", "acct_degree", "degree_sorted"])
        offsets = _old(out, "offsets")
    else:
        offsets = _merge_incidence(old, out, remap, len(ids), rows, chan_map)
        _append_txn_ids(old, out, new.column("txn_id"), n_old)
        _degrees(old, out, remap, rows["code"])
    meta: dict[str, Any] = {"format": FORMAT_VERSION, "channels": channels, "reference": reference}
    first = first_ts(offsets, _old(out, "inc_ts"))
    if same_reference:
        np.save(out / "acct_ids.npy", ids, allow_pickle=False)
        meta |= _move_accounts(old, out, remap, first)
    else:
        write_accounts(engine, lake.code_table(_strings(ids)), out, meta, first)
    n_rep = write_reports(engine, out, channels)
    last = (
        (int(new.column("ts_us")[-1].as_py()), str(new.column("txn_id")[-1].as_py()))
        if new.num_rows
        else (meta_old["last_ts"], meta_old["last_txn_id"])
    )
    meta.update(
        accounts=len(ids),
        transactions=n_old + new.num_rows,
        rows=int(offsets[-1]),
        reports=n_rep,
        last_ts=last[0],
        last_txn_id=last[1],
        extended_from=old.name,
        appended=new.num_rows,
    )
    return finish(out, meta, started)


def _move_accounts(
    old: Path, out: Path, remap: npt.NDArray[np.int64], first: npt.NDArray[np.int64]
) -> dict[str, list[str]]:
    """The account arrays when accounts and persons did not change: the old facts at the new
    codes (new ids have no accounts row: nothing known) and `since` from the new first rows;
    returns the old vocabularies."""
    n = len(first)
    for name in ("acct_kind", "acct_inst", "acct_country", "acct_org"):
        was = _old(old, name)
        now = np.full(n, -1, dtype=was.dtype)
        now[remap] = was
        np.save(out / f"{name}.npy", now, allow_pickle=False)
    since = np.full(n, NO_TIME, dtype=np.int64)
    since[remap] = _old(old, "acct_since")
    np.save(out / "acct_since.npy", earliest(since, first), allow_pickle=False)
    meta_old = json.loads((old / "meta.json").read_text())
    return {k: meta_old[k] for k in ("kind_vocab", "institution_vocab", "country_vocab")}


def _delta_rows(
    new: pa.Table, ids: npt.NDArray[np.bytes_], n_old: int, channels: list[str]
) -> dict[str, npt.NDArray[Any]]:
    """The new transactions as incidence rows (new codes), sorted by (account, sequence)."""
    src = _codes_of(ids, new.column("src"))
    dst = _codes_of(ids, new.column("dst"))
    seq = n_old + np.arange(new.num_rows, dtype=np.int64)
    ts = new.column("ts_us").to_numpy().astype(np.int64)
    cents = new.column("cents").to_numpy().astype(np.int64)
    chan = pc.index_in(new.column("channel"), value_set=pa.array(channels)).to_numpy()
    chan = chan.astype(np.int8)
    keep = src != dst
    code = np.concatenate([src[keep], dst[keep]])
    order = np.lexsort((np.concatenate([seq[keep], seq[keep]]), code))
    return {
        "code": code[order],
        "inc_seq": np.concatenate([seq[keep], seq[keep]])[order],
        "inc_ts": np.concatenate([ts[keep], ts[keep]])[order],
        "inc_amt": np.concatenate([-cents[keep], cents[keep]])[order],
        "inc_cp": np.concatenate([dst[keep], src[keep]])[order].astype(np.int32),
        "inc_chan": np.concatenate([chan[keep], chan[keep]])[order],
    }


def _merge_incidence(
    old: Path,
    out: Path,
    remap: npt.NDArray[np.int64],
    n_acc: int,
    rows: dict[str, npt.NDArray[Any]],
    chan_map: npt.NDArray[np.int8],
) -> npt.NDArray[np.int64]:
    """Write the merged `inc_*` arrays and `offsets`; return the offsets."""
    old_off = _old(old, "offsets").astype(np.int64)
    old_counts = np.diff(old_off)
    kept = np.zeros(n_acc, dtype=np.int64)
    kept[remap] = old_counts
    counts = kept + np.bincount(rows["code"], minlength=n_acc)
    offsets = np.zeros(n_acc + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    np.save(out / "offsets.npy", offsets, allow_pickle=False)
    n_rows = int(offsets[-1])
    dst = {
        k: np.lib.format.open_memmap(out / f"{k}.npy", mode="w+", dtype=dt, shape=(n_rows,))
        for k, dt in _INC.items()
    }
    # old rows: account a's rows move by (its new offset - its old offset)
    shift = offsets[:-1][remap] - old_off[:-1]
    src = {k: _old(old, k) for k in _INC}
    total = int(old_off[-1])
    for lo in range(0, total, CHUNK_ROWS):
        hi = min(total, lo + CHUNK_ROWS)
        at = np.arange(lo, hi, dtype=np.int64)
        owner = np.searchsorted(old_off, at, side="right") - 1
        where = at + shift[owner]
        for k, arr in dst.items():
            part = src[k][lo:hi]
            if k == "inc_cp":
                part = remap[part].astype(np.int32)
            elif k == "inc_chan":
                part = chan_map[part]
            arr[where] = part
    # new rows follow each account's old ones; their balance continues from its last one
    code = rows["code"]
    if len(code):
        first = np.flatnonzero(np.diff(code, prepend=-1))
        rank = np.arange(len(code)) - np.repeat(first, np.diff(np.append(first, len(code))))
        where = offsets[code] + kept[code] + rank
        last_bal = np.zeros(n_acc, dtype=np.int64)
        had = old_counts > 0
        last_bal[remap[had]] = src["inc_bal"][old_off[1:][had] - 1]
        cs = np.cumsum(rows["inc_amt"])
        base = np.repeat(cs[first] - rows["inc_amt"][first], np.diff(np.append(first, len(code))))
        rows = {**rows, "inc_bal": cs - base + last_bal[code]}
        for k, arr in dst.items():
            arr[where] = rows[k]
    for arr in dst.values():
        arr.flush()
    return offsets


def _append_txn_ids(old: Path, out: Path, txn_ids: pa.ChunkedArray, n_old: int) -> None:
    """txn_off/txn_data: the old ids, then the new ones (their sequence numbers follow)."""
    new_off, new_data = variable_width(txn_ids)
    old_off, old_data = _old(old, "txn_off"), _old(old, "txn_data")
    if len(new_off) <= 1:
        _link(old, out, ["txn_off", "txn_data"])
        return
    end = int(old_off[n_old])
    off = np.lib.format.open_memmap(
        out / "txn_off.npy", mode="w+", dtype=np.int64, shape=(n_old + len(new_off),)
    )
    data = np.lib.format.open_memmap(
        out / "txn_data.npy", mode="w+", dtype=np.uint8, shape=(end + len(new_data),)
    )
    for lo in range(0, n_old + 1, CHUNK_ROWS):
        off[lo : min(n_old + 1, lo + CHUNK_ROWS)] = old_off[lo : min(n_old + 1, lo + CHUNK_ROWS)]
    off[n_old + 1 :] = new_off[1:] + end
    step = CHUNK_ROWS * 16
    for lo in range(0, end, step):
        data[lo : min(end, lo + step)] = old_data[lo : min(end, lo + step)]
    data[end:] = new_data
    off.flush()
    data.flush()


def _degrees(
    old: Path, out: Path, remap: npt.NDArray[np.int64], touched: npt.NDArray[np.int64]
) -> None:
    """Distinct counterparties per account: the old counts moved to the new codes, recounted
    from the merged rows for the accounts the new rows touch."""
    offsets = _old(out, "offsets")
    degree = np.zeros(len(offsets) - 1, dtype=np.int32)
    degree[remap] = _old(old, "acct_degree")
    codes = np.unique(touched)
    degree[codes] = distinct_counterparties(offsets, _old(out, "inc_cp"), codes)
    np.save(out / "acct_degree.npy", degree, allow_pickle=False)
    np.save(out / "degree_sorted.npy", np.sort(degree), allow_pickle=False)
