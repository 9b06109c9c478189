"""`chaincut train accounts` on one world and `chaincut score accounts --model` on another."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.cli.commands_score import score_app, train_app, write_scores
from chaincut.scoring import AccountModel, LakeAccounts, score_lake
from chaincut.settings import Settings

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(
    world_a: tuple[Path, Settings], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """A model file trained by the CLI on world A's folder, and the home it imported into."""
    _register()
    root = tmp_path_factory.mktemp("cli")
    model, home = root / "model.json", root / "home"
    result = runner.invoke(
        app,
        ["train", "accounts", str(world_a[0]), "--out", str(model), "--home", str(home)]
        + ["--rounds", "40", "--json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["positives"] >= 20 and summary["model"] == str(model)
    return model, home


def test_groups_are_open_to_other_scorers() -> None:
    _register()
    names = {group.name for group in app.registered_groups}
    assert {"score", "train"} <= names
    assert [c.name for c in score_app.registered_commands] >= ["accounts"]
    assert "accounts" in [c.name for c in train_app.registered_commands]


def test_score_another_world_with_the_trained_model(
    trained: tuple[Path, Path], world_b: tuple[Path, Settings], tmp_path: Path
) -> None:
    model, _ = trained
    home = str(world_b[1].home)
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app,
        ["score", "accounts", "--home", home, "--model", str(model), "--out", str(out), "--json"],
    )
    assert result.exit_code == 0, result.output
    top = json.loads(result.stdout)
    assert len(top) == 20
    assert top[0]["score"] >= top[-1]["score"] and top[0]["label"] != "normal"
    assert top[0]["features"][0]["contribution"] > 0
    table = pacsv.read_csv(out)
    assert table.column_names == ["account_id", "score", "label", "flagged", "reasons"]
    assert table.num_rows > 500


def test_score_writes_jsonl_and_parquet_and_a_table(
    trained: tuple[Path, Path], tmp_path: Path
) -> None:
    model, home = trained
    base = ["score", "accounts", "--home", str(home), "--model", str(model), "--top", "3"]
    result = runner.invoke(app, [*base, "--out", str(tmp_path / "s.jsonl")])
    assert result.exit_code == 0, result.output
    assert "flagged" in result.stdout and "reasons" in result.stdout
    first = json.loads((tmp_path / "s.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert {"account_id", "score", "label", "features", "patterns"} <= set(first)
    bad = runner.invoke(app, [*base, "--out", str(tmp_path / "s.xlsx")])
    assert bad.exit_code == 2 and "extension" in bad.output


def test_write_scores_to_parquet(
    model_a: AccountModel, lake_b: LakeAccounts, tmp_path: Path
) -> None:
    scores = score_lake(lake_b, model_a)
    write_scores(scores, tmp_path / "s.parquet")
    table = pq.read_table(tmp_path / "s.parquet")
    assert table.num_rows == len(scores)
    assert table.column("account_id").to_pylist()[0] == scores[0].account_id


def test_errors_say_what_to_do(tmp_path: Path, trained: tuple[Path, Path]) -> None:
    _register()
    missing = runner.invoke(app, ["score", "accounts", "--home", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "chaincut import" in missing.output
    _, home = trained
    no_model = runner.invoke(
        app, ["score", "accounts", "--home", str(home), "--model", str(tmp_path / "x.json")]
    )
    assert no_model.exit_code == 2 and "no model file" in no_model.output
    unlabelled = tmp_path / "unlabelled"
    unlabelled.mkdir()
    (unlabelled / "transactions.csv").write_text(
        "txn_id,ts,src_account,dst_account,amount\nt1,2024-01-01T00:00:00,a,b,10.00\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["train", "accounts", str(unlabelled), "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code == 2 and "labelled as mules" in result.output
    assert not (tmp_path / "m.json").exists()
