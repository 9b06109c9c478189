"""The number, device and cell jobs on the mini lake, against hand-worked answers, per engine."""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow as pa

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.cell_features import cell_features
from chaincut.lake.jobs.device_features import device_features
from chaincut.lake.jobs.number_examples import device_examples, number_examples
from chaincut.lake.jobs.number_features import number_features
from chaincut.lake.jobs.number_sync import sync_pairs
from chaincut.lake.jobs.number_victims import victim_phones
from tests.lake.conftest import ts
from tests.telecom.conftest import S1, S2, S3, S4, SIMS, A, B, L, V, W


def _args(engine: Engine) -> tuple[Any, Any, Any, Any]:
    t = engine.tables(("calls", "messages", "persons", "reports"))
    return t["calls"], t["messages"], t["persons"], t["reports"]


def _by(engine: Engine, expr: Any, key: str) -> dict[str, dict[str, Any]]:
    return {r[key]: r for r in engine.execute(expr).to_pylist()}


def test_box_sims(engine: Engine) -> None:
    rows = _by(engine, number_features(*_args(engine)), "number")
    s1, s2, s3 = rows[S1], rows[S2], rows[S3]
    assert (s1["out_calls"], s1["in_calls"], s1["out_answered"]) == (3, 0, 0)
    assert (s1["distinct_callees"], s1["reciprocal_callees"], s1["cells"]) == (3, 0, 1)
    assert (s1["imeis"], s3["imeis"], s1["max_sims_per_imei"], rows[S4]["max_sims_per_imei"]) == (
        1, 2, 2, 1,
    )  # fmt: skip
    assert all(rows[s]["sync_peers"] == 3 and rows[s]["sync_cells"] == 1 for s in SIMS)
    assert s1["sync_shared_max"] == 3 and s1["active_windows"] == 3
    # S3 rotated onto S1's IMEI: two of the box's group in sync share a device
    assert all(rows[s]["sync_sharers"] == 2 for s in SIMS)
    assert (s2["out_calls"], s2["out_answered"], s2["out_short"], s2["out_long"]) == (4, 2, 1, 1)
    assert (s2["out_duration_s"], s2["victim_calls"], s2["victims_contacted"]) == (612, 1, 1)
    assert s2["victims_talked"] == 1
    # local (UTC+8) hours 17, 18, 22 on one local day
    assert (s1["active_hours"], s1["active_days"], s1["night_calls"]) == (3, 1, 0)


def test_people_and_the_fraud_line(engine: Engine) -> None:
    rows = _by(engine, number_features(*_args(engine)), "number")
    a, line = rows[A], rows[L]
    assert (a["out_calls"], a["in_calls"], a["distinct_callees"]) == (3, 1, 2)
    assert (a["reciprocal_callees"], a["distinct_callers"], a["msgs_out"]) == (1, 1, 1)
    assert (a["victims_contacted"], a["victims_talked"], a["contacts_out"]) == (1, 0, 2)
    assert a["sync_peers"] == 0 and a["sync_sharers"] == 0 and rows[B]["reciprocal_callees"] == 1
    assert rows[B]["night_calls"] == 1  # 20:00 UTC is 04:00 in Beijing
    assert (line["victim_calls"], line["victim_msgs"], line["victims_contacted"]) == (1, 3, 2)
    assert (line["victims_talked"], line["contacts_out"], line["msgs_in"]) == (2, 2, 1)
    assert rows[V]["in_calls"] == 3 and rows[V]["msgs_out"] == 1
    assert rows[W]["first_ts"] == rows[W]["last_ts"] == ts("2024-03-01 13:00:00")
    assert a["first_ts"] == ts("2024-03-01 08:00:00") and a["last_ts"] == ts("2024-03-02 08:00:00")


def test_sync_pairs_are_symmetric_and_only_in_the_box(engine: Engine) -> None:
    pairs = engine.execute(sync_pairs(engine.table("calls"))).to_pylist()
    found = {(p["number"], p["peer"]) for p in pairs}
    assert found == {(a, b) for a in SIMS for b in SIMS if a != b}
    assert {p["cell_id"] for p in pairs} == {"C9"} and {p["shared"] for p in pairs} == {3}


