"""Round nine b: `same_text` by template. A script sent with other numbers and links filled in
(the same template) ties a flagged number that never called (an IM account, a texting-only SIM)
to the box that sent it; it never ties two callers (a template is every den's that runs the same
fraud), and a number reached by a template alone leads on only to others that never called."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from chaincut.settings import Settings
from chaincut.telecom import clue
from chaincut.telecom.clue.den import TEXT, DenSearch
from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.fresh import ensure_clue_index
from tests.lake.conftest import ts, write_lake
from tests.telecom.conftest import ROWS, S1, SIMS

SPAM = "宝妈、学生在家兼职，手机操作，一天3小时，日结800元，回复1了解，加微信3307194176"
# the same template with another amount, reply digit and chat id filled in
NEAR = "宝妈、学生在家兼职，手机操作，一天5小时，日结600元，回复2了解，加微信5518820931"
NEAR2 = "宝妈、学生在家兼职，手机操作，一天4小时，日结700元，回复3了解，加微信6620418857"
OTHER = "+8617000000077"  # never calls: texts only
CALLER = "+8617000000088"  # calls strangers from its own cell, texts the template too


def _rows(text: str, caller_text: str = NEAR2) -> dict[str, list[tuple[Any, ...]]]:
    messages: list[tuple[Any, ...]] = list(ROWS["messages"])
    calls: list[tuple[Any, ...]] = list(ROWS["calls"])
    for k in range(4):
        when = ts(f"2024-03-01 1{k}:20:00")
        messages.append((f"s{k}", when, S1, f"+8618800000{k:03d}", SPAM, "sms"))
        messages.append((f"o{k}", when, OTHER, f"+8618900000{k:03d}", text, "sms"))
        messages.append((f"c{k}", when, CALLER, f"+8618700000{k:03d}", caller_text, "sms"))
        calls.append((f"x{k}", ts(f"2024-03-01 1{k}:40:00"), CALLER, f"+86186000{k:05d}", 0, "C7"))
    return {**ROWS, "messages": messages, "calls": calls}


def _lake(
    factory: pytest.TempPathFactory, name: str, text: str, caller_text: str = NEAR2
) -> Settings:
    settings = Settings(home=factory.mktemp(name) / "home")
    write_lake(settings, _rows(text, caller_text))
    return settings


@pytest.fixture(scope="module")
def near_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _lake(tmp_path_factory, "near", NEAR)


@pytest.fixture(scope="module")
def same_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return _lake(tmp_path_factory, "same", SPAM)


def _search(settings: Settings) -> tuple[ClueIndex, DenSearch]:
    ix = ClueIndex(ensure_clue_index(settings))
    return ix, DenSearch(ix)


def test_both_senders_are_ones_the_search_follows_by_text(near_settings: Settings) -> None:
    ix, ds = _search(near_settings)
    codes = np.array([ix.code("num_ids", x) for x in (OTHER, CALLER)])
    assert (codes >= 0).all() and ds.texter[codes].all()
    assert list(ds.quiet[codes]) == [True, False]


def test_a_texting_only_sender_of_the_template_joins_the_box(near_settings: Settings) -> None:
    [den] = clue(near_settings, [S1]).dens
    members = {m.number: m for m in den.members}
    assert set(SIMS) | {OTHER} <= set(members)
    joined = members[OTHER].joined
    assert joined is not None and joined.kind == "same_text"
    assert "same script" in joined.detail
    assert set(joined.evidence) <= {"s0", "o0"} and len(joined.evidence) == 2


def test_a_caller_that_sent_the_template_is_not_joined(near_settings: Settings) -> None:
    found = {m.number for d in clue(near_settings, [S1]).dens for m in d.members}
    assert CALLER not in found
    # from the caller: the texting-only sender, and no further (a template reached it)
    from_caller = {m.number for d in clue(near_settings, [CALLER]).dens for m in d.members}
    assert OTHER in from_caller
    assert not from_caller & set(SIMS)


def test_a_box_reached_by_template_leads_no_further(near_settings: Settings) -> None:
    found = {m.number for d in clue(near_settings, [OTHER]).dens for m in d.members}
    assert S1 in found
    assert not found & (set(SIMS) - {S1})


def test_the_same_text_word_for_word_leads_to_the_whole_box(same_settings: Settings) -> None:
    found = {m.number for d in clue(same_settings, [OTHER]).dens for m in d.members}
    assert set(SIMS) <= found


@pytest.fixture(scope="module")
def script_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The caller sends the box's spam word for word (a script bought from one seller)."""
    return _lake(tmp_path_factory, "script", SPAM, SPAM)


def test_the_same_script_word_for_word_never_ties_two_callers(script_settings: Settings) -> None:
    """Round fifteen: a script two calling numbers sent word for word is the fraud type's, not
    the gang's (foreign 970: three gangs' boxes sent one); a texting-only sender still joins."""
    ix, ds = _search(script_settings)
    s1, caller, other = (ix.code("num_ids", x) for x in (S1, CALLER, OTHER))
    for n, m in ((s1, caller), (caller, s1)):
        kinds, peers, _ = ds.neighbours(n)
        assert m not in peers[kinds == TEXT]
        assert other in peers[kinds == TEXT]
