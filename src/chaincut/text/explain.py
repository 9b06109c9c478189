"""The phrases behind a verdict: n-grams with the largest contributions, as original substrings.

An n-gram's contribution is its TF-IDF value times its weight in the verdict's model (fraud and
its type, spam, or normal). The strongest n-grams in the verdict's direction are located in the
normalised text, overlapping and adjacent occurrences are merged into one phrase (刷单 + 单返 +
返利 -> 刷单返利), and each phrase is mapped back to the exact substring of the original text,
obfuscation included ("刷 单 返 利"). A phrase is whole words: an n-gram that spans two words is
widened to both (天开 in 明天开会 -> 明天开会; see `words.py`).

Only content is cited: n-grams the model marks citable (`TextModel.citable`: common in neither
class, or distinctive of one; never a mask such as xx), and never a phrase that is nothing but
function words, masks or politeness (`NEVER_CITED`). The words still count in the score; they are
just not a reason a person would accept.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from chaincut.text.model import Scored, TextModel
from chaincut.text.normalize import Normalized
from chaincut.text.words import widen

MAX_PHRASES = 5
_TOP_GRAMS = 16
_MIN_SHARE = 0.12  # of the strongest contribution: weaker n-grams are not cited
_CLAUSE = re.compile(r"[，。！？；：、,!?;:\n【】「」《》（）()\[\]]+")
_PARTICLES = "的了吗呢吧啊呀"

#: function words, pronouns, fillers, politeness and masks: a phrase made only of these is
#: never cited
_NEVER_CITED_WORDS = """
我 你 您 他 她 它 我们 你们 您们 他们 她们 咱们 大家 自己 这 那 这个
那个 这些 那些 这里 那里 这样 那样 一个 一下 一些 一点 什么 怎么 怎么样
为什么 哪里 的 了 是 在 有 和 与 就 都 也 还 又 很 吗 呢 吧 啊 呀 哦
嗯 喂 把 被 给 让 对 从 到 向 将 会 能 要 不 不要 不是 没有 可以 已经
现在 然后 因为 所以 但是 如果 就是 还是 或者 以及 以后 之前 时候 安全 您好
你好 谢谢 感谢 请问 请 麻烦 打扰 不好意思 对不起 好的 是的 没错 知道 明白
xx xxx x.x 先生 女士 小姐 亲
其实 可能 觉得 我觉得 这种 那种 一样 还有 比如 对吧 嘛 那么 等等 当然 的话
"""
NEVER_CITED = frozenset(_NEVER_CITED_WORDS.split())
_MASK = re.compile(r"^[x×.\s]+$|^[a-z]$")
_TRIM = " \t\r\n，。！？、；：,.!?;:\"'“”‘’（）()【】[]《》<>~～-_—…·*#|/\\"


def phrases(
    normalized: Normalized, scored: Scored, model: TextModel, *, fraud_type: int | None
) -> tuple[str, ...]:
    """Up to five substrings of the original text, strongest first, that drove the verdict.

    For a fraud verdict (`fraud_type` is then the index of its type) they are the tells of
    fraud and of that type, each n-gram ranked by what it adds to both models' scores; for a
    spam verdict the signs of advertising; for a normal verdict the strongest signs of an
    ordinary message. Only content is cited (see the module docstring).
    """
    if scored.indices.size == 0:
        return ()
    shares = scored.contributions
    if fraud_type is None:
        contributions = -shares[:, 0]
    else:
        contributions = shares[:, 0] + shares[:, 2 + fraud_type]
    return _cite(normalized, scored, model, contributions)


def spam_phrases(normalized: Normalized, scored: Scored, model: TextModel) -> tuple[str, ...]:
    """Up to five substrings of the original text that make it advertising."""
    if scored.indices.size == 0:
        return ()
    return _cite(normalized, scored, model, scored.contributions[:, 1])


def _cite(
    normalized: Normalized, scored: Scored, model: TextModel, contributions: np.ndarray
) -> tuple[str, ...]:
    contributions = np.where(model.citable[scored.indices], contributions, -np.inf)
    order = np.argsort(-contributions)[:_TOP_GRAMS].tolist()
    values = contributions[order].tolist()
    text = normalized.text
    spans: list[tuple[int, int, float]] = []
    strongest = 0.0
    for value, index in zip(values, scored.indices[order].tolist(), strict=True):
        gram = model.vocabulary[index]
        if len(gram) < 2 or value == -np.inf:
            continue  # a single character is no phrase; its neighbours carry it
        if value <= 0 or value <= strongest * _MIN_SHARE:
            break
        strongest = strongest or value
        start = text.find(gram)
        while start >= 0:
            spans.append((start, start + len(gram), value))
            start = text.find(gram, start + 1)
    return _merge(normalized, spans)


def _merge(normalized: Normalized, spans: list[tuple[int, int, float]]) -> tuple[str, ...]:
    spans.sort()
    merged: list[tuple[int, int, float]] = []
    for start, end, value in spans:
        if merged and start <= merged[-1][1]:
            first, last, total = merged[-1]
            merged[-1] = (first, max(last, end), total + value)
        else:
            merged.append((start, end, value))
    ranked = sorted(merged, key=lambda m: -m[2])
    found: list[str] = []
    cited: list[tuple[int, int]] = []
    for start, end, _ in ranked:
        if end - start < 2:
            continue
        # whole words (天开 -> 明天开会), widened only for the phrases cited: segmenting costs
        # more than the rest of the classification
        start, end = widen(normalized, start, end)
        if any(start < e and s < end for s, e in cited):
            continue  # its words are cited already, in a stronger phrase
        cited.append((start, end))
        ostart, oend = _whole_words(normalized.original, *normalized.span(start, end))
        phrase = _tidy(normalized.original[ostart:oend])
        if len(phrase) >= 2 and phrase not in found and not _only_function_words(phrase):
            found.append(phrase)
        if len(found) == MAX_PHRASES:
            break
    return tuple(found)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened so that it does not cut a Latin word ("stomer" -> "customer")."""
    while start > 0 and _latin(text[start - 1]) and _latin(text[start]):
        start -= 1
    while end < len(text) and _latin(text[end]) and _latin(text[end - 1]):
        end += 1
    return start, end


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _tidy(phrase: str) -> str:
    """The longest clause of `phrase`, without edge punctuation or particles."""
    pieces = _CLAUSE.split(phrase)
    return max(pieces, key=len).strip(_TRIM).strip(_PARTICLES).strip(_TRIM)


