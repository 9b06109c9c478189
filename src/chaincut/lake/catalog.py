"""The lake's physical layout in DuckDB: one table per interchange table, plus bookkeeping.

Each interchange table becomes a lake table with the format's columns typed as
`chaincut.model.schema` says, and an `extra` JSON column holding any additional columns of the
source row. `import_log` records every import and `rejects` every rejected row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from chaincut.home import private_file, private_folder
from chaincut.model.schema import EXTRA_COLUMN, TABLE_ORDER, TABLES, TableSpec
from chaincut.settings import Settings


def table_ddl(spec: TableSpec) -> str:
    cols = [f'"{c.name}" {c.duckdb_type}' for c in spec.columns]
    cols.append(f'"{EXTRA_COLUMN}" JSON')
    return f'CREATE TABLE IF NOT EXISTS "{spec.name}" ({", ".join(cols)})'


BOOKKEEPING_DDL = (
    """CREATE TABLE IF NOT EXISTS import_log (
        import_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, source VARCHAR,
        table_name VARCHAR, file VARCHAR, rows_read BIGINT, rows_imported BIGINT,
        rows_unchanged BIGINT, rows_rejected BIGINT)""",
    """CREATE TABLE IF NOT EXISTS rejects (
        import_id VARCHAR, file VARCHAR, line BIGINT, field VARCHAR, reason VARCHAR,
        table_name VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS lake_meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
)


def connect(settings: Settings, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the lake (creating it and its tables when writable) with UTC as the time zone.

    Every connection gets `settings.duckdb_config()`: DuckDB's memory is capped (a quarter of
    RAM unless `CHAINCUT_DUCKDB_MEMORY_LIMIT` says otherwise) and spills to `HOME/lake.duckdb.tmp`.
    """
    path: Path = settings.lake_path
    if read_only and not path.exists():
        read_only = False
    private_folder(path.parent)
    # threads, memory limit (a quarter of RAM unless configured) and the spill folder
    con = duckdb.connect(str(path), read_only=read_only, config=settings.duckdb_config())
    if not read_only:
        private_file(path)
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")  # the CLI draws its own progress
    if not read_only:
        ensure_tables(con)
    return con


def connect_private(settings: Settings) -> duckdb.DuckDBPyConnection:
    """A DuckDB instance of its own (in memory, `settings.duckdb_config()`) with the lake
    attached read-only and in use: settings a build changes there (spill folder, insertion
    order) are global to an instance, and must not reach the process's other connections to
    the lake (the service's shared reader)."""
    con = duckdb.connect(config=settings.duckdb_config())  # threads, memory cap: it sorts
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute("SET enable_progress_bar = false")
        con.execute("ATTACH ? AS lake (READ_ONLY)", [str(settings.lake_path)])
        con.execute("USE lake")
    except duckdb.Error:
        con.close()
        raise
    return con


#: what opening the lake for writing raises while another process holds its lock
LakeBusyError = duckdb.IOException


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name in TABLE_ORDER:
        con.execute(table_ddl(TABLES[name]))
    for ddl in BOOKKEEPING_DDL:
        con.execute(ddl)


def generation(con: duckdb.DuckDBPyConnection) -> int:
    """A counter bumped by every import that changed data: derived data keys off it."""
    # fetchall: a result left half-read blocks the connection's next query (DuckDB 2)
    rows = con.execute("SELECT value FROM lake_meta WHERE key = 'generation'").fetchall()
    return int(rows[0][0]) if rows else 0


def bump_generation(con: duckdb.DuckDBPyConnection) -> int:
    new = generation(con) + 1
    con.execute(
        "INSERT OR REPLACE INTO lake_meta VALUES ('generation', ?)",
        [str(new)],
    )
    return new
