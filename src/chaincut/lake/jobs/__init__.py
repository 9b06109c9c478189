"""Lake jobs: pure functions from Ibis tables to an Ibis table.

A job never executes, reads files or asks which engine it runs on; `chaincut.lake.engine`
does the I/O. Each job therefore runs unchanged on DuckDB and on Spark.
"""

from __future__ import annotations

from chaincut.lake.jobs.activity import WINDOW_UNITS, Window, account_activity, time_window_degree
from chaincut.lake.jobs.edges import DEFAULT_CURRENCY, MONEY_TOTAL, account_edges
from chaincut.lake.jobs.stats import PARTY_COLUMNS, lake_stats

__all__ = [
    "DEFAULT_CURRENCY",
    "MONEY_TOTAL",
    "PARTY_COLUMNS",
    "WINDOW_UNITS",
    "Window",
    "account_activity",
    "account_edges",
    "lake_stats",
    "time_window_degree",
]
