"""Round eight's scaling changes give the same output: the targeted payments as one lake join
are the rows the three row sets gave in Python, and the bosses' maps read once per run are the
maps each gang built."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from chaincut.gangs import Evidence, bosses
from chaincut.gangs.bosses import known_persons
from chaincut.gangs.phonebook import phonebook
from chaincut.lake.engine import get_engine
from chaincut.lake.jobs.link_targets import targeted_payments
from chaincut.settings import Settings

Rows = list[dict[str, Any]]
PHONES = [f"+8613{i:09d}" for i in range(5)]
PEOPLE = [f"P{i}" for i in range(4)]
ACCOUNTS = [f"A{i}" for i in range(5)]
T0 = dt.datetime(2026, 1, 1)


def _contacts(events: Rows, lines: set[str]) -> Rows:
    """`link_edges.link_contacts` in Python: one row per ordered pair and channel."""
    groups: dict[tuple[str, str, str], list[tuple[dt.datetime, str]]] = defaultdict(list)
    for e in events:
        if e["a"] in lines or e["b"] in lines:
            groups[(e["a"], e["b"], e["channel"])].append((e["ts"], e["id"]))
    return sorted(
        ({"src": a, "dst": b, "channel": ch, "n": len(v), "first_ts": min(t for t, _ in v),
          "last_ts": max(t for t, _ in v), "first_id": min(i for _, i in v),
          "last_id": max(i for _, i in v)} for (a, b, ch), v in groups.items()),
        key=lambda r: tuple(r.values()),
    )  # fmt: skip


def _reference(
    events: Rows, persons: Rows, accounts: Rows, txns: Rows, lines: set[str],
    victims: set[str], flagged: set[str],
) -> Rows:  # fmt: skip
    """Round seven's `collect._targeted` loop over its three row sets, as it was."""
    line_of: dict[str, tuple[str, str]] = {}
    talked = _contacts(events, lines)
    talked.sort(key=lambda c: (c["dst"], c["first_ts"], str(c["first_id"]), c["src"]))
    for c in talked:
        if c["src"] in lines and c["dst"] not in victims and c["dst"] not in lines:
            line_of.setdefault(c["dst"], (c["src"], str(c["first_id"])))
    regs = sorted((p["person_id"], "phone", p["phone"]) for p in persons if p["phone"])
    person_of = {pid: phone for pid, _, phone in regs if phone in line_of}
    holders = sorted((a["account_id"], a["holder_id"]) for a in accounts if a["holder_id"])
    theirs = dict((acc, pid) for acc, pid in holders if pid in person_of)
    wanted = set(theirs) | flagged
    pairs: dict[tuple[str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for t in txns:
        if t["src"] != t["dst"] and t["src"] in wanted and t["dst"] in wanted:
            pairs[(t["src"], t["dst"])].append((t["id"], t["amount"]))
    out: Rows = []
    for (src, dst), v in sorted(pairs.items()):
        if src in theirs and dst in flagged and theirs.get(dst) != theirs[src]:
            line, contact = line_of[person_of[theirs[src]]]
            out.append({"src": src, "dst": dst, "n": len(v), "amount": sum(a for _, a in v),
                        "first_id": min(i for i, _ in v), "last_id": max(i for i, _ in v),
                        "person": theirs[src], "line": line, "contact": contact})  # fmt: skip
    return out


@functools.cache
def _duckdb() -> Any:
    return ibis.duckdb.connect()


def _table(rows: Rows, schema: dict[str, pa.DataType]) -> Any:
    cols = {k: pa.array([r[k] for r in rows], t) for k, t in schema.items()}
    return ibis.memtable(pa.table(cols))


def _lake_rows(events: Rows, persons: Rows, accounts: Rows, txns: Rows, lines: set[str],
               victims: set[str], flagged: set[str]) -> Rows:  # fmt: skip
    s, ts, money = pa.string(), pa.timestamp("us"), pa.decimal128(18, 2)
    calls = _table(
        [{"call_id": e["id"], "ts": e["ts"], "caller": e["a"], "callee": e["b"]}
         for e in events if e["channel"] == "call"],
        {"call_id": s, "ts": ts, "caller": s, "callee": s},
    )  # fmt: skip
    messages = _table(
        [{"msg_id": e["id"], "ts": e["ts"], "sender": e["a"], "receiver": e["b"]}
         for e in events if e["channel"] == "msg"],
        {"msg_id": s, "ts": ts, "sender": s, "receiver": s},
    )  # fmt: skip
    expr = targeted_payments(
        calls,
        messages,
        _table(persons, {"person_id": s, "phone": s}),
        _table([a | {"kind": "debit", "institution": "B", "country": "CN"} for a in accounts],
               {"account_id": s, "holder_id": s, "kind": s, "institution": s, "country": s}),
        _table([{"txn_id": t["id"], "src_account": t["src"], "dst_account": t["dst"],
                 "amount": t["amount"]} for t in txns],
               {"txn_id": s, "src_account": s, "dst_account": s, "amount": money}),
        _table([{"phone": p} for p in sorted(lines)], {"phone": s}),
        _table([{"phone": p} for p in sorted(victims)], {"phone": s}),
        _table([{"account_id": a} for a in sorted(flagged)], {"account_id": s}),
    )  # fmt: skip
    table = _duckdb().to_pyarrow(expr)
    return sorted(table.to_pylist(), key=lambda r: (r["src"], r["dst"]))


_event = st.fixed_dictionaries({
    # (most events from the first two numbers, the lines' pool, so that chains are common)
    "a": st.sampled_from([*PHONES[:2], *PHONES[:2], *PHONES]), "b": st.sampled_from(PHONES),
    "channel": st.sampled_from(["call", "msg"]), "minute": st.integers(0, 5),
})  # fmt: skip
_txn = st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(ACCOUNTS), st.integers(1, 10**6))


@examples(max_examples=20, deadline=None)
@given(
    events=st.lists(_event, min_size=4, max_size=30),
    phones=st.lists(st.sampled_from([*PHONES, ""]), min_size=len(PEOPLE), max_size=len(PEOPLE)),
    extra=st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PHONES)), max_size=2),
    holders=st.lists(
        st.sampled_from([*PEOPLE, *PEOPLE, "", "ORG"]),
        min_size=len(ACCOUNTS),
        max_size=len(ACCOUNTS),
    ),  # fmt: skip
    txns=st.lists(_txn, min_size=4, max_size=25),
    lines=st.sets(st.sampled_from(PHONES[:2]), min_size=1, max_size=2),
    victims=st.sets(st.sampled_from(PHONES), max_size=1),
    flagged=st.sets(st.sampled_from(ACCOUNTS), min_size=1, max_size=3),
)
def test_targeted_payments_as_one_join_are_the_three_row_sets_rows(
    events: list[dict[str, Any]],
    phones: list[str],
    extra: list[tuple[str, str]],
    holders: list[str],
    txns: list[tuple[str, str, int]],
    lines: set[str],
    victims: set[str],
    flagged: set[str],
) -> None:
    # ids of one width so that their text order is their number's; ties in time are common
    evs = [e | {"id": f"{e['channel']}{k:03d}", "ts": T0 + dt.timedelta(minutes=e["minute"])}
           for k, e in enumerate(events)]  # fmt: skip
    # a person listed twice with two phones is what the largest-phone rule is for
    persons = [{"person_id": p, "phone": ph} for p, ph in zip(PEOPLE, phones, strict=True)]
    persons += [{"person_id": p, "phone": ph} for p, ph in extra]
    accounts = [{"account_id": a, "holder_id": h} for a, h in zip(ACCOUNTS, holders, strict=True)]
    money = [{"id": f"T{k:03d}", "src": s, "dst": d, "amount": Decimal(c) / 100}
             for k, (s, d, c) in enumerate(txns)]  # fmt: skip
    want = _reference(evs, persons, accounts, money, lines, victims, flagged)
    got = _lake_rows(evs, persons, accounts, money, lines, victims, flagged)
    assert got == want


