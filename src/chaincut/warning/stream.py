"""The same warner on Spark Structured Streaming: events from files (or Kafka), warnings out.

Events arrive as JSON lines, one `{"kind": "call"|"message"|"transaction"|"report", "row":
{interchange columns}}` a line, in files dropped into a folder (Spark's file source; a Kafka
source gives the same rows). Spark reads and decodes each micro-batch; its rows are collected
to the driver, parsed, sorted by time and taken by one `Warner` in `foreachBatch`, with the
replay's schedule of mule scores (`MuleFeed`), so its results equal the replay's on the same
events (tests/warning/test_stream.py) and its state is the replay's bounded state
(docs/warning.md, "At scale"). The state stays on the driver because it is shared across
subjects (a number's reach, an account's payers for the reverse trace, the lures texts name).
Files are taken one per micro-batch, oldest first: write one file per time window, in time
order, as `write_event_files` does."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from chaincut.warning.events import KIND_ORDER, Call, Event, Message, Report, Transfer, iso
from chaincut.warning.mule import Schedule
from chaincut.warning.signals import Directory, RaisedWarning, Warner, prime_scripts

SCHEMA = "kind STRING, row MAP<STRING, STRING>"
_KINDS = {Call: "call", Message: "message", Transfer: "transaction", Report: "report"}


def event_row(event: Event) -> dict[str, Any]:
    """An event as the stream's JSON object (interchange column names, texts as strings)."""
    match event:
        case Call():
            row = {"call_id": event.call_id, "caller": event.caller, "callee": event.callee,
                   "duration_s": str(event.duration_s), "imei": event.imei}  # fmt: skip
        case Message():
            row = {"msg_id": event.msg_id, "sender": event.sender, "receiver": event.receiver,
                   "text": event.text, "channel": event.channel}  # fmt: skip
        case Transfer():
            amount = f"{event.cents // 100}.{event.cents % 100:02d}"
            row = {"txn_id": event.txn_id, "src_account": event.src, "dst_account": event.dst,
                   "amount": amount, "channel": event.channel}  # fmt: skip
        case Report():
            row = {"report_id": event.report_id, "victim_id": event.victim_id or "",
                   "victim_account": event.victim_account,
                   "fraud_txn_ids": ";".join(event.fraud_txn_ids),
                   "fraud_type": event.fraud_type or ""}  # fmt: skip
    return {"kind": _KINDS[type(event)], "row": {**row, "ts": iso(event.ts)}}


def write_event_files(events: Iterable[Event], folder: Path, window_s: int = 86_400) -> int:
    """Write time-ordered `events` as JSONL files, one per `window_s`, each file's modification
    time in order (the file source takes the oldest first); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[int, list[str]] = {}
    for event in events:
        files.setdefault(event.ts // window_s, []).append(json.dumps(event_row(event)))
    for n, (window, lines) in enumerate(sorted(files.items())):
        path = folder / f"events-{window:012d}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.utime(path, (1_000_000_000 + n, 1_000_000_000 + n))
    return len(files)


def _parse(row: Any) -> Event:
    from chaincut.warning.events import parse_event

    data = dict(row["row"])
    for key in ("victim_id", "fraud_type", "imei"):
        if data.get(key) == "":
            data.pop(key)
    return parse_event(row["kind"], data)


class MuleFeed:
    """Hands a warner each scheduled set of mule scores before the first event at or after
    its time, across micro-batches (as `replay.with_mule_scores` does within one stream)."""

    def __init__(self, warner: Warner, schedule: Schedule) -> None:
        self.warner = warner
        self.pending = sorted(schedule, key=lambda m: m[0])
        self.at = 0

    def before(self, ts: int) -> None:
        """Publish every set of scores computed at or before `ts`."""
        while self.at < len(self.pending) and self.pending[self.at][0] <= ts:
            self.warner.set_mule_scores(self.pending[self.at][1])
            self.at += 1


def stream_warnings(
    spark: Any,
    source: Path,
    checkpoint: Path,
    directory: Directory | None = None,
    mule: Schedule = (),
) -> list[RaisedWarning]:
    """Run the warner over every file in `source` with Structured Streaming (available-now
    trigger, one file per micro-batch) and return the warnings raised, in order. `mule` is the
    replay's schedule of mule scores (`chaincut.warning.mule.scheduled_scores`): each set
    reaches the warner before the first event at or after the time it was computed."""
    warner = Warner(directory)
    feed = MuleFeed(warner, mule)
    raised: list[RaisedWarning] = []

    def take(batch: Any, _: int) -> None:
        events = sorted(
            (_parse(r) for r in batch.collect()),
            key=lambda e: (e.ts, KIND_ORDER[type(e)], _id(e)),
        )
        prime_scripts(e.text for e in events if isinstance(e, Message))
        for event in events:
            feed.before(event.ts)
            raised.extend(warner.process(event))

    query = (
        spark.readStream.schema(SCHEMA)
        .option("maxFilesPerTrigger", 1)
        .json(str(source))
        .writeStream.foreachBatch(take)
        .option("checkpointLocation", str(checkpoint))
        .trigger(availableNow=True)
        .start()
    )
    query.awaitTermination()
    return raised


def _id(event: Event) -> str:
    from chaincut.warning.events import event_id

    return event_id(event)
