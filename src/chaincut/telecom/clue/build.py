"""Building the clue index from the lake (layout in `chaincut.telecom.clue.store`).

| group / array | per | rows |
|---|---|---|
| `num_ids`, `imei_ids`, `cell_ids` | | sorted identifiers (codes are positions) |
| `call_off/_data`, `msg_off/_data` | call / message sequence | their ids, in (ts, id) order |
| `out_*` (`ts seq peer dur cell imei`) | number | calls it made, in time order |
| `in_*` (`ts seq peer dur`) | number | calls it received |
| `mout_*`, `min_*` (`ts seq peer`) | number | messages sent, received |
| `imei_*` (`num calls first last`) | IMEI | the SIMs that called with it |
| `cell_*` (`num calls first last`) | cell | the numbers that called from it |
| `sync_*` (`peer cell shared`) | number | its peers in sync (`chaincut.lake.jobs.number_sync`) |
| `talk_*` (`victim ts kind seq dur`) | number | its linking contacts with victims |
| `vtalk_*` (`num ts kind seq dur`) | victim number | the same, seen from the victim |
| `hold_*` (`person name idno`) | number | the persons whose phone it is |
| `idno_ids`, `idn_num` | ID number | the numbers registered to it (one row per subscription) |
| `num_victims`, `num_talked`, `num_contacts` | number | victims reached, talked to; contacts |
| `num_sync`, `num_max_sims` | number | peers in sync; most SIMs on one of its IMEIs |
| `num_score` | number | the shipped number model's score (`chaincut.telecom.model`) |
| `vic_*` (`first last`), `rep_*` | victim number | report times; their reports (ids, times, types) |

Times are microseconds since the epoch (UTC). The sync pairs and the victim contacts come from
the lake jobs themselves, run by Ibis on the build's DuckDB connection, so the clue and the
scores agree on what "in sync" and "talked to a victim" mean.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Final

import duckdb
import ibis
import numpy as np
import pyarrow as pa

from chaincut.lake.jobs.number_features import DEFAULT_UTC_OFFSET, LONG_SECONDS
from chaincut.lake.jobs.number_sync import sync_pairs
from chaincut.lake.jobs.number_victims import victim_contacts, victim_phones
from chaincut.telecom.clue.store import FORMAT_VERSION, save, save_texts, sorted_ids, write_groups
from chaincut.telecom.indicators import GROOMING, GROOMING_MANY, MIN_WORKED, VICTIM_SHARE

#: the parameters the answers read from the index (recorded in meta.json)
PARAMS: Final = {
    "utc_offset_hours": DEFAULT_UTC_OFFSET,
    "long_seconds": LONG_SECONDS,
    "victim_share": VICTIM_SHARE,
    "grooming": GROOMING,
    "min_worked": MIN_WORKED,
    "grooming_many": GROOMING_MANY,
}


_SETUP = (
    """CREATE TEMP TABLE nums AS SELECT number, (row_number() OVER (ORDER BY number) - 1)::INTEGER
       AS code FROM (SELECT caller AS number FROM lake.calls UNION SELECT callee FROM lake.calls
       UNION SELECT sender FROM lake.messages UNION SELECT receiver FROM lake.messages
       UNION SELECT phone FROM lake.persons WHERE phone IS NOT NULL)""",
    """CREATE TEMP TABLE idnos AS SELECT id_number, (row_number() OVER (ORDER BY id_number) - 1)
       ::INTEGER AS code FROM (SELECT DISTINCT id_number FROM lake.persons
       WHERE id_number IS NOT NULL AND phone IS NOT NULL)""",
    """CREATE TEMP TABLE imeis AS SELECT imei, (row_number() OVER (ORDER BY imei) - 1)::INTEGER
       AS code FROM (SELECT DISTINCT imei FROM lake.calls WHERE imei IS NOT NULL)""",
    """CREATE TEMP TABLE cells AS SELECT cell_id, (row_number() OVER (ORDER BY cell_id) - 1)
       ::INTEGER AS code FROM (SELECT DISTINCT cell_id FROM lake.calls
       WHERE cell_id IS NOT NULL)""",
    """CREATE TEMP TABLE cx AS SELECT (row_number() OVER (ORDER BY c.ts, c.call_id) - 1)::BIGINT
       AS seq, c.call_id, epoch_us(c.ts) AS ts, a.code AS caller, b.code AS callee,
       least(greatest(c.duration_s, 0), 2147483647)::INTEGER AS dur,
       coalesce(l.code, -1)::INTEGER AS cell, coalesce(i.code, -1)::INTEGER AS imei
       FROM lake.calls c JOIN nums a ON a.number = c.caller JOIN nums b ON b.number = c.callee
       LEFT JOIN cells l ON l.cell_id = c.cell_id LEFT JOIN imeis i ON i.imei = c.imei""",
    """CREATE TEMP TABLE mx AS SELECT (row_number() OVER (ORDER BY m.ts, m.msg_id) - 1)::BIGINT
       AS seq, m.msg_id, epoch_us(m.ts) AS ts, a.code AS sender, b.code AS receiver
       FROM lake.messages m JOIN nums a ON a.number = m.sender
       JOIN nums b ON b.number = m.receiver""",
)


def _ids(con: duckdb.DuckDBPyConnection, out: Path, name: str, sql: str) -> int:
    ids = sorted_ids(con.sql(sql).to_arrow_table().column(0))
    save(out, name, ids)
    return len(ids)


def _texts(con: duckdb.DuckDBPyConnection, out: Path, name: str, sql: str) -> int:
    reader = con.sql(sql).to_arrow_reader(1 << 20)
    return save_texts(out, name, (batch.column(0) for batch in reader))


def _jobs(con: duckdb.DuckDBPyConnection) -> None:
    """The sync pairs and the victim contacts, by the lake jobs, as temp tables."""
    backend = ibis.duckdb.from_connection(con)
    t = {n: backend.table(n, database="lake") for n in ("calls", "messages", "persons", "reports")}
    backend.create_table("sync_rows", sync_pairs(t["calls"]), temp=True)
    victims = victim_phones(t["reports"], t["persons"])
    backend.create_table("victim_rows", victims, temp=True)
    contacts = victim_contacts(t["calls"], t["messages"], victims)
    backend.create_table("contact_rows", contacts, temp=True)


def build_clue_index(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, Any]:
    """Write the clue index of the lake attached to `con` as `lake` into `out`; return its
    metadata (written last, to `out/meta.json`, so a folder with one is complete)."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for sql in _SETUP:
        con.execute(sql)
    _jobs(con)
    n = _ids(con, out, "num_ids", "SELECT number FROM nums ORDER BY code")
    n_imei = _ids(con, out, "imei_ids", "SELECT imei FROM imeis ORDER BY code")
    n_cell = _ids(con, out, "cell_ids", "SELECT cell_id FROM cells ORDER BY code")
    n_idno = _ids(con, out, "idno_ids", "SELECT id_number FROM idnos ORDER BY code")
    calls = _texts(con, out, "call", "SELECT call_id FROM cx ORDER BY seq")
    msgs = _texts(con, out, "msg", "SELECT msg_id FROM mx ORDER BY seq")
    i32, i64, i8 = np.int32, np.int64, np.int8
    groups: list[tuple[str, str, int, dict[str, Any]]] = [
        ("out", "SELECT caller AS key, ts, seq, callee AS peer, dur, cell, imei FROM cx "
         "ORDER BY caller, ts, seq", n,
         {"ts": i64, "seq": i64, "peer": i32, "dur": i32, "cell": i32, "imei": i32}),
        ("in", "SELECT callee AS key, ts, seq, caller AS peer, dur FROM cx "
         "ORDER BY callee, ts, seq", n, {"ts": i64, "seq": i64, "peer": i32, "dur": i32}),
        ("mout", "SELECT sender AS key, ts, seq, receiver AS peer FROM mx "
         "ORDER BY sender, ts, seq", n, {"ts": i64, "seq": i64, "peer": i32}),
        ("min", "SELECT receiver AS key, ts, seq, sender AS peer FROM mx "
         "ORDER BY receiver, ts, seq", n, {"ts": i64, "seq": i64, "peer": i32}),
        ("imei", "SELECT imei AS key, caller AS num, count(*) AS calls, min(ts) AS first, "
         "max(ts) AS last FROM cx WHERE imei >= 0 GROUP BY imei, caller ORDER BY imei, caller",
         n_imei, {"num": i32, "calls": i64, "first": i64, "last": i64}),
        ("cell", "SELECT cell AS key, caller AS num, count(*) AS calls, min(ts) AS first, "
         "max(ts) AS last FROM cx WHERE cell >= 0 GROUP BY cell, caller ORDER BY cell, caller",
         n_cell, {"num": i32, "calls": i64, "first": i64, "last": i64}),
        ("sync", "SELECT a.code AS key, b.code AS peer, l.code AS cell, s.shared::INTEGER AS "
         "shared FROM sync_rows s JOIN nums a ON a.number = s.number JOIN nums b ON "
         "b.number = s.peer JOIN cells l ON l.cell_id = s.cell_id ORDER BY key, peer, cell", n,
         {"peer": i32, "cell": i32, "shared": i32}),
        ("talk", f"{_TALK} ORDER BY key, ts, kind, seq", n,
         {"victim": i32, "ts": i64, "kind": i8, "seq": i64, "dur": i32}),
        ("hold", "SELECT n.code AS key, p.person_id AS person FROM lake.persons p JOIN nums n "
         "ON n.number = p.phone ORDER BY key, person", n, {}),
        ("idn", "SELECT DISTINCT i.code AS key, n.code AS num FROM lake.persons p JOIN idnos i "
         "ON i.id_number = p.id_number JOIN nums n ON n.number = p.phone ORDER BY key, num",
         n_idno, {"num": i32}),
    ]  # fmt: skip
    rows = {g: write_groups(con, out, g, sql, k, cols) for g, sql, k, cols in groups}
    _texts(con, out, "hold_person", _HOLDERS.format(col="p.person_id"))
    _texts(con, out, "hold_name", _HOLDERS.format(col="p.name"))
    _texts(con, out, "hold_idno", _HOLDERS.format(col="p.id_number"))
    _per_number(con, out, n)
    threshold = _scores(con, out, n)
    reports = _victims(con, out)
    meta: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "numbers": n,
        "imeis": n_imei,
        "calls": calls,
        "messages": msgs,
        "reports": reports,
        "rows": rows,
        "build_seconds": round(time.perf_counter() - started, 3),
        "params": {**PARAMS, "score_threshold": threshold},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta


