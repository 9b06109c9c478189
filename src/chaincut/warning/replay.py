"""Replay the lake as it arrived: events in time order through the warner (`chaincut warn
--replay`).

The lake's calls, messages, transactions and reports are read through `chaincut.lake` one day at
a time (`lake.jobs.event_order`), merged by time, and fed to a `Warner`; each warning is yielded
at the moment it would have been raised. Nothing later than an event is read before the event is
processed, so cutting the future off changes no earlier warning (tests/warning/test_replay.py).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.event_order import EVENT_COLUMNS, events_between, ts_range
from chaincut.model.money import to_cents
from chaincut.warning.events import KIND_ORDER, Call, Event, Message, Report, Transfer, event_id
from chaincut.warning.mule import Schedule
from chaincut.warning.signals import Directory, RaisedWarning, Warner, prime_scripts

#: the replay reads this much of the lake at a time
WINDOW = timedelta(days=1)


def directory(engine: Engine) -> Directory:
    """Who holds which phone and account, from the lake's persons and accounts tables."""
    persons = engine.execute(
        engine.table("persons").select("person_id", "phone"), label="warning directory persons"
    )
    accounts = engine.execute(
        engine.table("accounts").select("account_id", "holder_id"),
        label="warning directory accounts",
    )
    phones = {
        p: pid
        for pid, p in zip(
            persons["person_id"].to_pylist(), persons["phone"].to_pylist(), strict=True
        )
        if p
    }
    holders = {
        a: h
        for a, h in zip(
            accounts["account_id"].to_pylist(), accounts["holder_id"].to_pylist(), strict=True
        )
        if h
    }
    return Directory(phones, holders)


def _epoch(value: datetime) -> int:
    return (
        int(value.replace(tzinfo=UTC).timestamp())
        if value.tzinfo is None
        else int(value.timestamp())
    )


def _rows(table: pa.Table) -> Iterator[dict[str, Any]]:
    yield from table.to_pylist()


def _calls(table: pa.Table) -> Iterator[Event]:
    for r in _rows(table):
        yield Call(r["call_id"], _epoch(r["ts"]), r["caller"], r["callee"], int(r["duration_s"]),
                   r["imei"] or "")  # fmt: skip


def _messages(table: pa.Table) -> Iterator[Event]:
    for r in _rows(table):
        yield Message(r["msg_id"], _epoch(r["ts"]), r["sender"], r["receiver"], r["text"] or "",
                      r["channel"] or "sms")  # fmt: skip


def _transactions(table: pa.Table) -> Iterator[Event]:
    for r in _rows(table):
        amount: Decimal = r["amount"]
        yield Transfer(r["txn_id"], _epoch(r["ts"]), r["src_account"], r["dst_account"],
                       to_cents(amount), r["channel"] or "transfer")  # fmt: skip


def _reports(table: pa.Table) -> Iterator[Event]:
    for r in _rows(table):
        yield Report(r["report_id"], _epoch(r["ts"]), r["victim_id"], r["victim_account"],
                     tuple(r["fraud_txn_ids"] or ()), r["fraud_type"])  # fmt: skip


_READERS: dict[str, Callable[[pa.Table], Iterator[Event]]] = {
    "calls": _calls,
    "messages": _messages,
    "transactions": _transactions,
    "reports": _reports,
}


def _key(event: Event) -> tuple[int, int, str]:
    return event.ts, KIND_ORDER[type(event)], event_id(event)


def span(
    engine: Engine, since: datetime | None = None, until: datetime | None = None
) -> tuple[datetime, datetime] | None:
    """[first, last + 1 s) of the lake's events within `since`/`until` (naive UTC), or None."""
    bounds = [engine.execute(ts_range(engine.table(n)), label=f"{n} range") for n in EVENT_COLUMNS]
    firsts = [b["first"][0].as_py() for b in bounds if b["first"][0].as_py() is not None]
    lasts = [b["last"][0].as_py() for b in bounds if b["last"][0].as_py() is not None]
    if not firsts:
        return None
    start = max(_naive(since), min(firsts)) if since else min(firsts)
    end = (
        min(_naive(until), max(lasts) + timedelta(seconds=1))
        if until
        else max(lasts) + timedelta(seconds=1)
    )
    return start, end


def lake_events(
    engine: Engine, since: datetime | None = None, until: datetime | None = None
) -> Iterator[Event]:
    """The lake's events with `since <= ts < until` in arrival order (time, then transfers,
    calls, messages, reports, then id), read one day at a time."""
    bounds = span(engine, since, until)
    if bounds is None:
        return
    start, end = bounds
    day = start
    while day < end:
        upto = min(day + WINDOW, end)
        streams = [
            _READERS[n](engine.execute(events_between(engine.table(n), n, day, upto), label=n))
            for n in EVENT_COLUMNS
        ]
        merged = list(heapq.merge(*streams, key=_key))  # one day's events
        prime_scripts(e.text for e in merged if isinstance(e, Message))
        yield from merged
        day = upto


def _naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def replay(
    engine: Engine,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    warner: Warner | None = None,
    mule: Schedule = (),
) -> Iterator[RaisedWarning]:
    """Every warning the lake's events raise, in the order they are raised; `mule` gives the
    mule model's scores from the time each was computed on (`chaincut.warning.mule`)."""
    warner = warner or Warner(directory(engine))
    for event in with_mule_scores(lake_events(engine, since, until), warner, mule):
        yield from warner.process(event)


def with_mule_scores(events: Iterable[Event], warner: Warner, mule: Schedule) -> Iterator[Event]:
    """`events`, handing `warner` each scheduled set of mule scores before the first event at
    or after its time."""
    pending = sorted(mule, key=lambda m: m[0])
    at = 0
    for event in events:
        while at < len(pending) and pending[at][0] <= event.ts:
            warner.set_mule_scores(pending[at][1])
            at += 1
        yield event
