"""Classify a text: fraud, spam (advertising) or normal, with a calibrated fraud score, the fraud
type and the phrases behind the verdict.

Every input gets an answer, never an exception: empty, binary and unreadable inputs get a
not-fraud verdict with a `note` that says why nothing was scored; very long ones are scored on
their beginning, and the note says so.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from chaincut.model.schema import FRAUD_TYPES
from chaincut.text.ask import Cue, find_cues, has_receipt, may_have_cues, message_cues
from chaincut.text.explain import merge_cited, phrases, spam_phrases
from chaincut.text.features import MAX_CHARS
from chaincut.text.indicators import Indicator, extract_indicators
from chaincut.text.model import ModelError, Scored, TextModel, default_model
from chaincut.text.normalize import Normalized, normalize_text

#: inputs longer than this (characters) are cut before normalising
MAX_INPUT_CHARS = 3 * MAX_CHARS
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class Verdict:
    """What chaincut says about one text.

    verdict is "fraud", "spam" (advertising or marketing, never fraud) or "normal"; score is the
    calibrated probability of fraud at the model's stated prevalence (see
    docs/text-classifier.md); fraud is score >= the model's "flag for a person to read"
    threshold with at least one cited phrase (a score carried only by words that are never a
    reason is not flagged, and the note says so), warn is fraud with score >= the stricter
    "warn the recipient" threshold; spam_score is the
    probability that a text that is not fraud is advertising; fraud_type is a FRAUD_TYPES key
    when fraud, else None; phrases are substrings of the text that drove the verdict (content
    only: never function words, masks or politeness); indicators are the identifiers in it;
    note explains an input that was not (fully) scored.
    """

    fraud: bool
    score: float
    fraud_type: str | None = None
    type_score: float | None = None
    phrases: tuple[str, ...] = ()
    indicators: tuple[Indicator, ...] = field(default=())
    note: str | None = None
    verdict: str = "normal"
    spam_score: float = 0.0
    warn: bool = False

    @property
    def fraud_type_zh(self) -> str | None:
        return FRAUD_TYPES.get(self.fraud_type) if self.fraud_type else None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (the `--out` line format of `chaincut classify`)."""
        return {
            "fraud": self.fraud,
            "verdict": self.verdict,
            "score": round(self.score, 4),
            "warn": self.warn,
            "spam_score": round(self.spam_score, 4),
            "fraud_type": self.fraud_type,
            "fraud_type_zh": self.fraud_type_zh,
            "type_score": None if self.type_score is None else round(self.type_score, 4),
            "phrases": list(self.phrases),
            "indicators": [i.to_dict() for i in self.indicators],
            "note": self.note,
        }


def _decode(data: bytes) -> str | None:
    if b"\x00" in data[:4096]:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if _CONTROL.search(sample) is None:
        return False
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 10)


@dataclass(frozen=True, slots=True)
class _Prepared:
    text: str
    normalized: Normalized
    indicators: tuple[Indicator, ...]
    note: str | None


def _prepare(text: object) -> Verdict | _Prepared:
    """The verdict for an input that cannot be scored, else what scoring it needs."""
    if text is None:
        return Verdict(False, 0.0, note="empty text: nothing to classify")
    if isinstance(text, bytes):
        decoded = _decode(text)
        if decoded is None:
            return Verdict(False, 0.0, note="binary input: not text, nothing to classify")
        text = decoded
    if not isinstance(text, str):
        return Verdict(False, 0.0, note=f"not text ({type(text).__name__}): nothing to classify")
    if not text.strip():
        return Verdict(False, 0.0, note="empty text: nothing to classify")
    if _looks_binary(text):
        return Verdict(False, 0.0, note="binary input: not text, nothing to classify")
    note = None
    if len(text) > MAX_INPUT_CHARS:
        note = f"long text ({len(text)} characters): scored its first {MAX_INPUT_CHARS}"
        text = text[:MAX_INPUT_CHARS]
    normalized = normalize_text(text)
    indicators = extract_indicators(text)
    if not normalized.text:
        note = "no letters, digits or Chinese characters: nothing to classify"
        return Verdict(False, 0.0, indicators=indicators, note=note)
    if len(normalized.text) > MAX_CHARS and note is None:
        note = f"long text: scored its first {MAX_CHARS} normalised characters"
    return _Prepared(text, normalized, indicators, note)


