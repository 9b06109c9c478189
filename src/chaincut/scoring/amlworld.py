"""IBM AMLworld transaction files (Altman et al., NeurIPS 2023) into the interchange format.

AMLworld's CSV has the columns `Timestamp, From Bank, Account, To Bank, Account.1, Amount
Received, Receiving Currency, Amount Paid, Payment Currency, Payment Format, Is Laundering`.
Each row becomes a transaction seen from the payer: its amount is `Amount Paid` in `Payment
Currency` (as an ISO code), rounded to cents (at least 0.01: crypto amounts can be smaller);
the receiving side and the exact amount are kept as extra columns. An account is `bank:account`
(accounts are numbered per bank). Accounts that sent or received a laundering transaction are
labelled `laundering`, all others `normal`: AMLworld labels transactions, chaincut accounts.

    chaincut.scoring.amlworld.convert_amlworld("HI-Small_Trans.csv", "aml/")  # then import aml/
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from scipy.cluster.hierarchy import DisjointSet

COLUMNS: Final = (
    "Timestamp", "From Bank", "Account", "To Bank", "Account.1", "Amount Received",
    "Receiving Currency", "Amount Paid", "Payment Currency", "Payment Format", "Is Laundering",
)  # fmt: skip
CURRENCIES: Final[dict[str, str]] = {
    "US Dollar": "USD", "Euro": "EUR", "Yuan": "CNY", "Yen": "JPY", "UK Pound": "GBP",
    "Swiss Franc": "CHF", "Canadian Dollar": "CAD", "Australian Dollar": "AUD",
    "Mexican Peso": "MXN", "Ruble": "RUB", "Rupee": "INR", "Saudi Riyal": "SAR",
    "Shekel": "ILS", "Brazil Real": "BRL", "Bitcoin": "BTC",
}  # fmt: skip
CHANNELS: Final[dict[str, str]] = {
    "ACH": "transfer", "Wire": "transfer", "Cheque": "transfer", "Reinvestment": "transfer",
    "Credit Card": "payment", "Cash": "atm_withdrawal", "Bitcoin": "crypto_otc",
}  # fmt: skip
LAUNDERING: Final = "laundering"
#: the label of an account kept out of a figure (`chaincut.scoring.train.HELD_OUT`)
HELD_OUT: Final = "held_out"
MONEY: Final = pa.decimal128(18, 2)
#: how `read_amlworld` writes timestamps
TS_FORMAT: Final = "%Y-%m-%dT%H:%M:%S"


class AmlworldError(ValueError):
    """The file is not in AMLworld's transaction format."""


@dataclass(frozen=True)
class AmlworldSummary:
    transactions: int
    accounts: int
    laundering_transactions: int
    laundering_accounts: int
    files: tuple[str, ...]


def _account(bank: pa.Array, account: pa.Array) -> pa.Array:
    # banks are zero-padded in some AMLworld files and not in others
    bank = pc.utf8_ltrim(pc.utf8_trim_whitespace(bank), characters="0")
    bank = pc.if_else(pc.equal(bank, ""), "0", bank)
    return pc.binary_join_element_wise(bank, pc.utf8_trim_whitespace(account), ":")


def _parsed(text: pa.Array, parse: Callable[[str], object], kind: pa.DataType) -> pa.Array:
    """`text` parsed value by value, a value `parse` refuses left null: the importer then
    rejects its row with file, line and field, and keeps the others (a vectorised cast
    refused the whole file for one bad value)."""
    out = []
    for value in text.to_pylist():
        try:
            out.append(None if value is None else parse(value.strip()))
        except (ValueError, ArithmeticError):
            out.append(None)
    return pa.array(out, kind)


def _money(text: pa.Array) -> pa.Array:
    """Exact decimal text rounded half-even to cents, at least one cent (a value that is not
    a number: null)."""
    try:
        exact = pc.cast(pc.utf8_trim_whitespace(text), pa.decimal128(38, 8))
    except pa.ArrowInvalid:
        exact = _parsed(text, lambda v: Decimal(v).quantize(Decimal("1e-8")), pa.decimal128(38, 8))
    cents = pc.cast(pc.round(exact, 2, round_mode="half_to_even"), pa.decimal128(38, 2))
    cent = pa.scalar(Decimal("0.01"), pa.decimal128(38, 2))
    # (nulls kept: a bad amount was raised to one cent)
    return pc.cast(pc.max_element_wise(cents, cent, skip_nulls=False), MONEY)


def _iso(names: pa.Array) -> pa.Array:
    """ISO 4217 codes for AMLworld's currency names (unknown names kept as they are)."""
    return pa.array([CURRENCIES.get(n, n) for n in names.to_pylist()], pa.string())


