"""The trace index: the ledger sorted by (account, ts, txn_id) in memory-mapped arrays.

- `mapped` — `TraceIndex`, the arrays opened memory-mapped, answering the kernel's look-ups;
- `build` / `ledger` — a full build from the lake's rows, read through a lake engine;
- `extend` — the index extended after an import that only appended transactions;
- `freshness` — `ensure_index(settings)`, which keeps the home's index in step with the lake.

The lake's rows come through `chaincut.lake.trace_index` (jobs run by the engine the settings
choose), so the index builds on DuckDB and on Spark alike.
"""

from chaincut.trace.index.mapped import TraceIndex

__all__ = ["TraceIndex"]
