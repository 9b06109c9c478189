"""The ledger part of the trace index, written in one streamed pass over the transactions.

DuckDB sorts the transactions once by (ts, txn_id), with their account codes; each batch is then
written where it belongs: the txn ids appended in sequence order, and each transfer's two rows
(payer and payee) scattered into their accounts' slices of the `inc_*` arrays, whose sizes are
counted first, so each account's rows stay in sequence order. Running balances and degrees are
computed afterwards from the arrays, a chunk at a time. Memory stays bounded at any ledger
size, and the only temporary data is DuckDB's sort (no copy of the ledger in temporary tables).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from chaincut.trace.textarray import variable_width

BATCH_ROWS = 1 << 20
#: rows handled per step by the passes over the arrays
CHUNK_ROWS = 1 << 22
#: the per-account rows of the ledger: array name -> dtype
INCIDENCE: dict[str, type[np.generic]] = {
    "inc_ts": np.int64,
    "inc_seq": np.int64,
    "inc_amt": np.int64,
    "inc_cp": np.int32,
    "inc_bal": np.int64,
    "inc_chan": np.int8,
}

_COUNTS_SQL = """
SELECT a.code, x.n FROM (
    SELECT account_id, count(*) AS n FROM (
        SELECT src_account AS account_id FROM {lake}.transactions WHERE src_account <> dst_account
        UNION ALL
        SELECT dst_account FROM {lake}.transactions WHERE src_account <> dst_account)
    GROUP BY account_id) x
JOIN trace_acc a USING (account_id)
"""
_STREAM_SQL = """
SELECT t.txn_id, epoch_us(t.ts) AS ts_us, s.code AS src, d.code AS dst,
       CAST(t.amount * 100 AS BIGINT) AS cents,
       (list_position(?, coalesce(t.channel, '')) - 1)::TINYINT AS chan
