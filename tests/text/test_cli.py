from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli import _register, app

_register()
runner = CliRunner()
FRAUD = "您好，我是公安局的，您涉嫌洗钱，请把钱转到安全账户 6222 0212 3456 7890 128"
NORMAL = "妈，我今晚加班，不回家吃饭了。"


def test_single_text_is_readable() -> None:
    result = runner.invoke(app, ["classify", FRAUD])
    assert result.exit_code == 0, result.output
    assert "FRAUD" in result.output and "冒充公检法" in result.output
    assert "bank_card 6222021234567890128" in result.output


def test_single_text_json() -> None:
    result = runner.invoke(app, ["classify", NORMAL, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["fraud"] is False and data["text"] == NORMAL
    assert data["verdict"] == "normal"


def test_advertising_is_spam_in_the_cli() -> None:
    text = "【优衣库】春季新品上市，会员购满299元减30元，活动至3月31日，退订回T"
    result = runner.invoke(app, ["classify", text, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["verdict"] == "spam" and data["fraud"] is False
    assert "spam" in runner.invoke(app, ["classify", text]).output


def test_file_jsonl_to_jsonl(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    lines = [{"id": "a", "text": FRAUD}, {"id": 7, "text": NORMAL}, {"id": "c", "text": ""}]
    source.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n{}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["classify", "--file", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", 7, "c"]
    assert [r["fraud"] for r in rows] == [True, False, False]
    assert [r["verdict"] for r in rows] == ["fraud", "normal", "normal"]
    assert rows[0]["fraud_type"] == "impersonate_police" and rows[0]["phrases"]
    assert "in.jsonl:4: not valid JSON" in result.output
    assert "in.jsonl:5" in result.output
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_file_csv_gb18030(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(f'content,label\n"{FRAUD}",1\n{NORMAL},0\n'.encode("gb18030"))
    result = runner.invoke(app, ["classify", "--file", str(source), "--text-column", "content"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["fraud"] for r in rows] == [True, False]
    assert [r["id"] for r in rows] == [2, 3]


def test_bad_usage(tmp_path: Path) -> None:
    assert runner.invoke(app, ["classify"]).exit_code == 2
    assert (
        runner.invoke(app, ["classify", "--file", str(tmp_path / "missing.jsonl")]).exit_code == 2
    )
    source = tmp_path / "in.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", "--file", str(source)])
    assert result.exit_code == 2 and 'no column "text"' in result.output