@functools.cache
def default_receipt_weight() -> float:
    """The shipped weight of a reported payment on the message logit (fitted with the
    conversation model, `weights/conversation.json`; 0 in files older than it, or where that
    file cannot be read: the message verdict does not depend on it)."""
    from chaincut.text.conversation import default_conversation_model

    try:
        return default_conversation_model().message_paid
    except ModelError:
        return 0.0


@functools.cache
def default_cue_weights() -> tuple[float, float]:
    """The shipped weights of a pretext with an ask and of a fraud type's hook on the message
    logit: the conversation model's (`weights/conversation.json`), so that a message scores as
    the one-turn conversation it is; (0, 0) where that file cannot be read."""
    from chaincut.text.conversation import FEATURES, default_conversation_model

    try:
        coef = dict(zip(FEATURES, default_conversation_model().coef, strict=True))
    except ModelError:
        return 0.0, 0.0
    return coef["ask_after_pretext"], coef["hook"]


#: the note of a message flagged on a hook alone (the conversation verdict says the same)
LURE_NOTE = "a lure: it names a fraud type's hook but asks for nothing yet (lower confidence)"


def _shifted(probability: float, weight: float) -> float:
    p = min(max(probability, 1e-15), 1 - 1e-15)
    z = math.log(p / (1 - p)) + weight
    return 1.0 / (1.0 + math.exp(-max(-700.0, min(700.0, z))))


def _finish(
    prepared: _Prepared,
    scored: Scored,
    model: TextModel,
    receipt: float,
    cue_weights: tuple[float, float] = (0.0, 0.0),
    found: tuple[Cue, ...] | None = None,
) -> Verdict:
    probability = scored.probability
    if receipt and has_receipt(prepared.normalized.text):
        # a report of a payment already made ("货款已经转到你们公司账户了，麻烦查收后开一下
        # 发票") is a receipt, not an ask: a fitted weight lowers the score, never a veto
        probability = _shifted(probability, receipt)
    unaided = probability >= model.threshold
    if found is None and (cue_weights[0] or cue_weights[1]):
        text = prepared.normalized
        found = find_cues(text) if may_have_cues(text.text) else ()
    cues: tuple[Cue, ...] = ()
    if found and (cue_weights[0] or cue_weights[1]):
        # a lure written like an advert ("黑户白户都能贷，不看征信", "已获…备用金…戳 URL")
        # reads like selling to the n-grams; its hook, or a pretext with an ask, names the
        # fraud type as a whole. Fitted weights (those of a one-turn conversation), not vetoes
        ask_after, hooks, cues = message_cues(found)
        shift = cue_weights[0] * ask_after + cue_weights[1] * hooks
        if shift:
            probability = _shifted(probability, shift)
    fraud = probability >= model.threshold
    fraud_type, type_score, best, note = None, None, None, prepared.note
    if fraud:
        probabilities = scored.type_probabilities()
        best = int(probabilities.argmax())
        fraud_type, type_score = model.types[best], float(probabilities[best])
        cited = phrases(prepared.normalized, scored, model, fraud_type=best)
        if not unaided:
            # flagged through its cues: the ask, the hook and the pretext are the reason
            cited = merge_cited(_cue_phrases(cues), cited)
            if cited and not any(c.family == "ASK" for c in cues):
                note = note or LURE_NOTE
        if not cited:
            # a fraud script asks for something; a score carried only by words that are never
            # a reason (a bare "您好", a greeting) is not something a person could act on
            fraud, fraud_type, type_score, best = False, None, None, None
            note = note or "score past the threshold but no phrase shows an ask: not flagged"
    spam = not fraud and scored.spam_probability >= 0.5
    if spam:
        cited = spam_phrases(prepared.normalized, scored, model)
    elif not fraud:
        cited = phrases(prepared.normalized, scored, model, fraud_type=None)
    return Verdict(
        fraud=fraud,
        score=probability,
        fraud_type=fraud_type,
        type_score=type_score,
        phrases=cited,
        indicators=prepared.indicators,
        note=note,
        verdict="fraud" if fraud else "spam" if spam else "normal",
        spam_score=scored.spam_probability,
        warn=fraud and probability >= model.warn_threshold,
    )


