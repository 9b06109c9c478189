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
| `text_off/_data` | shared text | texts of 15+ characters that 2 or more numbers sent word for word |
| `stxt_*` (`text seq`), `tsnd_*` (`num seq`) | number / shared text | the shared texts it sent (with its first such message); the numbers that sent it |
| `ntxt_*` (`text seq`), `nsnd_*` (`num seq`) | number / template | the same for templates: texts with digits and links blanked (`chaincut.telecom.clue.script`) |
| `num_victims`, `num_talked`, `num_contacts` | number | victims reached, talked to; contacts |
| `num_sync`, `num_max_sims` | number | peers in sync; most SIMs on one of its IMEIs |
| `num_score` | number | the shipped number model's score (`chaincut.telecom.model`) |
| `vic_*` (`first last`), `rep_*` | victim number | report times; their reports (ids, times, types) |
| `acct_ids`; `vacc_*` (`acct hop`), `accv_*` (`victim hop`) | victim number / account | the accounts its reports' money reached within the chain; the victims whose money reached an account (`chaincut.telecom.clue.money`) |
| `cardh_ids`; `ncard_*` (`acct holder`), `acard_*` (`num`) | number / account | the reached accounts registered with the number (`accounts.reg_phone`) and their holders; the numbers an account was registered with (`chaincut.telecom.clue.chain.card_phones`) |

Times are microseconds since the epoch (UTC). Every row comes through the lake gateway
(`chaincut.lake.readers.clue_index` over the jobs of `chaincut.lake.jobs.clue_index`) on the
settings' engine, DuckDB or Spark, and both write the same arrays. The sync pairs and the victim
contacts are the lake jobs the scores use, so the clue and the scores agree on what "in sync"
and "talked to a victim" mean.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Final

import numpy as np
import pyarrow as pa

from chaincut.lake.engine import Capability, Engine
from chaincut.lake.jobs import clue_index as jobs
from chaincut.lake.jobs.number_features import DEFAULT_UTC_OFFSET, LONG_SECONDS
from chaincut.lake.readers.clue_index import ClueLake
from chaincut.telecom.clue import chain, script
from chaincut.telecom.clue.store import FORMAT_VERSION, save, save_texts, sorted_ids, write_groups
from chaincut.telecom.indicators import GROOMING, GROOMING_MANY, MIN_WORKED, VICTIM_SHARE

#: the parameters the answers read from the index (recorded in meta.json)
#: the number score from which the den search takes a number as a lead it may link by where it
#: calls from (`den.py`): the threshold the clue was validated with in rounds five to nine.
#: Since round ten the number model's own threshold is chosen for the harm of cutting a line at
#: 1 % prevalence (0.974); a lead an analyst checks is no cut, and on eight training worlds the
#: model's threshold returned 83.5 % of a den's numbers against 86.8 % at this one with the same
#: innocent numbers per clue (docs/telecom.md "Round ten: the clue's lead threshold")
LEAD_SCORE: Final = 0.921

PARAMS: Final = {
    "utc_offset_hours": DEFAULT_UTC_OFFSET,
    "long_seconds": LONG_SECONDS,
    "victim_share": VICTIM_SHARE,
    "grooming": GROOMING,
    "min_worked": MIN_WORKED,
    "grooming_many": GROOMING_MANY,
}

#: the codes tables, their identifier column and the array of the sorted identifiers
IDENTIFIERS: Final = (
    ("nums", "number", "num_ids"),
    ("imeis", "imei", "imei_ids"),
    ("cells", "cell_id", "cell_ids"),
    ("idnos", "id_number", "idno_ids"),
)
i32, i64, i8 = np.int32, np.int64, np.int8
#: group name, job, its inputs (kept tables or lake tables), the key's kind, the columns kept
GROUPS: Final[list[tuple[str, Any, tuple[str, ...], str, dict[str, Any]]]] = [
    ("out", jobs.calls_made, ("cx",), "nums",
     {"ts": i64, "seq": i64, "peer": i32, "dur": i32, "cell": i32, "imei": i32}),
    ("in", jobs.calls_taken, ("cx",), "nums", {"ts": i64, "seq": i64, "peer": i32, "dur": i32}),
    ("mout", jobs.messages_sent, ("mx",), "nums", {"ts": i64, "seq": i64, "peer": i32}),
    ("min", jobs.messages_received, ("mx",), "nums", {"ts": i64, "seq": i64, "peer": i32}),
    ("imei", lambda cx: jobs.callers_at(cx, "imei"), ("cx",), "imeis",
     {"num": i32, "calls": i64, "first": i64, "last": i64}),
    ("cell", lambda cx: jobs.callers_at(cx, "cell"), ("cx",), "cells",
     {"num": i32, "calls": i64, "first": i64, "last": i64}),
    ("sync", jobs.sync_rows, ("sync", "nums", "cells"), "nums",
     {"peer": i32, "cell": i32, "shared": i32}),
    ("talk", lambda t: t.order_by(["key", "ts", "kind", "seq"]), ("talk",), "nums",
     {"victim": i32, "ts": i64, "kind": i8, "seq": i64, "dur": i32}),
    ("idn", jobs.registered_numbers, ("persons", "idnos", "nums"), "idnos", {"num": i32}),
    ("stxt", jobs.sender_texts, ("shared",), "nums", {"text": i32, "seq": i64}),
    ("tsnd", jobs.text_senders, ("shared",), "texts", {"num": i32, "seq": i64}),
    ("ntxt", script.sender_templates, ("messages", "mx"), "nums", {"text": i32, "seq": i64}),
    ("nsnd", script.template_senders, ("messages", "mx"), "templates", {"num": i32, "seq": i64}),
]  # fmt: skip


