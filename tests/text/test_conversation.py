"""The conversation verdict: a thread judged as a unit, beside the unchanged message verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.text import classify, classify_conversation, classify_conversations, classify_many
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
    # the lure alone ("质量问题…双倍退款") may be flagged on its hook, and then says it is a
    # lure with nothing asked yet
    assert without_ask.asks == ()
    if without_ask.fraud:
        assert without_ask.note is not None and "lure" in without_ask.note
        assert "refund" in without_ask.hooks


def test_a_receipt_and_a_warning_are_not_fraud() -> None:
    from chaincut.text.verdict import classify_many

    receipt, warning = classify_conversation(RECEIPT), classify_conversation(WARNING)
    # the receipt lowers the message's own score (round six), and the thread's with it
    bare = next(classify_many(RECEIPT, receipt_weight=0.0)).score
    assert not receipt.fraud and receipt.score < bare
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
    assert 0 < model.threshold < 1 and len(model.coef) == 3
    assert model.message_paid <= 0  # a receipt never raises a message's score
    bad = tmp_path / "c.json"
    bad.write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ModelError, match="another format"):
        ConversationModel.load(bad)
    with pytest.raises(ModelError, match="cannot read"):
        ConversationModel.load(tmp_path / "missing.json")


#: hand-written lures (never trained on): a fraud type's hook, and nothing asked yet
LURES = [
    "内部消息：明天这只股票要大涨，导师带单，想跟的进群 http://gp-vip.cn/q",
    "在家兼职刷单，手机操作，一单一结，每天两小时",
]
#: ordinary texts with the same words, no hook: a shop's real refund, a job, a fund report
NOT_LURES = [
    "您的退款已原路退回，请注意查收",
    "招聘兼职收银员，周末两天，工资面议",
    "本季度基金收益率3.2%，详情见年报",
]


def test_a_lure_is_weighed_by_its_hook_and_cites_it() -> None:
    for text in LURES:
        v = classify_conversation([text])
        assert v.hooks, text
        # above the n-gram score alone (since round ten the message verdict weighs the hook too)
        assert v.score > next(classify_many([text], cues=False)).score
        if v.fraud:
            # the hook is cited as written, and it is content
            assert any(p in text for p in v.phrases)
            assert not set(v.phrases) & NEVER_CITED
    for text in NOT_LURES:
        v = classify_conversation([text])
        assert v.hooks == () and not v.fraud, text


def test_secrecy_is_not_taken_for_a_warning() -> None:
    # "不要告诉家人" keeps a script's cues; "验证码不要告诉任何人" is the bank's own warning
    secret = classify_conversation(["已为您预批额度3万，请先缴纳保证金解冻，这件事不要告诉家人"])
    assert "fee" in secret.asks and "secrecy" in secret.hooks
    warning = classify_conversation(["验证码请勿告诉任何人，银行不会向您索要"])
    assert warning.asks == () and warning.hooks == ()


def test_a_payment_report_lowers_the_message_score() -> None:
    from chaincut.text.verdict import classify_many

    text = RECEIPT[0]
    bare = next(classify_many([text], receipt_weight=0.0))
    assert classify(text).score < bare.score
    # a text with no receipt is scored as before
    other = "您好，我是市公安局的，您涉嫌洗钱，请把钱转到安全账户"
    assert next(classify_many([other], receipt_weight=0.0)).score == classify(other).score