def _cue_phrases(cues: tuple[Cue, ...]) -> tuple[str, ...]:
    return tuple(c.phrase for f in ("ASK", "HOOK", "PRETEXT") for c in cues if c.family == f)


def classify(text: str | bytes | None, *, model: TextModel | None = None) -> Verdict:
    """Classify one SMS, chat message or call transcript (Chinese first; English is scored too).

    bytes are decoded as UTF-8, else GB18030; input that is not text gets a verdict with a note.
    """
    return next(classify_many([text], model=model))


def classify_many(
    texts: Iterable[str | bytes | None],
    *,
    model: TextModel | None = None,
    batch: int = 256,
    receipt_weight: float | None = None,
    cues: bool = True,
) -> Iterator[Verdict]:
    """Classify texts lazily, one verdict per text in order, scoring `batch` texts at a time.

    The fast path for many texts: the model's arithmetic runs once per batch, not per text.
    `receipt_weight` replaces the shipped weight of a reported payment (training; 0: none);
    `cues=False` leaves out the weights of a pretext with an ask and of a hook (the n-gram
    score alone, as before round ten; training the conversation model needs it).
    """
    model = model or default_model()
    receipt = default_receipt_weight() if receipt_weight is None else receipt_weight
    weights = default_cue_weights() if cues else (0.0, 0.0)
    iterator = iter(texts)
    while chunk := list(itertools.islice(iterator, batch)):
        prepared = [_prepare(text) for text in chunk]
        todo = [p for p in prepared if isinstance(p, _Prepared)]
        scored = iter(model.score_many([p.normalized.text for p in todo]) if todo else [])
        for item in prepared:
            if isinstance(item, Verdict):
                yield item
            else:
                yield _finish(item, next(scored), model, receipt, weights)


def classify_normalized(
    texts: list[str | bytes | None],
    model: TextModel,
    receipt_weight: float | None = None,
    *,
    cues: bool = True,
) -> list[tuple[Verdict, Normalized | None, Verdict, tuple[Cue, ...]]]:
    """`classify_many` for one batch, for callers that look at the text again
    (`conversation.py`): each text's verdict without the cue weights (what a conversation
    pools: it weighs the cues itself), its normalised form (None where the text could not be
    scored), its message verdict (`classify_many`'s, cues weighed) and its cues (with
    `cues=False` none are looked for: the message verdict is the bare one)."""
    receipt = default_receipt_weight() if receipt_weight is None else receipt_weight
    weights = default_cue_weights()
    prepared = [_prepare(text) for text in texts]
    todo = [p for p in prepared if isinstance(p, _Prepared)]
    scored = iter(model.score_many([p.normalized.text for p in todo]) if todo else [])
    out: list[tuple[Verdict, Normalized | None, Verdict, tuple[Cue, ...]]] = []
    for item in prepared:
        if isinstance(item, Verdict):
            out.append((item, None, item, ()))
            continue
        s = next(scored)
        found = find_cues(item.normalized) if cues else ()
        bare = _finish(item, s, model, receipt)
        ask_after, hooks, _ = message_cues(found)
        shown = _finish(item, s, model, receipt, weights, found) if ask_after or hooks else bare
        out.append((bare, item.normalized, shown, found))
    return out
