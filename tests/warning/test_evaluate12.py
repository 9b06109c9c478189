"""The worklist's harm per person: innocent people per victim warned, and at real prevalence."""

from __future__ import annotations

import pytest

from chaincut.warning.evaluate import PREVALENCE_PER_MONTH, Truth, bothered_per_warned, figures
from chaincut.warning.signals import Directory, RaisedWarning
from chaincut.warning.state import Signal

DAY = 86_400


def _warning(n: int, person: str, at: int, score: float) -> RaisedWarning:
    signal = Signal("call", f"c{n}", at, "a call", score)
    return RaisedWarning(f"W{n}", "person", person, at, score, "other", "call", (signal,))


def test_innocent_people_per_victim_warned_and_at_real_prevalence() -> None:
    # two victims paying on day 10, one reached person, 1,000 people nobody reached
    truth = Truth({"v1": 10 * DAY + 5_000, "v2": 10 * DAY + 6_000}, frozenset({"v1", "v2", "r1"}),
                  days=30, unreached=1_000)  # fmt: skip
    raised = [
        _warning(1, "v1", 10 * DAY + 100, 0.9),
        _warning(2, "i1", 10 * DAY + 200, 0.8),  # an innocent person
        _warning(3, "r1", 10 * DAY + 300, 0.7),
        _warning(4, "v2", 10 * DAY + 400, 0.1),  # below the day's cut: not on the list
    ]
    f = figures(raised, truth, Directory({}, {}), per_victim=45)  # capacity 3 a day
    assert (f.capacity, f.warned_in_time, f.innocent_people) == (3, 1, 1)
    assert f.innocent_per_warned == 1.0
    assert f.prevalence == pytest.approx(PREVALENCE_PER_MONTH)
    # 1 of 1,000 unreached listed, half the victims in time: (1 - p) * 0.001 / (p * 0.5)
    p = PREVALENCE_PER_MONTH
    assert f.bothered_per_warned == pytest.approx((1 - p) * 0.001 / (p * 0.5))
    assert f.to_json()["bothered_per_warned"] == pytest.approx(f.bothered_per_warned, rel=1e-3)


def test_no_victim_in_time_or_no_people_gives_no_figure() -> None:
    truth = Truth({"v1": 5}, frozenset({"v1"}), days=30, unreached=0)
    assert bothered_per_warned(0.5, 1, truth, 1e-4) is None
    assert bothered_per_warned(0.0, 1, Truth({"v1": 5}, frozenset({"v1"}), 30, 10), 1e-4) is None
    assert bothered_per_warned(1.0, 0, Truth({"v1": 5}, frozenset({"v1"}), 30, 10), 1e-4) == 0.0
