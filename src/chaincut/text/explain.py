"""The phrases behind a verdict: n-grams with the largest contributions, as original substrings.

An n-gram's contribution is its TF-IDF value times its weight in the fraud model. The strongest
n-grams in the verdict's direction are located in the normalised text, overlapping and adjacent
occurrences are merged into one phrase (刷单 + 单返 + 返利 -> 刷单返利), and each phrase is
mapped back to the exact substring of the original text, obfuscation included ("刷 单 返 利").
"""

from __future__ import annotations

import re

import numpy as np

from chaincut.text.model import Scored, TextModel
from chaincut.text.normalize import Normalized

MAX_PHRASES = 5
_TOP_GRAMS = 16
_MIN_SHARE = 0.12  # of the strongest contribution: weaker n-grams are not cited
_CLAUSE = re.compile(r"[，。！？；：、,!?;:\n【】「」《》（）()\[\]]+")
_PARTICLES = "的了吗呢吧啊呀"
_TRIM = " \t\r\n，。！？、；：,.!?;:\"'“”‘’（）()【】[]《》<>~～-_—…·*#|/\\"


def phrases(
    normalized: Normalized, scored: Scored, model: TextModel, *, fraud_type: int | None
) -> tuple[str, ...]:
    """Up to five substrings of the original text, strongest first, that drove the verdict.

    For a fraud verdict (`fraud_type` is then the index of its type) they are the tells of
    fraud and of that type, each n-gram ranked by what it adds to both models' scores; for a
    normal verdict they are the strongest signs of an ordinary message.
    """
    if scored.indices.size == 0:
        return ()
    shares = scored.contributions
    if fraud_type is None:
        contributions = -shares[:, 0]
    else:
        contributions = shares[:, 0] + shares[:, 1 + fraud_type]
    order = np.argsort(-contributions)[:_TOP_GRAMS].tolist()
    values = contributions[order].tolist()
    text = normalized.text
    spans: list[tuple[int, int, float]] = []
    strongest = 0.0
    for value, index in zip(values, scored.indices[order].tolist(), strict=True):
        gram = model.vocabulary[index]
        if len(gram) < 2:
            continue  # a single character is no phrase; its neighbours carry it
        if value <= strongest * _MIN_SHARE:
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
    for start, end, _ in ranked:
        if end - start < 2:
            continue
        ostart, oend = normalized.span(start, end)
        phrase = _tidy(normalized.original[ostart:oend])
        if len(phrase) >= 2 and phrase not in found:
            found.append(phrase)
        if len(found) == MAX_PHRASES:
            break
    return tuple(found)


def _tidy(phrase: str) -> str:
    """The longest clause of `phrase`, without edge punctuation or particles."""
    pieces = _CLAUSE.split(phrase)
    return max(pieces, key=len).strip(_TRIM).strip(_PARTICLES).strip(_TRIM)
