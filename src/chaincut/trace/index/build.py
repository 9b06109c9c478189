"""Building the trace index from the lake: the ledger sorted by (account, ts, txn_id).

Layout of one index folder (all numpy `.npy`, opened memory-mapped by `TraceIndex`):

| file | shape | what |
|---|---|---|
| `acct_ids` | n_accounts, bytes | account ids, sorted (an account's code is its position) |
| `acct_kind`, `acct_inst`, `acct_country` | n_accounts | codes into the lists in meta.json (-1: unknown) |
| `acct_degree` | n_accounts | distinct counterparties over the whole ledger |
| `acct_org` | n_accounts | 1: held by an organisation (not in persons), 0: a person, -1: unknown |
| `acct_since` | n_accounts | earlier of opening date and first transaction, us (NO_TIME: unknown) |
| `degree_sorted` | n_accounts | the degrees sorted, for the busy threshold |
| `offsets` | n_accounts + 1 | each account's rows in the `inc_*` arrays |
| `inc_ts`, `inc_seq`, `inc_amt`, `inc_cp`, `inc_bal`, `inc_chan` | 2 x n_txns | per account and in (ts, txn_id) order: time (us), global sequence, signed cents (+ in, - out), counterparty code, running balance after the row, channel code |
| `txn_off`, `txn_data` | n_txns + 1, bytes | txn_id of each sequence number (UTF-8, concatenated) |
| `rep_*`, `fraud_*` | reports, fraud transfers | reports sorted by id with their transfers resolved |

Transfers from an account to itself are left out (they change nothing). The build reads the lake
through a lake engine (`chaincut.lake.readers.trace_index`, DuckDB or Spark): DuckDB streams the
sorted rows in batches, so memory stays bounded at any ledger size. `meta.json`
also records the last transaction in (ts, txn_id) order, from which `chaincut.trace.index.extend`
extends the index after an import that only appended transactions; the account facts
(`write_accounts`) and reports (`write_reports`) are written by the same code on both paths.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.lake.engine import Engine
from chaincut.lake.readers import trace_index as lake
from chaincut.trace.index.ledger import write_ledger
from chaincut.trace.model import INDEX_FORMAT, NO_TIME
from chaincut.trace.textarray import fixed_width

FORMAT_VERSION = INDEX_FORMAT


def _save(out: Path, name: str, arr: npt.NDArray[Any]) -> None:
    np.save(out / f"{name}.npy", arr, allow_pickle=False)


def codes_of(values: pa.ChunkedArray | pa.Array) -> tuple[list[str], npt.NDArray[np.int32]]:
    """The sorted vocabulary of the non-empty strings, and each value's position in it
    (-1: null or empty)."""
    vocab = sorted(v for v in pc.unique(values).to_pylist() if v)
    pos = pc.index_in(values, value_set=pa.array(vocab, type=pa.string()))
    return vocab, pos.fill_null(-1).to_numpy().astype(np.int32)


def build_index(engine: Engine, out: Path) -> dict[str, Any]:
    """Write the trace index of the lake `engine` reads into `out`.

    Returns the index's metadata (also written to `out/meta.json`, last, so a folder with a
    meta.json is complete).
    """
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    channels = lake.channels(engine)
    meta: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "channels": channels,
        "reference": lake.reference(engine),
    }
    with lake.account_codes(engine) as codes:
        n_acc = lake.count(engine, codes, "trace_accounts")
        ledger = write_ledger(engine, codes, out, n_acc, channels)
        inc_ts = np.load(out / "inc_ts.npy", mmap_mode="r")
        write_accounts(engine, codes, out, meta, first_ts(ledger["offsets"], inc_ts))
    n_rep = write_reports(engine, out, channels)
    meta.update(
        accounts=n_acc,
        transactions=ledger["transactions"],
        rows=ledger["rows"],
        reports=n_rep,
        last_ts=ledger["last_ts"],
        last_txn_id=ledger["last_txn_id"],
    )
    return finish(out, meta, started)


def finish(out: Path, meta: dict[str, Any], started: float) -> dict[str, Any]:
    """Write `meta.json` last (a folder with one is complete) and return the metadata."""
    meta["build_seconds"] = round(time.perf_counter() - started, 3)
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    return meta


def first_ts(
    offsets: npt.NDArray[np.int64], inc_ts: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Each account's first transaction time from its rows (NO_TIME: it has none)."""
    has = offsets[1:] > offsets[:-1]
    out = np.full(len(offsets) - 1, NO_TIME, dtype=np.int64)
    out[has] = inc_ts[offsets[:-1][has]]
    return out


