"""The `texts_only` and `separate_handsets` indicators: what they see, and what they never do."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.telecom import indicators as rules
from chaincut.telecom.features import NUMBER_FEATURES, FeatureFrame
from chaincut.telecom.model import shipped

SIM = "+8615231919211"


def _frame(rows: list[tuple[str, Mapping[str, float]]]) -> FeatureFrame:
    names = tuple(NUMBER_FEATURES)
    values = np.array([[r.get(n, 0.0) for n in names] for _, r in rows], np.float64)
    return FeatureFrame(np.array([i for i, _ in rows]), names, values, {})


def _texts_only(rows: list[tuple[str, Mapping[str, float]]]) -> np.ndarray:  # type: ignore[type-arg]
    [ind] = [i for i in rules.NUMBER_INDICATORS if i.code == "texts_only"]
    return np.asarray(ind.value(_frame(rows)))


def test_a_sim_that_only_texted_strangers_shows_it() -> None:
    values = _texts_only([(SIM, {"msgs_out": 5}), (SIM, {"msgs_out": 1})])
    assert values[0] == 1.0 and 0.0 < values[1] < 1.0


@pytest.mark.parametrize(
    "row",
    [
        {"msgs_out": 5, "msgs_in": 1},  # someone texted it
        {"msgs_out": 5, "in_calls": 1},  # someone called it
        {"msgs_out": 5, "out_calls": 3},  # it calls: the call indicators judge it
        {"msgs_out": 0},
    ],
)
def test_anyone_answering_it_or_any_call_removes_it(row: dict[str, float]) -> None:
    assert _texts_only([(SIM, row)])[0] == 0.0


@pytest.mark.parametrize("number", ["10086", "95588", "10614511722", "+8675582287629"])
def test_service_numbers_and_gateways_are_no_sims(number: str) -> None:
    """An operator's service number, a bank's, a company's SMS gateway code or a landline
    sends notices nobody answers by text: it is no SIM, and the indicator is 0."""
    assert _texts_only([(number, {"msgs_out": 900})])[0] == 0.0
    assert rules.is_service(number)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_texts_only_is_bounded_and_graded(sent: int, got: int, calls: int, taken: int) -> None:
    row = {"msgs_out": sent, "msgs_in": got, "out_calls": calls, "in_calls": taken}
    [value] = _texts_only([(SIM, row)])
    assert 0.0 <= value <= 1.0
    if got or calls or taken or not sent:
        assert value == 0.0


def test_a_texting_sim_alone_is_flagged_below_a_box_sim() -> None:
    """The shipped model flags a mobile SIM that only ever texted strangers, but trusts it less
    than a SIM on an IMEI that carried dozens of SIMs."""
    model = shipped("number")
    box = {"out_calls": 400, "out_share": 1.0, "max_sims_per_imei": 40, "imeis": 12}
    scores = model.scores(_frame([(SIM, {"msgs_out": 4}), (SIM, {"msgs_out": 900}), (SIM, box)]))
    assert scores[0] == scores[1]  # bounded: more texts add nothing
    assert scores[2] >= scores[0]


def test_separate_handsets_is_a_counter_indicator_for_rooms_only() -> None:
    [ind] = [i for i in rules.NUMBER_INDICATORS if i.code == "separate_handsets"]
    room = {"sync_peers": 8, "sync_sharers": 0, "imeis": 1, "max_sims_per_imei": 1}
    box = {**room, "sync_sharers": 4}
    alone = {**room, "sync_peers": 1}
    values = ind.value(_frame([(SIM, room), (SIM, box), (SIM, alone)]))
    assert ind.sign < 0 and list(values) == [1.0, 0.0, 0.0]
