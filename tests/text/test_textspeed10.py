"""Round ten's speed-ups give exactly the answers of the code they replace: the word ends of a
window are jieba's own (`lcut(text, HMM=False)`), and the function-word test's shortcut agrees
with the full replacement it skips."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.text import explain, words
from chaincut.text.normalize import normalize_text

# common characters, dictionary words' pieces, Latin letters, digits and placeholders
_ALPHABET = (
    "我们的明天开会刷单返利转账安全账户点击链接下载验证码客服退款理赔银行卡abcxyzNPCU0129-._"
)


def _jieba_ends(text: str) -> tuple[int, ...]:
    # as before round ten: a window without Chinese is one word, else jieba's words
    if not any(words._is_cjk(c) for c in text):
        return (len(text),)
    pieces = words._tokenizer().lcut(text, HMM=False)
    return tuple(itertools.accumulate(len(p) for p in pieces))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=16))
def test_word_ends_are_jiebas(text: str) -> None:
    assert words._word_ends.__wrapped__(text) == _jieba_ends(text)


def test_word_ends_of_real_windows_are_jiebas() -> None:
    texts = [
        "您好，我是淘宝客服，您购买的商品有质量问题，我们将为您办理双倍退款",
        "你的银行账户涉嫌洗钱，请将资金转到安全账户配合调查",
        "明天开会记得带上笔记本电脑，下午3点在三楼会议室",
        "兼职刷单，日结佣金，一单一结，加qq123456领取任务",
    ]
    checked = 0
    for text in texts:
        normal = normalize_text(text).text
        for start in range(len(normal)):
            for size in (3, 8, 12):
                window = normal[start : start + size]
                assert words._word_ends.__wrapped__(window) == _jieba_ends(window)
                checked += 1
    assert checked > 100


def _only_function_words_in_full(phrase: str) -> bool:
    # the test as it was before round ten's shortcut
    folded = phrase.lower().strip(explain._TRIM)
    if folded in explain.NEVER_CITED or explain._MASK.match(folded):
        return True
    rest = folded
    for word in explain._LONG_WORDS:
        rest = rest.replace(word, " ")
    rest = "".join(c for c in rest if c not in explain._TRIM)
    return len(rest) < 2 or all(c in explain.NEVER_CITED for c in rest)


_FUNCTION = "".join(sorted(explain.NEVER_CITED)) + "，。 !?x.刷单返利转账abc"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_FUNCTION, max_size=10))
def test_function_word_shortcut_agrees(phrase: str) -> None:
    expected = _only_function_words_in_full(phrase)
    assert explain._only_function_words.__wrapped__(phrase) == expected