def build_clue_index(engine: Engine, out: Path) -> dict[str, Any]:
    """Write the clue index of the lake `engine` reads into `out`; return its metadata
    (written last, to `out/meta.json`, so a folder with one is complete)."""
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with ClueLake.open(engine) as lake:
        sizes: dict[str, int] = {}
        for name, column, saved in IDENTIFIERS:
            ids = sorted_ids(lake.ids(name, column))
            save(out, saved, ids)
            sizes[name] = len(ids)
        calls = save_texts(out, "call", lake.texts("cx", "call_id"))
        msgs = save_texts(out, "msg", lake.texts("mx", "msg_id"))
        listed = lake.query(jobs.text_list, "shared")
        sizes["texts"] = save_texts(out, "text", lake.column(listed, "text", "clue_text_list"))
        counted = lake.execute(lake.query(script.template_count, "messages", "mx"), "clue_tpl")
        sizes["templates"] = int(counted.column("n")[0].as_py() or 0) if counted.num_rows else 0
        rows: dict[str, int] = {}
        for group, job, inputs, keys, columns in GROUPS:
            total, batches = lake.group(job, *inputs, label=f"clue_{group}")
            rows[group] = write_groups(out, group, batches, total, sizes[keys], columns)
        rows["hold"] = _holders(lake, out, sizes["nums"])
        _per_number(lake, out, sizes["nums"])
        threshold = _scores(lake, out)
        reports = _victims(lake, out)
        rows["money"] = _money(lake, out)
    meta: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "numbers": sizes["nums"],
        "imeis": sizes["imeis"],
        "calls": calls,
        "messages": msgs,
        "reports": reports,
        "rows": rows,
        "build_seconds": round(time.perf_counter() - started, 3),
        "params": {**PARAMS, "score_threshold": min(threshold, LEAD_SCORE)},
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return meta


def _holders(lake: ClueLake, out: Path, n: int) -> int:
    """`hold_off` per number, and the holders' person ids, names and ID numbers in that order."""
    total, batches = lake.group(jobs.holders, "persons", "nums", label="clue_hold")
    count = write_groups(out, "hold", batches, total, n, {})
    for column in ("person", "name", "idno"):
        texts = lake.column(lake.query(jobs.holders, "persons", "nums"), column, "clue_holders")
        save_texts(out, f"hold_{column}", texts)
    return count


def _per_number(lake: ClueLake, out: Path, n: int) -> None:
    """Victims reached and talked to, people contacted, peers in sync, the most SIMs seen on
    one of its IMEIs: per number code."""
    victims = lake.execute(lake.query(jobs.number_victims, "contacts", "nums"), "clue_victims")
    contacts = lake.execute(lake.query(jobs.number_contacts, "cx", "mx"), "clue_contacts")
    peers = lake.execute(lake.query(jobs.number_peers, "sync", "nums"), "clue_peers")
    sims = lake.execute(lake.query(jobs.number_sims, "cx"), "clue_sims")
    for name, table, column in (
        ("num_victims", victims, "victims"),
        ("num_talked", victims, "talked"),
        ("num_contacts", contacts, "contacts"),
        ("num_sync", peers, "peers"),
        ("num_max_sims", sims, "sims"),
    ):
        values = np.zeros(n, np.int32)
        codes = table.column("code").to_numpy().astype(np.int64)
        values[codes] = table.column(column).to_numpy()
        save(out, name, values)


