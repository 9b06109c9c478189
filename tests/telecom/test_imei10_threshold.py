"""Round ten: a box's reused slots as a share of its group, the `answered` counter-indicator,
and a threshold chosen for the harm it does (docs/telecom.md "Round ten: the threshold")."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.telecom import calibrate as cal
from chaincut.telecom import indicators as rules
from chaincut.telecom.features import DEVICE_FEATURES, NUMBER_FEATURES, FeatureFrame
from chaincut.telecom.model import shipped

SIM = "+8615231919211"


def _frame(rows: list[Mapping[str, float]], names: tuple[str, ...]) -> FeatureFrame:
    values = np.array([[r.get(n, 0.0) for n in names] for r in rows], np.float64)
    return FeatureFrame(np.array([SIM] * len(rows)), names, values, {})


def _values(code: str, rows: list[Mapping[str, float]], kind: str = "number") -> list[float]:
    table = rules.NUMBER_INDICATORS if kind == "number" else rules.DEVICE_INDICATORS
    names = tuple(NUMBER_FEATURES if kind == "number" else DEVICE_FEATURES)
    [ind] = [i for i in table if i.code == code]
    return [float(v) for v in ind.value(_frame(rows, names))]


#: a seat of an outbound campaign: 101 colleagues in sync, one of whom once used a borrowed handset
SEAT = {"sync_peers": 101, "sync_sharers": 1, "imeis": 1, "max_sims_per_imei": 1}
#: a box's SIM: 15 SIMs in sync, all of them on slots other SIMs used too
BOX = {"sync_peers": 15, "sync_sharers": 16, "imeis": 1, "max_sims_per_imei": 16}


def test_one_borrowed_handset_does_not_make_a_room_a_box() -> None:
    seat, box = _values("shared_slots", [SEAT, BOX])
    assert seat < 0.05 * box
    assert box == pytest.approx(np.log(17.0))


def test_a_room_with_one_borrowed_handset_still_shows_separate_handsets() -> None:
    seat, box = _values("separate_handsets", [SEAT, {**BOX, "max_sims_per_imei": 1}])
    assert seat > 0.8 and box == 0.0


def test_device_slots_are_a_share_too() -> None:
    seat = {"max_sync_peers": 101, "sync_sharers": 1, "sims": 1, "sims_max_imeis": 1}
    box = {"max_sync_peers": 15, "sync_sharers": 16, "sims": 16, "sims_max_imeis": 1}
    seat_value, box_value = _values("shared_slots", [seat, box], "device")
    assert seat_value < 0.05 * box_value


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 300), st.integers(0, 300))
def test_slot_share_is_a_share(peers: int, sharers: int) -> None:
    frame = _frame([{"sync_peers": peers, "sync_sharers": sharers}], tuple(NUMBER_FEATURES))
    [share] = rules.slot_share(frame, "sync_peers")
    assert 0.0 <= share <= 1.0
    [separate] = _values("separate_handsets", [{"sync_peers": peers, "sync_sharers": sharers}])
    assert 0.0 <= separate <= 1.0
    if peers < 3:
        assert separate == 0.0


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 500), st.floats(0.0, 1.0))
def test_answered_is_bounded_and_zero_for_cold_callers(calls: int, rate: float) -> None:
    [value] = _values("answered", [{"out_calls": calls, "answer_rate": rate}])
    assert 0.0 <= value <= 1.0
    if rate <= 0.5 or calls == 0:
        assert value == 0.0


def test_answered_never_zeroes_a_box() -> None:
    """A box's SIM whose every call was answered still scores far above the threshold: the
    counter-indicator takes away a bounded part, strong evidence grows with its strength."""
    model = shipped("number")
    names = tuple(NUMBER_FEATURES)
    box = {"out_calls": 400, "out_share": 1.0, "max_sims_per_imei": 64, "imeis": 12}
    scores = model.scores(_frame([{**box, "answer_rate": 1.0}, {**box, "answer_rate": 0.2}], names))
    assert scores[0] >= model.threshold
    assert scores[0] <= scores[1]


def _worlds(seed: int) -> tuple[list[np.ndarray], list[np.ndarray]]:  # type: ignore[type-arg]
    rng = np.random.default_rng(seed)
    scores, truth = [], []
    for n_pos in (30, 300):
        y = np.zeros(3_000, bool)
        y[:n_pos] = True
        s = np.where(y, rng.beta(8, 2, len(y)), rng.beta(2, 8, len(y)))
        scores.append(s)
        truth.append(y)
    return scores, truth


def test_a_lower_harm_needs_a_higher_threshold() -> None:
    scores, truth = _worlds(3)
    share = [0.5, 0.5]
    loose = cal.threshold_for_harm(scores, truth, share, 0.5, 0.01)
    strict = cal.threshold_for_harm(scores, truth, share, 0.05, 0.01)
    assert strict > loose
    assert cal.harm_at(scores, truth, share, strict, 0.01) <= 0.05
    assert cal.harm_at(scores, truth, share, loose, 0.01) <= 0.5


def test_a_rarer_fraud_needs_a_higher_threshold() -> None:
    scores, truth = _worlds(4)
    share = [0.5, 0.5]
    common = cal.threshold_for_harm(scores, truth, share, 0.1, 0.05)
    rare = cal.threshold_for_harm(scores, truth, share, 0.1, 0.005)
    assert rare > common


def test_the_cli_refuses_a_bad_harm_or_prevalence() -> None:
    for bad in (["--harm", "0"], ["--prevalence", "1.5"], ["--foreign-seeds", "1000"]):
        with pytest.raises(SystemExit):
            cal.main(["--seeds", "500", "--work", "/nonexistent", "--model", "/nonexistent", *bad])


def test_the_shipped_number_threshold_records_its_harm() -> None:
    info = shipped("number").info["calibration"]
    assert info["harm"]["reached"] <= info["harm"]["innocent_per_fraud"]
    assert "foreign_seeds" in info
