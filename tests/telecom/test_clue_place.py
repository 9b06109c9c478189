"""The `same_place` link: a den's operators are found from one of their lines, a call centre's
seats (one room, the same hours and customers, but no calls between them) are not."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from tests.lake.conftest import ts, write_lake

OPS = tuple(f"+85500000000{k}" for k in range(1, 5))
SEATS = tuple(f"+86200000000{k}" for k in range(1, 5))
NEIGHBOUR = "+8613700000001"
BOSS = "+8613700000009"


def _calls() -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for day in (1, 2, 3):
        for hour in (10, 14):
            for i, op in enumerate(OPS):
                # each operator calls the next one and the boss, from the den's cell
                other = OPS[(i + 1) % len(OPS)]
                when = f"2024-03-0{day} {hour:02d}:{10 * i:02d}:00"
                rows.append((f"o{day}{hour}{i}a", ts(when), op, other, 90, "D1", f"IO{i}"))
                rows.append(
                    (
                        f"o{day}{hour}{i}b",
                        ts(when.replace(":00:00", ":05:00")),
                        op,
                        BOSS,
                        60,
                        "D1",
                        f"IO{i}",
                    )
                )
            for i, seat in enumerate(SEATS):
                # seats call the same customers from one room, never each other
                customer = f"+86139000{day}{hour}{i % 2:02d}"
                when = f"2024-03-0{day} {hour:02d}:{10 * i:02d}:00"
                rows.append((f"c{day}{hour}{i}", ts(when), seat, customer, 120, "E1", f"IC{i}"))
            when = f"2024-03-0{day} {hour:02d}:30:00"
            rows.append((f"n{day}{hour}", ts(when), NEIGHBOUR, "+8613700000002", 60, "D1", "IN"))
    return rows  # fmt: skip


@pytest.fixture(scope="module")
def place_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("place") / "home")
    rows: dict[str, list[tuple[Any, ...]]] = {
        "persons": [("pN", "邻", "110101199001010066", date(1990, 1, 1), NEIGHBOUR)],
        "calls": _calls(),
        "messages": [],
        "reports": [],
        "labels": [(op, "phone", "fraud") for op in OPS],
    }
    write_lake(settings, rows)
    return settings


def test_a_line_finds_the_operators_it_works_with(place_settings: Settings) -> None:
    [den] = clue(place_settings, [OPS[0]]).dens
    members = {m.number: m for m in den.members}
    assert set(OPS) <= set(members)
    assert NEIGHBOUR not in members
    for op in OPS[1:]:
        joined = members[op].joined
        assert joined is not None and joined.kind == "same_place" and joined.evidence


def test_a_call_centre_seat_is_not_linked_by_place(place_settings: Settings) -> None:
    # seats share the room, the hours and customers, but never call each other
    dens = clue(place_settings, [SEATS[0]]).dens
    kinds = {m.joined.kind for d in dens for m in d.members if m.joined is not None}
    assert "same_place" not in kinds
