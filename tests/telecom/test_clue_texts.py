"""The `same_text` link: a box's SIM that only ever texted (no cell, no device in the records)
is found from its box through the spam both sent word for word; an ordinary person who sent
the same text, and a short text everyone sends, link nobody."""

from __future__ import annotations

from typing import Any

import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from tests.lake.conftest import ts, write_lake
from tests.telecom.conftest import ROWS, S1, SIMS

SPAM = "宝妈、学生在家兼职，手机操作，一天3小时，日结800元，回复1了解"
TEXTER = "+8617000000099"
FRIEND, PAL = "+8613600000001", "+8613600000002"
SHORT = "好的，明天见"


def _messages() -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = list(ROWS["messages"])
    for k in range(4):
        when = ts(f"2024-03-01 1{k}:20:00")
        # the box's SIM and a SIM that never called send the same spam to strangers
        rows.append((f"s{k}", when, S1, f"+8618800000{k:03d}", SPAM, "sms"))
        rows.append((f"t{k}", when, TEXTER, f"+8618900000{k:03d}", SPAM, "sms"))
    # a person forwards the spam to a friend, who answers; both write a short everyday text
    rows.append(("f1", ts("2024-03-01 18:00:00"), FRIEND, PAL, SPAM, "im"))
    rows.append(("f2", ts("2024-03-01 18:05:00"), PAL, FRIEND, SHORT, "im"))
    rows.append(("f3", ts("2024-03-01 18:06:00"), S1, f"+8618800000{9:03d}", SHORT, "sms"))
    return rows


@pytest.fixture(scope="module")
def text_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(home=tmp_path_factory.mktemp("texts") / "home")
    write_lake(settings, {**ROWS, "messages": _messages()})
    return settings


def test_a_texting_sim_joins_its_box_through_the_spam(text_settings: Settings) -> None:
    [den] = clue(text_settings, [S1]).dens
    members = {m.number: m for m in den.members}
    assert set(SIMS) | {TEXTER} <= set(members)
    joined = members[TEXTER].joined
    assert joined is not None and joined.kind == "same_text"
    assert set(joined.evidence) <= {"s0", "t0"} and len(joined.evidence) == 2
    assert FRIEND not in members and PAL not in members


def test_the_texting_sim_leads_back_to_the_box(text_settings: Settings) -> None:
    found = {m.number for d in clue(text_settings, [TEXTER]).dens for m in d.members}
    assert set(SIMS) <= found


def test_a_person_who_forwarded_the_spam_finds_no_den(text_settings: Settings) -> None:
    found = {m.number for d in clue(text_settings, [FRIEND]).dens for m in d.members}
    assert not found & (set(SIMS) | {TEXTER})
