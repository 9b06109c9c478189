"""Property tests of the import invariants (Hypothesis)."""

from __future__ import annotations

import csv
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import duckdb
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


def run(home: Path, folder: Path, text: str) -> tuple[int, int, int, list[tuple[object, ...]]]:
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
