"""Round nine: the shipped mule model's score of the account's whole behaviour weighs in the judge
(`chaincut.trace.bystander_model`), scored once per `trace --all` run and kept in the home.
Bounded log-odds, never a veto."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chaincut.scoring.score as scoring
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.trace import TraceParams, trace_all
from chaincut.trace import bystander_model as bm
from chaincut.trace.bystander import judge
from chaincut.trace.model import MICROS_PER_DAY, Activity
from tests.trace.helpers import at, write_lake
from tests.trace.test_bystander import _facts
from tests.trace.world import build_world

#: a person's card with an ordinary life, paid ¥2,000 of an ¥8,000 loss at hop 2 within the hour:
#: the landlord of `tests/trace/test_kernel.py`, and the rented card that looks like it
LANDLORD = dict(
    hop=2, traced=200_000, tainted_in=200_000, tainted_amounts=(200_000,), reach=0.25,
    inflow_after=200_000, until=at(30), age_days=2000.0, lag=3_600_000_000,
    prior=Activity(20, 1_500_000, 1_500_000 * 8 * MICROS_PER_DAY, 0, 600_000, at(-30)),
)  # fmt: skip


@given(st.floats(0, 1), st.floats(0, 1))
def test_points_are_bounded_and_grow_with_the_score(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert bm.FLOOR <= bm.points(lo) <= bm.points(hi) <= bm.CEILING


def test_the_neutral_point_sits_where_the_weights_say() -> None:
    neutral = 1 / (1 + 2.718281828459045**-bm.CENTRE)
    assert abs(bm.points(neutral)) < 1e-6
    assert bm.points(0.999) == bm.CEILING and bm.points(0.0) == bm.FLOOR


def test_the_model_s_score_turns_a_look_alike_by_weight() -> None:
    params = TraceParams()
    plain = judge(_facts(**LANDLORD), params)
    rented = judge(_facts(**LANDLORD, mule_score=0.98), params)
    ordinary = judge(_facts(**LANDLORD, mule_score=0.01), params)
    assert not plain.stop and rented.stop and not ordinary.stop
    assert rented.score == pytest.approx(plain.score + bm.points(0.98), abs=0.01)
    assert any(
        r.startswith("+ the mule model scores its history so far 0.98") for r in rented.reasons
    )
    assert any(
        r.startswith("- the mule model scores its history so far 0.01") for r in ordinary.reasons
    )


def test_the_model_s_score_never_decides_alone() -> None:
    """A far payee holding a sliver is not stopped on the model's word, nor a hop-1 relay
    passing the money straight on freed by it."""
    params = TraceParams()
    life = Activity(40, 10_000_000, 10_000_000 * 10 * MICROS_PER_DAY, 0, 900_000, at(-2))
    far = _facts(hop=5, traced=0, tainted_in=20_000, tainted_amounts=(20_000,), reach=0.01,
                 inflow_after=20_000, prior=life, age_days=3000.0, mule_score=1.0)  # fmt: skip
    assert not judge(far, params).stop
    relay = _facts(hop=1, outs=((at(1), 100_000, "M2", "transfer"),), mule_score=0.0)
    assert judge(relay, params).stop


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    w = build_world(seed=11, persons=60, victims=6)
    path: Path = tmp_path_factory.mktemp("bystander9") / "home"
    path.mkdir()
    return write_lake(path, w.txns, w.reports, w.accounts)


def test_scores_are_computed_once_and_kept_for_the_lake(
    home: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with get_engine(home) as engine:
        first = bm.lake_scores(engine)
        assert first and all(0.0 <= s <= 1.0 for s in first.values())
        assert bm.saved_scores(engine) == first

        def never(*_: object, **__: object) -> None:
            raise AssertionError("scored the lake again")

        monkeypatch.setattr(scoring, "score_accounts", never)
        assert bm.lake_scores(engine) == first  # read back, bit for bit


def test_trace_all_weighs_the_model_and_conserves_money(home: Settings) -> None:
    without = {o["report_id"]: o for o in trace_all(home, TraceParams(mule_model=False))}
    scored = {o["report_id"]: o for o in trace_all(home, TraceParams())}
    assert scored.keys() == without.keys()
    said = [
        r
        for o in scored.values()
        for order in [*o["freeze"], *o.get("verify", ())]
        for r in order.get("reasons", ())
    ]
    assert any("the mule model scores its history so far" in r for r in said)
    for rid, obj in scored.items():
        # the judge decides stop or verify; what was traced and where it went do not change
        assert obj["totals"]["loss"] == without[rid]["totals"]["loss"]
        assert obj["totals"]["frozen"] == without[rid]["totals"]["frozen"]
