"""Fit the conversation model (`chaincut.text.conversation`) on the training corpora.

    .venv/bin/python -m training.text.build_conversation   # writes src/chaincut/text/weights/conversation.json

Conversations from what may train the text model only (training/text/README.md): the training
side of the TeleAntiFraud dialogues (each call as its turns, fraud and normal) and of
normal_dialogues (each dialogue as its lines), the synthetic messages of `synthetic.py` (seed
11, not the message model's 7) as one-turn conversations, with the short chat turns of
`templates_ask.py` (the ask, and everyday money talk without it), and short chats assembled
from them with ordinary replies. Never telecom_fraud_texts_5, the held-out sources or any
generated world. Each source weighs the same on each side, so that neither genre nor length
decides. The cues' weights are fitted on top of the message model's score (`fit`); the
threshold is the message model's. Deterministic.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import minimize
from training.text.corpora import (
    NORMAL_DIALOGUES,
    NORMAL_TRAIN_FILES,
    _dialogue_rows,
    dialogue_held_out,
)
from training.text.synthetic import generate

from chaincut.text.conversation import (
    CONVERSATION_FORMAT,
    DEFAULT_PATH,
    FEATURES,
    pool_texts,
)
from chaincut.text.model import default_model
from chaincut.text.verdict import classify_many

C = 1.0
#: +1: the cue may only raise the score; -1: only lower it
SIGNS = {"ask_after_pretext": 1, "paid": -1, "hook": 1}
SEED = 11
#: what the other party says in a short chat (the victim, a friend, a customer)
REPLIES = (
    "好的", "嗯", "真的吗？", "怎么弄？", "在吗", "收到", "我不太明白", "好，马上", "多少钱？",
    "可以", "这个安全吗？", "谢谢", "知道了", "稍等", "行", "然后呢？", "你是谁？", "哦哦",
)  # fmt: skip

Conversation = tuple[list[str], list[str], bool, str, str]  # speakers, texts, fraud, source, group


def _dialogues(rng: random.Random, limit: int) -> list[Conversation]:
    out: list[Conversation] = []
    for group, row in _dialogue_rows():
        if dialogue_held_out(group, str(row.get("fraud_type", ""))):
            continue
        left = [str(t) for t in row.get("left") or []]  # type: ignore[attr-defined]
        right = [str(t) for t in row.get("right") or []]  # type: ignore[attr-defined]
        speakers, texts = [], []
        for k in range(max(len(left), len(right))):
            for name, side in (("L", left), ("R", right)):
                if k < len(side) and side[k]:
                    speakers.append(name)
                    texts.append(side[k])
        fraud = group.startswith("fraud_")
        out.append((speakers, texts, fraud, f"calls/{'fraud' if fraud else 'normal'}", group))
    rng.shuffle(out)
    fraud = [c for c in out if c[2]][:limit]
    return fraud + [c for c in out if not c[2]][:limit]


def _normal_dialogues(rng: random.Random, limit: int) -> list[Conversation]:
    out: list[Conversation] = []
    for name in NORMAL_TRAIN_FILES:
        rows = (NORMAL_DIALOGUES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        rng.shuffle(rows)
        for line in rows[:limit]:
            row = json.loads(line)
            texts = [t for t in str(row["text"]).split("\n") if t.strip()][:40]
            speakers = [f"s{k % 2}" for k in range(len(texts))]
            out.append((speakers, texts, False, f"dialogues/{name}", str(row["id"])))
    return out


def _synthetic(rng: random.Random) -> list[Conversation]:
    examples = generate(seed=SEED, per_fraud_type=150, normal=2500, spam=2000, turns=150)
    out: list[Conversation] = []
    for e in examples:
        kind = "fraud" if e.fraud else "spam" if e.spam else "normal"
        out.append((["a"], [e.text], e.fraud, f"sms/{e.genre}/{kind}", e.group))
    # short chats: one side's messages of one kind, the other side's replies between them
    by_kind: dict[tuple[bool, str], list[str]] = {}
    for e in examples:
        key = (e.fraud, e.fraud_type or ("spam" if e.spam else "normal"))
        by_kind.setdefault(key, []).append(e.text)
    keys = sorted(by_kind)
    for n in range(3000):
        fraud, kind = keys[rng.randrange(len(keys))]
        speakers, texts = [], []
        for _ in range(rng.randint(1, 3)):
            if texts or rng.random() < 0.3:
                speakers.append("b")
                texts.append(rng.choice(REPLIES))
            speakers.append("a")
            texts.append(rng.choice(by_kind[(fraud, kind)]))
        out.append((speakers, texts, fraud, f"chat/{'fraud' if fraud else 'other'}", f"c{n}"))
    return out


def conversations(seed: int = SEED) -> list[Conversation]:
    """Every training conversation (see the module docstring)."""
    rng = random.Random(seed)
    return _dialogues(rng, 2500) + _normal_dialogues(rng, 800) + _synthetic(rng)


def features(
    convs: Sequence[Conversation], receipt_weight: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """The message model's logit (a reported payment weighed by `receipt_weight`) and the cue
    features of each conversation."""
    texts = (t for c in convs for t in c[1])
    turns = list(classify_many(texts, receipt_weight=receipt_weight, cues=False))
    joined = ("\n".join(c[1]) for c in convs)
    threads = list(classify_many(joined, receipt_weight=receipt_weight, cues=False))
    rows, logits, at = [], [], 0
    for (speakers, texts, *_), thread in zip(convs, threads, strict=True):
        verdicts = turns[at : at + len(texts)]
        at += len(texts)
        pooled = pool_texts(speakers, texts, verdicts, thread)
        logits.append(pooled.logit)
        rows.append(pooled.features)
    return np.asarray(logits, dtype=np.float64), np.asarray(rows, dtype=np.float64)


def fit(
    offset: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float = C
) -> np.ndarray:
    """Weights of the cues on top of the message model's logit (the offset, coefficient 1, no
    intercept: a conversation with no cue keeps its message verdict), by weighted L2-penalised
    log-loss (L-BFGS-B). Signs are bounded by meaning: an ask or a pretext never lowers the
    score, a report of a payment made or an anti-fraud warning never raises it."""
    signs = np.array([SIGNS[f] for f in FEATURES])
    bounds = [(0.0, None) if s > 0 else (None, 0.0) for s in signs]

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        z = offset + x @ beta
        p = 1.0 / (1.0 + np.exp(-z))
        ll = np.logaddexp(0.0, z) - y * z
        value = float(np.sum(w * ll) + 0.5 * beta @ beta / c)
        grad = x.T @ (w * (p - y)) + beta / c
        return value, grad

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds)
    return np.asarray(result.x, dtype=np.float64)


def fit_one(offset: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """The weight of a reported payment (1 or 0 per message) on the message logit: as `fit`,
    one feature, never positive."""

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        z = offset + x * beta[0]
        p = 1.0 / (1.0 + np.exp(-z))
        value = float(np.sum(w * (np.logaddexp(0.0, z) - y * z)) + 0.5 * beta[0] ** 2 / C)
        return value, np.array([float(np.sum(w * (p - y) * x)) + beta[0] / C])

    result = minimize(loss, np.zeros(1), jac=True, method="L-BFGS-B", bounds=[(None, 0.0)])
    return float(result.x[0])


def _weights(convs: Sequence[Conversation]) -> np.ndarray:
    # each source weighs the same within its class; both classes weigh the same overall
    count = Counter((c[3], c[2]) for c in convs)
    sources = Counter(c[2] for c in {(c[3], c[2]): c for c in convs}.values())
    w = np.array([1.0 / (count[(c[3], c[2])] * sources[c[2]]) for c in convs])
    return w * len(convs) / w.sum()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args()
    convs = conversations()
    y = np.array([c[2] for c in convs], dtype=np.float64)
    # first the weight of a reported payment on one message (the one-turn conversations: every
    # message of the synthetic set, ordinary receipts among them), on the bare message logit;
    # then the conversation's cues on top of the messages so weighed
    single = np.array([len(c[1]) == 1 for c in convs])
    offset, x = features(convs, 0.0)
    paid = FEATURES.index("paid")
    message_paid = float(
        fit_one(
            offset[single],
            x[single, paid],
            y[single],
            _weights([c for c, s in zip(convs, single, strict=True) if s]),
        )
    )
    offset, x = features(convs, message_paid)
    beta = fit(offset, x, y, _weights(convs))
    threshold = default_model().threshold
    z = offset + x @ beta
    flagged = (z >= np.log(threshold / (1 - threshold))) & (y == 0)
    data = {
        "format": CONVERSATION_FORMAT,
        "features": list(FEATURES),
        "coef": [round(float(b), 6) for b in beta],
        "intercept": 0.0,
        "threshold": threshold,
        "message_paid": round(message_paid, 6),
        "meta": {
            "version": "conversation-2",
            "conversations": len(convs),
            "fraud": int(y.sum()),
            "scipy": scipy.__version__,
            "normal_flagged_in_sample": int(flagged.sum()),
        },
    }
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(convs)} conversations ({int(y.sum())} fraud) -> {args.out}")
    print("coef", dict(zip(FEATURES, data["coef"], strict=True)), "message_paid", message_paid)
    by_source = Counter(c[3] for c, f in zip(convs, flagged, strict=True) if f)
    print("normal flagged in sample by source:", dict(by_source))


if __name__ == "__main__":
    main()
