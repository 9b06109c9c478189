"""The foreign world's gangs judged per site: boxes per cell, operators' lines per den abroad."""

from __future__ import annotations

import json
from pathlib import Path

from chaincut.evaluate.sites import sites_json


def _truth(folder: Path) -> None:
    gang = {
        "gang_id": "G1",
        "dens": [
            {"den_id": "D1", "cells": ["KH-1"]},
            {"den_id": "D2", "cells": ["AE-1"]},
        ],
        "members": [
            {"kind": "phone", "id": "+8551", "role": "operator"},
            {"kind": "phone", "id": "+9711", "role": "operator"},
            {"kind": "phone", "id": "+861", "role": "logistics"},
        ],
        "boxes": [
            {"box_id": "B1", "cell": "CN-GZ-1", "sims": [{"number": "+8617001"}]},
            {"box_id": "B2", "cell": "CN-CD-1", "sims": [{"number": "+8617002"}]},
            {"box_id": "B3", "cell": "CN-CD-1", "sims": [{"number": "+8617003"}]},
        ],
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "truth.json").write_text(json.dumps({"gangs": [gang]}), encoding="utf-8")
    (folder / "calls.csv").write_text(
        "call_id,ts,caller,callee,duration_s,cell_id,imei\n"
        "c1,2026-03-01T10:00:00,+8551,+861,60,KH-1,I1\n"
        "c2,2026-03-01T10:00:00,+9711,+861,60,AE-1,I2\n",
        encoding="utf-8",
    )


def test_a_gang_becomes_one_site_per_box_cell_and_den(tmp_path: Path) -> None:
    _truth(tmp_path)
    path = sites_json(tmp_path)
    assert path is not None
    sites = {s["den_id"]: s for s in json.loads(path.read_text(encoding="utf-8"))["dens"]}
    assert set(sites) == {"G1@CN-CD-1", "G1@CN-GZ-1", "G1@D1", "G1@D2"}
    assert [b["sims"] for b in sites["G1@CN-CD-1"]["simboxes"]] == [["+8617002"], ["+8617003"]]
    assert sites["G1@D1"]["mobile_phones"] == ["+8551"]
    assert sites["G1@D2"]["mobile_phones"] == ["+9711"]
    # the gang's other numbers are not wrong to return, only not asked for
    assert "+861" in sites["G1@D1"]["member_phones"]
    assert "+8617001" in sites["G1@D2"]["member_phones"]


def test_no_truth_no_sites(tmp_path: Path) -> None:
    assert sites_json(tmp_path) is None
