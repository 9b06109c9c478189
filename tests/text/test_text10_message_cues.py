"""Round ten: a message weighs its own cues (a pretext with an ask, a fraud type's hook) as the
one-turn conversation it is, so that a lure written like an advert is flagged by the message
verdict too, and ordinary texts with the same words are not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.text import classify, classify_conversation, classify_many
from chaincut.text.explain import NEVER_CITED
from chaincut.text.verdict import LURE_NOTE

#: hand-written lures in this test's own words: a hook and nothing asked yet
LURES = [
    "征信花了也不怕，不看征信，黑户也能贷，最快当天到账",
    "招人在家兼职，手机操作即可，一单一结，每天一小时",
]
#: a pretext with an ask, written here
PRETEXT_AND_ASK = "您的订单商品有质量问题，可以办理退款，请点击 http://rf-help.cn/k 填写信息"
#: ordinary texts that share words with the lures and asks, and warnings that name the trick
ORDINARY = [
    "您的退款已原路退回，请注意查收",
    "招聘兼职收银员，周末两天，工资面议",
    "本季度基金收益率3.2%，详情见年报",
    "【反诈中心】凡是说不看征信、先交保证金才能放款的都是诈骗，请勿转账",
    "妈，快递丢了，商家说给我退款了，不用担心",
    "好的，明天上午十点开会",
]


def test_a_lure_is_flagged_by_its_hook_and_cites_it() -> None:
    for text in LURES:
        bare = next(classify_many([text], cues=False))
        v = classify(text)
        assert v.score > bare.score, text
        assert v.fraud and v.verdict == "fraud", text
        assert v.note == LURE_NOTE  # nothing asked yet: the analyst is told
        assert v.phrases and all(p in text for p in v.phrases)
        assert not set(v.phrases) & NEVER_CITED


def test_a_pretext_with_an_ask_is_flagged_without_the_lure_note() -> None:
    v = classify(PRETEXT_AND_ASK)
    assert v.fraud and v.note is None
    assert v.score >= next(classify_many([PRETEXT_AND_ASK], cues=False)).score


def test_ordinary_texts_and_warnings_are_not_flagged() -> None:
    for v, text in zip(classify_many(ORDINARY), ORDINARY, strict=True):
        assert not v.fraud, text


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([*LURES, *ORDINARY, PRETEXT_AND_ASK]))
def test_a_message_scores_as_its_one_turn_conversation(text: str) -> None:
    # one number for one text, whichever API reads it
    c = classify_conversation([text])
    m = classify(text)
    assert abs(c.score - m.score) < 1e-9
    assert c.fraud == m.fraud
    assert c.turns[0] == m


def test_a_thread_weighs_the_cues_once() -> None:
    # the thread pools the n-gram scores and weighs the cues itself: a hook met in one turn
    # moves the thread's logit by the hook's weight, not twice
    text = LURES[0]
    alone = classify_conversation([text])
    thread = classify_conversation([text, "好的"])
    assert thread.score <= alone.score
    assert thread.turns[0] == classify(text)  # each turn shows its message verdict
