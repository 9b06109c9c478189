"""Round nine's memory: `collect` keeps its largest row sets as Arrow columns (`RowSet`), read
as the same dicts in the same order, and the gangs are the same JSON as with plain lists."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from chaincut.gangs import Evidence, analyse
from chaincut.gangs.collect import COLUMNAR
from chaincut.gangs.people import resolve
from chaincut.gangs.rowset import RowSet, values
from chaincut.gangs.saved import SavedGraph, load_graph, save_graph

T0 = dt.datetime(2026, 1, 1)

_row = st.fixed_dictionaries(
    {
        "src": st.sampled_from(["+8613000000001", "+8613000000002", "+85512345678"]),
        "dst": st.one_of(st.none(), st.sampled_from(["+8613000000001", ""])),
        "n": st.integers(-3, 10**12),
        "ts": st.one_of(st.none(), st.integers(0, 10**6).map(lambda s: T0 + dt.timedelta(s))),
        "first_id": st.text(max_size=6),
    }
)


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    schema = pa.schema(
        [("src", pa.string()), ("dst", pa.string()), ("n", pa.int64()),
         ("ts", pa.timestamp("us")), ("first_id", pa.string())]
    )  # fmt: skip
    return pa.Table.from_pylist(rows, schema=schema)


@examples(max_examples=60, deadline=None)
@given(rows=st.lists(_row, max_size=40), k=st.integers(-45, 45))
def test_a_rowset_reads_the_rows_a_list_holds(rows: list[dict[str, Any]], k: int) -> None:
    table = _table(rows)
    held = RowSet(pa.concat_tables([table.slice(0, len(rows) // 2), table.slice(len(rows) // 2)]))
    plain = table.to_pylist()
    assert list(held) == plain and held == plain and plain == held
    assert len(held) == len(plain) and bool(held) == bool(plain)
    assert held[1:-1] == plain[1:-1] and held[::2] == plain[::2]
    assert held + plain[:1] == plain + plain[:1] and plain[:1] + held == plain[:1] + plain
    both = plain[:2] + held + held
    assert list(both) == plain[:2] + plain + plain and len(both) == len(plain[:2] + plain * 2)
    assert both == plain[:2] + plain * 2 and both[-1:] == (plain[:2] + plain * 2)[-1:]
    assert held.column("n") == [r["n"] for r in plain]
    if -len(plain) <= k < len(plain):
        assert held[k] == plain[k]
    else:
        with pytest.raises(IndexError):
            held[k]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_a_rowsets_times_are_arrows_in_every_unit(unit: str) -> None:
    times = [T0.replace(microsecond=456789), None, dt.datetime(1970, 1, 1), dt.datetime(1, 1, 1)]
    table = pa.table({"ts": pa.array(times[:2] if unit == "ns" else times, pa.timestamp(unit))})
    plain = table.to_pylist()
    assert list(RowSet(table)) == plain
    assert [type(r["ts"]) for r in RowSet(table)] == [type(r["ts"]) for r in plain]


@examples(max_examples=30, deadline=None)
@given(rows=st.lists(_row, max_size=20))
def test_values_are_the_rows_columns_from_a_rowset_or_a_list(rows: list[dict[str, Any]]) -> None:
    held = RowSet(_table(rows))
    want = [(r["ts"], r["src"]) for r in _table(rows).to_pylist()]
    assert list(values(held, "ts", "src")) == want == list(values(list(held), "ts", "src"))


def test_a_rowset_is_read_a_batch_at_a_time_in_order() -> None:
    import chaincut.gangs.rowset as rowset

    rows = [{"src": f"{i:05d}", "dst": None, "n": i, "ts": T0, "first_id": "C"} for i in range(7)]
    old, rowset.BATCH = rowset.BATCH, 3
    try:
        assert list(RowSet(_table(rows))) == rows
    finally:
        rowset.BATCH = old


def _as_lists(ev: Evidence) -> Evidence:
    """`ev` as `collect` held it before round nine: every row set a list of dicts."""
    out = replace(ev)
    for f in fields(Evidence):
        if isinstance(getattr(ev, f.name), RowSet):
            setattr(out, f.name, list(getattr(ev, f.name)))
    return out


def _gangs(ev: Evidence) -> list[str]:
    return sorted(json.dumps(g.json(), sort_keys=True, ensure_ascii=False)
                  for g in analyse(ev).gangs)  # fmt: skip


def test_collect_keeps_the_large_row_sets_as_columns(evidence: Evidence) -> None:
    kept = {f.name for f in fields(Evidence) if isinstance(getattr(evidence, f.name), RowSet)}
    assert kept == {"persons", "registrations", "boss_contacts", "ahead_contacts", "kin", "ahead"}
    assert len(COLUMNAR) == 4  # (and every account of the holders, `holder_accounts`)
    assert all(len(getattr(evidence, name)) for name in kept)


def test_the_gangs_are_the_same_json_with_the_rows_as_columns_or_lists(
    evidence: Evidence,
) -> None:
    new = _gangs(evidence)
    assert new and new == _gangs(_as_lists(evidence))


def test_record_linkage_reads_columns_as_it_read_rows(evidence: Evidence) -> None:
    persons = evidence.persons
    assert isinstance(persons, RowSet)
    assert resolve(persons) == resolve(list(persons))


def test_the_saved_graph_writes_the_columns_as_rows(evidence: Evidence, tmp_path: Path) -> None:
    save_graph(tmp_path, SavedGraph(1, evidence, [], [], {}))
    back = load_graph(tmp_path)
    assert back is not None
    for name in ("persons", "registrations", "boss_contacts", "ahead_contacts"):
        assert getattr(back.evidence, name) == list(getattr(evidence, name))
