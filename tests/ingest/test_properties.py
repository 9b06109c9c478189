"""Property tests of the import invariants (Hypothesis)."""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chaincut.ingest import import_folder
from chaincut.settings import Settings

ids = st.sampled_from([f"T{i}" for i in range(12)])
accounts = st.sampled_from(["A", "B", "C", "6222020000000001"])
amounts = st.one_of(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999"), places=2).map(str),
    st.sampled_from(["0", "-5", "1.005", "abc", "", "1e3", " 7.5 "]),
)
stamps = st.sampled_from(
    ["2024-01-01T00:00:00Z", "2024-01-01 08:00:00+08:00", "2024-02-30", "", "2024-03-01"]
)
rows = st.lists(st.tuples(ids, stamps, accounts, accounts, amounts), max_size=25)


def to_csv(data: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["txn_id", "ts", "src_account", "dst_account", "amount"])
    w.writerows(data)
    return out.getvalue()


def run(home: Path, folder: Path, text: str) -> tuple[int, int, int, list[tuple[Any, ...]]]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "transactions.csv").write_text(text, encoding="utf-8")
    result = import_folder(Settings(home=home), folder)
    c = result.tables["transactions"]
    con = duckdb.connect(str(home / "lake.duckdb"), read_only=True)
    content = con.execute("SELECT * FROM transactions ORDER BY ALL").fetchall()
    con.close()
    return c.imported, c.rejected, c.unchanged, content


PROFILE = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROFILE
@given(rows)
def test_every_row_is_imported_rejected_or_a_repeat(data: list[tuple[str, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        imported, rejected, _unchanged, content = run(
            Path(tmp) / "h", Path(tmp) / "in", to_csv(data)
        )
        exact_repeats = len(data) - len(set(data))
        assert imported + rejected <= len(data)
        assert imported + rejected + exact_repeats >= len(data)
        assert len(content) == imported
        assert all(r[4] > 0 for r in content)  # amounts are positive
        assert all(isinstance(r[4], Decimal) for r in content)


@PROFILE
@given(rows)
def test_importing_twice_changes_nothing(data: list[tuple[str, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        text = to_csv(data)
        first = run(Path(tmp) / "h", Path(tmp) / "in", text)
        second = run(Path(tmp) / "h", Path(tmp) / "in", text)
        assert second[0] == 0
        assert second[3] == first[3]
        assert second[2] == first[0]


@PROFILE
@given(rows, st.randoms(use_true_random=False))
def test_row_order_does_not_matter_without_conflicts(data: list[tuple[str, ...]], rnd) -> None:  # type: ignore[no-untyped-def]
    # keep one row per id so that "first one wins" plays no part
    unique = list({r[0]: r for r in data}.values())
    shuffled = unique[:]
    rnd.shuffle(shuffled)
    with tempfile.TemporaryDirectory() as tmp:
        a = run(Path(tmp) / "a", Path(tmp) / "ina", to_csv(unique))
        b = run(Path(tmp) / "b", Path(tmp) / "inb", to_csv(shuffled))
        assert a[3] == b[3]


@PROFILE
@given(rows, st.integers(min_value=0, max_value=25))
def test_split_imports_equal_one_import(data: list[tuple[str, ...]], cut: int) -> None:
    unique = list({r[0]: r for r in data}.values())
    with tempfile.TemporaryDirectory() as tmp:
        whole = run(Path(tmp) / "w", Path(tmp) / "inw", to_csv(unique))
        run(Path(tmp) / "s", Path(tmp) / "in1", to_csv(unique[:cut]))
        split = run(Path(tmp) / "s", Path(tmp) / "in2", to_csv(unique[cut:]))
        assert split[3] == whole[3]


def _lake(home: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(home / "lake.duckdb"), read_only=True)
    try:
        return con.execute("SELECT * FROM transactions ORDER BY ALL").fetchall()
    finally:
        con.close()


def _write_part(path: Path, data: list[tuple[str, ...]], fmt: str) -> None:
    if fmt == "csv":
        path.with_suffix(".csv").write_text(to_csv(data), encoding="utf-8")
        return
    names = ["txn_id", "ts", "src_account", "dst_account", "amount"]
    table = pa.table({n: pa.array([r[i] for r in data], pa.string()) for i, n in enumerate(names)})
    pq.write_table(table, path.with_suffix(".parquet"))


@PROFILE
@given(
    rows,
    st.lists(st.integers(min_value=0, max_value=25), max_size=4),
    st.lists(st.sampled_from(["csv", "parquet"]), min_size=5, max_size=5),
)
def test_any_split_into_parts_gives_the_same_lake(
    data: list[tuple[str, ...]], cuts: list[int], formats: list[str]
) -> None:
    """A table cut into part files (CSV or Parquet, in order) imports as the whole file does,
    repeats and conflicts included: the first row of a key wins either way."""
    bounds = [0, *sorted(min(c, len(data)) for c in cuts), len(data)]
    with tempfile.TemporaryDirectory() as tmp:
        whole_dir, parts_dir = Path(tmp) / "whole", Path(tmp) / "parts" / "transactions"
        whole_dir.mkdir()
        parts_dir.mkdir(parents=True)
        (whole_dir / "transactions.csv").write_text(to_csv(data), encoding="utf-8")
        for i, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            _write_part(parts_dir / f"part-{i:03d}", data[lo:hi], formats[i])
        whole = import_folder(Settings(home=Path(tmp) / "h1"), whole_dir)
        split = import_folder(Settings(home=Path(tmp) / "h2"), parts_dir.parent)
        assert _lake(Path(tmp) / "h2") == _lake(Path(tmp) / "h1")
        assert split.imported == whole.imported
        # the same rows are refused, whichever file they ended up in
        assert split.rejected_count == whole.rejected_count


@PROFILE
@given(rows, st.integers(min_value=1, max_value=6))
def test_large_parquet_in_batches_imports_as_in_one_piece(
    data: list[tuple[str, ...]], batch: int
) -> None:
    """The batched way for large Parquet files gives the same lake and the same rejects."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        _write_part(folder / "transactions", data, "parquet")
        whole = import_folder(Settings(home=Path(tmp) / "h1"), folder)
        with mock.patch("chaincut.ingest.check.BATCH_ROWS", batch):
            batched = import_folder(Settings(home=Path(tmp) / "h2"), folder)
            again = import_folder(Settings(home=Path(tmp) / "h2"), folder)
        assert _lake(Path(tmp) / "h2") == _lake(Path(tmp) / "h1")
        assert batched.imported == whole.imported
        assert sorted(map(str, batched.rejected)) == sorted(map(str, whole.rejected))
        assert again.imported == {"transactions": 0}
