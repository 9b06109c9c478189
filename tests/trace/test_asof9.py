"""Round nine b: the judge's mule scores as of each report (`mule_asof` "day"/"week"): the lake
cut at the start of the report's day or week is scored, so a later transfer cannot change an
earlier report's verdict (`chaincut.trace.bystander_model.score_book`)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from chaincut.lake.engine import get_engine
from chaincut.settings import Settings
from chaincut.trace import TraceParams, trace_all
from chaincut.trace import bystander_model as bm
from chaincut.trace.model import MICROS_PER_DAY, Txn
from tests.trace.helpers import write_lake
from tests.trace.world import World, build_world

EPOCH = datetime(1970, 1, 1)


@given(st.integers(0, 4_000_000_000 * 1_000_000), st.sampled_from(["day", "week"]))
def test_a_cut_is_the_start_of_the_report_s_day_or_week(ts: int, every: str) -> None:
    cut = bm.cut_at(ts, every)
    span = MICROS_PER_DAY * (1 if every == "day" else 7)
    assert cut <= ts < cut + span and cut % MICROS_PER_DAY == 0
    if every == "week":
        assert (EPOCH + timedelta(microseconds=cut)).weekday() == 0  # a Monday


def test_a_book_gives_each_report_its_cut_s_scores() -> None:
    book = bm.ScoreBook(cuts={1: {"A": 0.9}, 2: {"A": 0.1}}, cut_of={"R1": 1, "R2": 2, "R3": 3})
    assert book.of("R1") == {"A": 0.9} and book.of("R2") == {"A": 0.1}
    assert book.of("R3") == {}  # a cut nothing was scored at: no model evidence
    assert bm.ScoreBook(whole={"A": 0.5}).of("R9") == {"A": 0.5}


def test_an_unknown_cut_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="'month'"):
        bm.score_book(Settings(home=tmp_path), TraceParams(), {}, "month")


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Settings, str, int]:
    """The same lake twice, the second with a burst of transfers through the first report's
    first payee from the week after that report's on; the report's id and the burst's start."""
    w: World = build_world(seed=11, persons=30, victims=2)
    first = min(w.reports, key=lambda r: (r.ts, r.report_id))
    payee = first.fraud_txns[0].dst
    start = bm.cut_at(first.ts, "week") + 7 * MICROS_PER_DAY
    burst = [
        Txn(start + i * 3_600_000_000 + k, f"LATE{i}{k}", *pair, 50_000)
        for i in range(12)
        for k, pair in enumerate(((f"P{i}", payee), (payee, f"Q{i}")))
    ]
    homes = []
    for name, txns in (("before", w.txns), ("after", [*w.txns, *burst])):
        path: Path = tmp_path_factory.mktemp("asof9") / name
        path.mkdir()
        homes.append(write_lake(path, txns, w.reports, w.accounts))
    return homes[0], homes[1], first.report_id, start


def test_a_later_transfer_does_not_change_an_earlier_report_s_verdict(
    worlds: tuple[Settings, Settings, str, int],
) -> None:
    before, after, rid, start = worlds
    early = {o["report_id"]: o for o in trace_all(before, TraceParams(), mule_asof="week")}
    late = {o["report_id"]: o for o in trace_all(after, TraceParams(), mule_asof="week")}
    assert early[rid] == late[rid]
    times = {rid: start - 1}
    book = bm.score_book(before, TraceParams(), times, "week")
    assert book.of(rid) and book.of(rid) == bm.score_book(after, TraceParams(), times, "week").of(
        rid
    )
    # the whole lake's scores do see the burst: "lake" would have judged the report otherwise
    with get_engine(before) as a, get_engine(after) as b:
        assert bm.lake_scores(a) != bm.lake_scores(b)


def test_cut_scores_are_kept_in_the_home_and_read_back(
    worlds: tuple[Settings, Settings, str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    before, _, rid, start = worlds
    times = {rid: start - 1}
    first = bm.score_book(before, TraceParams(), times, "week")

    def never(*_: object) -> None:
        raise AssertionError("scored a cut again")

    monkeypatch.setattr(bm, "cut_scores", never)
    assert bm.score_book(before, TraceParams(), times, "week") == first
    assert first.of(rid)
    assert bm.score_book(before, TraceParams(mule_model=False), times, "week") == bm.ScoreBook()


def test_the_cli_judges_with_the_cut_asked_for_and_issues_the_same_orders(
    worlds: tuple[Settings, Settings, str, int], tmp_path: Path
) -> None:
    import chaincut.cli.commands_trace  # noqa: F401  (registers the commands)
    from chaincut.cli.app import app

    before = worlds[0]
    home = str(before.home)
    bad = CliRunner().invoke(app, ["trace", "--all", "--mule-asof", "month", "--home", home])
    assert bad.exit_code == 2 and "--mule-asof" in bad.output
    want = list(trace_all(before, TraceParams(), mule_asof="week"))
    for issue in ("--no-issue", "--issue"):
        out = tmp_path / f"{issue}.jsonl"
        args = ["trace", "--all", "--mule-asof", "week", issue, "--home", home, "--out", str(out)]
        assert CliRunner().invoke(app, args).exit_code == 0
        got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert [{k: v for k, v in o.items() if k != "issued"} for o in got] == want