def _bosses_maps_as_each_gang_built_them(persons: list[dict[str, Any]]) -> None:
    book = phonebook(persons)
    assert known_persons(persons) == {str(p["person_id"]) for p in persons}
    assert book.phone_of == {str(p["person_id"]): str(p["phone"]) for p in persons if p["phone"]}
    assert book.owner == {str(p["phone"]): str(p["person_id"]) for p in persons if p["phone"]}
    owner: dict[str, list[str]] = defaultdict(list)
    for p in persons:
        if p["phone"]:
            owner[str(p["phone"])].append(str(p["person_id"]))
    assert book.people == owner


@examples(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PEOPLE), st.sampled_from([*PHONES, "", None]))))
def test_the_bosses_person_maps_are_the_ones_each_gang_built(
    rows: list[tuple[str, str | None]],
) -> None:
    persons = [{"person_id": p, "phone": ph} for p, ph in rows]
    _bosses_maps_as_each_gang_built_them(persons)
    persons.append({"person_id": "Z", "phone": PHONES[0]})  # the same list, grown: built again
    _bosses_maps_as_each_gang_built_them(persons)


def test_bosses_name_the_same_members_with_the_persons_read_once(evidence: Evidence) -> None:
    assert evidence.end_holders, "the foreign world has accounts abroad with holders"
    talks = bosses.partners(evidence)
    inside = {f"account:{r['src']}" for r in evidence.ends}
    holder = {str(h["account_id"]): str(h["person_id"]) for h in evidence.holders}
    first = bosses.bosses(inside, evidence, {}, {}, holder, talks)
    again = bosses.bosses(inside, evidence, {}, {}, holder, talks)
    assert first == again and first
    assert {m.id for m in first if m.kind == "person"} <= known_persons(evidence.persons)


def test_den_visitors_leave_the_box_lines_out_by_a_join_as_the_literal_list_did(
    foreign_world: tuple[Path, Settings], evidence: Evidence
) -> None:
    from chaincut.gangs.collect import _ids, _rows
    from chaincut.gangs.ends import _visitors

    with get_engine(foreign_world[1]) as engine:
        t = engine.tables(["transactions", "accounts", "calls", "messages"])
        new = _visitors(engine, t, evidence)
        lines = {str(d["phone"]) for d in evidence.devices}
        calls = t["calls"]
        sites = {str(r["cell"]) for r in new}
        site = _ids(sites, "cell")
        at = calls.semi_join(site, calls.cell_id == site.cell)
        at = at.filter(~at.caller.isin(sorted(lines)))
        expr = at.group_by(phone=at.caller, cell=at.cell_id, callee=at.callee).aggregate(
            n=at.call_id.count(), first_id=at.call_id.min()
        )
        old = _rows(engine, expr, "den visitors, the literal list")
    assert new and not {str(r["phone"]) for r in new} & lines

    def key(r: dict[str, object]) -> tuple[str, str, str]:
        return str(r["phone"]), str(r["cell"]), str(r["callee"])

    assert sorted(new, key=key) == sorted(old, key=key)
