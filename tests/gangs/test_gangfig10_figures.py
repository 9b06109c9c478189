"""A gang's figures an analyst trusts (round ten, qa10's run on foreign world 361): `stopped`
is the sum of the stops `trace --all` issues for the gang's reports, and the members summary
counts a role's persons, lines and handsets apart (a SIM box is not hundreds of operators)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chaincut.cli.app import console
from chaincut.cli.commands_gangs import _show
from chaincut.gangs import Evidence, analyse
from chaincut.gangs.analyse import _money
from chaincut.gangs.collect import judged_totals
from chaincut.gangs.summary import KINDS, count_lines, role_counts
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.trace import bystander_model
from chaincut.trace.api import trace_all
from chaincut.trace.model import TraceParams


def test_stopped_adds_the_judged_claims_not_the_graphs_traces() -> None:
    traces = {
        "R1": {"totals": {"loss": "100.00", "claimed": "90.00", "exited": "5.00"}},
        "R2": {"totals": {"loss": "50.00", "claimed": "40.00", "exited": "0.00"}},
    }
    judged = {"R1": {"claimed": "70.00"}}  # R2 filed since the run: its own trace counts
    money = _money(["R1", "R2"], traces, judged)
    assert money["stopped"] == Decimal("110.00")
    assert money["reported"] == Decimal("150.00")
    assert _money(["R1", "R2"], traces)["stopped"] == Decimal("130.00")


def test_stopped_equals_the_stops_trace_all_issues(
    foreign_world: tuple[Path, Settings], evidence: Evidence, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the mule model's scores as the run keeps them, made to disagree with the traces alone
    # (every account a verify order names scored a mule's 0.99) so that the judge moves stops
    held = {f["account_id"] for t in evidence.traces for f in t["verify"]}
    monkeypatch.setattr(bystander_model, "lake_scores", lambda _: dict.fromkeys(held, 0.99))
    claims = {
        str(o["report_id"]): sum((Decimal(f["claim"]) for f in o["freeze"]), Decimal(0))
        for o in trace_all(foreign_world[1], TraceParams())
    }
    alone = {str(t["report_id"]): Decimal(t["totals"]["claimed"]) for t in evidence.traces}
    assert claims != alone  # (else this test could not fail)
    with get_engine(foreign_world[1]) as engine:
        judged = replace(evidence, stops=judged_totals(engine, TraceParams()))
    gangs = analyse(judged).gangs
    assert gangs
    for g in gangs:
        assert Decimal(g.json()["money"]["stopped"]) == sum(
            (claims[r] for r in g.reports), Decimal(0)
        ).quantize(Decimal("0.01"))


def _members(**by_kind: int) -> list[dict[str, str]]:
    return [
        {"kind": kind, "id": f"{kind}{i}", "role": "operator"}
        for kind, n in by_kind.items()
        for i in range(n)
    ]


def test_a_sim_box_counts_as_lines_and_handsets_not_operators() -> None:
    members = _members(person=7, phone=364, device=402)
    assert role_counts(members) == {"operator": {"person": 7, "phone": 364, "device": 402}}
    assert count_lines(members) == ["operator 7 persons", "  364 lines, 402 handsets"]


@given(st.lists(st.tuples(st.sampled_from(["mule", "operator"]), st.sampled_from(list(KINDS)))))
def test_every_member_is_counted_once(pairs: list[tuple[str, str]]) -> None:
    members = [{"role": r, "kind": k} for r, k in pairs]
    counts = role_counts(members)
    assert sum(n for kinds in counts.values() for n in kinds.values()) == len(members)
    assert len([line for line in count_lines(members) if not line.startswith(" ")]) == len(counts)


def test_the_table_names_persons_lines_and_handsets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "width", 80)
    gang = {
        "gang_id": "GANG-FR000008",
        "reports": ["FR000008"],
        "stability": 0.5,
        "members": _members(person=7, phone=364, device=402),
        "money": {"reported": "10914.00", "stopped": "10313.27", "exited": "0.00"},
    }
    with console.capture() as captured:
        _show([gang])
    text = captured.get()
    assert "operator 7 persons" in text
    assert "364 lines, 402 handsets" in text
    assert "operator 773" not in text
    assert "trace --all" in text
    assert max(len(line) for line in text.splitlines()) <= 80
