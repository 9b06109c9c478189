"""The gang analysis's performance changes give the same output: `focused_reach` the rows of
`phone_reach` it keeps, and the gangs of a small foreign world the same JSON with the old
whole-city grouping as with the new one."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from chaincut.gangs import analyse, collect
from chaincut.lake.engine import Engine, get_engine
from chaincut.lake.jobs.link_edges import phone_reach
from chaincut.lake.jobs.link_reach import focused_reach
from chaincut.settings import Settings
from tests.lake.conftest import sorted_rows

#: the module (the package's `collect` is the function)
collect_module = importlib.import_module("chaincut.gangs.collect")
VICTIM = "+8613900000002"


def _phones(*values: str) -> ir.Table:
    return ibis.memtable(pa.table({"phone": pa.array(list(values), pa.string())}))


def _whole_city(calls: ir.Table, messages: ir.Table, victims: ir.Table, also: ir.Table) -> ir.Table:
    """The analysis's reach before the change: every number grouped, then filtered."""
    reach = phone_reach(calls, messages, victims)
    popular = [str(p) for p in also.to_pyarrow().column("phone").to_pylist()]
    wanted = reach.victims > 0
    if popular:
        wanted |= reach.phone.isin(popular)
    return reach.filter(wanted)


def _rows(engine: Engine, expr: ir.Table) -> list[tuple[Any, ...]]:
    engine.backend._register_in_memory_tables(expr)
    return sorted_rows(engine.execute(expr, label="reach"))


@pytest.mark.parametrize("also", [(), ("+8613800000009",), (VICTIM, "+8600000000000")])
def test_focused_reach_gives_the_rows_the_whole_city_grouping_keeps(
    duckdb_engine: Engine, also: tuple[str, ...]
) -> None:
    calls, messages = duckdb_engine.table("calls"), duckdb_engine.table("messages")
    new = _rows(duckdb_engine, focused_reach(calls, messages, _phones(VICTIM), _phones(*also)))
    old = _rows(duckdb_engine, _whole_city(calls, messages, _phones(VICTIM), _phones(*also)))
    assert new == old
    assert new  # the tiny lake has a number that called the victim


def test_the_gangs_of_a_foreign_world_are_the_same_json(
    foreign_world: tuple[Path, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = foreign_world[1]
    with get_engine(settings) as engine:
        new = collect(engine)
    monkeypatch.setattr(collect_module, "focused_reach", _whole_city)
    with get_engine(settings) as engine:
        old = collect(engine)
    assert new.reach == old.reach and new.reach
    # the change touches `reach` only; the rest is taken from one run, since two runs of
    # `collect` may list other rows in another order (DuckDB's unordered aggregates)
    gangs = [g.json() for g in analyse(new).gangs]
    assert gangs and gangs == [g.json() for g in analyse(replace(new, reach=old.reach)).gangs]
