"""The features the fraud-script model scores: character n-grams of the normalised text.

Training (training/text/) and scoring use this one function, so the shipped weights always meet
the features they were fitted on. Characters rather than words: no segmenter to load or to fool
with one inserted character, and fast enough for thousands of messages a second on one core.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

NGRAM_MIN = 1
NGRAM_MAX = 3

#: texts longer than this (normalised characters) are scored on their first this many
MAX_CHARS = 20_000

# n-gram keys pack up to three 21-bit code points into 64 bits (see `gram_key`)
if not (NGRAM_MIN == 1 and NGRAM_MAX <= 3):
    raise RuntimeError("n-gram keys pack at most three code points from length 1 up")

_SHIFT = np.uint64(21)
_SHIFT2 = np.uint64(42)


def ngrams(text: str, n_min: int = NGRAM_MIN, n_max: int = NGRAM_MAX) -> list[str]:
    """Every character n-gram of `text` with n_min <= n <= n_max, in order, repeats kept."""
    text = text[:MAX_CHARS]
    grams: list[str] = []
    size = len(text)
    for n in range(n_min, n_max + 1):
        grams.extend([text[i : i + n] for i in range(size - n + 1)])
    return grams


def gram_key(gram: str) -> int:
    """An n-gram (n <= 3) as one integer: its code points, 21 bits each.

    Unigrams are below 2**21, bigrams below 2**42, trigrams below 2**63 (no character is NUL
    after normalisation), so keys of different n never collide and the map is exact.
    """
    key = 0
    for char in gram:
        key = (key << 21) | ord(char)
    return key


def ngram_keys_many(texts: list[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.intp]]:
    """`gram_key` of every n-gram of each text (as `ngrams` lists them), and its text's index.

    The texts are joined with NUL, which normalised text never contains; n-grams that would
    span two texts are dropped.
    """
    codes = np.frombuffer("\x00".join(texts).encode("utf-32-le"), dtype=np.uint32)
    codes = codes.astype(np.uint64)
    real = codes != 0
    owner = np.cumsum(~real).astype(np.intp)
    keys, owners = [codes[real]], [owner[real]]
    if NGRAM_MAX >= 2 and codes.size >= 2:
        both = real[:-1] & real[1:]
        keys.append(((codes[:-1] << _SHIFT) | codes[1:])[both])
        owners.append(owner[:-1][both])
        if NGRAM_MAX >= 3 and codes.size >= 3:
            three = both[:-1] & real[2:]
            triple = (codes[:-2] << _SHIFT2) | (codes[1:-1] << _SHIFT) | codes[2:]
            keys.append(triple[three])
            owners.append(owner[:-2][three])
    return np.concatenate(keys), np.concatenate(owners)
