"""Round ten's speed-ups give exactly the answers of the code they replace: the word ends of a
window are jieba's own (`lcut(text, HMM=False)`), and the function-word test's shortcut agrees
with the full replacement it skips."""

from __future__ import annotations

import bisect
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.text import explain, words
from chaincut.text.normalize import Normalized, normalize_text

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


def _widen_as_before(normalized: Normalized, start: int, end: int) -> tuple[int, int]:
    # round nine's widen: every boundary in a set, then the nearest on each side
    text = normalized.text
    first, last = max(0, start - words.MARGIN), min(len(text), end + words.MARGIN)
    found = {b for b in (first, last) if b in (0, len(text))}
    piece = bisect.bisect_right(normalized.starts, first) - 1
    ends = [*normalized.starts[1:], len(text)]
    while 0 <= piece < len(ends) and normalized.starts[piece] < last:
        piece_start, piece_end = normalized.starts[piece], ends[piece]
        atomic = normalized.atomic[piece]
        if piece_start < piece_end and (atomic or not words._is_cjk(text[piece_start])):
            found.update((piece_start, piece_end))
        piece += 1
    position = first
    for word in words._tokenizer().lcut(text[first:last], HMM=False):
        position += len(word)
        if position < last:
            found.add(position)
    if first > 0 and not words._is_cjk(text[first - 1]):
        found.add(first)
    left = max((b for b in found if b <= start), default=first)
    right = min((b for b in found if b >= end), default=last)
    return left, right


def test_widen_as_before_on_every_span() -> None:
    texts = [
        "【顺丰】您的快递丢失，请点击 http://x.cn/a 办理三倍理赔，客服电话 400-123-4567",
        "Your account is frozen, transfer 5000 to 安全账户 6222 0000 1111 2222 today",
        "宝贝在吗？明天下午开会，记得带U盘和PPT，3点半见",
    ]
    checked = 0
    for text in texts:
        normalized = normalize_text(text)
        size = len(normalized.text)
        for start in range(size):
            for end in range(start + 1, min(size, start + 7) + 1):
                expected = _widen_as_before(normalized, start, end)
                assert words.widen(normalized, start, end) == expected
                checked += 1
    assert checked > 200
