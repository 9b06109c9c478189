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

Transfers from an account to itself are left out (they change nothing). The build streams the
sorted rows from DuckDB in batches, so memory stays bounded at any ledger size. `meta.json`
also records the last transaction in (ts, txn_id) order, from which `chaincut.trace.index_extend`
extends the index after an import that only appended transactions; the account facts
(`write_accounts`) and reports (`write_reports`) are written by the same code on both paths.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from chaincut.trace.model import INDEX_FORMAT, NO_TIME
from chaincut.trace.textarray import fixed_width, variable_width

FORMAT_VERSION = INDEX_FORMAT
BATCH_ROWS = 1 << 20
#: the per-account rows of the ledger: array name -> dtype
INCIDENCE: dict[str, type[np.generic]] = {
    "inc_ts": np.int64,
    "inc_seq": np.int64,
    "inc_amt": np.int64,
    "inc_cp": np.int32,
    "inc_bal": np.int64,
    "inc_chan": np.int8,
}

_ACCOUNTS_SQL = """
CREATE OR REPLACE TEMP TABLE trace_acc AS
SELECT account_id, (row_number() OVER (ORDER BY account_id) - 1)::INTEGER AS code FROM (
    SELECT src_account AS account_id FROM {lake}.transactions
    UNION SELECT dst_account FROM {lake}.transactions
    UNION SELECT account_id FROM {lake}.accounts)
"""
_TXNS_SQL = """
CREATE OR REPLACE TEMP TABLE trace_tx AS
SELECT (row_number() OVER (ORDER BY t.ts, t.txn_id) - 1)::BIGINT AS seq, t.txn_id,
       epoch_us(t.ts) AS ts_us, s.code AS src, d.code AS dst,
       CAST(t.amount * 100 AS BIGINT) AS cents, coalesce(t.channel, '') AS channel
FROM {lake}.transactions t
JOIN trace_acc s ON s.account_id = t.src_account
JOIN trace_acc d ON d.account_id = t.dst_account
"""
_INC_SQL = """
SELECT code, seq, ts_us, amt, cp, chan FROM (
    SELECT src AS code, seq, ts_us, -cents AS amt, dst AS cp, chan FROM trace_tx2 WHERE src <> dst
    UNION ALL
    SELECT dst AS code, seq, ts_us, cents AS amt, src AS cp, chan FROM trace_tx2 WHERE src <> dst)
ORDER BY code, seq
"""


def _save(out: Path, name: str, arr: npt.NDArray[Any]) -> None:
    np.save(out / f"{name}.npy", arr, allow_pickle=False)


def _codes(values: list[str | None]) -> tuple[list[str], npt.NDArray[np.int32]]:
    vocab = sorted({v for v in values if v})
    pos = {v: i for i, v in enumerate(vocab)}
    return vocab, np.array([pos.get(v, -1) if v else -1 for v in values], dtype=np.int32)


