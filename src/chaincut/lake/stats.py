"""What a home's lake holds, for `chaincut stats` and the demo summary."""

from __future__ import annotations

from typing import Any

from chaincut.lake.catalog import connect, generation
from chaincut.model.schema import TABLE_ORDER, TABLES
from chaincut.settings import Settings


def describe_home(settings: Settings) -> dict[str, Any]:
    """Rows per table, time range of the timed tables, imports and rejects so far: `rejects`
    counts the problems reported (file and line), `rejected_rows` the rows they left out."""
    con = connect(settings, read_only=True)
    try:
        tables: dict[str, dict[str, Any]] = {}
        for name in TABLE_ORDER:
            spec = TABLES[name]
            if spec.time_column:
                # identifiers from the schema constants, quoted; no values in the text
                row = con.execute(
                    f'SELECT count(*), min("{spec.time_column}"), max("{spec.time_column}") '  # noqa: S608
                    f'FROM "{name}"'
                ).fetchone()
                tables[name] = {
                    "rows": int(row[0]) if row else 0,
                    "from": row[1].isoformat() + "Z" if row and row[1] else None,
                    "to": row[2].isoformat() + "Z" if row and row[2] else None,
                }
            else:
                row = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()  # noqa: S608
                tables[name] = {"rows": int(row[0]) if row else 0}
        imports = con.execute("SELECT count(DISTINCT import_id) FROM import_log").fetchone()
        rejects = con.execute(
            "SELECT count(*) FROM (SELECT DISTINCT import_id, file, line FROM rejects)"
        ).fetchone()
        # a file refused whole (a required column missing) is one reject of many rows; the log
        # holds each table's running totals within an import, so its last (largest) one counts
        rejected_rows = con.execute(
            "SELECT coalesce(sum(n), 0) FROM (SELECT max(rows_rejected) AS n FROM import_log "
            "GROUP BY import_id, table_name)"
        ).fetchone()
        return {
            "home": str(settings.home.resolve()),
            "tables": tables,
            "imports": int(imports[0]) if imports else 0,
            "rejects": int(rejects[0]) if rejects else 0,
            "rejected_rows": int(rejected_rows[0]) if rejected_rows else 0,
            "generation": generation(con),
        }
    finally:
        con.close()


def report_count(settings: Settings) -> int:
    """The reports the lake holds (0 for a lake of transactions alone, as the AMLworld sample
    imports): what `trace --all` and `gangs` start from, asked before their minutes of work."""
    con = connect(settings, read_only=True)
    try:
        row = con.execute('SELECT count(*) FROM "reports"').fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()
