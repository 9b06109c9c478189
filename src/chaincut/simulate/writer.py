"""Streaming table files: CSV or Parquet, written chunk by chunk on a background thread.

Each file is written under a `.partial` name and renamed when complete, so a reader never sees
half a file. Formatting and writing run on one worker thread (numpy and Arrow release the GIL
while they work), overlapping with the generation of the next chunk; order is preserved, so the
files are byte-identical from run to run.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from chaincut.simulate.params import Format

LOW_CARDINALITY = [
    "currency", "channel", "kind", "institution", "country", "entity_kind", "label", "cell_id", "text",
]  # fmt: skip
#: min/max statistics where readers prune on them (time and money); skipped on random ids,
#: where they cost more than the rest of the write
STATISTICS = ["ts", "amount", "opened_at", "birth_date", "duration_s"]


class TableFile:
    """One table's file; `write` appends a chunk, `close` makes the file appear."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: Format) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.rows = 0
        self._writer: pcsv.CSVWriter | pq.ParquetWriter
        if fmt == "csv":
            options = pcsv.WriteOptions(include_header=True, quoting_style="needed")
            self._writer = pcsv.CSVWriter(str(self.partial), schema, write_options=options)
        else:
            names = set(schema.names)
            self._writer = pq.ParquetWriter(
                str(self.partial),
                schema,
                compression="snappy",
                use_dictionary=[c for c in LOW_CARDINALITY if c in names],
                write_statistics=[c for c in STATISTICS if c in names],
            )

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self._writer.write_table(table)
            self.rows += table.num_rows

    def close(self) -> None:
        self._writer.close()
        os.replace(self.partial, self.path)

    def discard(self) -> None:
        """Drop the half-written file (the run failed)."""
        try:
            self._writer.close()
        finally:
            self.partial.unlink(missing_ok=True)


class BackgroundWriter:
    """Runs write jobs in order on one thread; at most `depth` chunks wait in memory."""

    def __init__(self, depth: int = 2) -> None:
        self._jobs: queue.Queue[Callable[[], None] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="chaincut-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if self._error is None:
                try:
                    job()
                except BaseException as exc:  # surfaced in submit() or finish()
                    self._error = exc

    def submit(self, job: Callable[[], None]) -> None:
        if self._error is not None:
            raise self._error
        self._jobs.put(job)

    def write(self, target: TableFile, make: Callable[[], pa.Table]) -> None:
        """Build the table and write it, both on the writer thread."""
        self.submit(lambda: target.write(make()))

    def finish(self) -> None:
        """Wait for the queued jobs; raise the first error one of them raised."""
        self._jobs.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        """Stop after the queued jobs without raising (when the run already failed)."""
        if self._error is None:
            self._error = RuntimeError("abandoned")
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
