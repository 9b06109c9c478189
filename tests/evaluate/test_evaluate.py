"""`chaincut evaluate`: options, worlds, the table and the public text readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from chaincut.cli.commands_evaluate import evaluate_command
from chaincut.evaluate import AREAS, ROWS, Column, Evaluation, markdown, parse_only, plan_worlds
from chaincut.evaluate.report import evaluation_table, show
from chaincut.evaluate.text import SOURCES, _draw, public_samples, text_figures

DATA = Path("../shared/data")


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("evaluate")(evaluate_command)
    return app


def test_only_parses_areas_and_refuses_unknown_ones() -> None:
    assert parse_only(None) == AREAS
    assert parse_only("text, trace,text") == ("text", "trace")
    with pytest.raises(ValueError, match="nope"):
        parse_only("trace,nope")


def test_worlds_use_evaluation_seeds_only() -> None:
    worlds = plan_worlds(2, 1000, "tiny", None)
    names = [w.name for w in worlds]
    assert names[:3] == ["simulator-default", "randomised-1000", "randomised-1001"]
    assert [w.kind for w in worlds[3:]] in ([], ["foreign"])  # the foreign world, if installed
    with pytest.raises(ValueError, match="1000"):
        plan_worlds(1, 999, "tiny", None)


def test_table_has_a_row_per_figure_and_dashes_for_missing() -> None:
    cols = [
        Column("a", "simulator", figures={"accounts.ap": 0.5, "trace.innocent_accounts": 3}),
        Column("b", "public text", figures={"text.f1": 0.25}),
    ]
    e = Evaluation(cols, AREAS, 1000, "tiny")
    md = markdown(e)
    assert "| mule accounts: average precision | 0.500 | — |" in md
    assert "| text: F1 (fraud) | — | 0.250 |" in md
    assert "numbers" not in md  # no column has them: no row
    assert evaluation_table(e).row_count == 4  # three figures and the seconds
    assert show(0.1234, "%") == "12.3%" and show(1234, "n") == "1,234" and show(None, "f") == "—"
    assert len({key for key, _, _ in ROWS}) == len(ROWS)
    assert json.loads(json.dumps(e.to_json()))["worlds"][0]["figures"]["accounts.ap"] == 0.5


def test_draw_keeps_the_fraud_share() -> None:
    sample = [(f"t{i}", i % 4 == 0) for i in range(400)]
    drawn = _draw(sample, 100, seed=1)
    assert len(drawn) == 100 and sum(y for _, y in drawn) == 25
    assert _draw(sample, 100, seed=1) == drawn and _draw(sample, 1000, seed=1) == sample


def test_text_figures_split_fraud_and_normal() -> None:
    sample = [
        ("您好，我是公安局的，您涉嫌洗钱，请把钱转到安全账户", True),
        ("晚上一起吃饭吗？我七点到", False),
    ]
    figures = text_figures(sample)
    assert figures["text.texts"] == 2
    assert {"text.precision", "text.recall", "text.f1", "text.normal_flagged"} <= set(figures)
    only_normal = text_figures([("明天开会改到十点", False)])
    assert "text.f1" not in only_normal and "text.normal_flagged" in only_normal


@pytest.mark.skipif(not DATA.is_dir(), reason="public data ../shared/data is absent")
def test_public_text_sources_are_read() -> None:
    samples = public_samples(DATA, 30, seed=1000)
    for name, sample in samples.items():
        assert name in SOURCES and 0 < len(sample) <= 30
        assert all(text.strip() for text, _ in sample)
    if "teleantifraud" in samples:
        assert any(y for _, y in samples["teleantifraud"])
    if "normal_dialogues" in samples:
        assert not any(y for _, y in samples["normal_dialogues"])


def test_cli_refuses_bad_options(tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (["--only", "trace,nope"], ["--worlds", "-1"], ["--data", str(tmp_path / "x")],
                 ["--seed", "5"], ["--scale", "huge"]):  # fmt: skip
        result = runner.invoke(_cli(), ["evaluate", *args])
        assert result.exit_code == 2, (args, result.output)


def test_cli_json_and_out(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    empty = tmp_path / "data"
    empty.mkdir()
    args = ["evaluate", "--worlds", "0", "--only", "accounts", "--data", str(empty), "--json",
            "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body == json.loads(out.read_text(encoding="utf-8"))
    worlds = {w["name"]: w for w in body["worlds"]}
    assert "simulator-default" in worlds and body["areas"] == ["accounts"]
    assert set(worlds) <= {"simulator-default", "foreign"}  # --worlds 0: no randomised world
    assert set(worlds["simulator-default"]["figures"]) == {
        "accounts.ap",
        "accounts.precision",
        "accounts.recall",
        "accounts.innocent_flagged",
    }


def test_people_per_person_read_as_people() -> None:
    # the warnings' bothered people per victim warned printed as "11193.082"
    from chaincut.evaluate.report import ROWS, show

    assert show(11193.082, "r") == "11,193.1"
    hows = {key: how for key, _, how in ROWS}
    assert hows["warn.plain_bothered_per_warned"] == "r"
    assert hows["warn.innocent_per_warned"] == "r"
