"""Hard negatives: ordinary numbers that call like fraud numbers in one way or another."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from tests.simulate.conftest import World


def _local(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00")) + timedelta(hours=8)


def test_heavy_callers_are_normal_and_call_a_lot(world: World) -> None:
    heavy = world.info["heavy_callers"]
    assert set(heavy) == {"courier", "telemarketer", "business", "call_centre", "campaign"}
    labels = {r["entity_id"]: r["label"] for r in world.table("labels")}
    calls = world.table("calls")
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for c in calls:
        out[c["caller"]].append(c)
    people = {p["phone"] for p in world.table("persons")}
    for kind, numbers in heavy.items():
        assert numbers and all(labels[n] == "normal" for n in numbers), kind
        mean = sum(len(out[n]) for n in numbers) / len(numbers)
        assert mean > 2 * len(calls) / len(people), kind
    for n in heavy["courier"]:
        assert len({c["cell_id"] for c in out[n]}) >= 3, "couriers move through cells"


def test_call_centre_seats_call_together_in_office_hours(world: World) -> None:
    seats = world.info["heavy_callers"]["call_centre"]
    calls = [c for c in world.table("calls") if c["caller"] in set(seats)]
    assert {c["cell_id"] for c in calls} and len({c["imei"] for c in calls}) == len(seats)
    for c in calls:
        when = _local(c["ts"])
        assert when.weekday() < 5 and 9 <= when.hour < 18
    hours: dict[str, set[str]] = defaultdict(set)
    for c in calls:
        hours[c["caller"]].add(c["ts"][:13])
    assert len(hours) > 3
    for seat, mine in hours.items():
        best = max(len(mine & theirs) for other, theirs in hours.items() if other != seat)
        assert best >= 2, "every seat shares hours with another: they look in sync"


def test_the_records_hold_more_numbers_than_the_city_has_people(world: World) -> None:
    calls = world.table("calls")
    numbers = {c["caller"] for c in calls} | {c["callee"] for c in calls}
    people = {p["phone"] for p in world.table("persons")}
    outside = numbers - people
    assert len(outside) > 0.5 * len(people)
    from_outside = [c for c in calls if c["caller"] in outside and not c["cell_id"]]
    assert from_outside and all(not c["imei"] for c in from_outside)


def test_campaigns_run_a_few_days_and_never_answer(world: World) -> None:
    seats = set(world.info["heavy_callers"]["campaign"])
    calls = world.table("calls")
    out = [c for c in calls if c["caller"] in seats]
    back = [c for c in calls if c["callee"] in seats]
    days = {_local(c["ts"]).date() for c in out}
    assert out and len(days) <= world.info["params"]["campaign_days"][1]
    assert sum(int(c["duration_s"]) > 0 for c in back) <= max(1, 0.3 * len(back))
