"""What the shipped model reads so that it carries to other ledgers: bounded flow ratios, the
fan-out payer / fan-in payee neighbourhood, held-out labels in training, AMLworld's halves."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.lake.engine import Engine
from chaincut.scoring import LakeAccounts, read_accounts, read_labels
from chaincut.scoring.amlworld import attempt_halves
from chaincut.scoring.features import (
    NEIGHBOUR_FEATURES,
    SCALE_FREE_FEATURES,
    SHIPPED_FEATURES,
    UNBOUNDED_RATIOS,
    fan_accounts,
)
from chaincut.scoring.train import HELD_OUT, train_account_model
from chaincut.scoring.truth import is_positive
from tests.scoring.conftest import FAST

BOUNDED: tuple[str, ...] = ("flow_balance", "pt_flow_share", "fan_in_hour_share")
BOUNDED += ("fan_in_day_share", "fan_out_hour_share", "fan_out_day_share")


def test_shipped_features_are_scale_free_and_bounded_where_they_read_money() -> None:
    assert not set(UNBOUNDED_RATIOS) & set(SHIPPED_FEATURES)
    assert set(BOUNDED) <= set(SHIPPED_FEATURES)
    new = set(SHIPPED_FEATURES) - set(SCALE_FREE_FEATURES)
    assert not {n for n in new if "count" in n and "ratio" not in n}  # no absolute count


def test_ratios_and_shares_lie_between_zero_and_one(lake_a: LakeAccounts) -> None:
    for name in BOUNDED:
        column = lake_a.frame.column(name)
        known = column[~np.isnan(column)]
        assert len(known) > len(column) // 2, name
        assert ((known >= 0) & (known <= 1 + 1e-9)).all(), name


def test_active_days_per_day_of_lifetime_stay_below_two(lake_a: LakeAccounts) -> None:
    f = lake_a.frame
    active = f.column("active_day_share")
    assert ((active > 0) & (active <= 2)).all()
    assert (active[f.column("lifetime_d") == 0] == 1).all()


def test_flow_balance_is_the_smaller_flow_over_the_larger(lake_a: LakeAccounts) -> None:
    f = lake_a.frame
    a, b = f.column("in_amount"), f.column("out_amount")
    both = (a > 0) & (b > 0)
    expected = np.minimum(a, b)[both] / np.maximum(a, b)[both]
    assert np.allclose(f.column("flow_balance")[both], expected)
    assert np.isnan(f.column("flow_balance")[(a == 0) & (b == 0)]).all()


def test_mini_ledger_payees_of_a_fan_out_account_see_it(mini_duckdb: Engine) -> None:
    lake = read_accounts(mini_duckdb)
    fan_out, fan_in = fan_accounts(lake.frame)
    assert "L1" in set(fan_in)  # six victims paid it within an hour
    frame = lake.with_neighbours([])
    payee_share = dict(zip(frame.accounts, frame.column("fan_in_payee_share"), strict=True))
    for victim in ("V1", "V2", "V6"):
        assert payee_share[victim] == 1.0  # its one payment went to a fan-in account
    assert payee_share["C1"] == 0.0
    assert set(NEIGHBOUR_FEATURES) <= set(frame.names)


def test_hubs_are_no_fans(mini_duckdb: Engine) -> None:
    lake = read_accounts(mini_duckdb)
    fan_out, fan_in = fan_accounts(lake.frame, hub_degree=3)
    assert "L1" not in set(fan_in)  # six counterparties: a hub at this degree


def test_held_out_labels_do_not_change_the_model(lake_a: LakeAccounts, engine_a: Engine) -> None:
    labels = read_labels(engine_a)
    accounts = [str(a) for a in lake_a.frame.accounts]
    held = set(accounts[::3])
    one = {a: HELD_OUT if a in held else labels.get(a, "normal") for a in accounts}
    flipped = {a: ("normal" if is_positive(labels.get(a, "")) else "mule") for a in held}
    two = {**one, **flipped}
    # the flipped labels are learnt from: the model changes
    changed = train_account_model([lake_a], [two], FAST).final.model_to_string()
    kept = train_account_model([lake_a], [one], FAST)
    assert kept.final.model_to_string() != changed
    again = {**one, **{a: HELD_OUT for a in held}}
    assert train_account_model([lake_a], [again], FAST).final.model_to_string() == (
        kept.final.model_to_string()
    )
    assert kept.info["accounts"] == len(accounts) - len(held)


def test_a_lake_weighed_zero_is_not_learnt(lake_a: LakeAccounts, engine_a: Engine) -> None:
    labels = read_labels(engine_a)
    alone = train_account_model([lake_a], [labels], FAST).first.model_to_string()
    noise = {str(a): "mule" for a in lake_a.frame.accounts[::2]}
    both = train_account_model([lake_a, lake_a], [labels, noise], FAST, lake_weights=[1.0, 0.0])
    assert both.first.model_to_string() == alone


def _table(edges: list[tuple[int, int, bool]]) -> pa.Table:
    return pa.table(
        {
            "src_account": [f"a{s}" for s, _, _ in edges],
            "dst_account": [f"a{d}" for _, d, _ in edges],
            "is_laundering": [b for _, _, b in edges],
        }
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.booleans()), max_size=60))
def test_attempt_halves_keep_every_laundering_attempt_whole(
    edges: list[tuple[int, int, bool]],
) -> None:
    halves = attempt_halves(_table(edges))
    assert set(halves) == {f"a{s}" for s, _, _ in edges} | {f"a{d}" for _, d, _ in edges}
    assert set(halves.values()) <= {0, 1}
    for s, d, bad in edges:
        if bad:
            assert halves[f"a{s}"] == halves[f"a{d}"]
    assert attempt_halves(_table(list(reversed(edges)))) == halves  # the order does not matter


def test_attempt_halves_split_accounts_about_evenly() -> None:
    edges = [(i, i + 1000, i % 7 == 0) for i in range(400)]
    halves = attempt_halves(_table(edges))
    share = sum(halves.values()) / len(halves)
    assert 0.4 < share < 0.6