@functools.lru_cache(maxsize=1 << 14)
def _only_function_words(phrase: str) -> bool:
    """Whether `phrase` is nothing but function words, politeness or a mask (xx, x.x)."""
    folded = phrase.lower().strip(_TRIM)
    if folded in NEVER_CITED or _MASK.match(folded):
        return True
    # two characters that are in no such word, nor punctuation, outlast every replacement
    # below: content, whatever the rest is (most phrases; the replacements cost more)
    if sum(c not in _FUNCTION_CHARS for c in folded) >= 2:
        return False
    rest = folded
    for word in _LONG_WORDS:
        rest = rest.replace(word, " ")
    rest = "".join(c for c in rest if c not in _TRIM)
    return len(rest) < 2 or all(c in NEVER_CITED for c in rest)


_LONG_WORDS = sorted((w for w in NEVER_CITED if len(w) > 1), key=len, reverse=True)
_FUNCTION_CHARS = frozenset("".join(NEVER_CITED) + _TRIM)


def merge_cited(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """The phrases of `groups`, in order, at most five: content only, each once, and none that
    lies inside one already kept (it says nothing new)."""
    kept: list[str] = []
    for phrase in dict.fromkeys(p for group in groups for p in group):
        if phrase and not _only_function_words(phrase) and not any(phrase in k for k in kept):
            kept.append(phrase)
    return tuple(kept[:MAX_PHRASES])
