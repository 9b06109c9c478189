"""Named readers: every point look-up of the lake, written once over the engine abstraction.

A reader takes an `Engine` (chosen once by `Settings.engine`), builds an Ibis expression over
the engine's lake tables and runs it, so it answers the same on DuckDB and on Spark:

- `prepared` — `Query`: a look-up compiled once per engine, then run with bound values
  (`Engine.read_prepared`, safe across threads);
- `subjects` — an account's facts, a number's calls, a person, fraud listings, own accounts,
  regions, a number's handsets, an institution's accounts, who holds each number and account;
- `events` — transfers by id, report losses, a victim's new contacts, label counts,
  the labels of one kind;
- `trace_index` — what the trace index is built and extended from (`Engine.execute`,
  `Engine.batches` over `chaincut.lake.jobs.trace_index`);
- `clue_index` — what the clue index is built from (`ClueLake`, over
  `chaincut.lake.jobs.clue_index`), and its freshness fingerprint.

Nothing outside `chaincut.lake` and `chaincut.ingest` opens DuckDB (ruff TID251 keeps it so).
"""
