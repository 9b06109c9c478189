"""The conversation verdict: a thread judged as a unit, beside the unchanged message verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.text import classify, classify_conversation, classify_conversations
from chaincut.text.conversation import ConversationModel, default_conversation_model
from chaincut.text.explain import NEVER_CITED
from chaincut.text.model import ModelError

FIXTURES = Path(__file__).with_name("fixtures")
#: hand-written for these tests (never trained on): the pretext and the ask in separate turns
SPLIT_ASK = [
    ("shop", "您好，您在我们店买的商品存在质量问题，可以给您办理双倍退款"),
    ("buyer", "好的，怎么办理？"),
    ("shop", "请点击这个链接 http://tk-refund.cn/a8 填一下银行卡信息"),
]
RECEIPT = ["上个月的货款38600元已经转到你们公司账户了，麻烦查收后开一下发票"]
WARNING = ["【反诈中心】凡是自称客服说商品质量问题要退款、让您点击链接填写银行卡的都是诈骗"]


def _texts(name: str) -> list[str]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [str(json.loads(line)["text"]) for line in lines]


def test_a_pretext_then_an_ask_is_caught_as_a_conversation() -> None:
    v = classify_conversation(SPLIT_ASK)
    assert v.fraud and v.fraud_type is not None
    assert "click" in v.asks and "refund" in v.pretexts
    assert len(v.turns) == 3 and v.turn is not None
    # the message verdicts are the message model's own, unchanged
    assert [t.score for t in v.turns] == [classify(text).score for _, text in SPLIT_ASK]


def test_the_thread_needs_its_ask() -> None:
    without_ask = classify_conversation(SPLIT_ASK[:2])
    assert without_ask.score < classify_conversation(SPLIT_ASK).score
    assert not without_ask.fraud


def test_a_receipt_and_a_warning_are_not_fraud() -> None:
    receipt, warning = classify_conversation(RECEIPT), classify_conversation(WARNING)
    assert not receipt.fraud and receipt.score < classify(RECEIPT[0]).score
    assert not warning.fraud and warning.asks == ()


def test_phrases_are_content_from_the_turns() -> None:
    convs = [SPLIT_ASK] + [[("a", t)] for t in _texts("turns.jsonl") + _texts("messages.jsonl")]
    verdicts = list(classify_conversations(convs))
    flagged = [(c, v) for c, v in zip(convs, verdicts, strict=True) if v.fraud]
    assert len(flagged) >= 10
    for conv, v in flagged:
        assert v.phrases and len(v.phrases) <= 5
        for phrase in v.phrases:
            assert phrase not in NEVER_CITED
            assert any(phrase in text for _, text in conv)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_texts("messages.jsonl")))
def test_one_turn_without_cues_keeps_the_message_verdict(text: str) -> None:
    v = classify_conversation([text])
    if v.asks == () and v.pretexts == ():
        assert v.score == pytest.approx(classify(text).score, rel=1e-9, abs=1e-12)
        assert v.fraud == classify(text).fraud


def test_batch_equals_one_by_one_and_odd_input() -> None:
    convs = [SPLIT_ASK, RECEIPT, WARNING, [], [None, "  "], ["好的"]]
    batch = list(classify_conversations(convs))  # type: ignore[arg-type]
    assert batch == [classify_conversation(c) for c in convs]  # type: ignore[arg-type]
    assert batch[3].note and not batch[3].fraud
    assert batch[4].note and not batch[4].fraud
    assert json.loads(json.dumps(batch[0].to_dict()))["verdict"] == "fraud"


def test_the_model_file(tmp_path: Path) -> None:
    model = default_conversation_model()
    assert 0 < model.threshold < 1 and len(model.coef) == 2
    bad = tmp_path / "c.json"
    bad.write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ModelError, match="another format"):
        ConversationModel.load(bad)
    with pytest.raises(ModelError, match="cannot read"):
        ConversationModel.load(tmp_path / "missing.json")
