"""The `handover` and `call_circle` links of the den search.

A handover: one number pitched people in long calls and another took the conversations over
within hours. A call circle: people who call each other both ways from cells of their own, in
the same hours, with the same contacts. A friend who rang a victim once, a taker days later, two
friends who call each other from home, and a number with a crowd of contacts are not linked.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from chaincut.telecom.clue import handover as ho
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from tests.lake.conftest import ts, write_lake

PITCHER, TAKER, LATE, FRIEND = "+8617000000001", "+8617000000002", "+8617000000003", "+86170004"
P1, P2 = "+8613900000001", "+8613900000002"
OPS = ("+85500000001", "+85500000002", "+85500000003")
BOSS = "+85500000009"
PAL, PAL2 = "+8613600000001", "+8613600000002"


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    calls: list[tuple[Any, ...]] = []
    msgs: list[tuple[Any, ...]] = []
    for k, person in enumerate((P1, P2)):
        calls.append((f"p{k}", ts(f"2024-03-0{k + 1} 10:00:00"), PITCHER, person, 900, "B1", "IX"))
        for i in range(3):  # a conversation, an hour after the pitch
            msgs.append(
                (f"t{k}{i}", ts(f"2024-03-0{k + 1} 1{1 + i}:00:00"), TAKER, person, "好", "im")
            )
            msgs.append(
                (f"l{k}{i}", ts(f"2024-03-0{k + 5} 1{1 + i}:00:00"), LATE, person, "好", "im")
            )
    calls.append(("f0", ts("2024-03-01 12:00:00"), FRIEND, P1, 40, "H1", "IF"))
    for day in (1, 2, 3):
        for i, op in enumerate(OPS):  # three rooms of one den: each calls the others, the boss
            for j, other in enumerate((*OPS, BOSS)):
                if other != op:
                    when = ts(f"2024-03-0{day} 10:{10 * i + j:02d}:00")
                    calls.append((f"o{day}{i}{j}", when, op, other, 90, f"D{i}", f"IO{i}"))
        # two friends at home, each in a cell of their own, calling each other at night
        calls.append((f"q{day}", ts(f"2024-03-0{day} 21:00:00"), PAL, PAL2, 300, "H7", "IP"))
        calls.append((f"r{day}", ts(f"2024-03-0{day} 23:30:00"), PAL2, PAL, 300, "H8", "IQ"))
    return {"persons": [], "calls": calls, "messages": msgs, "reports": [], "labels": []}  # fmt: skip


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    found = Settings(home=tmp_path_factory.mktemp("handover") / "home")
    write_lake(found, _rows())
    return found


@pytest.fixture(scope="module")
def index(settings: Settings) -> ClueIndex:
    return ClueIndex(ensure_clue_index(settings))


def _handed(ix: ClueIndex, number: str) -> set[str]:
    eligible = np.ones(len(ix.arrays["num_ids"]), bool)
    found = ho.handovers(ix, ix.code("num_ids", number), eligible, 300)
    return {ix.number(int(n)) for n in found.numbers}


def test_a_taker_is_linked_to_the_number_that_pitched(index: ClueIndex) -> None:
    assert _handed(index, TAKER) == {PITCHER}
    assert TAKER in _handed(index, PITCHER)


def test_late_takers_passing_friends_and_single_people_are_not(
    index: ClueIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _handed(index, LATE) == set()  # days after the pitch
    assert _handed(index, FRIEND) == set()  # one call, no conversation
    monkeypatch.setattr(ho, "MIN_PEOPLE", 3)
    assert _handed(index, TAKER) == set()  # two people are not three


def test_no_handover_from_a_number_with_a_crowd_of_contacts(
    index: ClueIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ho, "MAX_CONTACTS", 1)
    assert _handed(index, TAKER) == set()


def test_a_line_finds_its_colleagues_in_the_den_s_other_rooms(settings: Settings) -> None:
    [den] = clue(settings, [OPS[0]]).dens
    members = {m.number: m for m in den.members}
    assert set(OPS) <= set(members)
    for op in OPS[1:]:
        joined = members[op].joined
        assert joined is not None and joined.evidence
        assert joined.kind in {"call_circle", "same_place"}
    assert any(m.joined is not None and m.joined.kind == "call_circle" for m in den.members)


def test_friends_who_call_each_other_from_home_are_no_circle(settings: Settings) -> None:
    dens = clue(settings, [PAL]).dens
    assert not any(PAL2 in {m.number for m in d.members} for d in dens)


def test_a_flagged_line_may_have_cold_called_more_people(index: ClueIndex) -> None:
    eligible = np.ones(len(index.arrays["num_ids"]), bool)
    taker = index.code("num_ids", TAKER)
    assert len(ho.handovers(index, taker, eligible, 300, max_contacts=1).numbers) == 0
    found = ho.handovers(index, taker, eligible, 300, max_contacts=ho.MAX_CONTACTS_FLAGGED)
    assert {index.number(int(n)) for n in found.numbers} == {PITCHER}
