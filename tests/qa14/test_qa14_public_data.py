"""A new user's run on the public data of ../shared/data (round fourteen): the IBM AMLworld
sample was "ignored (not an interchange table)" with no way named, a file of it without a
laundering transaction failed, and one bad value refused the whole file or became one cent;
`trace --all` and `gangs` on its lake (no reports) worked a minute to say nothing; a file of
texts was ignored without a word on `chaincut classify`; `chaincut score --home H` was told
that --home does not exist."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.cli.commands_lake import amlworld_file, ignored_hint
from chaincut.lake.stats import describe_home
from chaincut.settings import Settings
from tests.test_home_permissions import mode

_register()
runner = CliRunner()

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
HEADER = ("Timestamp,From Bank,Account,To Bank,Account.1,Amount Received,Receiving Currency,"
          "Amount Paid,Payment Currency,Payment Format,Is Laundering")  # fmt: skip
ROWS = [
    "2022/09/01 00:20,10,8000EBD30,10,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0",
    "2022/09/01 00:20,3208,8000F4580,1,8000F5340,0.01,US Dollar,0.01,US Dollar,Cheque,0",
    "2022/09/01 00:05,12,8000EC280,2439,8017BF800,9.58,US Dollar,9.58,US Dollar,Credit Card,0",
    "2022/09/01 00:06,0010,8000EBD30,1,8000F5340,100.00,Euro,100.00,Euro,ACH,0",
]


def _world(tmp_path: Path, rows: list[str]) -> Path:
    folder = tmp_path / "aml"
    folder.mkdir()
    (folder / "HI-Small_Trans.csv").write_text("\n".join([HEADER, *rows]) + "\n")
    (folder / "SHA256SUMS").write_text("x  HI-Small_Trans.csv\n")
    return folder


def test_an_amlworld_file_is_converted_and_imported(tmp_path: Path) -> None:
    # (no laundering transaction in it: the conversion failed on an empty, untyped list)
    home = tmp_path / "home"
    old = os.umask(0o022)
    try:
        result = runner.invoke(app, ["import", str(_world(tmp_path, ROWS)), "--home", str(home)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    # the home and the converted copy are private, as the lake that holds the same data
    assert {mode(home), mode(home / "converted" / "HI-Small_Trans")} == {0o700}
    assert "is an IBM AMLworld transaction file" in result.stderr
    tables = describe_home(Settings(home=home))["tables"]
    assert tables["transactions"]["rows"] == 4
    assert tables["accounts"]["rows"] == 5  # (bank 0010 is bank 10)


def test_a_bad_amlworld_row_is_rejected_with_its_line_and_field(tmp_path: Path) -> None:
    rows = [*ROWS[:2],
            "2022/09/01 00:2x,10,8000EBD30,10,8000EBD31,1.00,US Dollar,1.00,US Dollar,ACH,0",
            "2022/09/01 00:30,10,8000EBD30,10,8000EBD31,1.00,US Dollar,abc,US Dollar,ACH,1",
            *ROWS[2:]]  # fmt: skip
    home = tmp_path / "home"
    result = runner.invoke(app, ["import", str(_world(tmp_path, rows)), "--home", str(home),
                                 "--json"])  # fmt: skip
    assert result.exit_code == 2, result.output
    rejects = next(home.glob("rejects/*.csv"))
    with rejects.open(encoding="utf-8") as fh:
        found = {(Path(r["file"]).name, r["line"], r["field"]) for r in csv.DictReader(fh)}
    # the lines are the file's own (line 1 its header)
    assert found == {("transactions.csv", "4", "ts"), ("transactions.csv", "5", "amount")}
    tables = describe_home(Settings(home=home))["tables"]
    assert tables["transactions"]["rows"] == 4  # the others kept; "abc" is not one cent


def test_a_lake_without_reports_says_so_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    assert runner.invoke(app, ["import", str(_world(tmp_path, ROWS)), "--home", str(home),
                               "--no-index"]).exit_code == 0  # fmt: skip

    def ran(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("worked on a lake without reports")

    monkeypatch.setattr("chaincut.cli.commands_gangs._analyse", ran)
    monkeypatch.setattr("chaincut.cli.commands_trace._index_or_fail", ran)
    traced = runner.invoke(app, ["trace", "--all", "--home", str(home)])
    assert traced.exit_code == 0, traced.output
    assert traced.stdout == "" and "holds no reports: nothing to trace" in traced.stderr
    as_json = runner.invoke(app, ["trace", "--all", "--format", "json", "--home", str(home)])
    assert as_json.stdout == "[]\n"
    out = tmp_path / "gangs.jsonl"
    gangs = runner.invoke(app, ["gangs", "--home", str(home), "--out", str(out)])
    assert gangs.exit_code == 0, gangs.output
    assert "holds no reports: no gangs to find" in gangs.stderr
    assert "0 gangs" not in gangs.stdout and out.read_text() == ""


def test_a_file_of_texts_is_sent_to_classify(tmp_path: Path) -> None:
    texts = tmp_path / "label01-last.csv"
    texts.write_text("content,label\n您好，这里是公安局,冒充公检法及政府机关类\n", encoding="utf-8")
    hint = ignored_hint(texts)
    assert f"chaincut classify --file {texts} --text-column content" in hint
    assert ignored_hint(tmp_path / "notes.txt") == ""


def test_score_takes_home_before_its_command(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = runner.invoke(app, ["score", "--home", str(home)])
    assert result.exit_code == 2
    assert "say what to score: accounts, numbers or devices" in result.stderr
    assert "No such option" not in result.output


@pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared/data is absent (not in a user's install)"
)
def test_the_public_files_are_recognised() -> None:
    sample = SHARED / "amlworld_hi_small_sample"
    assert amlworld_file(sample) == sample / "HI-Small_Trans_sample.csv"
    texts = SHARED / "telecom_fraud_texts_5"
    assert amlworld_file(texts) is None
    # (label04 is GB18030)
    for name in ("label00-last.csv", "label04-last.csv"):
        assert "--text-column content" in ignored_hint(texts / name)


def test_a_case_names_its_suspects_roles_as_the_gang_page_does() -> None:
    # (round fourteen: the gang page said 跑分 and 招募人, the case opened from it 洗钱人员 and
    # 招募人员 for the same people)
    from chaincut.web.i18n import translate
    from chaincut.web.vocabulary import VOCABULARY as WORDS

    shared = [k.removeprefix("suspect_") for k in WORDS if k.startswith("suspect_")
              if f"gang_role_{k.removeprefix('suspect_')}" in WORDS]  # fmt: skip
    assert {"launderer", "recruiter", "financier"} <= set(shared)
    for lang in ("zh-CN", "en"):
        for role in shared:
            assert translate(f"suspect_{role}", lang) == translate(f"gang_role_{role}", lang), role
