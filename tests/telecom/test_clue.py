"""Number clues: the facts of a number, the den behind it, evidence, speed and freshness."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from chaincut.settings import Settings
from chaincut.telecom import ClueUnavailable, clue
from chaincut.telecom.clue.fresh import POINTER, ensure_clue_index
from tests.lake.conftest import ts
from tests.telecom.conftest import S1, S2, SIMS, A, L, TinyWorld, V, W


def test_the_facts_of_a_box_sim(mini_settings: Settings) -> None:
    result = clue(mini_settings, [S2])
    facts = result.numbers[0]
    assert facts.known and facts.den_id == "den-1"
    assert (facts.calls_out, facts.calls_in, facts.answered_out, facts.callees) == (4, 0, 2, 4)
    assert [(d.imei, d.calls, d.sims) for d in facts.devices] == [("I2", 4, 1)]
    assert [(c.cell_id, c.calls, c.days, c.hours) for c in facts.cells] == [
        ("C9", 4, 1, (17, 18, 22))
    ]
    [victim] = facts.victims
    assert (victim.victim, victim.calls, victim.messages, victim.talked) == (V, ("v1",), (), True)
    assert [r.report_id for r in victim.reports] == ["r1"]
    assert facts.first_seen is not None
    assert facts.first_seen == ts("2024-03-01 09:10:00").replace(tzinfo=facts.first_seen.tzinfo)
    assert facts.sync_peers == 3


def test_one_clue_finds_the_den(mini_settings: Settings) -> None:
    [den] = clue(mini_settings, [S1]).dens
    roles = {m.number: m.role for m in den.members}
    assert roles == {**dict.fromkeys(SIMS, "simbox"), L: "fraud_line"}
    assert den.clues == (S1,)
    [box] = den.boxes
    assert (box.cells, box.sims, box.imeis, box.hours) == (
        ("C9",),
        SIMS,
        ("I1", "I2", "I3", "I4"),
        3,
    )
    assert {v.victim: v.reached_by for v in den.victims} == {V: (L, S2), W: (L,)}
    line = next(m for m in den.members if m.number == L)
    assert line.joined is not None and line.joined.kind == "shared_victim"
    assert set(line.joined.evidence) <= {"v1", "l1", "m1"} and len(line.joined.evidence) == 2
    for member in den.members:
        if member.number != S1:
            assert member.joined is not None and member.joined.evidence


def test_a_second_clue_joins_the_same_den(mini_settings: Settings) -> None:
    result = clue(mini_settings, [L, S1])
    [den] = result.dens
    assert den.clues == (L, S1)
    assert {n.den_id for n in result.numbers} == {"den-1"}


def test_ordinary_and_unknown_numbers_have_no_den(mini_settings: Settings) -> None:
    result = clue(mini_settings, [A, "+8600000000000", " "])
    assert not result.dens
    a, unknown = result.numbers
    assert a.known and a.den_id is None and [h.person_id for h in a.holders] == ["pA"]
    assert [v.talked for v in a.victims] == [False]  # a 30 s call to a friend
    assert not unknown.known
    json.dumps(result.to_dict())


def test_the_index_is_reused_then_rebuilt_after_an_import(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from tests.lake.conftest import write_lake
    from tests.telecom.conftest import ROWS

    settings = Settings(home=tmp_path_factory.mktemp("fresh") / "home")
    with pytest.raises(ClueUnavailable):
        clue(settings, [A])
    write_lake(settings, {"persons": ROWS["persons"], "calls": ROWS["calls"][:3]})
    first = ensure_clue_index(settings)
    assert ensure_clue_index(settings) == first
    pointer = json.loads((settings.index_dir / POINTER).read_text())
    assert pointer["fingerprint"]["calls"] == 3
    write_lake(settings, {"calls": ROWS["calls"][3:]})
    second = ensure_clue_index(settings)
    assert second != first and not first.exists()
    assert clue(settings, [S1]).dens


def test_a_new_number_model_rebuilds_the_index(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index holds the number model's scores (`num_score`): an upgrade that ships another
    model rebuilds it though the lake is the same."""
    from chaincut.telecom.clue import fresh
    from chaincut.telecom.model import SHIPPED
    from tests.lake.conftest import write_lake
    from tests.telecom.conftest import ROWS

    assert SHIPPED["number"] == "numbers.json"  # the file `model_digest` reads
    settings = Settings(home=tmp_path_factory.mktemp("model") / "home")
    write_lake(settings, {"persons": ROWS["persons"], "calls": ROWS["calls"]})
    first = ensure_clue_index(settings)
    assert ensure_clue_index(settings) == first
    monkeypatch.setattr(fresh, "model_digest", lambda: "another-model")
    second = ensure_clue_index(settings)
    assert second != first and not first.exists()
    assert json.loads((settings.index_dir / POINTER).read_text())["fingerprint"]["model"] == (
        "another-model"
    )
    assert ensure_clue_index(settings) == second


def test_a_fresh_answer_from_a_built_index_opens_no_lake(mini_settings: Settings) -> None:
    """A fresh `chaincut clue` process on an unchanged lake reads only the memory-mapped index:
    it imports neither DuckDB nor Arrow (the lake's libraries), which keeps its start short."""
    from tests.test_cli_startup import imported

    clue(mini_settings, [A])  # builds the index once
    mods, out = imported("clue", S1, "--home", str(mini_settings.home), "--json")
    assert json.loads(out)["dens"]
    assert not mods & {"duckdb", "pyarrow", "ibis", "pandas"}


def test_a_tiny_city_clue_finds_its_den(tiny: TinyWorld) -> None:
    """Each box's first SIM as a clue returns its den. (How fast: benchmarks/, not a timed test
    that a loaded CI machine fails.)"""
    clue(tiny.settings, ["+860"])  # builds the index
    den_of = {}
    for den in tiny.info["dens"]:
        for box in den["simboxes"]:
            den_of.update(dict.fromkeys(box["sims"], den["den_id"]))
        den_of.update(dict.fromkeys(den["mobile_phones"], den["den_id"]))
        den_of.update(dict.fromkeys(den["member_phones"], den["den_id"]))
    hits = []
    for den in tiny.info["dens"]:
        for box in den["simboxes"]:
            result = clue(tiny.settings, box["sims"][:1])
            members = [m.number for d in result.dens for m in d.members]
            truth = Counter(den_of.get(m, "none") for m in members)
            if members:
                hits.append(truth[den["den_id"]] / len(members))
    assert hits and min(hits) >= 0.9, hits
