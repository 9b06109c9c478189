"""The lake: bulk event tables and the analytics over them (DuckDB by default, Spark at scale)."""