def _scores(lake: ClueLake, out: Path) -> float:
    """`num_score`: the shipped number model's score of every number (0 for a number with no
    calls or messages), from the same lake job and model as `chaincut score numbers`, so the
    den search weighs the same evidence; returns the model's threshold (the den search takes
    leads from `LEAD_SCORE` where that is lower)."""
    from chaincut.lake.jobs.number_features import number_features
    from chaincut.telecom.features import number_frame
    from chaincut.telecom.model import shipped

    t = {name: lake.table(name) for name in ("calls", "messages", "persons", "reports")}
    features = number_features(t["calls"], t["messages"], t["persons"], t["reports"])
    frame = number_frame(lake.engine.execute(features, label="clue_number_features"))
    model = shipped("number")
    ids = np.load(out / "num_ids.npy")
    values = np.zeros(len(ids), np.float32)
    if len(frame.ids):
        wanted = np.array([str(i).encode() for i in frame.ids], dtype=object)
        pos = np.searchsorted(ids, wanted.astype(ids.dtype))
        found = (pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == wanted.astype(bytes))
        values[pos[found]] = np.asarray(model.scores(frame), dtype=np.float32)[found]
    save(out, "num_score", values)
    return float(model.threshold)


def _victims(lake: ClueLake, out: Path) -> int:
    """Victims' numbers (sorted codes) with their report times, reports and linking contacts."""
    victims = lake.execute(lake["vpos"], "clue_victim_codes").sort_by("code")
    save(out, "vic_code", victims.column("code").to_numpy().astype(np.int32))
    save(out, "vic_first", victims.column("first").to_numpy().astype(np.int64))
    save(out, "vic_last", victims.column("last").to_numpy().astype(np.int64))
    n = victims.num_rows
    total, batches = lake.group(
        jobs.victim_reports, "reports", "persons", "nums", "vpos", label="clue_rep"
    )
    count = write_groups(out, "rep", batches, total, n, {"ts": np.int64})
    for column in ("id", "type"):
        texts = lake.query(jobs.victim_reports, "reports", "persons", "nums", "vpos")
        save_texts(out, f"rep_{column}", lake.column(texts, column, "clue_reports"))
    talk_cols = {"num": np.int32, "ts": np.int64, "kind": np.int8, "seq": np.int64, "dur": np.int32}
    total, batches = lake.group(jobs.victim_talk, "talk", "vpos", label="clue_vtalk")
    write_groups(out, "vtalk", batches, total, n, talk_cols)
    return count


def _money(lake: ClueLake, out: Path) -> int:
    """`acct_ids` and the groups `vacc_*`, `accv_*`: where each victim's reported money went
    (`chaincut.telecom.clue.money`); returns the rows."""
    victims = len(np.load(out / "vic_code.npy"))
    inputs = ("reports", "transactions", "accounts", "persons", "nums", "vpos")
    rows = lake.execute(lake.query(chain.chain_rows, *inputs), "clue_money")
    groups = chain.money_groups(rows, victims)
    save(out, "acct_ids", groups.ids)
    for name, (off, values, hops), column in (
        ("vacc", groups.by_victim, "acct"),
        ("accv", groups.by_account, "victim"),
    ):
        save(out, f"{name}_off", off)
        save(out, f"{name}_{column}", values)
        save(out, f"{name}_hop", hops)
    _cards(lake, out, rows, groups.ids, inputs)
    return int(rows.num_rows)


def _cards(lake: ClueLake, out: Path, rows: Any, account_ids: Any, inputs: tuple[str, ...]) -> None:
    """`cardh_ids` and the groups `ncard_*` (`acct holder`), `acard_*` (`num`): the reached
    cards registered with each number (`chain.card_phones`); empty where the engine cannot
    read an extra column (Spark, `Capability.JSON_STRING_FIELD`) or no account has one."""
    numbers = len(np.load(out / "num_ids.npy"))
    if len(rows) and lake.engine.supports(Capability.JSON_STRING_FIELD):
        reached = lake.query(chain.chain_rows, *inputs)
        expr = chain.card_phones(reached, lake.table("accounts"), lake["nums"])
        found = lake.execute(expr, "clue_cards")
    else:
        found = pa.table({"code": pa.array([], pa.int64()), "account": pa.array([], pa.string()),
                          "holder": pa.array([], pa.string())})  # fmt: skip
    groups = chain.card_groups(found, account_ids, numbers)
    save(out, "cardh_ids", groups.holder_ids)
    off, acct, holder = groups.by_number
    save(out, "ncard_off", off)
    save(out, "ncard_acct", acct)
    save(out, "ncard_holder", holder)
    save(out, "acard_off", groups.by_account[0])
    save(out, "acard_num", groups.by_account[1])
