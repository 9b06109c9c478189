"""SIM boxes and fraud numbers behave as issue 7 describes."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from tests.simulate.conftest import World


def boxes(world: World) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    found = [(den, box) for den in world.info["dens"] for box in den["simboxes"]]
    assert found, "the tiny world has SIM boxes"
    return found


def test_boxes_only_call_out_from_one_cell_with_their_imeis(world: World) -> None:
    calls = world.table("calls")
    callees = {c["callee"] for c in calls}
    receivers = {m["receiver"] for m in world.table("messages")}
    for _, box in boxes(world):
        sims = set(box["sims"])
        assert 8 <= box["slots"] == len(sims) <= 128
        assert not sims & callees and not sims & receivers, "outbound only"
        mine = [c for c in calls if c["caller"] in sims]
        assert len(mine) >= 2 * box["slots"]
        assert {c["cell_id"] for c in mine} == {box["cell_id"]}
        assert {c["imei"] for c in mine} <= set(box["imeis"])
        assert len({c["callee"] for c in mine}) >= 0.9 * len(mine), "many distinct callees"
        answered = [int(c["duration_s"]) for c in mine if int(c["duration_s"]) > 0]
        assert len(answered) <= 0.5 * len(mine), "low answer rate"
        assert sorted(answered)[len(answered) // 2] <= 120, "short calls"


def test_sims_power_on_and_off_together(world: World) -> None:
    calls = world.table("calls")
    for _, box in boxes(world):
        sims = set(box["sims"])
        sessions = [(a, b) for a, b in box["sessions"]]
        for c in calls:
            if c["caller"] in sims:
                assert any(a <= c["ts"] <= b for a, b in sessions), (box["device_id"], c["ts"])


def test_imeis_per_slot_or_rotating(world: World) -> None:
    calls = world.table("calls")
    for _, box in boxes(world):
        imeis_of: dict[str, set[str]] = defaultdict(set)
        sims_of: dict[str, set[str]] = defaultdict(set)
        for c in calls:
            if c["caller"] in set(box["sims"]):
                imeis_of[c["caller"]].add(c["imei"])
                sims_of[c["imei"]].add(c["caller"])
        if box["rotating_imei"]:
            assert max(len(v) for v in imeis_of.values()) > 1
            assert max(len(v) for v in sims_of.values()) > 1
        else:
            assert all(len(v) == 1 for v in imeis_of.values())
            assert all(len(v) == 1 for v in sims_of.values())


def test_boxes_of_a_den_sit_in_one_building(world: World) -> None:
    where = {c["cell_id"]: (c["lat"], c["lon"]) for c in world.info["cells"]}
    for den in world.info["dens"]:
        spots = [where[b["cell_id"]] for b in den["simboxes"]]
        for lat, lon in spots:
            km = math.hypot((lat - spots[0][0]) * 111, (lon - spots[0][1]) * 96)
            assert km < 10


def test_sims_are_registered_to_other_people(world: World) -> None:
    labels = {(r["entity_id"], r["entity_kind"]): r["label"] for r in world.table("labels")}
    holder = {p["phone"]: p["person_id"] for p in world.table("persons")}
    for den in world.info["dens"]:
        numbers = den["mobile_phones"] + [s for b in den["simboxes"] for s in b["sims"]]
        for number in numbers:
            person = holder[number]
            assert labels[(person, "person")] == "sim_registrant"
            assert person not in {p for ps in den["members"].values() for p in ps}
        for b in den["simboxes"]:
            assert all(labels[(s, "phone")] == "simbox" for s in b["sims"])
            assert all(labels[(i, "device")] == "simbox" for i in b["imeis"])
        assert all(labels[(m, "phone")] == "fraud" for m in den["mobile_phones"])


def test_victims_were_contacted_before_they_paid(world: World) -> None:
    txns = {t["txn_id"]: t for t in world.table("transactions")}
    phone_of = {p["person_id"]: p["phone"] for p in world.table("persons")}
    fraud_numbers = {
        n
        for den in world.info["dens"]
        for n in den["mobile_phones"] + [s for b in den["simboxes"] for s in b["sims"]]
    }
    contacts: dict[str, list[str]] = defaultdict(list)
    for c in world.table("calls"):
        if c["caller"] in fraud_numbers:
            contacts[c["callee"]].append(c["ts"])
    for m in world.table("messages"):
        if m["sender"] in fraud_numbers:
            contacts[m["receiver"]].append(m["ts"])
    for r in world.table("reports"):
        first = min(txns[i]["ts"] for i in r["fraud_txn_ids"].split(";"))
        assert any(ts < first for ts in contacts[phone_of[r["victim_id"]]]), r["report_id"]
