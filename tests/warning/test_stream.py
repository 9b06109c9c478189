"""Spark Structured Streaming (a local file source) gives the replay's warnings exactly,
with the replay's mule scores, each from the time it was computed."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.warning.events import Call, Transfer, to_epoch
from chaincut.warning.mule import scores_at
from chaincut.warning.replay import directory, lake_events, replay, span, with_mule_scores
from chaincut.warning.signals import Warner
from chaincut.warning.stream import MuleFeed, write_event_files


@pytest.mark.spark
def test_streaming_equals_the_replay_with_its_mule_scores(
    world: tuple[Path, Settings], tmp_path: Path
) -> None:
    pytest.importorskip("pyspark")
    from chaincut.lake.engine.spark import spark_session
    from chaincut.warning.stream import stream_warnings

    with get_engine(world[1]) as engine:
        book = directory(engine)
        bounds = span(engine)
    assert bounds is not None
    # one of the replay's weekly runs (the shipped mule model on the lake cut at that time),
    # at mid-stream; `chaincut warn --replay` computes one a week (`scheduled_scores`)
    mid = bounds[0] + (bounds[1] - bounds[0]) / 2
    mule = [(to_epoch(mid), scores_at(world[1], mid))]
    assert mule[0][1], "the mule model flagged nothing"
    with get_engine(world[1]) as engine:
        expected = [w.to_json() for w in replay(engine, mule=mule)]
        files = write_event_files(lake_events(engine), tmp_path / "events")
    assert files > 5 and expected
    said = [s["why"] for w in expected for s in w["signals"]]  # type: ignore[attr-defined]
    assert any("mule model scores" in str(why) for why in said), "no mule signal to compare"
    got = stream_warnings(spark_session(), tmp_path / "events", tmp_path / "checkpoint", book, mule)
    assert [w.to_json() for w in got] == expected


def _events(n: int) -> list[Call | Transfer]:
    return [Call(f"C{i}", 1000 * i, "+861", f"+862{i}", 60) for i in range(n)]


def test_the_feed_publishes_each_score_set_from_its_time_as_the_replay_does() -> None:
    schedule = [(4500, {"B": 0.8}), (1500, {"A": 0.9}), (4500, {"C": 0.7})]
    replayed, fed = Warner(), Warner()
    expected = [
        dict(replayed.mule_scores) for _ in with_mule_scores(_events(6), replayed, schedule)
    ]
    feed, got = MuleFeed(fed, schedule), []
    for batch in (_events(6)[:2], _events(6)[2:]):  # across micro-batches
        for event in batch:
            feed.before(event.ts)
            got.append(dict(fed.mule_scores))
    assert got == expected
    assert got[1] == {} and got[2] == {"A": 0.9} and got[5] == {"C": 0.7}