def earliest(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The earlier of two times per element, whichever is known (NO_TIME: unknown)."""
    return np.where(a == NO_TIME, b, np.where(b == NO_TIME, a, np.minimum(a, b)))


def write_accounts(
    engine: Engine,
    codes: ir.Table,
    out: Path,
    meta: dict[str, Any],
    first: npt.NDArray[np.int64],
) -> int:
    """The account arrays for the ids of the relation `codes(account_id, code)` (codes 0..n-1
    in id order), from the lake's accounts and persons; `first` is each code's first
    transaction time."""
    rows = lake.account_facts(engine, codes)
    ids = fixed_width(rows.column("account_id").combine_chunks())
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        raise RuntimeError("account ids are not in byte order; cannot build the trace index")
    _save(out, "acct_ids", ids)
    opened = lake.micros(rows.column("opened_at"), NO_TIME)
    _save(out, "acct_since", earliest(opened, first))  # opening date or first transaction
    _save(out, "acct_org", rows.column("org").to_numpy().astype(np.int8))
    for col, dtype in (("kind", np.int8), ("institution", np.int32), ("country", np.int16)):
        vocab, pos = codes_of(rows.column(col))
        meta[f"{col}_vocab"] = vocab
        _save(out, f"acct_{col[:7] if col != 'institution' else 'inst'}", pos.astype(dtype))
    return len(ids)


def write_reports(engine: Engine, out: Path, channels: list[str]) -> int:
    """The report arrays: reports sorted by id, each with its fraud transfers looked up in the
    lake's transactions (`fraud_ok` false: not in the ledger); `channels` is the channel
    vocabulary of the index."""
    heads = lake.report_heads(engine)
    fraud = lake.fraud_transfers(engine)
    found = dict(
        zip(
            fraud.column("txn_id").to_pylist(),
            zip(
                lake.micros(fraud.column("ts"), 0).tolist(),
                fraud.column("src_account").to_pylist(),
                fraud.column("dst_account").to_pylist(),
                fraud.column("cents").to_pylist(),
                lake.channel_codes(fraud.column("channel"), channels).tolist(),
                strict=True,
            ),
            strict=True,
        )
    )
    cols: dict[str, list[Any]] = {k: [] for k in ("id", "ts", "src", "dst", "cents", "chan", "ok")}
    ids: list[str] = heads.column("report_id").to_pylist()
    rep_ts = lake.micros(heads.column("ts"), 0)
    rep_victim = [v or "" for v in heads.column("victim_account").to_pylist()]
    rep_off = [0]
    for fraud_ids in heads.column("fraud_txn_ids").to_pylist():
        for tid in dict.fromkeys(fraud_ids or []):
            hit = found.get(tid)
            row = (tid, *(hit if hit else (0, "", "", 0, -1)), hit is not None)
            for key, value in zip(cols, row, strict=True):
                cols[key].append(value)
        rep_off.append(len(cols["id"]))
    text = {
        "rep_ids": ids,
        "rep_victim": rep_victim,
        "fraud_ids": cols["id"],
        "fraud_src": cols["src"],
        "fraud_dst": cols["dst"],
    }
    for name, values in text.items():
        _save(out, name, fixed_width(pa.array(values, type=pa.string())))
    _save(out, "rep_ts", rep_ts.astype(np.int64))
    _save(out, "rep_off", np.array(rep_off, dtype=np.int64))
    _save(out, "fraud_ts", np.array(cols["ts"], dtype=np.int64))
    _save(out, "fraud_cents", np.array(cols["cents"], dtype=np.int64))
    _save(out, "fraud_chan", np.array(cols["chan"], dtype=np.int8))
    _save(out, "fraud_ok", np.array(cols["ok"], dtype=np.bool_))
    return len(ids)
