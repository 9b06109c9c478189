from __future__ import annotations

import json
import time

import pytest

from chaincut.model.schema import FRAUD_TYPES
from chaincut.text import Verdict, classify, classify_many, default_model

FRAUD = [
    (
        "您好，我是市公安局刑侦支队的警官，您的身份证涉嫌一起洗钱案，请把资金转到安全账户配合调查",
        "impersonate_police",
    ),
    ("诚招刷单兼职，日赚300元，佣金当场返还，加QQ 123456789", "order_brushing"),
    ("无抵押无担保，黑户也能贷款，放款前需要先交解冻费", "fake_loan"),
    ("我是你领导，明天来我办公室一趟，先帮我转5万给这个客户，别打电话我在开会", "impersonate_boss"),
    (
        "亲，您购买的商品质量有问题，我们给您办理双倍理赔，请下载屏幕共享软件操作",
        "fake_customer_service",
    ),
]
NORMAL = [
    "【招商银行】您尾号1234的储蓄卡6月12日15:32支出人民币500.00元，活期余额3,200.00元。",
    "妈，我今晚加班，不回家吃饭了，你们先吃。",
    "【菜鸟驿站】您的包裹已到小区南门，请凭取件码3-2-1024于今天21点前领取。",
    "明天上午十点在三楼会议室开周会，请大家准时参加。",
]


@pytest.mark.parametrize(("text", "fraud_type"), FRAUD)
def test_fraud_scripts(text: str, fraud_type: str) -> None:
    verdict = classify(text)
    assert verdict.fraud and verdict.score >= default_model().threshold
    assert verdict.verdict == "fraud"
    assert verdict.fraud_type == fraud_type
    assert verdict.fraud_type_zh == FRAUD_TYPES[fraud_type]
    assert verdict.phrases and all(p in text for p in verdict.phrases)


#: what acquaintance and boss scripts say, without their ask (no transfer, code, link or account)
ASKLESS = [
    "小李，明天来我办公室一趟，把上个月的报表带过来。",
    "我换号了，这是我的新手机号，原来的号停用了，有事打这个。",
]


@pytest.mark.parametrize("text", NORMAL + ASKLESS)
def test_ordinary_messages(text: str) -> None:
    verdict = classify(text)
    assert not verdict.fraud and verdict.score < default_model().threshold
    assert verdict.verdict == "normal"
    assert verdict.fraud_type is None
    assert all(p in text for p in verdict.phrases)


@pytest.mark.parametrize(
    "text",
    [
        "您的身份证涉嫌洗钱，请把钱转到安全账户",
        "ni的身份證涉嫌洗錢，請把錢轉到安 全 賬 戶",
        "您的身·份·证涉嫌洗钱😱请把钱转到【安】【全】【账】【户】",
        "您的ｓｆｚ涉嫌洗钱，请把钱zz到安全账户",
    ],
)
def test_obfuscation_does_not_hide_the_script(text: str) -> None:
    verdict = classify(text)
    assert verdict.fraud
    assert verdict.phrases and all(p in text for p in verdict.phrases)


def test_obfuscated_score_is_close_to_the_plain_one() -> None:
    plain = classify("加微信领取刷单任务，佣金日结，先垫付后返利")
    masked = classify("加 V 信领取 刷*单 任务，佣金日结，先垫付后返 俐")
    assert masked.fraud and abs(plain.score - masked.score) < 0.15


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (None, "empty"),
        ("", "empty"),
        ("   \n\t ", "empty"),
        (b"\x00\x01\x02\x89PNG\x00\x00", "binary"),
        ("\x00\x01\x02\x03\x04\x05\x06" * 20, "binary"),
        ("😀😀🔥！！！", "no letters"),
    ],
)
def test_unscorable_inputs_get_a_clear_answer(text: str | bytes | None, note: str) -> None:
    verdict = classify(text)
    assert not verdict.fraud and verdict.score == 0.0
    assert verdict.note is not None and note in verdict.note


def test_bytes_are_decoded() -> None:
    text = "请把钱转到安全账户，配合公安机关调查"
    assert classify(text.encode("utf-8")).fraud
    assert classify(text.encode("gb18030")).fraud


