"""Randomised worlds: the documented ranges, their draws, and the new knobs' effect."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chaincut.cli.commands_simulate import simulate_command
from chaincut.simulate import SimParams, simulate
from chaincut.simulate.ranges import EVAL_SEED_BASE, PARAM_RANGES, draw_params
from tests.simulate.conftest import World, make_world
from tests.simulate.test_money import check_balances, check_conservation

DOCS = Path(__file__).parents[2] / "docs" / "simulator.md"


def _inside(value: object, low: float, high: float, how: str) -> bool:
    if how == "mix":
        assert isinstance(value, tuple)
        return abs(sum(value) - 1.0) < 1e-6 and min(value) > 0
    if how == "choice":
        return value in ("random", "fifo", "pro_rata")
    values = value if isinstance(value, tuple) else (value,)
    return all(low <= float(v) <= high for v in values)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_draws_are_deterministic_and_within_ranges(seed: int) -> None:
    params = SimParams.randomised(seed)
    assert params == draw_params(seed) == SimParams.randomised(seed)
    for r in PARAM_RANGES:
        value = getattr(params, r.name)
        assert _inside(value, r.low, r.high, r.how), (r.name, value)
    lo, hi = params.simbox_active_days
    assert 1 <= lo <= hi <= params.days - 2


def test_draws_differ_between_seeds() -> None:
    drawn = [SimParams.randomised(EVAL_SEED_BASE + k) for k in range(8)]
    for r in PARAM_RANGES:
        if r.how != "choice":
            assert len({repr(getattr(p, r.name)) for p in drawn}) > 1, r.name


def test_every_range_is_documented() -> None:
    section = DOCS.read_text(encoding="utf-8").split("## Randomised worlds")[1]
    rows = {
        line.split("|")[1].strip(): line for line in section.splitlines() if line.startswith("| ")
    }
    for r in PARAM_RANGES:
        assert r.name in rows, r.name
        if r.how not in ("mix", "choice"):
            assert f"| {r.low:g} | {r.high:g} |" in rows[r.name], r.name


def test_defaults_leave_the_new_knobs_off() -> None:
    p = SimParams()
    assert p.bystander_share == p.victim_platform_share == p.trader_share == 0.0
    assert p.payroll_agent_share == p.reminder_lines_per_100k == p.switchboards_per_100k == 0.0
    assert p.simbox_active_days == (0, 0)
    with pytest.raises(ValueError):
        SimParams(simbox_active_days=(5, 2))
    with pytest.raises(ValueError):
        SimParams(bystander_share=1.5)


def test_cli_randomise_writes_the_parameters(tmp_path: Path) -> None:
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("simulate")(simulate_command)
    args = ["simulate", str(tmp_path), "--seed", "1003", "--scale", "2500", "--randomise", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    body = json.loads((tmp_path / "truth" / "params.json").read_text(encoding="utf-8"))
    assert body["seed"] == 1003 and body["randomised"] is True
    assert body["params"]["bystander_share"] == SimParams.randomised(1003).bystander_share
    info = json.loads((tmp_path / "truth" / "world.json").read_text(encoding="utf-8"))
    assert info["params"]["days"] == SimParams.randomised(1003).days


# -- each new knob has an effect in a tiny world ---------------------------------------------
KNOBS = {
    "bystander_share": 0.5,
    "victim_platform_share": 1.0,
    "payroll_agent_share": 1.0,
    "trader_share": 0.02,
    "reminder_lines_per_100k": 200.0,
    "switchboards_per_100k": 200.0,
    "simbox_active_days": (26, 28),
    "simbox_swap_rate": 0.0,
    "simbox_slots": (4,),
    "rotating_imei_share": 0.0,
}


@pytest.fixture(scope="module")
def knobs(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("knobs"), seed=5, scale=5000, **KNOBS)


def _account_labels(world: World) -> dict[str, str]:
    return {
        r["entity_id"]: r["label"] for r in world.table("labels") if r["entity_kind"] == "account"
    }


def test_bystanders_receive_mule_money(knobs: World) -> None:
    labels = _account_labels(knobs)
    bystanders = {a for a, lab in labels.items() if lab == "bystander"}
    assert len(bystanders) >= 3
    payers = {
        r["src_account"] for r in knobs.table("transactions") if r["dst_account"] in bystanders
    }
    assert any(labels.get(p, "").startswith(("mule", "runner")) for p in payers)


def test_victims_pay_through_a_platform(knobs: World) -> None:
    labels = _account_labels(knobs)
    txns = {r["txn_id"]: r for r in knobs.table("transactions")}
    paid = [txns[t] for rep in knobs.table("reports") for t in rep["fraud_txn_ids"].split(";")]
    assert paid and all(labels[t["dst_account"]] == "pooled" for t in paid)
    # and the platform passes it on to a mule card
    pooled = {t["dst_account"] for t in paid}
    onward = {r["dst_account"] for r in txns.values() if r["src_account"] in pooled}
    assert any(labels.get(a, "").startswith(("mule", "runner")) for a in onward)


def test_payroll_agents_and_traders_pass_money_through(knobs: World) -> None:
    labels = _account_labels(knobs)
    ins: dict[str, set[str]] = defaultdict(set)
    outs: Counter[str] = Counter()
    for r in knobs.table("transactions"):
        ins[r["dst_account"]].add(r["src_account"])
        outs[r["src_account"]] += 1
    agents = [a for a, lab in labels.items() if lab == "payroll_agent"]
    traders = [a for a, lab in labels.items() if lab == "trader"]
    assert agents and traders
    assert max(outs[a] for a in agents) >= 5  # one lump in, many salaries out
    assert any(labels[s] == "employer" for a in agents for s in ins[a])
    assert max(len(ins[t]) for t in traders) >= 20  # many strangers pay a trader


def test_reminder_lines_and_switchboards_are_normal_heavy_callers(knobs: World) -> None:
    heavy = knobs.info["heavy_callers"]
    phones = {
        r["entity_id"]: r["label"] for r in knobs.table("labels") if r["entity_kind"] == "phone"
    }
    callees: dict[str, set[str]] = defaultdict(set)
    for c in knobs.table("calls"):
        callees[c["caller"]].add(c["callee"])
    for kind in ("reminder", "switchboard"):
        assert heavy[kind] and all(phones[n] == "normal" for n in heavy[kind])
        assert max(len(callees[n]) for n in heavy[kind]) >= 10


def test_box_sims_live_for_weeks_in_small_boxes(knobs: World) -> None:
    boxes = [b for d in knobs.info["dens"] for b in d["simboxes"]]
    assert boxes and all(b["slots"] == 4 and not b["rotating_imei"] for b in boxes)
    assert all(not b["swaps"] for b in boxes)
    sims = {s for b in boxes for s in b["sims"]}
    seen: dict[str, list[datetime]] = defaultdict(list)
    for c in knobs.table("calls"):
        if c["caller"] in sims:
            seen[c["caller"]].append(datetime.fromisoformat(c["ts"]))
    spans = [(max(t) - min(t)).days for t in seen.values()]
    assert spans and max(spans) >= 20


def test_docs_name_the_knobs_that_are_not_drawn() -> None:
    from dataclasses import fields

    section = DOCS.read_text(encoding="utf-8").split("## Randomised worlds")[1]
    kept = section.split("Knobs not listed")[1].split("\n\n")[0]
    drawn = {r.name for r in PARAM_RANGES} | {"campaign_days"}  # adjusted to the drawn days
    for f in fields(SimParams):
        if f.name not in drawn:
            assert f.name in kept, f.name


def test_knobs_keep_money_exact_and_balances_positive(knobs: World) -> None:
    check_conservation(knobs)
    check_balances(knobs)


@pytest.mark.parametrize("seed", [EVAL_SEED_BASE, EVAL_SEED_BASE + 3, EVAL_SEED_BASE + 7])
def test_randomised_worlds_are_sound(tmp_path: Path, seed: int) -> None:
    params = SimParams.randomised(seed)
    world = World(tmp_path, simulate(tmp_path, seed=seed, scale=3000, fmt="csv", params=params))
    check_conservation(world)
    check_balances(world)
    assert world.info["params"]["days"] == params.days