def build_index(con: duckdb.DuckDBPyConnection, out: Path, *, lake: str = "main") -> dict[str, Any]:
    """Write the trace index of the lake reachable as schema `lake` on `con` into `out`.

    Returns the index's metadata (also written to `out/meta.json`, last, so a folder with a
    meta.json is complete).
    """
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    con.execute(_ACCOUNTS_SQL.format(lake=lake))
    con.execute(_TXNS_SQL.format(lake=lake))
    channels = [
        r[0] for r in con.execute("SELECT DISTINCT channel FROM trace_tx ORDER BY 1").fetchall()
    ]
    con.execute(
        "CREATE OR REPLACE TEMP TABLE trace_tx2 AS SELECT t.*, "
        "(list_position(?, t.channel) - 1)::TINYINT AS chan FROM trace_tx t",
        [channels],
    )
    meta: dict[str, Any] = {"format": FORMAT_VERSION, "channels": channels}
    n_acc = int(con.execute("SELECT count(*) FROM trace_acc").fetchall()[0][0])
    n_txn = _write_txn_ids(con, out)
    offsets, n_rows = _write_incidence(con, out, n_acc)
    _write_degrees(con, out, n_acc)
    inc_ts = np.load(out / "inc_ts.npy", mmap_mode="r")
    write_accounts(con, out, lake, meta, first_ts(offsets, inc_ts))
    n_rep = write_reports(con, out, lake, channels)
    last = con.execute("SELECT ts_us, txn_id FROM trace_tx ORDER BY seq DESC LIMIT 1").fetchall()
    for t in ("trace_tx2", "trace_tx", "trace_acc"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    meta.update(
        accounts=n_acc,
        transactions=n_txn,
        rows=n_rows,
        reports=n_rep,
        last_ts=int(last[0][0]) if last else None,
        last_txn_id=str(last[0][1]) if last else None,
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


def write_accounts(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    lake: str,
    meta: dict[str, Any],
    first: npt.NDArray[np.int64],
) -> int:
    """The account arrays for the ids of the relation `trace_acc(account_id, code)` on `con`
    (codes 0..n-1 in id order), from the lake's accounts and persons; `first` is each code's
    first transaction time."""
    rows = con.sql(
        f"""SELECT c.account_id, a.kind, a.institution, a.country,
            epoch_us(a.opened_at) AS opened,
            CASE WHEN a.holder_id IS NULL OR NOT EXISTS (SELECT 1 FROM {lake}.persons) THEN -1
                 WHEN a.holder_id IN (SELECT person_id FROM {lake}.persons) THEN 0
                 ELSE 1 END AS org
        FROM trace_acc c LEFT JOIN (SELECT account_id, any_value(kind) AS kind,
            any_value(institution) AS institution, any_value(country) AS country,
            min(opened_at) AS opened_at, any_value(holder_id) AS holder_id
            FROM {lake}.accounts GROUP BY account_id) a USING (account_id)
        ORDER BY c.code"""
    ).to_arrow_table()
    ids = fixed_width(rows.column("account_id").combine_chunks())
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        raise RuntimeError("account ids are not in byte order; cannot build the trace index")
    _save(out, "acct_ids", ids)
    opened = rows.column("opened").fill_null(NO_TIME).to_numpy().astype(np.int64)
    # the earlier of the opening date and the first transaction, whichever is known
    since = np.where(
        opened == NO_TIME, first, np.where(first == NO_TIME, opened, np.minimum(opened, first))
    )
    _save(out, "acct_since", since)
    _save(out, "acct_org", rows.column("org").to_numpy().astype(np.int8))
    for col, dtype in (("kind", np.int8), ("institution", np.int32), ("country", np.int16)):
        vocab, codes = _codes(rows.column(col).to_pylist())
        meta[f"{col}_vocab"] = vocab
        _save(out, f"acct_{col[:7] if col != 'institution' else 'inst'}", codes.astype(dtype))
    return len(ids)


def _write_txn_ids(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    reader = con.sql("SELECT txn_id FROM trace_tx ORDER BY seq").to_arrow_reader(BATCH_ROWS)
    offs: list[npt.NDArray[np.int64]] = [np.zeros(1, dtype=np.int64)]
    data: list[npt.NDArray[np.uint8]] = []
    base = 0
    for batch in reader:
        o, d = variable_width(batch.column(0))
        offs.append(o[1:] + base)
        data.append(d)
        base += int(o[-1])
    _save(out, "txn_off", np.concatenate(offs))
    _save(out, "txn_data", np.concatenate(data) if data else np.zeros(0, dtype=np.uint8))
    return sum(len(o) for o in offs) - 1


def _write_incidence(
    con: duckdb.DuckDBPyConnection, out: Path, n_acc: int
) -> tuple[npt.NDArray[np.int64], int]:
    n = int(con.execute("SELECT count(*) FROM trace_tx2 WHERE src <> dst").fetchall()[0][0]) * 2
    arrs = {
        k: np.lib.format.open_memmap(out / f"{k}.npy", mode="w+", dtype=dt, shape=(n,))
        for k, dt in INCIDENCE.items()
    }
    counts = np.zeros(n_acc, dtype=np.int64)
    pos = 0
    prev_code, prev_bal = -1, 0
    for batch in con.sql(_INC_SQL).to_arrow_reader(BATCH_ROWS):
        code = batch.column("code").to_numpy().astype(np.int64)
        amt = batch.column("amt").to_numpy().astype(np.int64)
        m = len(code)
        sl = slice(pos, pos + m)
        arrs["inc_seq"][sl] = batch.column("seq").to_numpy()
        arrs["inc_ts"][sl] = batch.column("ts_us").to_numpy()
        arrs["inc_amt"][sl] = amt
        arrs["inc_cp"][sl] = batch.column("cp").to_numpy()
        arrs["inc_chan"][sl] = batch.column("chan").to_numpy()
        arrs["inc_bal"][sl] = _running(code, amt, prev_code, prev_bal)
        counts += np.bincount(code, minlength=n_acc)
        prev_code, prev_bal = int(code[-1]), int(arrs["inc_bal"][pos + m - 1])
        pos += m
    for a in arrs.values():
        a.flush()
    offsets = np.zeros(n_acc + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    _save(out, "offsets", offsets)
    return offsets, n


def _running(
    code: npt.NDArray[np.int64], amt: npt.NDArray[np.int64], prev_code: int, prev_bal: int
) -> npt.NDArray[np.int64]:
    """Running balance per account over rows sorted by account, continuing the last batch."""
    cs = np.cumsum(amt)
    starts = np.flatnonzero(np.diff(code, prepend=prev_code)) if len(code) else np.zeros(0, int)
    base = np.zeros(len(code), dtype=np.int64)
    # the cumulative sum just before each account's first row in this batch
    base[starts] = cs[starts] - amt[starts]
    idx = np.zeros(len(code), dtype=np.int64)
    idx[starts] = starts
    np.maximum.accumulate(idx, out=idx)
    running = cs - base[idx]
    if len(code) and (not len(starts) or starts[0] != 0):
        # the batch opens inside the previous batch's last account
        first = starts[0] if len(starts) else len(code)
        running[:first] = cs[:first] + prev_bal
    return running


def _write_degrees(con: duckdb.DuckDBPyConnection, out: Path, n_acc: int) -> None:
    rows = con.execute(
        """SELECT code, count(DISTINCT cp) FROM (
            SELECT src AS code, dst AS cp FROM trace_tx WHERE src <> dst
            UNION ALL SELECT dst, src FROM trace_tx WHERE src <> dst) GROUP BY code"""
    ).fetchnumpy()
    degree = np.zeros(n_acc, dtype=np.int32)
    degree[rows["code"].astype(np.int64)] = rows["count(DISTINCT cp)"]
    _save(out, "acct_degree", degree)
    _save(out, "degree_sorted", np.sort(degree))


def write_reports(con: duckdb.DuckDBPyConnection, out: Path, lake: str, channels: list[str]) -> int:
    """The report arrays: reports sorted by id, each with its fraud transfers looked up in the
    lake's transactions (`fraud_ok` false: not in the ledger); `channels` is the channel
    vocabulary of the index."""
    reps = con.execute(
        f"""SELECT report_id, epoch_us(any_value(ts)) AS ts,
        any_value(victim_account) AS victim, any_value(fraud_txn_ids) AS fraud
        FROM {lake}.reports GROUP BY report_id ORDER BY report_id"""
    ).fetchall()
    fraud = con.execute(
        f"""SELECT t.txn_id, epoch_us(t.ts), t.src_account, t.dst_account,
        CAST(t.amount * 100 AS BIGINT), coalesce(t.channel, '')
        FROM {lake}.transactions t
        WHERE t.txn_id IN (SELECT unnest(fraud_txn_ids) FROM {lake}.reports)"""
    ).fetchall()
    chan = {c: i for i, c in enumerate(channels)}
    found = {r[0]: (*r[1:5], chan[r[5]]) for r in fraud}
    cols: dict[str, list[Any]] = {k: [] for k in ("id", "ts", "src", "dst", "cents", "chan", "ok")}
    ids: list[str] = []
    rep_ts: list[int] = []
    rep_victim: list[str] = []
    rep_off = [0]
    for report_id, ts, victim, fraud_ids in reps:
        ids.append(report_id)
        rep_ts.append(ts)
        rep_victim.append(victim or "")
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
    _save(out, "rep_ts", np.array(rep_ts, dtype=np.int64))
    _save(out, "rep_off", np.array(rep_off, dtype=np.int64))
    _save(out, "fraud_ts", np.array(cols["ts"], dtype=np.int64))
    _save(out, "fraud_cents", np.array(cols["cents"], dtype=np.int64))
    _save(out, "fraud_chan", np.array(cols["chan"], dtype=np.int8))
    _save(out, "fraud_ok", np.array(cols["ok"], dtype=np.bool_))
    return len(ids)
