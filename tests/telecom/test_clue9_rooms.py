"""Place links far from the clue stay in the den's rooms: the clue C works with K at cell D1, K
half its time with Z at F1, Z half its time with Y at G1 (none flagged). From the clue, K and
Z are found (two place hops) but not Y (a third hop, at a cell none of the clue's own place
links used: colleagues of colleagues elsewhere are the city's offices); from K, all are."""

from __future__ import annotations

from typing import Any

import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from tests.lake.conftest import ts, write_lake

C, K, Z, Y = (f"+861350000000{i}" for i in range(1, 5))
BOSS, BOSS2, BOSS3 = "+8613500000009", "+8613500000008", "+8613500000007"


def _calls() -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []

    def call(when: str, a: str, b: str, cell: str) -> None:
        rows.append((f"k{len(rows)}", ts(when), a, b, 90, cell, f"I{a[-1]}"))

    for day in (1, 2, 3):
        for hour in (10, 14):
            at = f"2024-03-0{day} {hour:02d}"
            # the clue and K at D1: calls both ways, the same hours, the same boss
            call(f"{at}:00:00", C, K, "D1")
            call(f"{at}:05:00", K, C, "D1")
            call(f"{at}:10:00", C, BOSS, "D1")
            call(f"{at}:15:00", K, BOSS, "D1")
            # K and Z at F1, the same way
            call(f"{at}:30:00", K, Z, "F1")
            call(f"{at}:35:00", Z, K, "F1")
            call(f"{at}:40:00", K, BOSS2, "F1")
            call(f"{at}:45:00", Z, BOSS2, "F1")
            # Z and Y at G1, the same way
            call(f"{at}:50:00", Z, Y, "G1")
            call(f"{at}:52:00", Y, Z, "G1")
            call(f"{at}:54:00", Z, BOSS3, "G1")
            call(f"{at}:56:00", Y, BOSS3, "G1")
    return rows


@pytest.fixture(scope="module")
def rooms_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("rooms") / "home")
    rows: dict[str, list[tuple[Any, ...]]] = {
        "persons": [],
        "calls": _calls(),
        "messages": [],
        "reports": [],
        "labels": [],
    }
    write_lake(settings, rows)
    return settings


def _members(settings: Settings, number: str) -> set[str]:
    return {m.number for d in clue(settings, [number]).dens for m in d.members}


def test_a_third_place_hop_elsewhere_is_not_followed(rooms_settings: Settings) -> None:
    found = _members(rooms_settings, C)
    assert {K, Z} <= found
    assert Y not in found


def test_from_the_colleague_two_hops_reach_the_far_office(rooms_settings: Settings) -> None:
    assert {C, Z, Y} <= _members(rooms_settings, K)
