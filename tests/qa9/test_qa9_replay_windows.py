"""`chaincut warn --replay` reads the lake a few days at a time instead of one query per table per
day (round nine's new-user run: on a small foreign world the day-by-day reads cost more in
building queries than in reading). The windows change how the lake is read, never what the
warner sees: the same events in the same order, whatever the windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chaincut.ingest import import_folder
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings, load_settings
from chaincut.warning import replay as replay_module
from chaincut.warning.events import KIND_ORDER, event_id
from chaincut.warning.replay import lake_events, span, windows
from tests.ingest.test_foreign_csv import put

DAYS = 9


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("qa9-replay")
    start = datetime(2026, 3, 1, 7, 30, 15)
    calls, messages, transfers = ["call_id,ts,caller,callee,duration_s"], [
        "msg_id,ts,sender,receiver,text"], ["txn_id,ts,src_account,dst_account,amount"]  # fmt: skip
    for i in range(DAYS * 6):  # six of each a day, on the same second across tables at times
        ts = (start + timedelta(hours=4 * i, seconds=i % 3)).isoformat()
        calls.append(f"C{i:04d},{ts},1380000{i % 7:04d},1390000{i % 5:04d},{30 + i}")
        messages.append(f"M{i:04d},{ts},1380000{i % 7:04d},1390000{i % 5:04d},明天开会{i}")
        transfers.append(f"T{i:04d},{ts},62220000{i % 4:04d},62230000{i % 6:04d},{100 + i}.50")
    folder = root / "in"
    for name, lines in (("calls", calls), ("messages", messages), ("transactions", transfers)):
        put(folder, f"{name}.csv", "\n".join(lines) + "\n")
    configured = load_settings(home=root / "home")
    assert import_folder(configured, folder).rejected_count == 0
    return configured


def _keys(settings: Settings) -> list[tuple[int, int, str]]:
    with get_engine(settings) as engine:
        return [(e.ts, KIND_ORDER[type(e)], event_id(e)) for e in lake_events(engine)]


@pytest.mark.parametrize("budget", [1, 40, 10**6])
def test_windows_cover_the_span_in_whole_days(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    monkeypatch.setattr(replay_module, "WINDOW_EVENTS", budget)
    with get_engine(settings) as engine:
        bounds = span(engine)
        assert bounds is not None
        found = windows(engine, *bounds)
    assert found[0][0] == bounds[0] and found[-1][1] == bounds[1]
    assert all(a[1] == b[0] for a, b in zip(found, found[1:], strict=False))  # no gap, no overlap
    assert all((until - since) % timedelta(days=1) == timedelta(0) for since, until in found[:-1])
    if budget == 1:
        assert len(found) >= DAYS  # a day at a time when a day holds more than the budget
    if budget == 10**6:
        assert len(found) == 1


def test_the_same_events_in_the_same_order_whatever_the_windows(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replay_module, "WINDOW_EVENTS", 1)
    by_day = _keys(settings)
    monkeypatch.setattr(replay_module, "WINDOW_EVENTS", 10**6)
    at_once = _keys(settings)
    assert len(by_day) == DAYS * 6 * 3
    assert by_day == at_once == sorted(at_once)


def test_an_event_keeps_its_second(settings: Settings) -> None:
    with get_engine(settings) as engine:
        first = next(iter(lake_events(engine)))
    assert first.ts == int(datetime(2026, 3, 1, 7, 30, 15, tzinfo=UTC).timestamp())
