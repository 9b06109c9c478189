"""Freeze ahead, round thirteen: the lead model's log-odds calibrated (Platt scaling fitted on
training worlds' leads, `ahead_model.SCALE` and `SHIFT`) before the cut at `AHEAD_MIN`
(`chaincut.gangs.ahead.log_odds`, docs/gangs.md "Round thirteen: cards")."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from training.gangs.fit_ahead import fit

from chaincut.gangs.ahead import AHEAD_CAP, AHEAD_MIN, freeze_ahead, leads, log_odds
from chaincut.gangs.ahead_model import COEF, FEATURES, INTERCEPT, SCALE, SHIFT
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.member import sig
from tests.gangs.test_cards9 import _account, _gang, _world


def _lead(card: dict[str, object]) -> float:
    """Q's account `card` as a freeze-ahead lead of the test gang: its calibrated log-odds."""
    (lead,) = leads([_gang()], _world(card), LinkGraph())
    return log_odds(lead.x)


def test_a_lenders_idle_wallet_of_last_year_is_listed_with_its_evidence() -> None:
    # an idle Alipay wallet opened 200 days before the first report, its holder talking to a
    # listed card's holder and the recruiter: the score-running lenders' wallets of the
    # training worlds (raw log-odds 0.3-0.4, under the old cut of 0.6 and no innocent
    # account there scoring above -3.07)
    wallet = _account("W", "payment", 200, 0)
    (lead,) = leads([_gang()], _world(wallet), LinkGraph())
    assert sig(log_odds(lead.x, calibrated=False)) < AHEAD_MIN <= sig(log_odds(lead.x))
    g = _gang()
    freeze_ahead([g], _world(wallet), LinkGraph())
    (found,) = [m for m in g.members if m.id == "W"]
    assert found.role == "mule" and AHEAD_MIN <= found.confidence <= AHEAD_CAP
    codes = [c["code"] for c in found.codes if c]
    assert codes[0] == "freeze_ahead" and "talks_to_member" in codes and "talks_to_dealer" in codes
    assert codes[-1] == "unused_wallet" and "Q" in found.evidence


def test_everyday_cards_stay_out() -> None:
    # used by their holder: a card with twelve counterparties, a wallet with three
    for card in (_account("C", "bank_card", 200, 12), _account("W", "payment", 200, 3)):
        assert sig(_lead(card)) < AHEAD_MIN
        g = _gang()
        freeze_ahead([g], _world(card), LinkGraph())
        assert str(card["account_id"]) not in {m.id for m in g.members}


def test_the_calibration_is_the_models_sum_scaled_and_shifted() -> None:
    (lead,) = leads([_gang()], _world(_account("W", "payment", 200, 0)), LinkGraph())
    raw = INTERCEPT + sum(COEF[k] * lead.x[k] for k in FEATURES)
    assert math.isclose(log_odds(lead.x, calibrated=False), raw)
    assert math.isclose(log_odds(lead.x), SCALE * raw + SHIFT)
    assert SCALE > 0  # the order of the leads is the model's


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 4000), st.integers(0, 30), st.sampled_from(["payment", "bank_card"]))
def test_more_counterparties_never_raise_a_lead(days: int, parties: int, kind: str) -> None:
    assert _lead(_account("X", kind, days, parties + 1)) <= _lead(
        _account("X", kind, days, parties)
    )


def test_the_fit_recovers_a_known_calibration() -> None:
    # (`training.gangs.fit_ahead.fit` on leads whose truth follows sig(2 z - 1))
    rng = np.random.default_rng(13)
    z = rng.normal(0.0, 2.0, 20_000)
    truth = rng.random(z.size) < 1.0 / (1.0 + np.exp(-(2.0 * z - 1.0)))
    out = fit(
        [(f"A{i}", float(v), bool(t)) for i, (v, t) in enumerate(zip(z, truth, strict=True))], 1.0
    )
    assert abs(out["scale"] - 2.0) < 0.15 and abs(out["shift"] + 1.0) < 0.15
    assert out["fitted_on"] == {"leads": 20_000, "cards": int(truth.sum()), "C": 1.0}
