"""A cited phrase is whole words, never a character n-gram spanning two (round nine's new-user
run: `chaincut classify 明天开会` cited 「天开」, the end of 明天 and the start of 开会)."""

from __future__ import annotations

import pytest

from chaincut.text import classify, classify_many

#: messages written as words separated by spaces (a person's segmentation, not the segmenter's)
SEGMENTED = (
    "明天 开会",
    "明天 下午 三点 开会 ， 记得 带 电脑",
    "亲爱的 ， 今天 看到 了 一个 和 你 很 像 的 背影 。 突然 很 想 你 ！",
    "明天 的 评审会 改到 下午 两点 ， 材料 我 已经 打印 好 放 你 桌上 了 。",
    "老公 ， 冰箱 里 有 饺子 ， 热 一下 就 能 吃 ， 我 晚点 回 。",
    "【 12345 】 您 反映 的 小区 噪音 问题 已 转交 街道办 处理 ， 感谢 您 的 监督 。",
    "【 市 反诈 中心 】 提示 ： 不要 相信 陌生人 的 刷单 返利 邀请 ， 不要 向 陌生 账户 转账 。",
    "您好 ， 这里 是 快递 客服 ， 您 的 包裹 丢失 了 ， 我们 按 三倍 赔偿 ， 请 扫码 添加 理赔 专员"
    " ， 提供 银行卡号 和 验证码 。",
    "下午 开会 的 时候 我们 再 把 这个 方案 过 一遍 ， 大家 有 意见 可以 提 。",
    "王 老师 ， 孩子 的 作业本 落 在 教室 了 ， 明天 早上 我 去 拿 。",
)


def _boundaries(words: list[str]) -> set[int]:
    found, position = {0}, 0
    for word in words:
        position += len(word)
        found.add(position)
    return found


def _aligned(text: str, bounds: set[int], phrase: str) -> bool:
    """Whether some occurrence of `phrase` in `text` starts and ends between two words."""
    start = text.find(phrase)
    while start >= 0:
        if start in bounds and start + len(phrase) in bounds:
            return True
        start = text.find(phrase, start + 1)
    return False


def test_every_cited_phrase_is_whole_words() -> None:
    texts = ["".join(case.split(" ")) for case in SEGMENTED]
    cut: list[tuple[str, str]] = []
    cited = 0
    for case, text, verdict in zip(SEGMENTED, texts, classify_many(texts), strict=True):
        bounds = _boundaries(case.split(" "))
        for phrase in verdict.phrases:
            cited += 1
            if not _aligned(text, bounds, phrase):
                cut.append((phrase, text))
    assert cited >= len(SEGMENTED)  # the check is not vacuous: phrases were cited
    assert cut == []


@pytest.mark.parametrize(("text", "fragment"), [("明天开会", "天开"), ("明天的评审会", "天的评")])
def test_a_fragment_spanning_two_words_is_not_cited(text: str, fragment: str) -> None:
    assert fragment not in classify(text).phrases


def test_obfuscated_words_are_still_cited_as_written() -> None:
    text = "刷 单 返 利，日结三百，加微信领取任务，先垫付本金"
    verdict = classify(text)
    assert verdict.fraud
    assert "刷 单 返 利" in verdict.phrases  # the words as written, spaces included
