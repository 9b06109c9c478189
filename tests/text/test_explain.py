"""Cited phrases are content (the ask, the pretext), never function words, masks or politeness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chaincut.text import classify, classify_many

from .conftest import SHARED_DATA

#: phrases that must never be cited as a reason, on any verdict
NEVER = (
    "我们", "这个", "一个", "不要", "安全", "我", "你", "您", "的", "了", "是", "xx", "x.x", "xxx",
    "您好", "你好", "谢谢", "请问", "不好意思", "麻烦", "那个", "什么", "现在", "可以", "已经",
    "我们的", "你们", "是的", "好的", "就是", "其实", "然后", "因为", "所以", "但是",
)  # fmt: skip
FIXTURES = Path(__file__).with_name("fixtures") / "messages.jsonl"


def _fixture_texts() -> list[str]:
    lines = FIXTURES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines]


def _never_cited(texts: list[str]) -> list[tuple[str, str]]:
    bad = []
    for text, verdict in zip(texts, classify_many(texts), strict=True):
        for phrase in verdict.phrases:
            assert phrase in text  # a substring of the original, as written
            if phrase.strip().lower() in NEVER:
                bad.append((phrase, text[:60]))
    return bad


def test_fixture_messages_cite_no_function_words() -> None:
    assert _never_cited(_fixture_texts()) == []


def test_the_ask_is_cited() -> None:
    verdict = classify(
        "您好，您的账户有风险，请把验证码告诉我，再下载APP开启共享屏幕，把钱转账到安全账户"
    )
    cited = "".join(verdict.phrases)
    assert verdict.fraud
    assert any(ask in cited for ask in ("验证码", "共享屏幕", "下载", "转账", "安全账户"))


def test_masks_are_never_cited() -> None:
    verdict = classify("美容院特惠：仅需x.x元即可享受价值xxx元的护理，不要错过，我们等您")
    assert not any(p.strip().lower() in NEVER for p in verdict.phrases)


@pytest.mark.skipif(
    not (SHARED_DATA / "normal_dialogues").is_dir()
    or not (SHARED_DATA / "telecom_fraud_texts_5").is_dir(),
    reason=f"shared data not found at {SHARED_DATA} (a fresh install does not have it)",
)
def test_real_normal_and_fraud_texts_cite_no_function_words() -> None:
    from training.text.corpora import load_dialogues, load_normal_dialogues, load_telecom

    texts = [e.text for e in load_telecom("test")[::40]]
    texts += [e.text for e in load_normal_dialogues(("vcsum_meetings", "kdconv"), ("text",))[::12]]
    texts += [e.text for e in load_dialogues(("transcript",), split="held_out")[::40]]
    assert len(texts) > 300
    assert _never_cited(texts) == []
