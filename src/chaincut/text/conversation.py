"""Judge a conversation (the thread of messages between two parties, in time order) as a unit.

The message model (`verdict.py`) judges each turn on its own; a fraud chat may spread the
pretext and the ask over several turns, and an ordinary one may name money, accounts and codes
in passing ("货款已经转到你们公司账户了，麻烦查收"). The conversation verdict pools the turns:
the strongest turn's fraud score, the score of the whole thread read as one text, the asks and
pretexts found in it (`ask.py`), an ask that follows a pretext, and reports of a payment
already made, combined by a logistic regression fitted with scikit-learn on the training
corpora (`training/text/build_conversation.py`) and shipped as plain numbers in
`weights/conversation.json`. The message model and its verdicts are not changed.

    >>> from chaincut.text import classify_conversation
    >>> v = classify_conversation(["您好，您的快递丢失了，我们按三倍理赔", "好的", "请点击链接办理：http://x.cn"])
    >>> v.fraud, v.turn  # the verdict, and the index of the turn with the most evidence
    (True, 0)
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from chaincut.text.ask import Cue, cue_counts, find_cues
from chaincut.text.explain import _only_function_words
from chaincut.text.model import ModelError, TextModel, default_model
from chaincut.text.normalize import normalize_text
from chaincut.text.verdict import Verdict, classify_normalized

CONVERSATION_FORMAT: Final = 1
DEFAULT_PATH: Final = Path(__file__).with_name("weights") / "conversation.json"
#: the features, in the order of the fitted coefficients
FEATURES: Final = (
    "ask_after_pretext",  # an ask in a turn at or after a pretext's turn
    "paid",  # the speaker reports a payment already made (a receipt, not an ask)
    "hook",  # a fraud type's hook named (a lure), up to 2 distinct phrases
)
_LOGIT_CAP: Final = 30.0
#: a turn: its text, or (speaker, text)
Turn = str | tuple[str, str]


@dataclass(frozen=True)
class ConversationModel:
    """The pooled model's coefficients (in `FEATURES` order), intercept and threshold."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    meta: dict[str, object]
    #: the weight of a reported payment on a single message's logit (`verdict.py`)
    message_paid: float = 0.0

    @classmethod
    def load(cls, path: Path | None = None) -> ConversationModel:
        """Read `weights/conversation.json` (or `path`); ModelError says why it cannot."""
        path = path or DEFAULT_PATH
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != CONVERSATION_FORMAT or tuple(data["features"]) != FEATURES:
                raise ModelError(f"{path} is a conversation model of another format")
            return cls(
                tuple(float(c) for c in data["coef"]),
                float(data["intercept"]),
                float(data["threshold"]),
                dict(data.get("meta", {})),
                float(data.get("message_paid", 0.0)),
            )
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"cannot read the conversation model at {path}: {exc}") from exc

    def probability(self, logit: float, features: Sequence[float]) -> float:
        """The message model's logit moved by the cues' weights, as a probability."""
        z = logit + self.intercept + sum(c * x for c, x in zip(self.coef, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-700.0, min(700.0, z))))


@functools.cache
def default_conversation_model() -> ConversationModel:
    """The conversation model shipped in the package, loaded once per process."""
    return ConversationModel.load()