def test_huge_input_is_cut_and_said_so() -> None:
    started = time.perf_counter()
    verdict = classify("今天天气很好。" * 200_000)
    assert time.perf_counter() - started < 10
    assert verdict.note is not None and "long text" in verdict.note


def test_mixed_language_with_urls_and_numbers() -> None:
    text = "Dear customer, 您的ETC认证失效 please click http://etc-renz.top/a 重新认证，客服 138 0013 8000"
    verdict = classify(text)
    # scored far above ordinary messages (the strict default operating point may still let it
    # through unflagged: docs/text-classifier.md, "Operating points")
    assert verdict.score > 20 * max(v.score for v in classify_many(NORMAL))
    assert {i.kind for i in verdict.indicators} >= {"url", "phone"}


def test_classify_many_streams_in_order() -> None:
    texts = iter([FRAUD[0][0], NORMAL[0], ""])
    verdicts = list(classify_many(texts))
    assert [v.fraud for v in verdicts] == [True, False, False]
    assert all(isinstance(v, Verdict) for v in verdicts)


def test_to_dict_is_json() -> None:
    data = classify(FRAUD[1][0]).to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) >= {"fraud", "score", "fraud_type", "phrases", "indicators", "note"}
    assert data["verdict"] == "fraud" and data["fraud"] is True
    assert set(data) >= {"verdict", "warn", "spam_score"}


def test_batch_and_single_agree() -> None:
    texts = [t for t, _ in FRAUD] + NORMAL + ["", "a", "ab", "刷单"]
    batch = list(classify_many(texts, batch=4))
    assert batch == [classify(t) for t in texts]


ADVERTISING = [
    "【优衣库】春季新品上市，会员购满299元减30元，活动至3月31日，退订回T",
    "仁爱口腔三月特惠：洗牙49元，种植牙6800元起，儿童涂氟免费，预约电话0755-23345678。",
    "好消息！老王家具城清仓大甩卖，实木沙发五折起，送货上门，电话13912345678。",
]


@pytest.mark.parametrize("text", ADVERTISING)
def test_advertising_is_spam_never_fraud(text: str) -> None:
    verdict = classify(text)
    assert verdict.verdict == "spam" and not verdict.fraud and verdict.fraud_type is None
    assert verdict.spam_score >= 0.5
    assert all(p in text for p in verdict.phrases)


def test_verdict_agrees_with_the_fraud_flag_and_thresholds() -> None:
    model = default_model()
    assert 0.0 < model.threshold <= model.warn_threshold < 1.0
    texts = [t for t, _ in FRAUD] + NORMAL + ADVERTISING
    for verdict in classify_many(texts):
        assert verdict.fraud == (verdict.verdict == "fraud")
        assert verdict.fraud == (verdict.score >= model.threshold and bool(verdict.phrases))
        assert verdict.warn == (verdict.fraud and verdict.score >= model.warn_threshold)
        assert not verdict.warn or verdict.fraud


@pytest.mark.parametrize("text", ["您好", "您好！", "喂", "在吗"])
def test_a_bare_greeting_is_never_flagged(text: str) -> None:
    """A fraud verdict needs a phrase that shows the ask; words that are never a reason are not
    enough however high they score (a bare "您好" scores high: fraud calls open with it)."""
    verdict = classify(text)
    assert not verdict.fraud and not verdict.warn and verdict.fraud_type is None
    if verdict.score >= default_model().threshold:
        assert verdict.note and "no phrase" in verdict.note


def test_the_ask_decides_not_the_relationship() -> None:
    """The same boss's message is normal without a transfer and fraud with one."""
    plain = classify("在吗？我换号了，这是我新号码。明天上午来我办公室一趟")
    asking = classify("在吗？我换号了。我在开会不方便接电话，先帮我转一笔2万到这个卡，急用")
    assert plain.verdict != "fraud"
    assert asking.verdict == "fraud" and asking.fraud_type == "impersonate_boss"
    assert any("转" in p for p in asking.phrases)
