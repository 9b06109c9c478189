"""`chaincut import`: a folder of interchange tables into the lake, atomically and idempotently.

One import is one DuckDB transaction: a crash or a kill at any point leaves the lake exactly as
it was. Each file is read and checked column by column in one query (`validate.py`),
de-duplicated on its key against itself and the lake, and appended (`merge.py`). Rows that break
the format are recorded in the `rejects` table (inside the same transaction) and, once
committed, in `HOME/rejects/<import_id>.csv`.

Event tables (transactions, calls, messages) and reports are immutable: a row whose key was
already imported with other values is rejected. Reference tables (accounts, persons, labels) take
the newer values.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from chaincut.ingest.check import Refused, import_file
from chaincut.ingest.merge import TableCounts, first_row
from chaincut.ingest.phones import define_macro, upgrade_lake
from chaincut.ingest.reader import (
    Opened,
    Reject,
    open_source,
    stage_with_python,
)
from chaincut.ingest.source import SourceFile, discover
from chaincut.lake.catalog import bump_generation, connect
from chaincut.model.schema import TABLE_ORDER
from chaincut.settings import Settings

log = logging.getLogger(__name__)

#: called with each file just imported, inside the import's transaction; None in the product.
#: A test sets it (in the importing process) to hold an import there and kill it.
after_file: Callable[[SourceFile], None] | None = None

ProgressFn = Callable[[SourceFile, int, int], None]


@dataclass(frozen=True)
class RejectGroup:
    """Rejects alike: one file, field and reason; `lines` the first of their lines, ascending
    (none for a problem of the whole file)."""

    file: str
    field: str
    reason: str
    count: int
    lines: list[int]


@dataclass
class ImportResult:
    import_id: str
    source: str
    tables: dict[str, TableCounts]
    rejected: list[Reject]
    rejected_count: int
    rejects_file: Path | None
    ignored: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: what imported but deserves a look (a report naming transfers the lake does not hold)
    warnings: list[str] = field(default_factory=list)
    #: the rejects with the same file, field and reason together, in the order of their first
    #: line (the first `SHOWN_GROUPS`): a file of 383 lines in GBK is one problem to fix, and
    #: listed line by line it hid the other files' problems from a new user
    groups: list[RejectGroup] = field(default_factory=list)

    @property
    def imported(self) -> dict[str, int]:
        return {name: c.imported for name, c in self.tables.items()}

    def as_dict(self, max_rejects: int | None = None) -> dict[str, object]:
        shown = self.rejected if max_rejects is None else self.rejected[:max_rejects]
        return {
            "import_id": self.import_id,
            "source": self.source,
            "imported": self.imported,
            "updated": {n: c.updated for n, c in self.tables.items()},
            "unchanged": {n: c.unchanged for n, c in self.tables.items()},
            "repeated": {n: c.repeated for n, c in self.tables.items()},
            "rejected": [r.as_dict() for r in shown],
            "rejected_count": self.rejected_count,
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
            "ignored_files": self.ignored,
            "warnings": self.warnings,
            "seconds": round(self.seconds, 3),
        }


def import_folder(
    settings: Settings,
    folder: Path,
    *,
    progress: ProgressFn | None = None,
    keep_rejects: int = 10_000,
) -> ImportResult:
    """Import every interchange table found in `folder`; see the module docstring.

    Raises `SourceError` when the folder cannot be read at all. `keep_rejects` bounds how many
    rejects are returned in memory (all of them are written to the rejects file).
    """
    started = time.perf_counter()
    files, ignored = discover(folder)
    import_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    con = connect(settings)  # memory capped, spilling to HOME/lake.duckdb.tmp (see connect)
    try:
        define_macro(con, settings.phone_region)
        # describing happens before the transaction: a file DuckDB refuses would abort it
        opened = [open_source(con, src, f"stage_{i}") for i, src in enumerate(files)]
        while True:
            tables = {n: TableCounts() for n in TABLE_ORDER if any(f.table == n for f in files)}
            try:
                total_rejects, shown = _import_all(
                    con,
                    folder,
                    opened,
                    tables,
                    import_id,
                    keep_rejects,
                    progress,
                    settings.phone_region,
                )
                break
            except Refused as refused:
                # rare: DuckDB gave up on a file after its header (a CSV file with an
                # unterminated quote, a Parquet file with a damaged page)
                i, src = refused.index, files[refused.index]
                if src.format == "csv":
                    log.info("re-reading %s with Python's csv module", src.display)
                    opened[i] = stage_with_python(con, src, f"stage_{i}")
                else:
                    why = f"cannot read Parquet file: {refused.reason}"
                    opened[i] = Opened(src, "", "", {}, [Reject(src.display, None, "", why)])
        rejects_file = _write_rejects_file(con, settings, import_id) if total_rejects else None
        groups = _group_rejects(con, import_id) if total_rejects else []
        read = {f.table for f in files}
        warnings = _unknown_transfers(con) if {"reports", "transactions"} & read else []
        if {"accounts", "transactions"} & read:
            warnings += _before_opening(con)
        if {"calls", "messages", "persons"} & read:
            warnings += _two_forms(con)
    finally:
        con.close()
    if progress:
        progress(SourceFile("", Path(), ""), len(files), len(files))
    return ImportResult(
        import_id,
        str(folder),
        tables,
        shown,
        total_rejects,
        rejects_file,
        [str(p) for p in ignored],
        time.perf_counter() - started,
        warnings,
        groups,
    )


#: how many reports naming unknown transfers are listed one by one
SHOWN_WARNINGS = 20


def _unknown_transfers(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Reports whose fraud transfers are not (yet) in the lake: they import, since the
    transfers may come in a later import, but they cannot be traced until then."""
    rows = con.execute(
        "WITH named AS (SELECT report_id, unnest(fraud_txn_ids) AS txn_id FROM reports) "
        "SELECT n.report_id, count(*), list(n.txn_id ORDER BY n.txn_id)[1:3] FROM named n "
        "ANTI JOIN transactions t ON t.txn_id = n.txn_id "
        "GROUP BY n.report_id ORDER BY n.report_id"
    ).fetchall()
    out = [
        f"report {rid} names {_count(n, 'transfer')} not in the lake ({', '.join(ids)}"
        f"{', ...' if n > len(ids) else ''}): it cannot be traced until "
        f"{'they are' if n > 1 else 'it is'} imported"
        for rid, n, ids in rows[:SHOWN_WARNINGS]
    ]
    if len(rows) > SHOWN_WARNINGS:
        out.append(f"... and {len(rows) - SHOWN_WARNINGS} more reports naming unknown transfers")
    return out


