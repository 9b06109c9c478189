"""Word boundaries of a normalised text, so that a cited phrase is whole words.

The model scores character n-grams, and an n-gram can span two words: in "明天开会" (明天 + 开会)
the bigram 天开 is no phrase anyone would sign as a reason. A cited span is widened to the word
boundaries around it (天开 -> 明天开会), as a Latin fragment is widened to its word ("stomer" ->
"customer").

Chinese is segmented with jieba (MIT), the common dictionary and HMM segmenter. Its dictionary
takes a moment to load, so it is loaded once, on the first citation, not at import.
"""

from __future__ import annotations

import bisect
import logging
import threading
import warnings
from collections.abc import Iterable
from typing import Any

from chaincut.text.normalize import Normalized

_LOCK = threading.Lock()
_TOKENIZER: list[Any] = []


def _tokenizer() -> Any:
    with _LOCK:
        if not _TOKENIZER:
            with warnings.catch_warnings():
                # jieba (2020) imports pkg_resources, which newer setuptools warn about
                warnings.simplefilter("ignore")
                import jieba

            # jieba prints its dictionary loading to stderr; a failure to write its cache
            # (another user's /tmp/jieba.cache) only costs a rebuild, never a wrong answer
            jieba.setLogLevel(logging.CRITICAL)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            _TOKENIZER.append(tokenizer)
        return _TOKENIZER[0]


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff"


def boundaries(normalized: Normalized) -> list[int]:
    """The sorted positions in `normalized.text` where a word starts or ends.

    Runs of Chinese are segmented into words; a Latin word, a placeholder (number, link,
    phone) and an expanded abbreviation are each a word of their own.
    """
    text = normalized.text
    found = {0, len(text)}
    ends = [*normalized.starts[1:], len(text)]
    for start, end, atomic in zip(normalized.starts, ends, normalized.atomic, strict=True):
        if start < end and (atomic or not _is_cjk(text[start])):
            found.update((start, end))
    position = 0
    for word in _words(text):
        position += len(word)
        found.add(position)
    return sorted(found)


def _words(text: str) -> Iterable[str]:
    if not any(_is_cjk(char) for char in text):
        return [text]
    words: list[str] = _tokenizer().lcut(text, HMM=True)
    return words


def widen(bounds: list[int], start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` widened to the nearest word boundaries around it (see `boundaries`)."""
    first = bounds[bisect.bisect_right(bounds, start) - 1]
    last = bounds[bisect.bisect_left(bounds, end)]
    return first, last