FROM {lake}.transactions t
JOIN trace_acc s ON s.account_id = t.src_account
JOIN trace_acc d ON d.account_id = t.dst_account
ORDER BY t.ts, t.txn_id
"""


def _memmap(out: Path, name: str, dtype: Any, n: int) -> np.memmap[Any, Any]:
    arr: np.memmap[Any, Any] = np.lib.format.open_memmap(
        out / f"{name}.npy", mode="w+", dtype=dtype, shape=(n,)
    )
    return arr


def write_ledger(
    con: duckdb.DuckDBPyConnection, out: Path, lake: str, n_acc: int, channels: list[str]
) -> dict[str, Any]:
    """Write txn_off/txn_data, offsets, the inc_* arrays and the degrees of the lake's ledger
    for the accounts of `trace_acc(account_id, code)` on `con`. Returns `transactions`, `rows`
    and the last transaction's `last_ts` and `last_txn_id` (None if there is none)."""
    counts = np.zeros(n_acc, dtype=np.int64)
    per = con.sql(_COUNTS_SQL.format(lake=lake)).fetchnumpy()
    counts[per["code"].astype(np.int64)] = per["n"]
    offsets = np.zeros(n_acc + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    np.save(out / "offsets.npy", offsets, allow_pickle=False)
    n_rows = int(offsets[-1])
    n_txn, size = con.execute(
        f"SELECT count(*), coalesce(sum(octet_length(encode(txn_id))), 0) FROM {lake}.transactions"
    ).fetchall()[0]
    txn_off = _memmap(out, "txn_off", np.int64, int(n_txn) + 1)
    txn_data = _memmap(out, "txn_data", np.uint8, int(size))
    inc = {k: _memmap(out, k, dt, n_rows) for k, dt in INCIDENCE.items()}
    fill = np.zeros(n_acc, dtype=np.int64)
    row = base = 0
    last: tuple[int, str] | None = None
    stream = con.sql(_STREAM_SQL.format(lake=lake), params=[channels])
    for batch in stream.to_arrow_reader(BATCH_ROWS):
        n = batch.num_rows
        if not n:
            continue
        o, d = variable_width(batch.column("txn_id"))
        txn_off[row + 1 : row + n + 1] = o[1:] + base
        txn_data[base : base + len(d)] = d
        cols = {k: batch.column(k).to_numpy() for k in ("ts_us", "src", "dst", "cents", "chan")}
        _scatter(inc, offsets, fill, row, cols)
        last = (int(cols["ts_us"][-1]), str(batch.column("txn_id")[n - 1].as_py()))
        row += n
        base += len(d)
    txn_off[0] = 0
    _balances(offsets, inc["inc_amt"], inc["inc_bal"])
    for arr in (txn_off, txn_data, *inc.values()):
        arr.flush()
    has_rows = np.flatnonzero(counts)
    degree = np.zeros(n_acc, dtype=np.int32)
    degree[has_rows] = distinct_counterparties(offsets, inc["inc_cp"], has_rows)
    np.save(out / "acct_degree.npy", degree, allow_pickle=False)
    np.save(out / "degree_sorted.npy", np.sort(degree), allow_pickle=False)
    return {
        "transactions": int(n_txn),
        "rows": n_rows,
        "offsets": offsets,
        "last_ts": last[0] if last else None,
        "last_txn_id": last[1] if last else None,
    }


def _scatter(
    inc: dict[str, np.memmap[Any, Any]],
    offsets: npt.NDArray[np.int64],
    fill: npt.NDArray[np.int64],
    first_seq: int,
    cols: dict[str, npt.NDArray[Any]],
) -> None:
    """Put a batch of transfers (in sequence order) into their accounts' slices: each transfer
    gives a row to its payer (-cents) and one to its payee (+cents)."""
    src, dst = cols["src"].astype(np.int64), cols["dst"].astype(np.int64)
    keep = src != dst  # a transfer to oneself changes nothing
    seq = first_seq + np.flatnonzero(keep)
    src, dst = src[keep], dst[keep]
    cents = cols["cents"][keep].astype(np.int64)

    def pairs(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> npt.NDArray[Any]:
        out = np.empty(2 * len(a), dtype=a.dtype)
        out[0::2], out[1::2] = a, b
        return out

    code = pairs(src, dst)
    values = {
        "inc_seq": pairs(seq, seq),
        "inc_ts": pairs(cols["ts_us"][keep], cols["ts_us"][keep]),
        "inc_amt": pairs(-cents, cents),
        "inc_cp": pairs(dst, src),
        "inc_chan": pairs(cols["chan"][keep], cols["chan"][keep]),
    }
    order = np.argsort(code, kind="stable")  # per account, still in sequence order
    code = code[order]
    starts = np.flatnonzero(np.diff(code, prepend=-1))
    sizes = np.diff(np.append(starts, len(code)))
    rank = np.arange(len(code)) - np.repeat(starts, sizes)
    where = offsets[code] + fill[code] + rank
    fill[code[starts]] += sizes
    for name, v in values.items():
        inc[name][where] = v[order]


def _balances(
    offsets: npt.NDArray[np.int64], amt: npt.NDArray[np.int64], bal: npt.NDArray[np.int64]
) -> None:
    """The running balance after each row, per account (opening at zero)."""
    prev_code, prev_bal = -1, 0
    total = len(amt)
    for lo in range(0, total, CHUNK_ROWS):
        hi = min(total, lo + CHUNK_ROWS)
        code = np.searchsorted(offsets, np.arange(lo, hi), side="right") - 1
        part = np.asarray(amt[lo:hi], dtype=np.int64)
        bal[lo:hi] = running(code, part, prev_code, prev_bal)
        prev_code, prev_bal = int(code[-1]), int(bal[hi - 1])


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
        pairs = np.sort((group << 32) | inc_cp[idx].astype(np.int64))
        first = np.ones(len(pairs), dtype=bool)  # (np.unique hashes: many times slower)
        first[1:] = pairs[1:] != pairs[:-1]
        out[lo:hi] = np.bincount(pairs[first] >> 32, minlength=hi - lo)
        lo = hi
    return out
