"""`TraceIndex`: the on-disk trace index, memory-mapped, answering the kernel's look-ups.

Opening maps the arrays (no reading); an account look-up is one binary search in the sorted
account ids, then slices of its rows. See `chaincut.trace.index.build` for the layout.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from chaincut.trace.ledger import Loaded, activity_of, busy_threshold
from chaincut.trace.model import NO_TIME, AccountInfo, Activity, EventKey, Micros, ReportInfo, Txn

_ARRAYS = [
    "acct_ids",
    "acct_kind",
    "acct_inst",
    "acct_country",
    "acct_degree",
    "acct_since",
    "acct_org",
    "offsets",
    "inc_ts",
    "inc_seq",
    "inc_amt",
    "inc_cp",
    "inc_bal",
    "inc_chan",
    "txn_off",
    "txn_data",
    "rep_ids",
    "rep_victim",
    "rep_ts",
    "rep_off",
    "fraud_ids",
    "fraud_src",
    "fraud_dst",
    "fraud_ts",
    "fraud_cents",
    "fraud_chan",
    "fraud_ok",
]


class _Arrays(dict[str, npt.NDArray[Any]]):
    """The index's arrays, memory-mapped on first use as plain ndarrays (indexing a
    `np.memmap` is several times slower than indexing an ndarray over the same map)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def __missing__(self, name: str) -> npt.NDArray[Any]:
        mapped = np.load(self.path / f"{name}.npy", mmap_mode="r")
        arr: npt.NDArray[Any] = mapped.view(np.ndarray) if isinstance(mapped, np.memmap) else mapped
        self[name] = arr
        return arr