#: a Chinese mobile number with the country code, and the national number inside it
_WITH_CODE = r"^(?:\+|00)?86(1[3-9][0-9]{9})$"


def _two_forms(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Mobile numbers the lake holds both with and without China's country code: chaincut
    matches numbers as written, so each such number counts as two (one person's calls, texts
    and registrations split between them). Written once per import, with a few examples."""
    numbers = " UNION ".join(
        f"SELECT DISTINCT {c} AS n FROM {t}"  # noqa: S608 - fixed table and column names
        for t, c in (
            ("calls", "caller"),
            ("calls", "callee"),
            ("messages", "sender"),
            ("messages", "receiver"),
            ("persons", "phone"),
        )  # fmt: skip
    )
    both = con.execute(
        f"WITH n AS ({numbers}) SELECT a.n, regexp_extract(a.n, ?, 1) AS bare FROM n a "  # noqa: S608
        "SEMI JOIN n b ON b.n = regexp_extract(a.n, ?, 1) "
        "WHERE regexp_matches(a.n, ?) ORDER BY a.n",
        [_WITH_CODE, _WITH_CODE, _WITH_CODE],
    ).fetchall()
    if not both:
        return []
    shown = ", ".join(f"{full} and {bare}" for full, bare in both[:3])
    return [
        f"{_count(len(both), 'mobile number')} {'are' if len(both) > 1 else 'is'} written both "
        f"with and without the country code ({shown}{', ...' if len(both) > 3 else ''}): "
        "chaincut matches numbers as written, so each counts as two numbers; write one form "
        "in every table"
    ]


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _before_opening(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Transactions dated before an account they move money from or to was opened: they
    import (an `opened_at` may be a card's re-issue, or the export's clock off), but one of the
    two dates is wrong and the money's path through time with it. Written once per import,
    with a few examples; the lake as a whole, as `_unknown_transfers` does."""
    rows = con.execute(  # one equi-join a side: `IN (src, dst)` is a nested loop on a large lake
        "WITH early AS ("
        "SELECT t.txn_id, t.ts, a.account_id, a.opened_at FROM transactions t JOIN accounts a "
        "ON a.account_id = t.src_account WHERE t.ts < a.opened_at UNION ALL "
        "SELECT t.txn_id, t.ts, a.account_id, a.opened_at FROM transactions t JOIN accounts a "
        "ON a.account_id = t.dst_account WHERE t.ts < a.opened_at) "
        "SELECT (SELECT count(DISTINCT txn_id) FROM early), txn_id, ts, account_id, opened_at "
        "FROM early ORDER BY txn_id, account_id LIMIT 3"
    ).fetchall()
    if not rows:
        return []
    n = int(rows[0][0])
    shown = ", ".join(
        f"{txn} of {ts:%Y-%m-%d %H:%M} and {account} opened {opened:%Y-%m-%d %H:%M}"
        for _, txn, ts, account, opened in rows
    )
    return [
        f"{_count(n, 'transaction')} {'are' if n > 1 else 'is'} dated before an account "
        f"{'they move' if n > 1 else 'it moves'} money from or to was opened ({shown}"
        f"{', ...' if n > len(rows) else ''}): imported, but one of the two dates is wrong; "
        "check the accounts' opened_at and the transactions' ts (both UTC unless an offset is "
        "written)"
    ]


def _import_all(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    opened: list[Opened],
    tables: dict[str, TableCounts],
    import_id: str,
    keep_rejects: int,
    progress: ProgressFn | None,
    region: str,
) -> tuple[int, list[Reject]]:
    """Import every opened file in one transaction; returns the rejects' count and first ones."""
    con.execute("BEGIN TRANSACTION")
    try:
        t0 = datetime.now(UTC).replace(tzinfo=None)
        upgraded = upgrade_lake(con, region)
        for i, source in enumerate(opened):
            src = source.src
            if progress:
                progress(src, i, len(opened))
            counts = tables[src.table]
            import_file(con, i, source, counts, import_id)
            con.execute(
                "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    t0,
                    datetime.now(UTC).replace(tzinfo=None),
                    str(folder),
                    src.table,
                    src.display,
                    counts.read,
                    counts.imported,
                    counts.unchanged,
                    counts.rejected,
                ],
            )
            if after_file is not None:
                after_file(src)
        if upgraded or any(c.imported or c.updated for c in tables.values()):
            bump_generation(con)
        total, shown = _fetch_rejects(con, import_id, keep_rejects)
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    return total, shown