@dataclass(frozen=True)
class ConversationVerdict:
    """What chaincut says about one conversation.

    fraud: score >= the conversation model's threshold with at least one cited phrase; score:
    the pooled probability of fraud; fraud_type: the type of the strongest turn (or of the
    thread read as one text) when fraud; turn: the index of the turn with the most evidence
    (its fraud score, or the first ask after a pretext); phrases: the ask and the pretext as
    substrings of the turns (content only); asks, pretexts: the names of the cues found;
    turns: each turn's own verdict (the message verdicts); hooks: the fraud types whose hook
    the thread names; note: why nothing was scored, or that a lure was flagged on its hook
    alone (no ask yet: lower confidence).
    """

    fraud: bool
    score: float
    fraud_type: str | None = None
    turn: int | None = None
    phrases: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    pretexts: tuple[str, ...] = ()
    turns: tuple[Verdict, ...] = ()
    hooks: tuple[str, ...] = ()
    note: str | None = None

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (turn verdicts included)."""
        return {
            "fraud": self.fraud,
            "verdict": "fraud" if self.fraud else "normal",
            "score": round(self.score, 4),
            "fraud_type": self.fraud_type,
            "turn": self.turn,
            "phrases": list(self.phrases),
            "asks": list(self.asks),
            "pretexts": list(self.pretexts),
            "hooks": list(self.hooks),
            "turns": [t.to_dict() for t in self.turns],
            "note": self.note,
        }


def _logit(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return max(-_LOGIT_CAP, min(_LOGIT_CAP, math.log(p / (1 - p))))


def _split(turns: Sequence[Turn]) -> tuple[list[str], list[str]]:
    speakers: list[str] = []
    texts: list[str] = []
    for k, turn in enumerate(turns):
        speaker, text = turn if isinstance(turn, tuple) else (f"?{k % 2}", turn)
        speakers.append(str(speaker))  # unknown speakers are assumed to alternate
        texts.append(text if isinstance(text, str) else "")  # None: an empty turn
    return speakers, texts


@dataclass(frozen=True, slots=True)
class Pooled:
    """The features of one conversation and what explains them."""

    logit: float  # the message model's fraud score (logit) of the strongest turn or the thread
    features: tuple[float, ...]
    cues: tuple[tuple[Cue, ...], ...]  # per turn, those that count (none in a warning)
    turn: int | None


def classify_conversations(
    conversations: Iterable[Sequence[Turn]],
    *,
    model: TextModel | None = None,
    conversation_model: ConversationModel | None = None,
) -> Iterator[ConversationVerdict]:
    """Judge conversations lazily, in order; each is a sequence of turns in time order, a turn
    being its text or (speaker, text). Scores turns and threads in batches (the fast path)."""
    model = model or default_model()
    pooled_model = conversation_model or default_conversation_model()
    batch: list[Sequence[Turn]] = []
    for conversation in conversations:
        batch.append(conversation)
        if len(batch) >= 128:
            yield from _judge(batch, model, pooled_model)
            batch = []
    if batch:
        yield from _judge(batch, model, pooled_model)


def classify_conversation(
    turns: Sequence[Turn],
    *,
    model: TextModel | None = None,
    conversation_model: ConversationModel | None = None,
) -> ConversationVerdict:
    """Judge one conversation: `turns` in time order, each its text or (speaker, text).

    Stable API (used by the warning engine): the result's `fraud`, `score`, `fraud_type`,
    `turn`, `phrases`, `asks` and `turns` keep their meaning across model versions.
    """
    return next(classify_conversations([turns], model=model, conversation_model=conversation_model))


def _judge(
    batch: list[Sequence[Turn]], model: TextModel, pooled_model: ConversationModel
) -> Iterator[ConversationVerdict]:
    split = [_split(list(c)) for c in batch]
    flat: list[str | bytes | None] = [t for _, texts in split for t in texts]
    turn_results = classify_normalized(flat, model, pooled_model.message_paid)
    # a one-turn thread is its turn: only longer threads are scored again as one text
    longer: list[str | bytes | None] = ["\n".join(t) for _, t in split if len(t) > 1]
    thread_verdicts = iter(
        [
            v
            for v, _, _, _ in classify_normalized(
                longer, model, pooled_model.message_paid, cues=False
            )
        ]
        if longer
        else []
    )
    at = 0
    for speakers, texts in split:
        results = turn_results[at : at + len(texts)]
        at += len(texts)
        verdicts = [v for v, _, _, _ in results]
        cues = tuple(found for _, _, _, found in results)
        if len(texts) > 1:
            thread = next(thread_verdicts)
        else:
            thread = verdicts[0] if verdicts else Verdict(False, 0.0, note="empty")
        verdict = _verdict(speakers, cues, verdicts, thread, pooled_model)
        # pooled on the turns' n-gram scores (the thread weighs the cues itself, once); each
        # turn is shown with its own message verdict, as `classify_many` gives it
        yield dataclasses.replace(verdict, turns=tuple(m for _, _, m, _ in results))


def _verdict(
    speakers: list[str],
    cues: tuple[tuple[Cue, ...], ...],
    verdicts: list[Verdict],
    thread: Verdict,
    pooled_model: ConversationModel,
) -> ConversationVerdict:
    if not verdicts or all(v.note is not None and v.score == 0.0 for v in verdicts):
        return ConversationVerdict(False, 0.0, turns=tuple(verdicts), note="no text to judge")
    pooled = _pool(speakers, cues, verdicts, thread)
    score = pooled_model.probability(pooled.logit, pooled.features)
    cited = _phrases(pooled, verdicts) if score >= pooled_model.threshold else ()
    fraud = bool(cited)
    note = None
    if score >= pooled_model.threshold and not cited:
        note = "score past the threshold but no phrase shows an ask: not flagged"
    elif (
        fraud
        and not thread.fraud
        and not any(v.fraud for v in verdicts)
        and not any(c.family == "ASK" for cs in pooled.cues for c in cs)
    ):
        # flagged on the hook alone: a lure that asks for nothing yet is weaker evidence
        # than an ask, and the analyst should know it
        note = "a lure: it names a fraud type's hook but asks for nothing yet (lower confidence)"
    fraud_type = None
    if fraud:
        typed = [v for v in verdicts if v.fraud_type] or ([thread] if thread.fraud_type else [])
        fraud_type = max(typed, key=lambda v: v.score).fraud_type if typed else "other"
    return ConversationVerdict(
        fraud=fraud,
        score=score,
        fraud_type=fraud_type,
        turn=pooled.turn,
        phrases=cited if fraud else (),
        asks=tuple(sorted({c.name for cs in pooled.cues for c in cs if c.family == "ASK"})),
        pretexts=tuple(sorted({c.name for cs in pooled.cues for c in cs if c.family == "PRETEXT"})),
        turns=tuple(verdicts),
        hooks=tuple(sorted({c.name for cs in pooled.cues for c in cs if c.family == "HOOK"})),
        note=note,
    )


def pool_texts(
    speakers: Sequence[str], texts: Sequence[str], verdicts: Sequence[Verdict], thread: Verdict
) -> Pooled:
    """`pool` for turns given as texts (the training script calls it too)."""
    cues = tuple(find_cues(normalize_text(t)) for t in texts)
    return _pool(speakers, cues, verdicts, thread)


def _pool(
    speakers: Sequence[str],
    cues: tuple[tuple[Cue, ...], ...],
    verdicts: Sequence[Verdict],
    thread: Verdict,
) -> Pooled:
    del speakers  # who asks is not a feature yet (see docs/text-classifier.md)
    counted: list[tuple[Cue, ...]] = []
    paid, ask_after, seen_pretext, ask_turn = 0, 0.0, False, None
    hooks: set[str] = set()
    for k, found in enumerate(cues):
        n_ask, n_pretext, n_done, n_warning, _ = cue_counts(found)
        if n_warning:
            # a warning names the trick to refuse it: its asks and pretexts are not asked
            counted.append(())
            continue
        counted.append(found)
        seen_pretext = seen_pretext or n_pretext > 0
        if n_ask and seen_pretext and ask_turn is None:
            ask_after, ask_turn = 1.0, k
        paid += n_done
        hooks.update(c.phrase for c in found if c.family == "HOOK")
    best = max(range(len(verdicts)), key=lambda k: verdicts[k].score) if verdicts else None
    # the strongest of n turns is the strongest of n chances of a false alarm: its logit is
    # lowered by log(n), so that a long ordinary conversation is not flagged more often than
    # one message (a one-turn conversation keeps its message score)
    turn_logit = _logit(max((v.score for v in verdicts), default=0.0))
    logit = max(turn_logit - math.log(max(1, len(verdicts))), _logit(thread.score))
    features = (
        ask_after,
        float(min(paid, 2)),
        float(min(len(hooks), 2)),
    )
    turn = best if best is not None and verdicts[best].fraud else ask_turn
    return Pooled(logit, features, tuple(counted), turn if turn is not None else best)


def _phrases(pooled: Pooled, verdicts: Sequence[Verdict]) -> tuple[str, ...]:
    # the strongest turn's own phrases first, then the asks and pretexts that the cues found
    out: list[str] = []
    if pooled.turn is not None:
        out.extend(verdicts[pooled.turn].phrases if verdicts[pooled.turn].fraud else ())
    for family in ("ASK", "HOOK", "PRETEXT"):
        for found in pooled.cues:
            out.extend(c.phrase for c in found if c.family == family)
    unique: list[str] = []
    for phrase in dict.fromkeys(out):
        # a phrase inside one already cited says nothing new
        if _only_function_words(phrase) or any(phrase in kept for kept in unique):
            continue
        if phrase:
            unique.append(phrase)
    return tuple(unique[:5])
