"""SIM boxes and fraud numbers behave as issue 7 describes, run the way real dens run them."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.simulate.conftest import World, make_world

EASY: dict[str, Any] = {
    "simbox_fill": (1.0, 1.0), "simbox_stagger_min": 0.0, "simbox_idle_share": 0.0,
    "simbox_swap_rate": 0.0, "simbox_move_share": 0.0, "callback_rate": 0.0,
}  # fmt: skip


def boxes(world: World) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    found = [(den, box) for den in world.info["dens"] for box in den["simboxes"]]
    assert found, "the tiny world has SIM boxes"
    return found


def t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Every box moves, swaps SIMs often and leaves slots idle."""
    return make_world(
        tmp_path_factory.mktemp("hard"), seed=3, simbox_move_share=1.0, simbox_swap_rate=0.9,
        simbox_idle_share=0.3, rotating_imei_share=0.0, simbox_slots=(16,),
    )  # fmt: skip


def test_boxes_call_out_to_strangers_from_their_building(world: World) -> None:
    calls = world.table("calls")
    everything: list[int] = []
    for _, box in boxes(world):
        sims = set(box["sims"])
        assert len(sims) == box["slots_used"] + len(box["swaps"]) and box["slots_used"] <= 128
        assert box["slots"] >= 8 and not sims & set(box["spare_sims"])
        mine = [c for c in calls if c["caller"] in sims]
        assert {c["cell_id"] for c in mine} <= set(box["cells"])
        assert {c["imei"] for c in mine} <= set(box["imeis"])
        assert len({c["callee"] for c in mine}) >= 0.9 * len(mine), "many distinct callees"
        answered = [int(c["duration_s"]) for c in mine if int(c["duration_s"]) > 0]
        assert len(answered) <= 0.5 * len(mine), "low answer rate"
        everything += answered
    assert sorted(everything)[len(everything) // 2] <= 120, "short calls"


def test_people_call_fraud_numbers_back_and_rarely_get_through(world: World) -> None:
    calls = world.table("calls")
    sims = {s for _, box in boxes(world) for s in box["sims"]}
    out = sum(c["caller"] in sims for c in calls)
    back = [c for c in calls if c["callee"] in sims]
    assert 0 < len(back) < 0.2 * out
    assert sum(int(c["duration_s"]) > 0 for c in back) <= 0.5 * len(back)
    assert all(int(c["duration_s"]) <= 600 for c in back)


def test_sims_call_only_within_the_sessions_each_on_its_own_clock(world: World) -> None:
    calls = world.table("calls")
    spread = []
    for _, box in boxes(world):
        sessions = [(t(a), t(b)) for a, b in box["sessions"]]
        first: dict[tuple[int, str], datetime] = {}
        for c in calls:
            if c["caller"] in set(box["sims"]):
                when = t(c["ts"])
                k = next(i for i, (a, b) in enumerate(sessions) if a <= when <= b)
                first[(k, c["caller"])] = min(first.get((k, c["caller"]), when), when)
        by_session = defaultdict(list)
        for (k, _), when in first.items():
            by_session[k].append(when)
        spread += [(max(v) - min(v)).total_seconds() for v in by_session.values() if len(v) > 2]
    assert spread and max(spread) > 0


def test_swapped_sims_take_over_their_slot(hard: World) -> None:
    calls = hard.table("calls")
    swaps = [(box, s) for _, box in boxes(hard) for s in box["swaps"]]
    assert swaps
    for box, swap in swaps:
        mine = [c for c in calls if c["caller"] == swap["sim"]]
        assert all(t(c["ts"]) >= t(swap["from"]) for c in mine)
        imei = box["imeis"][swap["slot"]]
        later = {c["caller"] for c in calls if c["imei"] == imei and t(c["ts"]) > t(swap["from"])}
        assert later <= {s["sim"] for s in box["swaps"] if s["slot"] == swap["slot"]}


def test_imeis_per_slot_show_the_swaps(hard: World) -> None:
    calls = hard.table("calls")
    for _, box in boxes(hard):
        imeis_of: dict[str, set[str]] = defaultdict(set)
        for c in calls:
            if c["caller"] in set(box["sims"]):
                imeis_of[c["caller"]].add(c["imei"])
        assert all(len(v) == 1 for v in imeis_of.values())


def test_dens_move_their_boxes(hard: World) -> None:
    where = {c["cell_id"]: (c["lat"], c["lon"]) for c in hard.info["cells"]}
    moved = [box for _, box in boxes(hard) if len(box["cells"]) > 1]
    assert moved
    for box in moved:
        assert box["session_cells"][0] == box["cell_id"]
        assert set(box["session_cells"]) == set(box["cells"])
        assert where[box["cells"][0]] != where[box["cells"][-1]]


def test_boxes_of_a_den_start_in_one_building(world: World) -> None:
    where = {c["cell_id"]: (c["lat"], c["lon"]) for c in world.info["cells"]}
    for den in world.info["dens"]:
        spots = [where[b["cell_id"]] for b in den["simboxes"]]
        for lat, lon in spots:
            km = math.hypot((lat - spots[0][0]) * 111, (lon - spots[0][1]) * 96)
            assert km < 10


def test_the_easy_knobs_give_the_textbook_box(tmp_path: Path) -> None:
    world = make_world(tmp_path, seed=5, roaming_line_share=0.0, **EASY)
    calls = world.table("calls")
    callees = {c["callee"] for c in calls}
    for _, box in boxes(world):
        sims = set(box["sims"])
        assert len(sims) == box["slots"] and not sims & callees, "outbound only, every slot"
        assert len(box["cells"]) == 1 and not box["swaps"]
        sessions = [(t(a), t(b)) for a, b in box["sessions"]]
        for c in calls:
            if c["caller"] in sims:
                assert any(a <= t(c["ts"]) <= b for a, b in sessions)


def test_realism_leaves_the_money_alone(world: World, tmp_path: Path) -> None:
    easy = make_world(tmp_path, roaming_line_share=0.0, real_identity_share=0.0, **EASY)
    for name in ("transactions.csv", "accounts.csv", "reports.csv", "truth/holdings.csv"):
        assert (easy.path / name).read_bytes() == (world.path / name).read_bytes(), name


def test_sims_are_registered_to_other_people(world: World) -> None:
    labels = {(r["entity_id"], r["entity_kind"]): r["label"] for r in world.table("labels")}
    persons = world.table("persons")
    holder = {p["phone"]: p for p in persons}
    own_ids = {
        p["id_number"] for p in persons if labels[(p["person_id"], "person")] != "sim_registrant"
    }
    borrowed: dict[str, int] = defaultdict(int)
    for den in world.info["dens"]:
        numbers = den["mobile_phones"] + [s for b in den["simboxes"] for s in b["sims"]]
        for number in numbers:
            person = holder[number]
            assert labels[(person["person_id"], "person")] == "sim_registrant"
            assert person["person_id"] not in {p for ps in den["members"].values() for p in ps}
            if person["id_number"] in own_ids:
                borrowed[person["id_number"]] += 1
        for b in den["simboxes"]:
            assert all(labels[(s, "phone")] == "simbox" for s in b["sims"])
            assert all(labels[(i, "device")] == "simbox" for i in b["imeis"])
        assert all(labels[(m, "phone")] == "fraud" for m in den["mobile_phones"])
    assert borrowed and max(borrowed.values()) <= 5, "real people's IDs, five numbers at most"


def test_members_phones_are_the_gangs(world: World) -> None:
    labels = {(r["entity_id"], r["entity_kind"]): r["label"] for r in world.table("labels")}
    phone_of = {p["person_id"]: p["phone"] for p in world.table("persons")}
    for den in world.info["dens"]:
        for role in ("financier", "core", "operator", "logistics", "launderer"):
            for person in den["members"][role]:
                assert labels[(phone_of[person], "phone")] == "member"


def test_roaming_lines_move_through_cells(world: World) -> None:
    calls = world.table("calls")
    roaming = [p for den in world.info["dens"] for p in den["roaming_phones"]]
    assert roaming
    for number in roaming:
        mine = [c for c in calls if c["caller"] == number]
        assert len({c["cell_id"] for c in mine}) >= 5 and len({c["callee"] for c in mine}) >= 20


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