def _fetch_rejects(
    con: duckdb.DuckDBPyConnection, import_id: str, limit: int
) -> tuple[int, list[Reject]]:
    (total,) = first_row(con, "SELECT count(*) FROM rejects WHERE import_id = ?", [import_id])
    rows = con.execute(
        "SELECT file, line, field, reason FROM rejects WHERE import_id = ? "
        "ORDER BY file, line NULLS FIRST, field LIMIT ?",
        [import_id, limit],
    ).fetchall()
    return int(total), [Reject(f, ln, fd, r) for f, ln, fd, r in rows]


#: how many groups of alike rejects an import returns (the rejects file holds every reject)
SHOWN_GROUPS = 50
#: how many lines of a group it returns
GROUP_LINES = 1000


def _group_rejects(con: duckdb.DuckDBPyConnection, import_id: str) -> list[RejectGroup]:
    rows = con.execute(
        "SELECT file, field, reason, count(*), "
        "coalesce(list(line ORDER BY line) FILTER (WHERE line IS NOT NULL), [])[1:?] "
        "FROM rejects WHERE import_id = ? GROUP BY file, field, reason "
        "ORDER BY file, min(line) NULLS FIRST, field, reason LIMIT ?",
        [GROUP_LINES, import_id, SHOWN_GROUPS],
    ).fetchall()
    return [RejectGroup(f, fd, r, int(n), [int(x) for x in lines]) for f, fd, r, n, lines in rows]


def _write_rejects_file(con: duckdb.DuckDBPyConnection, settings: Settings, import_id: str) -> Path:
    settings.rejects_dir.mkdir(parents=True, exist_ok=True)
    path = settings.rejects_dir / f"{import_id}.csv"
    rows = con.execute(
        "SELECT file, line, field, reason FROM rejects WHERE import_id = ? "
        "ORDER BY file, line NULLS FIRST, field",
        [import_id],
    ).fetchall()
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "line", "field", "reason"])
        writer.writerows(rows)
    tmp.replace(path)
    return path
