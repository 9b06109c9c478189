"""Round ten: stops as a live desk issues them. The mule scores as of each report itself
(`mule_asof` "report": the lake as it was when the report was filed), and the model's word
against an account weighed by the history it had to judge (`chaincut.trace.bystander`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.trace import TraceParams, trace_all
from chaincut.trace import bystander as by
from chaincut.trace import bystander_model as bm
from chaincut.trace.bystander import history_weight, judge
from chaincut.trace.model import MICROS_PER_DAY, Activity, Txn
from tests.trace.helpers import write_lake
from tests.trace.test_bystander import _facts
from tests.trace.test_bystander9 import LANDLORD
from tests.trace.world import World, build_world

HOUR = 3_600_000_000


def test_a_young_account_s_low_score_is_not_weighed_against_it() -> None:
    """A card opened two days ago, or one with two transactions in the window before, scored
    low: any model finds so short a history ordinary, so the score takes (almost) nothing.
    That is for scores of the lake as of the report (`mule_history`); a whole-lake score has
    seen the account's later months and counts in full."""
    params = TraceParams(mule_history=True)
    whole = judge(_facts(**{**LANDLORD, "age_days": 2.0}, mule_score=0.01), TraceParams())
    whole_plain = judge(_facts(**{**LANDLORD, "age_days": 2.0}), TraceParams())
    assert whole.score == pytest.approx(whole_plain.score + bm.points(0.01), abs=0.01)
    plain = judge(_facts(**LANDLORD), params)
    young = judge(_facts(**{**LANDLORD, "age_days": 2.0}, mule_score=0.01), params)
    young_plain = judge(_facts(**{**LANDLORD, "age_days": 2.0}), params)
    share = by.SHORT_HISTORY_SHARE  # round eleven: 0, the word against a short history is set aside
    assert young.score == pytest.approx(
        young_plain.score + bm.points(0.01) * 2 / by.MODEL_AGE * share, abs=0.02
    )
    until = LANDLORD["until"]
    assert isinstance(until, int)
    quiet = Activity(2, 50_000, 50_000 * 3 * MICROS_PER_DAY, 0, 30_000, until)
    sparse = _facts(**{**LANDLORD, "prior": quiet}, mule_score=0.01)
    sparse_plain = _facts(**{**LANDLORD, "prior": quiet})
    drop = judge(sparse_plain, params).score - judge(sparse, params).score
    assert drop == pytest.approx(-bm.points(0.01) * 2 / by.MODEL_TXNS * share, abs=0.02)
    # an established account: the model's word against it counts in full
    ordinary = judge(_facts(**LANDLORD, mule_score=0.01), params)
    assert ordinary.score == pytest.approx(plain.score + bm.points(0.01), abs=0.01)


def test_the_model_s_word_for_a_young_account_counts_in_full() -> None:
    params = TraceParams(mule_history=True)
    young = {**LANDLORD, "age_days": 2.0}
    plain = judge(_facts(**young), params)
    assert judge(_facts(**young, mule_score=0.98), params).score == pytest.approx(
        plain.score + bm.points(0.98), abs=0.01
    )


@given(
    st.integers(0, 60),
    st.floats(0, 4000),
    st.integers(0, 60),
    st.floats(0, 4000),
)
def test_more_history_never_weighs_the_model_less(t1: int, a1: float, t2: int, a2: float) -> None:
    def weight(txns: int, age: float) -> float:
        prior = Activity(txns, 100_000 * txns, 0, 0, 0, None)
        return history_weight(_facts(**{**LANDLORD, "prior": prior, "age_days": age}))

    lo = weight(min(t1, t2), min(a1, a2))
    assert 0.0 <= lo <= weight(max(t1, t2), max(a1, a2)) <= 1.0


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Settings, str, int]:
    """The same lake twice, the second with a burst of transfers through the first report's
    first payee from an hour after that report on; the report's id and the burst's start."""
    w: World = build_world(seed=11, persons=30, victims=2)
    first = min(w.reports, key=lambda r: (r.ts, r.report_id))
    payee = first.fraud_txns[0].dst
    start = first.ts + HOUR
    burst = [
        Txn(start + i * HOUR + k, f"LATE{i}{k}", *pair, 50_000)
        for i in range(12)
        for k, pair in enumerate(((f"P{i}", payee), (payee, f"Q{i}")))
    ]
    homes = []
    for name, txns in (("before", w.txns), ("after", [*w.txns, *burst])):
        path: Path = tmp_path_factory.mktemp("live10") / name
        path.mkdir()
        homes.append(write_lake(path, txns, w.reports, w.accounts))
    return homes[0], homes[1], first.report_id, first.ts


def test_a_report_s_cut_holds_what_happened_until_it_and_nothing_after(
    worlds: tuple[Settings, Settings, str, int],
) -> None:
    before, after, rid, ts = worlds
    with get_engine(before) as a, get_engine(after) as b:
        cut = bm.report_cuts(a, {rid: ts})[rid]
        assert bm.report_cuts(b, {rid: ts}) == {rid: cut}
        later = bm.report_cuts(b, {"R-LATER": ts + 30 * HOUR})["R-LATER"]
    # the report itself is in (the cut is just after it), nothing filed or paid later
    assert cut == ts + 1
    assert later > ts + HOUR  # a report filed after the burst sees it


def test_reports_with_nothing_between_them_share_one_cut(
    worlds: tuple[Settings, Settings, str, int],
) -> None:
    before, _, rid, ts = worlds
    with get_engine(before) as engine:
        cuts = bm.report_cuts(engine, {rid: ts, "R-SAME": ts + 1, "R-NEXT": ts + 2})
    # nothing was paid or filed in the two microseconds after the report
    assert cuts[rid] == cuts["R-SAME"] == cuts["R-NEXT"] == ts + 1


def test_a_later_transfer_does_not_change_an_earlier_report_s_verdict(
    worlds: tuple[Settings, Settings, str, int],
) -> None:
    before, after, rid, _ = worlds
    early = {o["report_id"]: o for o in trace_all(before, TraceParams(), mule_asof="report")}
    late = {o["report_id"]: o for o in trace_all(after, TraceParams(), mule_asof="report")}
    assert early[rid] == late[rid]
    # the whole lake's scores do see the burst: "lake" would have judged the report otherwise
    with get_engine(before) as a, get_engine(after) as b:
        assert bm.lake_scores(a) != bm.lake_scores(b)
