"""Round eleven's speed: `chaincut gangs` scores the lake once for the flags and the judged
traces, and writes the link graph with the C JSON encoder, piece by piece, to the same text."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pyarrow as pa
import pytest

from chaincut.gangs import Evidence, analyse, collect
from chaincut.gangs import saved as saved_module
from chaincut.gangs.collect import Rows
from chaincut.gangs.community import communities
from chaincut.gangs.people import PersonLink
from chaincut.gangs.rowset import RowSet
from chaincut.gangs.saved import SavedGraph, _encode, _evidence_json, load_graph, save_graph
from chaincut.lake.engine import get_engine
from chaincut.scoring import score as score_module
from chaincut.scoring.saved import flagged_accounts
from chaincut.scoring.score import score_accounts, scoring_once
from chaincut.settings import Settings
from chaincut.trace.batch import trace_all_engine
from chaincut.trace.model import TraceParams

T0 = dt.datetime(2026, 1, 1, 8, 30)


def _evidence() -> Evidence:
    contacts = pa.table(
        {
            "src": [f"+86130{i:08d}" for i in range(11)],
            "dst": ["+85512345678", None, *["+8613000000001"] * 9],
            "n": list(range(11)),
            "ts": [T0 + dt.timedelta(hours=i) for i in range(11)],
            "ids": [[f"c{i}", f"d{i}"] for i in range(11)],
        }
    )
    return Evidence(
        traces=[
            {"report_id": f"R{i}", "totals": {"claimed": "1.00"}, "freeze": []} for i in range(7)
        ],  # fmt: skip
        transfers=[
            {
                "txn_id": f"T{i}",
                "amount": Decimal(f"{i}.50"),
                "ts": T0,
                "day": T0.date(),
                "note": '转账 "引号" \\ é',
                "ids": [f"x{i}", (i, "y")],
            }
            for i in range(9)
        ],  # fmt: skip
        boss_contacts=cast(Rows, RowSet(contacts)),
        reach={"+8613000000001": (3, 2), "+85512345678": (1, 0)},
        degrees={"A1": 4},
        scores={"A1": 0.1 + 0.2, "A2": 1e-17},
        stops={"R1": {"claimed": "9.99"}},
    )


def _old_text(saved: SavedGraph) -> str:
    """The graph's text as `json.dump` wrote it before round eleven."""
    data = {
        "version": saved_module.VERSION,
        "generation": saved.generation,
        "seed": saved.seed,
        "evidence": _evidence_json(saved.evidence),
        "links": [[k.a, k.b, k.match_weight, k.probability, k.source] for k in saved.links],
        "groups": saved.groups,
        "weights": [[a, b, w] for (a, b), w in sorted(saved.weights.items())],
    }
    return json.dumps(data, ensure_ascii=False, default=_encode)


@pytest.mark.parametrize("piece", [1, 2, 3, 10_000])
def test_the_graph_is_written_as_json_dump_wrote_it(
    piece: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(saved_module, "PIECE", piece)
    links = [PersonLink(f"P{i}", f"P{i + 1}", 1.5 * i, 0.25, "id_number") for i in range(5)]
    saved = SavedGraph(
        7, _evidence(), links, [["report:R1", "account:A1"], [], ["phone:+1"]],
        {("a", "b"): 0.5, ("a", "c"): 1.0, ("b", "c"): 2.0 / 3.0}, seed=3,
    )  # fmt: skip
    path = save_graph(tmp_path, saved)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        assert fh.read() == _old_text(saved)
    back = load_graph(tmp_path)
    assert back is not None
    assert back.evidence.reach == saved.evidence.reach
    assert back.evidence.boss_contacts == list(saved.evidence.boss_contacts)
    assert back.evidence.transfers[3]["ids"] == ["x3", (3, "y")]


def test_collect_scores_a_fresh_lake_once(
    foreign_world: tuple[Path, Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the foreign world's lake in a home of its own: no scores kept from another test
    settings = Settings(home=tmp_path / "home")
    settings.lake_path.parent.mkdir(parents=True)
    shutil.copy2(foreign_world[1].lake_path, settings.lake_path)
    calls: list[int] = []
    scorer = score_module._score_accounts

    def counted(*args: Any) -> Any:
        calls.append(1)
        return scorer(*args)

    monkeypatch.setattr(score_module, "_score_accounts", counted)
    with get_engine(settings) as engine:
        ev = collect(engine)
        assert len(calls) == 1  # the judged traces' scores and the flags: one scoring
        # the flags are those a scoring on its own gives (kept in the home since: read back)
        assert ev.scores == flagged_accounts(engine)
        assert len(calls) == 1
        # outside the block every call scores
        first = score_accounts(engine, explain=0)
        assert len(calls) == 2
        with scoring_once():
            again = score_accounts(engine, explain=0)
            assert score_accounts(engine, explain=0) is again
            assert score_accounts(engine, explain=1) is not again
        assert len(calls) == 4
        assert list(again.ids) == list(first.ids)
        assert list(again.values) == list(first.values)


def test_the_analysis_keeps_the_grouping_the_saved_graph_made_again(evidence: Evidence) -> None:
    analysis = analyse(evidence)
    weights = analysis.graph.weighted()
    assert analysis.weights == weights
    assert list(analysis.weights) == list(weights)  # (the order Leiden reads them in)
    assert analysis.grouping == communities(weights)
    assert analyse(evidence, seed=1).seed == 1


def test_the_trace_checks_every_score_once(foreign_world: tuple[Path, Settings]) -> None:
    with get_engine(foreign_world[1]) as engine, pytest.raises(ValueError, match="mule scores"):
        trace_all_engine(engine, TraceParams(), {"anyone": 1.5})
