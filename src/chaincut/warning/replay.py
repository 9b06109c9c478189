"""Replay the lake as it arrived: events in time order through the warner (`chaincut warn
--replay`).

The lake's calls, messages, transactions and reports are read through `chaincut.lake` a window
of whole days at a time (`windows`, `lake.jobs.event_order`), merged by time, and fed to a
`Warner`; each warning is yielded at the moment it would have been raised. The warner sees no
event later than the one it processes, so cutting the future off changes no earlier warning
(tests/warning/test_replay.py), whatever the windows.
"""

from __future__ import annotations

import calendar
import heapq
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.event_order import EVENT_COLUMNS, events_between, ts_range
from chaincut.model.money import to_cents
from chaincut.warning.events import KIND_ORDER, Call, Event, Message, Report, Transfer
from chaincut.warning.mule import Schedule
from chaincut.warning.signals import Directory, RaisedWarning, Warner, prime_scripts

#: the replay reads whole days of the lake at a time: at least one, and more while the window
#: holds at most `WINDOW_EVENTS` events (one query per table per window: a day at a time, a
#: small lake paid more in building queries than in reading them)
WINDOW = timedelta(days=1)
WINDOW_EVENTS = 200_000


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


#: a keyed event: (time, kind order, id, event), so that the day's streams merge by comparing
#: plain tuples (the key never ties: ids are unique within a table, kinds differ across)
Keyed = tuple[int, int, str, Event]


def _epochs(table: pa.Table) -> list[int]:
    """Each row's `ts` in whole seconds since the epoch (UTC), in one vectorised cast."""
    seconds = pc.cast(table["ts"], pa.timestamp("s", tz=table["ts"].type.tz), safe=False)
    epochs: list[int] = seconds.cast(pa.int64()).to_pylist()
    return epochs


def _columns(table: pa.Table, *names: str) -> list[list[Any]]:
    # column lists and zip, not `to_pylist()`: a dict per row cost more than the warner
    return [table[name].to_pylist() for name in names]


def _calls(table: pa.Table) -> Iterator[Keyed]:
    ids, callers, callees, durations, imeis = _columns(
        table, "call_id", "caller", "callee", "duration_s", "imei"
    )
    order = KIND_ORDER[Call]
    for i, ts, a, b, d, imei in zip(ids, _epochs(table), callers, callees, durations, imeis,
                                    strict=True):  # fmt: skip
        yield ts, order, i, Call(i, ts, a, b, int(d), imei or "")


def _messages(table: pa.Table) -> Iterator[Keyed]:
    ids, senders, receivers, texts, channels = _columns(
        table, "msg_id", "sender", "receiver", "text", "channel"
    )
    order = KIND_ORDER[Message]
    for i, ts, a, b, text, channel in zip(ids, _epochs(table), senders, receivers, texts,
                                          channels, strict=True):  # fmt: skip
        yield ts, order, i, Message(i, ts, a, b, text or "", channel or "sms")


def _transactions(table: pa.Table) -> Iterator[Keyed]:
    ids, sources, targets, amounts, channels = _columns(
        table, "txn_id", "src_account", "dst_account", "amount", "channel"
    )
    order = KIND_ORDER[Transfer]
    for i, ts, a, b, amount, channel in zip(ids, _epochs(table), sources, targets, amounts,
                                            channels, strict=True):  # fmt: skip
        yield ts, order, i, Transfer(i, ts, a, b, to_cents(amount), channel or "transfer")


def _reports(table: pa.Table) -> Iterator[Keyed]:
    order = KIND_ORDER[Report]
    for r, ts in zip(table.to_pylist(), _epochs(table), strict=True):  # a few a day
        i = r["report_id"]
        yield ts, order, i, Report(i, ts, r["victim_id"], r["victim_account"],
                                   tuple(r["fraud_txn_ids"] or ()), r["fraud_type"])  # fmt: skip


_READERS: dict[str, Callable[[pa.Table], Iterator[Keyed]]] = {
    "calls": _calls,
    "messages": _messages,
    "transactions": _transactions,
    "reports": _reports,
}


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
    calls, messages, reports, then id), read a few days at a time (`windows`)."""
    bounds = span(engine, since, until)
    if bounds is None:
        return
    start, end = bounds
    for since_, until_ in windows(engine, start, end):
        streams = [
            _READERS[n](
                engine.execute(events_between(engine.table(n), n, since_, until_), label=n)
            )  # fmt: skip
            for n in EVENT_COLUMNS
        ]
        merged = [keyed[3] for keyed in heapq.merge(*streams)]  # one window's events
        prime_scripts(e.text for e in merged if isinstance(e, Message))
        yield from merged


def windows(engine: Engine, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """[since, until) windows of whole days from `start`, covering [start, end): each one day,
    or more days while it holds at most `WINDOW_EVENTS` events (counted per day first)."""
    days = max(1, math.ceil((end - start) / WINDOW))
    per_day = [0] * days
    origin = calendar.timegm(start.timetuple())
    for name in EVENT_COLUMNS:
        t = engine.table(name)
        t = t.filter(t.ts >= start, t.ts < end)
        counts = engine.execute(
            t.group_by(day=(t.ts.epoch_seconds() - origin) // 86_400).aggregate(n=t.count()),
            label=f"{name} per day",
        )
        for day, n in zip(counts["day"].to_pylist(), counts["n"].to_pylist(), strict=True):
            per_day[min(max(int(day), 0), days - 1)] += int(n)
    found: list[tuple[datetime, datetime]] = []
    first = 0
    while first < days:
        last, held = first + 1, per_day[first]
        while last < days and held + per_day[last] <= WINDOW_EVENTS:
            held += per_day[last]
            last += 1
        found.append((start + first * WINDOW, min(start + last * WINDOW, end)))
        first = last
    return found


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
