"""`chaincut classify --conversation`: a chat log or a call transcript judged as a unit."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chaincut.cli import _register, app
from chaincut.text import classify_conversation
from chaincut.text.turns import open_input, read_turns

_register()
runner = CliRunner()
#: hand-written for these tests: the pretext and the ask in separate turns
FRAUD_CHAT = [
    ("客服", "您好，这里是某某金融，您的学生贷款需要注销，否则会影响征信"),
    ("我", "啊？那怎么注销"),
    ("客服", "您需要把额度里的钱转到我们的安全账户进行清零"),
]
NORMAL_CHAT = [
    ("A", "周末一起去爬山吗？"),
    ("B", "好啊，几点出发？"),
    ("A", "早上八点在地铁站见，记得带水"),
]


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_fraud_chat_is_flagged_with_its_ask(tmp_path: Path) -> None:
    chat = _write(tmp_path, "chat.txt", [f"{who}：{text}" for who, text in FRAUD_CHAT])
    result = runner.invoke(app, ["classify", "--conversation", str(chat)])
    assert result.exit_code == 0, result.output
    assert "FRAUD" in result.output and "asks: transfer" in result.output
    assert "conversation of 3 turns" in result.output
    data = json.loads(
        runner.invoke(app, ["classify", "--conversation", str(chat), "--json"]).output
    )
    assert data == json.loads(json.dumps(classify_conversation(FRAUD_CHAT).to_dict()))
    assert data["fraud"] is True and "transfer" in data["asks"] and data["phrases"]


def test_a_normal_dialogue_is_not_flagged_from_stdin() -> None:
    lines = "".join(json.dumps({"speaker": w, "text": t}) + "\n" for w, t in NORMAL_CHAT)
    result = runner.invoke(app, ["classify", "--conversation", "-", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["fraud"] is False and data["verdict"] == "normal" and len(data["turns"]) == 3
    shown = runner.invoke(app, ["classify", "--conversation", "-"], input=lines)
    assert "not fraud" in shown.output


def test_a_bad_line_is_reported_with_its_number(tmp_path: Path) -> None:
    good = json.dumps({"speaker": "A", "text": NORMAL_CHAT[0][1]}, ensure_ascii=False)
    path = _write(tmp_path, "chat.jsonl", [good, "", good, '{"speaker": "B", "text": "好'])
    result = runner.invoke(app, ["classify", "--conversation", str(path)])
    assert result.exit_code == 2
    assert "chat.jsonl:4: not valid JSON (Unterminated string" in result.output
    path = _write(tmp_path, "speaker.jsonl", [good, '{"speaker": "B"}'])
    result = runner.invoke(app, ["classify", "--conversation", str(path)])
    assert result.exit_code == 2 and 'speaker.jsonl:2: no string field "text"' in result.output


def test_many_conversations_one_verdict_a_line(tmp_path: Path) -> None:
    rows = [
        {"id": "f", "turns": [list(t) for t in FRAUD_CHAT]},
        {"id": 2, "turns": [{"speaker": w, "text": t} for w, t in NORMAL_CHAT]},
        {"turns": [t for _, t in NORMAL_CHAT]},
        {"id": "bad", "turns": ["好的", {"speaker": "x"}]},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + ["[]"]
    source, out = _write(tmp_path, "many.jsonl", lines), tmp_path / "out.jsonl"
    args = ["classify", "--conversation", str(source), "--out", str(out), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(g["id"], g["fraud"]) for g in got] == [("f", True), (2, False), (3, False)]
    assert "many.jsonl:4: turn 2" in result.output and "many.jsonl:5" in result.output
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_bad_usage(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    assert runner.invoke(app, ["classify", "--conversation", missing]).exit_code == 2
    assert runner.invoke(app, ["classify", "x", "--conversation", missing]).exit_code == 2
    empty = _write(tmp_path, "empty.txt", ["", "  "])
    result = runner.invoke(app, ["classify", "--conversation", str(empty)])
    assert result.exit_code == 2 and "no turns" in result.output


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="客服我ABab 1", min_size=1, max_size=8).filter(str.strip),
            st.text(alphabet="好的钱 转账http:/.x1", min_size=1, max_size=20).filter(str.strip),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_tab_separated_turns_keep_speaker_and_text(turns: list[tuple[str, str]]) -> None:
    lines = [f"{who.strip()}\t{text.strip()}" for who, text in turns]
    read = read_turns(open_input(lines))
    assert read == [(who.strip(), text.strip()) for who, text in turns]


def test_plain_lines_keep_urls_and_times() -> None:
    read = read_turns(open_input(["http://x.cn/a 点击领取", "10:30 见", "客服: 您好", "好的"]))
    assert read == ["http://x.cn/a 点击领取", "10:30 见", ("客服", "您好"), "好的"]