def test_victims(engine: Engine) -> None:
    t = engine.tables(("reports", "persons"))
    rows = _by(engine, victim_phones(t["reports"], t["persons"]), "phone")
    assert set(rows) == {V, W}
    assert rows[V]["first_report_ts"] == ts("2024-03-02 10:00:00") and rows[V]["reports"] == 1


def test_devices(engine: Engine) -> None:
    rows = _by(engine, device_features(*_args(engine)), "imei")
    i1 = rows["I1"]
    assert (i1["calls"], i1["sims"], i1["answered"], i1["cells"]) == (4, 2, 0, 1)
    assert (i1["sims_in_calls"], i1["sims_max_imeis"], i1["sims_in_sync"]) == (0, 2, 2)
    assert i1["max_sync_peers"] == 3 and i1["victim_calls"] == 0 and i1["sync_sharers"] == 2
    assert (rows["I2"]["victim_calls"], rows["I2"]["victims_contacted"]) == (1, 1)
    assert rows["IA"]["sims_in_calls"] == 1 and rows["IA"]["sims_in_sync"] == 0


def test_a_devices_site_is_its_busiest_cells_reused_imeis(engine: Engine) -> None:
    rows = _by(engine, device_features(*_args(engine)), "imei")
    # at C9, I1 carried S1 and S3 and S3 also used I3: both reused; I2 and I4 never were
    assert {i: rows[i]["site_reused"] for i in ("I1", "I2", "I3", "I4")} == {
        "I1": 1, "I2": 2, "I3": 1, "I4": 2,
    }  # fmt: skip
    # I2 called at 09, 10 and 14 h, each hour one in which I1 or I3 called from C9 too; and
    # once more (v1, 10:12) in such an hour
    assert rows["I2"]["site_calls"] == 4 and rows["I4"]["site_calls"] == 3
    # the people's handsets are at cells with no reused IMEI, and A is called back
    assert all(rows[i]["site_reused"] == rows[i]["site_calls"] == 0 for i in ("IA", "IB", "IL"))


def test_cells(engine: Engine) -> None:
    rows = _by(engine, cell_features(*_args(engine)), "cell_id")
    c9 = rows["C9"]
    assert (c9["calls"], c9["numbers"], c9["imeis"], c9["active_windows"]) == (13, 4, 4, 3)
    assert (c9["max_numbers_in_window"], c9["outbound_numbers"], c9["sync_numbers"]) == (4, 4, 4)
    assert (c9["victim_calls"], rows["C5"]["victim_calls"], rows["C1"]["victim_calls"]) == (1, 1, 1)
    assert rows["C1"]["sync_numbers"] == 0


def test_examples(engine: Engine) -> None:
    wanted = ibis.memtable(pa.table({"id": [S1, S2, L]}))
    rows = engine.execute(number_examples(*_args(engine), wanted, 2)).to_pylist()
    got: dict[tuple[str, str], list[str]] = {}
    for r in sorted(rows, key=lambda r: (r["ts"], r["event_id"])):
        got.setdefault((r["id"], r["kind"]), []).append(r["event_id"])
    assert got[(S1, "out")] == ["b01", "b05"] and got[(S1, "unanswered")] == ["b01", "b05"]
    assert got[(S1, "device")] == ["b07"]  # S3's call on S1's IMEI I1
    assert len(got[(S1, "sync")]) == 2 and len(got[(S1, "sync_peer")]) == 2
    assert got[(S2, "victim")] == ["v1"] and got[(S2, "short")] == ["b06"]
    assert got[(L, "victim")] == ["m1", "l1"]
    devices = ibis.memtable(pa.table({"id": ["I1"]}))
    rows = engine.execute(device_examples(*_args(engine), devices, 3)).to_pylist()
    kinds = {r["kind"] for r in rows}
    assert kinds == {"out", "unanswered", "sims", "sync", "site"}
    assert {r["event_id"] for r in rows if r["kind"] == "sims"} == {"b01", "b07"}
    # the site: the first call of I3, the other reused IMEI at C9
    assert [r["event_id"] for r in rows if r["kind"] == "site"] == ["b03"]
