"""Word boundaries of a normalised text, so that a cited phrase is whole words.

The model scores character n-grams, and an n-gram can span two words: in "明天开会" (明天 + 开会)
the bigram 天开 is no phrase anyone would sign as a reason. A cited span is widened to the word
boundaries around it (天开 -> 明天开会), as a Latin fragment is widened to its word ("stomer" ->
"customer").

Chinese is segmented with jieba (MIT), its dictionary only: the HMM for unknown words costs a
third more, and an unknown word left in characters only widens a phrase less. The dictionary
takes a moment to load, so it is loaded once, on the first citation, not at import.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import threading
import warnings
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


#: characters of context on each side of a cited span that the segmenter reads: words are
#: rarely longer, and segmenting a few characters around each cited phrase, not the whole text,
#: keeps batch classification fast
MARGIN = 4


def widen(normalized: Normalized, start: int, end: int) -> tuple[int, int]:
    """`text[start:end]` of `normalized.text` widened to the word boundaries around it.

    Runs of Chinese are segmented into words (within `MARGIN` characters of the span); a Latin
    word, a placeholder (number, link, phone) and an expanded abbreviation are each a word of
    their own.
    """
    text = normalized.text
    size = len(text)
    first, last = max(0, start - MARGIN), min(size, end + MARGIN)
    # the nearest boundary at or before `start` and at or after `end`, kept as they are found
    # (a set of every boundary, then max and min, costs a third of the citing)
    left, right = -1, size + 1
    for bound in (first, last):
        if bound in (0, size):
            left, right = _nearer(bound, start, end, left, right)
    starts, atomic = normalized.starts, normalized.atomic
    count = len(starts)
    piece = bisect.bisect_right(starts, first) - 1
    while 0 <= piece < count and starts[piece] < last:
        piece_start = starts[piece]
        piece_end = starts[piece + 1] if piece + 1 < count else size
        if piece_start < piece_end and (atomic[piece] or not _is_cjk(text[piece_start])):
            left, right = _nearer(piece_start, start, end, left, right)
            left, right = _nearer(piece_end, start, end, left, right)
        piece += 1
    for offset in _word_ends(text[first:last]):
        if first + offset < last:  # the window's own edge is no boundary of the text
            left, right = _nearer(first + offset, start, end, left, right)
    if first > 0 and not _is_cjk(text[first - 1]):
        left, right = _nearer(first, start, end, left, right)
    return (first if left < 0 else left), (last if right > size else right)


def _nearer(bound: int, start: int, end: int, left: int, right: int) -> tuple[int, int]:
    """`left` and `right` moved to `bound` where it is nearer the span without entering it."""
    if left < bound <= start:
        left = bound
    if end <= bound < right:
        right = bound
    return left, right


@functools.lru_cache(maxsize=1 << 16)
def _word_ends(text: str) -> tuple[int, ...]:
    """Where each word of `text` ends: jieba's dictionary segmentation (`lcut(text,
    HMM=False)`), as offsets."""
    # cached: messages written from one script share their windows around the cited phrases
    if not any(_is_cjk(char) for char in text):
        return (len(text),)
    # jieba itself (a hand-written copy of its DAG search was a third faster but would follow
    # jieba's internals, not its interface)
    words = _tokenizer().lcut(text, HMM=False)
    return tuple(itertools.accumulate(len(w) for w in words))
