"""Spark Structured Streaming (a local file source) gives the replay's warnings exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.warning.replay import directory, lake_events, replay
from chaincut.warning.stream import write_event_files


@pytest.mark.spark
def test_streaming_equals_the_replay(world: tuple[Path, Settings], tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    from chaincut.lake.engine.spark import spark_session
    from chaincut.warning.stream import stream_warnings

    with get_engine(world[1]) as engine:
        book = directory(engine)
        expected = [w.to_json() for w in replay(engine)]
        files = write_event_files(lake_events(engine), tmp_path / "events")
    assert files > 5 and expected
    got = stream_warnings(spark_session(), tmp_path / "events", tmp_path / "checkpoint", book)
    assert [w.to_json() for w in got] == expected