_TALK = """SELECT a.code AS key, v.code AS victim, epoch_us(c.ts) AS ts,
    (CASE WHEN c.kind = 'call' THEN 0 ELSE 1 END)::TINYINT AS kind,
    coalesce(cx.seq, mx.seq) AS seq, coalesce(cx.dur, 0) AS dur
    FROM contact_rows c JOIN nums a ON a.number = c.number JOIN nums v ON v.number = c.other
    LEFT JOIN cx ON c.kind = 'call' AND cx.call_id = c.event_id
    LEFT JOIN mx ON c.kind = 'message' AND mx.msg_id = c.event_id
    WHERE c.talk"""
_HOLDERS = """SELECT {col} FROM lake.persons p JOIN nums n ON n.number = p.phone
    ORDER BY n.code, p.person_id"""


def _per_number(con: duckdb.DuckDBPyConnection, out: Path, n: int) -> None:
    """Victims reached and talked to, people contacted, peers in sync, the most SIMs seen on
    one of its IMEIs: per number code."""
    sql = """SELECT a.code AS code, count(DISTINCT c.other) AS victims,
        count(DISTINCT c.other) FILTER (WHERE c.talk) AS talked
        FROM contact_rows c JOIN nums a ON a.number = c.number GROUP BY a.code"""
    contacts = """SELECT number AS code, count(DISTINCT other) AS contacts FROM (
        SELECT caller AS number, callee AS other FROM cx
        UNION ALL SELECT sender, receiver FROM mx) GROUP BY number"""
    sync = """SELECT a.code AS code, count(DISTINCT s.peer) AS peers FROM sync_rows s
        JOIN nums a ON a.number = s.number GROUP BY a.code"""
    sims = """SELECT u.caller AS code, max(d.sims) AS sims FROM
        (SELECT DISTINCT caller, imei FROM cx WHERE imei >= 0) u JOIN
        (SELECT imei, count(DISTINCT caller) AS sims FROM cx WHERE imei >= 0 GROUP BY imei) d
        ON d.imei = u.imei GROUP BY u.caller"""
    for name, query, column in (
        ("num_victims", sql, "victims"),
        ("num_talked", sql, "talked"),
        ("num_contacts", contacts, "contacts"),
        ("num_sync", sync, "peers"),
        ("num_max_sims", sims, "sims"),
    ):
        values = np.zeros(n, np.int32)
        table = con.sql(query).to_arrow_table()
        codes = table.column("code").to_numpy().astype(np.int64)
        values[codes] = table.column(column).to_numpy()
        save(out, name, values)