class TraceIndex:
    """A read-only trace index folder; implements the `Ledger` protocol."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.meta: dict[str, Any] = json.loads((path / "meta.json").read_text())
        self._a = _Arrays(path)
        self._codes: dict[str, int] = {}
        self._infos: dict[str, AccountInfo] = {}
        self._chan: list[str | None] = [c or None for c in self.meta["channels"]]
        self._kinds: list[str] = self.meta["kind_vocab"]
        self._insts: list[str] = self.meta["institution_vocab"]
        self._countries: list[str] = self.meta["country_vocab"]

    # -- look-ups -----------------------------------------------------------------------------
    def code(self, account_id: str) -> int:
        """The account's code, or -1 if the index has never seen it."""
        code = self._codes.get(account_id)
        if code is None:
            ids = self._a["acct_ids"]
            key = account_id.encode()
            pos = int(ids.searchsorted(key)) if len(key) <= ids.dtype.itemsize else len(ids)
            code = pos if pos < len(ids) and ids[pos] == key else -1
            self._codes[account_id] = code
        return code

    def account_id(self, code: int) -> str:
        return bytes(self._a["acct_ids"][code]).decode()

    def txn_id(self, seq: int) -> str:
        off = self._a["txn_off"]
        return bytes(self._a["txn_data"][off[seq] : off[seq + 1]]).decode()

    def _rows(self, code: int) -> tuple[int, int]:
        off = self._a["offsets"]
        return int(off[code]), int(off[code + 1])

    def _position(self, lo: int, hi: int, key: EventKey) -> int:
        """First row in [lo, hi) whose (ts, txn_id) is >= key."""
        ts, txn_id = key
        ts_rows = self._a["inc_ts"][lo:hi]
        left = int(ts_rows.searchsorted(ts, "left"))
        right = int(ts_rows.searchsorted(ts, "right"))
        seqs = self._a["inc_seq"]
        while left < right and self.txn_id(int(seqs[lo + left])) < txn_id:
            left += 1
        return lo + left

    def _after_ts(self, lo: int, hi: int, ts: Micros) -> int:
        return lo + int(self._a["inc_ts"][lo:hi].searchsorted(ts, "right"))

    def _balance_before(self, lo: int, pos: int) -> int:
        return int(self._a["inc_bal"][pos - 1]) if pos > lo else 0

    # -- the Ledger protocol ------------------------------------------------------------------
    def account(self, account_id: str) -> AccountInfo:
        info = self._infos.get(account_id)
        if info is None:
            info = self._infos[account_id] = self._account(account_id)
        return info

    def _account(self, account_id: str) -> AccountInfo:
        code = self.code(account_id)
        if code < 0:
            return AccountInfo(account_id)
        a = self._a
        kind, inst, country = (
            int(a["acct_kind"][code]),
            int(a["acct_inst"][code]),
            int(a["acct_country"][code]),
        )
        return AccountInfo(
            account_id,
            kind=self._kinds[kind] if kind >= 0 else None,
            institution=self._insts[inst] if inst >= 0 else None,
            country=self._countries[country] if country >= 0 else None,
            degree=int(a["acct_degree"][code]),
            since=int(a["acct_since"][code]) if a["acct_since"][code] != NO_TIME else None,
            org=bool(a["acct_org"][code]) if a["acct_org"][code] >= 0 else None,
        )

    def load(self, account_id: str, after: EventKey, until_ts: Micros) -> Loaded:
        code = self.code(account_id)
        if code < 0:
            return Loaded(0, [])
        lo, hi = self._rows(code)
        pos = self._position(lo, hi, after)
        opening = self._balance_before(lo, pos)
        end = self._after_ts(lo, hi, until_ts)
        seqs = self._a["inc_seq"]
        if pos < end and self.txn_id(int(seqs[pos])) == after[1]:
            pos += 1
        return Loaded(opening, self._events(account_id, pos, end))

    def _events(self, account_id: str, start: int, end: int) -> list[Txn]:
        if start >= end:
            return []
        a = self._a
        ts = a["inc_ts"][start:end].tolist()
        seq = a["inc_seq"][start:end].tolist()
        amt = a["inc_amt"][start:end].tolist()
        chan = a["inc_chan"][start:end].tolist()
        cps = [bytes(x).decode() for x in a["acct_ids"][a["inc_cp"][start:end]].tolist()]
        names = self._chan
        out: list[Txn] = []
        for t, s, m, c, cp in zip(ts, seq, amt, chan, cps, strict=True):
            tid = self.txn_id(s)
            if m < 0:
                out.append(Txn(t, tid, account_id, cp, -m, names[c] if c >= 0 else None))
            else:
                out.append(Txn(t, tid, cp, account_id, m, names[c] if c >= 0 else None))
        return out

    def activity(self, account_id: str, since_ts: Micros, before: EventKey) -> Activity:
        code = self.code(account_id)
        if code < 0:
            return Activity(0, 0)
        lo, hi = self._rows(code)
        start = lo + int(np.searchsorted(self._a["inc_ts"][lo:hi], since_ts, "left"))
        stop = self._position(lo, hi, before)
        a = self._a
        return activity_of(
            since_ts,
            before[0],
            self._balance_before(lo, start),
            a["inc_ts"][start:stop].tolist(),
            a["inc_bal"][start:stop].tolist(),
            a["inc_amt"][start:stop].tolist(),
        )

    def balance_at(self, account_id: str, ts: Micros) -> int:
        code = self.code(account_id)
        if code < 0:
            return 0
        lo, hi = self._rows(code)
        return self._balance_before(lo, self._after_ts(lo, hi, ts))

    def outflows(
        self, account_id: str, after: EventKey, until_ts: Micros, lo: int, hi: int
    ) -> list[Txn]:
        code = self.code(account_id)
        if code < 0:
            return []
        lo_row, hi_row = self._rows(code)
        start = self._position(lo_row, hi_row, after)
        end = self._after_ts(lo_row, hi_row, until_ts)
        if start >= end:
            return []
        amt = self._a["inc_amt"][start:end]
        hits = np.flatnonzero((amt <= -lo) & (amt >= -hi))
        out: list[Txn] = []
        for i in hits.tolist():
            out += self._events(account_id, start + i, start + i + 1)
        return [t for t in out if t.key > after]

    def busy_threshold(self, quantile: float, factor: float, floor: int) -> int:
        return busy_threshold(self._degrees, quantile, factor, floor)

    def paid(self, payer: str, payee: str, since_ts: Micros, before: EventKey) -> int:
        code, other = self.code(payer), self.code(payee)
        if code < 0 or other < 0:
            return 0
        lo, hi = self._rows(code)
        start = lo + int(np.searchsorted(self._a["inc_ts"][lo:hi], since_ts, "left"))
        stop = self._position(lo, hi, before)
        amt = self._a["inc_amt"][start:stop]
        hits = (amt < 0) & (self._a["inc_cp"][start:stop] == other)
        return -int(amt[hits].sum())

    def reported_victim(self, account_id: str, until_ts: Micros) -> bool:
        victims, first = self._victims
        key = account_id.encode()
        if not key or len(key) > victims.dtype.itemsize:
            return False
        pos = int(victims.searchsorted(key))
        return pos < len(victims) and victims[pos] == key and int(first[pos]) <= until_ts

    @cached_property
    def _victims(self) -> tuple[npt.NDArray[np.bytes_], npt.NDArray[np.int64]]:
        """Victim accounts sorted, each with the time of its earliest report."""
        accounts, ts = self._a["rep_victim"], self._a["rep_ts"]
        order = np.lexsort((ts, accounts))
        accounts, ts = accounts[order], ts[order]
        first = np.ones(len(accounts), dtype=bool)
        first[1:] = accounts[1:] != accounts[:-1]
        keep = first & (accounts != b"")
        return accounts[keep], ts[keep]

    @cached_property
    def _degrees(self) -> npt.NDArray[np.int32]:
        degrees: npt.NDArray[np.int32] = np.load(self.path / "degree_sorted.npy", mmap_mode="r")
        return degrees

    def report_ids(self) -> list[str]:
        """All report ids, sorted."""
        return [bytes(x).decode() for x in self._a["rep_ids"].tolist()]

    def report(self, report_id: str) -> ReportInfo:
        a = self._a
        ids = a["rep_ids"]
        key = report_id.encode()
        pos = int(np.searchsorted(ids, key)) if len(key) <= ids.dtype.itemsize else len(ids)
        if pos >= len(ids) or ids[pos] != key:
            raise KeyError(report_id)
        lo, hi = int(a["rep_off"][pos]), int(a["rep_off"][pos + 1])
        txns: list[Txn] = []
        missing: list[str] = []
        for i in range(lo, hi):
            tid = bytes(a["fraud_ids"][i]).decode()
            if not a["fraud_ok"][i]:
                missing.append(tid)
                continue
            c = int(a["fraud_chan"][i])
            txns.append(
                Txn(
                    int(a["fraud_ts"][i]),
                    tid,
                    bytes(a["fraud_src"][i]).decode(),
                    bytes(a["fraud_dst"][i]).decode(),
                    int(a["fraud_cents"][i]),
                    self._chan[c] if c >= 0 else None,
                )
            )
        txns.sort(key=lambda t: t.key)
        return ReportInfo(
            report_id,
            int(a["rep_ts"][pos]),
            bytes(a["rep_victim"][pos]).decode(),
            tuple(txns),
            tuple(missing),
        )