def read_amlworld(path: Path | str) -> pa.Table:
    """The AMLworld CSV at `path` as interchange transactions (with extra columns
    `is_laundering`, `payment_format`, `amount_paid_exact`, `amount_received`,
    `receiving_currency`), in file order; `txn_id` is `AML` and the data row number."""
    options = pacsv.ConvertOptions(column_types=dict.fromkeys(COLUMNS, pa.string()))
    try:
        raw = pacsv.read_csv(str(path), convert_options=options)
    except (pa.ArrowInvalid, OSError) as error:
        raise AmlworldError(f"cannot read {path} as AMLworld CSV: {error}") from error
    missing = [c for c in COLUMNS if c not in raw.column_names]
    if missing:
        raise AmlworldError(f"{path} lacks AMLworld columns: {', '.join(missing)}")
    c = {name: raw.column(name).combine_chunks() for name in COLUMNS}
    n = raw.num_rows
    # (a time that is not one: null, its row rejected by the import)
    stamp = pc.strptime(c["Timestamp"], format="%Y/%m/%d %H:%M", unit="s", error_is_null=True)
    fmt = c["Payment Format"]
    return pa.table(
        {
            "txn_id": pa.array([f"AML{i + 1:09d}" for i in range(n)], pa.string()),
            "ts": pc.strftime(stamp, format=TS_FORMAT),
            "src_account": _account(c["From Bank"], c["Account"]),
            "dst_account": _account(c["To Bank"], c["Account.1"]),
            "amount": _money(c["Amount Paid"]),
            "currency": _iso(c["Payment Currency"]),
            "channel": pa.array([CHANNELS.get(f, "transfer") for f in fmt.to_pylist()]),
            "is_laundering": pc.equal(pc.utf8_trim_whitespace(c["Is Laundering"]), "1"),
            "payment_format": fmt,
            "amount_paid_exact": c["Amount Paid"],
            "amount_received": c["Amount Received"],
            "receiving_currency": _iso(c["Receiving Currency"]),
        }
    )


def account_labels(transactions: pa.Table) -> pa.Table:
    """`laundering` for every account on either side of a laundering transaction, else `normal`."""
    src, dst = transactions.column("src_account"), transactions.column("dst_account")
    bad = transactions.column("is_laundering")
    everyone = pc.unique(pa.chunked_array(src.chunks + dst.chunks, pa.string()))
    # (typed: a file without a laundering transaction has no chunk here, and failed)
    dirty = pc.unique(pa.chunked_array(pc.filter(src, bad).chunks + pc.filter(dst, bad).chunks,
                                       pa.string()))  # fmt: skip
    label = pc.if_else(pc.is_in(everyone, dirty), LAUNDERING, "normal")
    order = pc.sort_indices(everyone)
    return pa.table(
        {
            "entity_id": pc.take(everyone, order),
            "entity_kind": pa.array(["account"] * len(everyone)),
            "label": pc.take(label, order),
        }
    )


def attempt_halves(transactions: pa.Table) -> dict[str, int]:
    """Every account of `transactions` (as `read_amlworld` gives them) in half 0 or 1 of a
    split that keeps each laundering attempt whole: an account on a laundering transaction goes
    with the attempt it belongs to (the connected component of laundering transactions through
    it, named by its smallest account id), every other account by itself; the half is a CRC-32
    hash of that name, so the split is fixed by the data alone. A model trained on one half's
    labels never saw an account of an attempt the other half is judged on."""
    src = transactions.column("src_account").to_pylist()
    dst = transactions.column("dst_account").to_pylist()
    bad = transactions.column("is_laundering").to_pylist()
    attempts: DisjointSet[str] = DisjointSet()
    for s, d, b in zip(src, dst, bad, strict=True):
        if b:
            attempts.add(s)
            attempts.add(d)
            attempts.merge(s, d)
    names: Mapping[str, str] = {a: min(part) for part in attempts.subsets() for a in part}
    return {a: zlib.crc32(names.get(a, a).encode()) % 2 for a in sorted({*src, *dst})}


def convert_amlworld(
    path: Path | str,
    out_dir: Path | str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    trained_half: int | None = None,
) -> AmlworldSummary:
    """Write `transactions.csv`, `accounts.csv` and `labels.csv` for the AMLworld file `path`
    into `out_dir`, ready for `chaincut import`: the transactions at or after `since` and
    before `until` (all without them), labels from those transactions only. With
    `trained_half`, the accounts of that half (`attempt_halves`) are labelled `held_out`: the
    shipped model learnt from half 0 of the public sample, so it is judged on half 1 only."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    txns = read_amlworld(path)
    # `ts` is ISO text, which sorts as time does
    if since is not None:
        txns = txns.filter(pc.greater_equal(txns.column("ts"), since.strftime(TS_FORMAT)))
    if until is not None:
        txns = txns.filter(pc.less(txns.column("ts"), until.strftime(TS_FORMAT)))
    labels = account_labels(txns)
    if trained_half is not None:
        halves = attempt_halves(txns)
        trained = [halves[a] == trained_half for a in labels.column("entity_id").to_pylist()]
        labels = labels.set_column(
            2, "label", pc.if_else(pa.array(trained), HELD_OUT, labels.column("label"))
        )
    ids = labels.column("entity_id")
    banks = pc.list_element(pc.split_pattern(ids, ":", max_splits=1), 0)
    accounts = pa.table({"account_id": ids, "institution": banks})
    files = {
        "transactions.csv": txns,
        "accounts.csv": accounts,
        "labels.csv": labels,
    }
    for name, table in files.items():
        pacsv.write_csv(table, out / name)
    return AmlworldSummary(
        transactions=txns.num_rows,
        accounts=labels.num_rows,
        laundering_transactions=int(pc.sum(txns.column("is_laundering")).as_py() or 0),
        laundering_accounts=int(pc.sum(pc.equal(labels.column("label"), LAUNDERING)).as_py() or 0),
        files=tuple(sorted(files)),
    )