def _scores(con: duckdb.DuckDBPyConnection, out: Path, n: int) -> float:
    """`num_score`: the shipped number model's score of every number (0 for a number with no
    calls or messages), from the same lake job and model as `chaincut score numbers`, so the
    den search weighs the same evidence; returns the model's threshold."""
    from chaincut.lake.jobs.number_features import number_features
    from chaincut.telecom.features import number_frame
    from chaincut.telecom.model import shipped

    backend = ibis.duckdb.from_connection(con)
    t = {n: backend.table(n, database="lake") for n in ("calls", "messages", "persons", "reports")}
    frame = number_frame(
        backend.to_pyarrow(number_features(t["calls"], t["messages"], t["persons"], t["reports"]))
    )
    model = shipped("number")
    scored = pa.table({"number": frame.ids.tolist(), "score": model.scores(frame)})
    con.register("num_scored", scored)
    table = con.sql(
        "SELECT n.code, s.score FROM num_scored s JOIN nums n ON n.number = s.number"
    ).to_arrow_table()
    con.unregister("num_scored")
    values = np.zeros(n, np.float32)
    values[table.column("code").to_numpy().astype(np.int64)] = table.column("score").to_numpy()
    save(out, "num_score", values)
    return float(model.threshold)


def _victims(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Victims' numbers (sorted codes) with their report times, reports and linking contacts."""
    victims = con.sql(
        """SELECT n.code, epoch_us(v.first_report_ts) AS first, epoch_us(v.last_report_ts)
           AS last FROM victim_rows v JOIN nums n ON n.number = v.phone ORDER BY n.code"""
    ).to_arrow_table()
    codes = victims.column("code").to_numpy().astype(np.int32)
    save(out, "vic_code", codes)
    save(out, "vic_first", victims.column("first").to_numpy().astype(np.int64))
    save(out, "vic_last", victims.column("last").to_numpy().astype(np.int64))
    con.register("vic_codes", victims.select(["code"]))
    con.execute(
        "CREATE TEMP TABLE vpos AS SELECT code, (row_number() OVER (ORDER BY code) - 1)::INTEGER"
        " AS pos FROM vic_codes"
    )
    reports = """SELECT vp.pos AS key, r.report_id AS id, epoch_us(r.ts) AS ts,
        coalesce(r.fraud_type, '') AS type FROM lake.reports r
        JOIN lake.persons p ON p.person_id = r.victim_id JOIN nums n ON n.number = p.phone
        JOIN vpos vp ON vp.code = n.code ORDER BY key, ts, id"""
    count = write_groups(con, out, "rep", reports, len(codes), {"ts": np.int64})
    _texts(con, out, "rep_id", f"SELECT id FROM ({reports})")
    _texts(con, out, "rep_type", f"SELECT type FROM ({reports})")
    talk = f"""SELECT vp.pos AS key, t.key AS num, t.ts, t.kind, t.seq, t.dur FROM ({_TALK}) t
        JOIN vpos vp ON vp.code = t.victim ORDER BY key, ts, kind, seq, num"""
    write_groups(
        con, out, "vtalk", talk, len(codes),
        {"num": np.int32, "ts": np.int64, "kind": np.int8, "seq": np.int64, "dur": np.int32},
    )  # fmt: skip
    return count
