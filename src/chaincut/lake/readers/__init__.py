"""Named readers: every point look-up of the lake, written once over the engine abstraction.

A reader takes an `Engine` (chosen once by `Settings.engine`), builds an Ibis expression over
the engine's lake tables and runs it with `Engine.read` (thread-safe point look-ups) or
`Engine.execute`, so it answers the same on DuckDB and on Spark:

- `subjects` — an account's facts, a number's calls, a person, fraud listings;
- `events` — transfers by id, a report's losses, a victim's new contacts;
- `trace_index` — what the trace index is built and extended from.

Nothing outside `chaincut.lake` and `chaincut.ingest` opens DuckDB (ruff TID251 keeps it so).
"""
