"""The ledger part of the trace index, written in one streamed pass over the transactions.

The lake engine sorts the transactions once by (ts, txn_id), with their account codes, and
streams them (`chaincut.lake.readers.trace_index.ledger_batches`): the txn ids are appended in
sequence order, and each transfer's two rows (payer and payee) are appended to the bucket file
of their account: buckets are ranges of account codes of about `BUCKET_ROWS` rows, counted
first. Each bucket is then read back, put in (account, sequence) order by a stable sort on the
account (its rows arrived in sequence order), given its running balances and degrees, and
written to its contiguous slice of the `inc_*` arrays. Every write is sequential and memory is
bounded by a bucket at any ledger size (on DuckDB; Spark collects the sorted ledger on the
driver); the temporary data is the engine's sort and the bucket files (about the size of the
`inc_*` arrays), removed as they are used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt

from chaincut.lake.engine import Engine
from chaincut.lake.readers import trace_index as lake
from chaincut.trace.textarray import variable_width

BATCH_ROWS = 1 << 20
#: rows handled per step by the passes over the arrays
CHUNK_ROWS = 1 << 22
#: rows of a bucket of accounts, sorted in memory (41 bytes each)
BUCKET_ROWS = 1 << 23
#: a row as the bucket files hold it
ROW = np.dtype(
    [("code", "<i8"), ("seq", "<i8"), ("ts", "<i8"), ("amt", "<i8"), ("cp", "<i4"), ("chan", "i1")]
)
#: the per-account rows of the ledger: array name -> dtype
INCIDENCE: dict[str, type[np.generic]] = {
    "inc_ts": np.int64,
    "inc_seq": np.int64,
    "inc_amt": np.int64,
    "inc_cp": np.int32,
    "inc_bal": np.int64,
    "inc_chan": np.int8,
}


def _memmap(out: Path, name: str, dtype: Any, n: int) -> np.memmap[Any, Any]:
    arr: np.memmap[Any, Any] = np.lib.format.open_memmap(
        out / f"{name}.npy", mode="w+", dtype=dtype, shape=(n,)
    )
    return arr


class _GrowingArray:
    """A one-dimensional uint8 `.npy` file written by appending, its length unknown until the
    end: the header is written with room for any length and rewritten, same size, at close."""

    _ROOM = np.iinfo(np.int64).max

    def __init__(self, path: Path) -> None:
        self.path, self.size = path, 0
        self._fh = path.open("wb")
        self._fh.write(self._header(self._ROOM))

    @staticmethod
    def _header(n: int) -> bytes:
        def text(length: int) -> str:
            return f"{{'descr': '|u1', 'fortran_order': False, 'shape': ({length},), }}"

        room = len(text(_GrowingArray._ROOM))
        width = room + (-(room + 11) % 64)  # magic, version, length, text, newline: 64 * k
        body = (text(n).ljust(width) + "\n").encode("latin1")
        return b"\x93NUMPY\x01\x00" + len(body).to_bytes(2, "little") + body

    def append(self, data: npt.NDArray[np.uint8]) -> None:
        self._fh.write(data.tobytes())
        self.size += len(data)

    def close(self) -> None:
        self._fh.seek(0)
        self._fh.write(self._header(self.size))
        self._fh.close()


def write_ledger(
    engine: Engine, codes: ir.Table, out: Path, n_acc: int, channels: list[str]
) -> dict[str, Any]:
    """Write txn_off/txn_data, offsets, the inc_* arrays and the degrees of the lake's ledger
    for the accounts of the relation `codes(account_id, code)`. Returns `transactions`, `rows`,
    `offsets` and the last transaction's `last_ts` and `last_txn_id` (None if there is none)."""
    counts = lake.ledger_counts(engine, codes, n_acc)
    offsets = np.zeros(n_acc + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    np.save(out / "offsets.npy", offsets, allow_pickle=False)
    n_txn = lake.transaction_count(engine)
    txn_off = _memmap(out, "txn_off", np.int64, n_txn + 1)
    txn_data = _GrowingArray(out / "txn_data.npy")
    txn_off[0] = 0
    # bucket b holds the accounts with codes in [starts[b], starts[b + 1])
    starts = np.unique(
        np.searchsorted(offsets[1:], np.arange(0, offsets[-1], BUCKET_ROWS), "right")
    )
    starts = np.append(starts[starts < n_acc], n_acc) if n_acc else np.zeros(1, dtype=np.int64)
    starts[0] = 0
    tmp = out / "buckets"
    tmp.mkdir(exist_ok=True)
    files = [(tmp / f"{b}.rows").open("wb") for b in range(len(starts) - 1)]
    row = base = 0
    last: tuple[int, str] | None = None
    try:
        for batch in lake.ledger_batches(engine, codes, channels, BATCH_ROWS):
            n = len(batch.ts)
            if row + n > n_txn:
                raise RuntimeError("the lake's transactions changed during the index build")
            o, d = variable_width(batch.txn_id)
            txn_off[row + 1 : row + n + 1] = o[1:] + base
            txn_data.append(d)
            cols = {"ts_us": batch.ts, "src": batch.src, "dst": batch.dst}
            rows = _rows(row, {**cols, "cents": batch.cents, "chan": batch.chan})
            bucket = np.searchsorted(starts, rows["code"], "right") - 1
            order = np.argsort(bucket, kind="stable")
            edges = np.searchsorted(bucket[order], np.arange(len(files) + 1))
            for b, fh in enumerate(files):
                if edges[b] < edges[b + 1]:
                    rows[order[edges[b] : edges[b + 1]]].tofile(fh)
            last = (int(batch.ts[-1]), str(batch.txn_id[n - 1].as_py()))
            row += n
            base += len(d)
    finally:
        for fh in files:
            fh.close()
        txn_data.close()
    if row != n_txn:
        raise RuntimeError("the lake's transactions changed during the index build")
    txn_off.flush()
    degree = _write_buckets(out, tmp, starts, offsets)
    tmp.rmdir()
    np.save(out / "acct_degree.npy", degree, allow_pickle=False)
    np.save(out / "degree_sorted.npy", np.sort(degree), allow_pickle=False)
    return {
        "transactions": n_txn,
        "rows": int(offsets[-1]),
        "offsets": offsets,
        "last_ts": last[0] if last else None,
        "last_txn_id": last[1] if last else None,
    }


def _rows(first_seq: int, cols: dict[str, npt.NDArray[Any]]) -> npt.NDArray[Any]:
    """A batch of transfers (in sequence order) as rows: one for the payer (-cents) and one
    for the payee (+cents) of each; a transfer to oneself changes nothing and has none."""
    src, dst = cols["src"].astype(np.int64), cols["dst"].astype(np.int64)
    keep = src != dst
    out = np.empty(2 * int(keep.sum()), dtype=ROW)
    cents = cols["cents"][keep].astype(np.int64)
    seq = first_seq + np.flatnonzero(keep)
    for name, payer, payee in (
        ("code", src[keep], dst[keep]),
        ("seq", seq, seq),
        ("ts", cols["ts_us"][keep], cols["ts_us"][keep]),
        ("amt", -cents, cents),
        ("cp", dst[keep], src[keep]),
        ("chan", cols["chan"][keep], cols["chan"][keep]),
    ):
        out[name][0::2], out[name][1::2] = payer, payee
    return out


def _write_buckets(
    out: Path, tmp: Path, starts: npt.NDArray[np.int64], offsets: npt.NDArray[np.int64]
) -> npt.NDArray[np.int32]:
    """Each bucket in (account, sequence) order into its slice of the `inc_*` arrays, with
    running balances; returns every account's degree."""
    n_rows = int(offsets[-1])
    inc = {k: _memmap(out, k, dt, n_rows) for k, dt in INCIDENCE.items()}
    degree = np.zeros(len(offsets) - 1, dtype=np.int32)
    for b in range(len(starts) - 1):
        path = tmp / f"{b}.rows"
        rows = np.fromfile(path, dtype=ROW)
        path.unlink()
        rows = rows[np.argsort(rows["code"], kind="stable")]  # stable: keeps sequence order
        lo, hi = int(offsets[starts[b]]), int(offsets[starts[b + 1]])
        code = rows["code"]
        for name in ("seq", "ts", "amt", "cp", "chan"):
            inc[f"inc_{name}"][lo:hi] = rows[name]
        inc["inc_bal"][lo:hi] = running(code, rows["amt"], -1, 0)
        accounts = np.arange(starts[b], starts[b + 1])
        degree[accounts] = _distinct_sorted(code - starts[b], rows["cp"], len(accounts))
        for arr in inc.values():
            arr.flush()
    return degree


def _distinct_sorted(
    code: npt.NDArray[np.int64], cp: npt.NDArray[np.int32], n: int
) -> npt.NDArray[np.int64]:
    """Distinct counterparties of codes 0..n-1 from their rows."""
    pairs = np.sort((code << 32) | cp.astype(np.int64))
    first = np.ones(len(pairs), dtype=bool)  # (np.unique hashes: many times slower)
    first[1:] = pairs[1:] != pairs[:-1]
    return np.bincount(pairs[first] >> 32, minlength=n)


def running(
    code: npt.NDArray[np.int64], amt: npt.NDArray[np.int64], prev_code: int, prev_bal: int
) -> npt.NDArray[np.int64]:
    """Running balance per account over rows sorted by account, continuing the last chunk."""
    cs = np.cumsum(amt)
    starts = np.flatnonzero(np.diff(code, prepend=prev_code)) if len(code) else np.zeros(0, int)
    base = np.zeros(len(code), dtype=np.int64)
    # the cumulative sum just before each account's first row in this chunk
    base[starts] = cs[starts] - amt[starts]
    idx = np.zeros(len(code), dtype=np.int64)
    idx[starts] = starts
    np.maximum.accumulate(idx, out=idx)
    result = cs - base[idx]
    if len(code) and (not len(starts) or starts[0] != 0):
        # the chunk opens inside the previous chunk's last account
        first = starts[0] if len(starts) else len(code)
        result[:first] = cs[:first] + prev_bal
    return result


def distinct_counterparties(
    offsets: npt.NDArray[np.int64], inc_cp: npt.NDArray[np.int32], codes: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """For each account in `codes` (sorted, distinct), how many distinct counterparties its
    rows have; a batch of accounts of about CHUNK_ROWS rows at a time."""
    out = np.zeros(len(codes), dtype=np.int64)
    lens = offsets[codes + 1] - offsets[codes]
    ends = np.cumsum(lens)
    lo = 0
    while lo < len(codes):
        hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo] - lens[lo]) + CHUNK_ROWS, "right")))
        batch, blens = codes[lo:hi], lens[lo:hi]
        starts = np.repeat(offsets[batch] - (np.cumsum(blens) - blens), blens)
        idx = starts + np.arange(int(blens.sum()), dtype=np.int64)
        group = np.repeat(np.arange(hi - lo, dtype=np.int64), blens)
        out[lo:hi] = _distinct_sorted(group, inc_cp[idx], hi - lo)
        lo = hi
    return out
