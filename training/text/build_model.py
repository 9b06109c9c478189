"""Rebuild the shipped fraud-script model from the data that may train it.

    .venv/bin/python -m training.text.build_model            # writes src/chaincut/text/weights/model.npz

Trains on the training side of the TeleAntiFraud dialogues (Apache-2.0) and of normal_dialogues
(see training/text/README.md for their attribution), and on the synthetic fraud, advertising and
ordinary messages of `synthetic.py`; never on telecom_fraud_texts_5 (GPL, evaluation only), and
never on the held-out sources (corpora.NORMAL_HELD_OUT_FILES, the held-out TeleAntiFraud run and
scenes), which measure it. Deterministic: the same inputs and library versions give the same
file, byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits
from training.text.corpora import (
    DIALOGUES,
    NORMAL_DIALOGUES,
    Example,
    load_dialogues,
    load_normal_dialogues,
)
from training.text.synthetic import generate

from chaincut.metrics import threshold_for_false_positive_rate
from chaincut.text.features import ngrams
from chaincut.text.model import DEFAULT_PATH, TextModel
from chaincut.text.normalize import normalize

#: the share of each class's weight that each genre gets: within a genre both classes weigh the
#: same wherever both occur, so that the genre (a spoken call, a short SMS, a chat turn) says
#: nothing about the verdict; genres with no fraud text (advertising, chit-chat, meetings,
#: booking dialogues) are on the "not fraud" side only. "chat" is the short turns of a chat
#: (templates_ask.py): the ask on one side, everyday talk of money, codes and tasks on the other
GENRE_WEIGHTS: dict[str, dict[str, float]] = {
    "fraud": {"sms": 0.35, "call": 0.25, "chat": 0.10},
    "other": {
        "sms": 0.35, "ads": 0.35, "call": 0.25, "chat": 0.10, "chitchat": 0.15, "meeting": 0.15,
        "task": 0.10,
    },
}  # fmt: skip
#: genres folded into the ones above
GENRE_ALIASES = {"interview": "meeting", "lecture": "meeting", "tv_drama": "chitchat"}


@dataclass(frozen=True)
class Params:
    """Training settings; chosen on the dialogues' and the synthetic held-out splits and the
    development third of telecom_fraud_texts_5, never on its test two thirds."""

    min_df: int = 3
    max_df: float = 1.0  # n-grams in a larger share of texts are left out (style, not content)
    c_fraud: float = 0.1
    c_spam: float = 1.0
    c_type: float = 2.0
    keep_fraud: int = 60_000  # n-grams kept for their fraud weight ...
    keep_type: int = 40_000  # ... and for their type weights (the union is the vocabulary)
    folds: int = 5
    #: texts whose source trains the type model (all fraud texts where none is present): the
    #: dialogues' types are generic and overlap (see docs/text-classifier.md)
    type_sources: tuple[str, ...] = ("synthetic",)
    synthetic_seed: int = 7
    #: short chat turns with the ask per fraud type (templates_ask.py; 0: none). Tried in round
    #: four and left out of the shipped model: it lifts the generators' worlds but lowers recall
    #: on real SMS (docs/text-classifier.md, "Chat turns and the ask")
    ask_turns: int = 0
    #: the prior share of fraud the score is calibrated at (a busy channel; see the docs)
    prevalence: float = 0.005
    #: share of the held-out (out-of-fold) short normal and advertising texts (SMS and chat,
    #: the traffic the thresholds are for) the two operating points may flag: "flag for a
    #: person to read" and "warn the recipient"
    flag_rate: float = 0.0001
    warn_rate: float = 0.00005
    #: an n-gram in more than this share of both the fraud and the other texts is not cited
    cite_share: float = 0.01


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF-IDF, L2-normalised rows: the arithmetic of `TextModel.score`."""
    x = counts.astype(np.float64).tocsr(copy=True)
    x.data = 1.0 + np.log(x.data)
    x = x.multiply(idf.reshape(1, -1)).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(x.multiply(1.0 / norms.reshape(-1, 1)))


def _genre(e: Example) -> str:
    # advertising is a genre of its own: short messages that sell, weighed as much as the other
    # short messages, so that selling (links, offers, "加微信") is firmly on the "not fraud" side
    return "ads" if e.spam else GENRE_ALIASES.get(e.genre, e.genre)


def _weights(examples: list[Example]) -> np.ndarray:
    """Each conversation counts once however many views of it there are, and each class's
    weight is shared among the genres as GENRE_WEIGHTS says (genres absent from `examples`
    drop out; both classes sum to the same weight, the number of examples)."""
    views = Counter(e.group for e in examples if "dialogues/" in e.source)
    base = np.array(
        [1.0 / views.get(e.group, 1) if "dialogues/" in e.source else 1.0 for e in examples]
    )
    side = ["fraud" if e.fraud else "other" for e in examples]
    cells = Counter[tuple[str, str]]()
    for e, s, b in zip(examples, side, base, strict=True):
        cells[(s, _genre(e))] += b
    shares: dict[tuple[str, str], float] = {}
    for s in ("fraud", "other"):
        present = {g: w for g, w in GENRE_WEIGHTS[s].items() if cells.get((s, g))}
        present.update({g: 0.1 for (c, g) in cells if c == s and g not in GENRE_WEIGHTS[s]})
        total = sum(present.values()) or 1.0
        shares.update({(s, g): w / total for g, w in present.items()})
    scale = len(examples) / 2
    return np.array(
        [
            b * scale * shares[(s, _genre(e))] / cells[(s, _genre(e))]
            for e, s, b in zip(examples, side, base, strict=True)
        ]
    )


def _fit_fraud(x: sp.csr_matrix, y: np.ndarray, w: np.ndarray, c: float) -> LogisticRegression:
    # the weights already balance the classes (and the genres within them)
    model = LogisticRegression(C=c, max_iter=3000)
    return model.fit(x, y, sample_weight=w)


def _fit_spam(x: sp.csr_matrix, y: np.ndarray, w: np.ndarray, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return model.fit(x, y, sample_weight=w)


def _citable(
    counts: sp.csr_matrix, vocabulary: np.ndarray, y: np.ndarray, share: float
) -> np.ndarray:
    """N-grams a person would accept as a reason: not in more than `share` of the texts of both
    classes (function words, politeness, call style are in both), and with a Chinese
    character or a Latin word that is not a mask (xx) or a placeholder."""
    present = counts.copy()
    present.data[:] = 1.0
    fraud_share = np.asarray(present[y].mean(axis=0)).ravel()
    other_share = np.asarray(present[~y].mean(axis=0)).ravel()
    common = np.minimum(fraud_share, other_share) > share
    content = np.array([_is_content(str(g)) for g in vocabulary], dtype=bool)
    citable: np.ndarray = ~common & content
    return citable


def _is_content(gram: str) -> bool:
    if any(c in "UEPCN" for c in gram):  # a placeholder for a number or link
        return False
    if any("\u3400" <= c <= "\u9fff" for c in gram):
        return True
    return len(gram) >= 2 and set(gram) != {"x"}


def _fit_type(x: sp.csr_matrix, labels: list[str], w: np.ndarray, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return model.fit(x, labels, sample_weight=w)


def fit_model(
    examples: list[Example], params: Params = Params(), oof_out: Path | None = None
) -> TextModel:
    """Fit the fraud and type models on `examples` and return them as a TextModel; with
    `oof_out`, also write the out-of-fold scores the thresholds are chosen from (`.npz`:
    `fraud`, `score`, `short`), so that another `flag_rate` can be tried without refitting.

    BLAS runs on one thread: faster on a busy machine, and the same sums in the same order.
    """
    with threadpool_limits(limits=1):
        return _fit_model(examples, params, oof_out)


def _fit_model(examples: list[Example], params: Params, oof_out: Path | None) -> TextModel:
    texts = [normalize(e.text) for e in examples]
    y = np.array([e.fraud for e in examples], dtype=bool)
    # folds hold out whole kinds of ordinary and advertising message, not single templates,
    # so that the out-of-fold scores (and the thresholds) are those of unseen kinds of message
    groups = np.array(
        [
            e.group.rsplit(":", 1)[0] if e.source == "synthetic" and not e.fraud else e.group
            for e in examples
        ]
    )
    w = _weights(examples)
    spam = np.array([e.spam for e in examples], dtype=bool)
    other_rows = np.flatnonzero(~y)
    fraud_rows = np.flatnonzero(y)
    typed = [i for i in fraud_rows if examples[i].source in params.type_sources]
    fraud_rows = np.array(typed) if typed else fraud_rows
    type_labels = [str(examples[i].fraud_type) for i in fraud_rows]

    counter = CountVectorizer(
        analyzer=ngrams, min_df=params.min_df, max_df=params.max_df, dtype=np.float64
    )
    counts = sp.csr_matrix(counter.fit_transform(texts))
    vocabulary = np.array(counter.get_feature_names_out())
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + counts.shape[0]) / (1 + document_frequency)) + 1.0

    # fit on every n-gram, keep the useful ones, refit on those (a smaller file, same quality)
    x = _tfidf(counts, idf)
    fraud_weight = np.abs(_fit_fraud(x, y, w, params.c_fraud).coef_[0])
    type_weight = np.abs(
        _fit_type(x[fraud_rows], type_labels, w[fraud_rows], params.c_type).coef_
    ).max(axis=0)
    spam_weight = np.abs(
        _fit_spam(x[other_rows], spam[other_rows], w[other_rows], params.c_spam).coef_[0]
    )
    keep = np.union1d(
        np.union1d(
            np.argsort(-fraud_weight, kind="stable")[: params.keep_fraud],
            np.argsort(-type_weight, kind="stable")[: params.keep_type],
        ),
        np.argsort(-spam_weight, kind="stable")[: params.keep_type],
    )
    counts, vocabulary, idf = counts[:, keep], vocabulary[keep], idf[keep]
    x = _tfidf(counts, idf)
    fraud_model = _fit_fraud(x, y, w, params.c_fraud)
    spam_model = _fit_spam(x[other_rows], spam[other_rows], w[other_rows], params.c_spam)
    type_model = _fit_type(x[fraud_rows], type_labels, w[fraud_rows], params.c_type)

    margins = np.zeros(len(examples))
    for train, test in GroupKFold(n_splits=params.folds).split(x, y, groups):
        margins[test] = _fit_fraud(x[train], y[train], w[train], params.c_fraud).decision_function(
            x[test]
        )
    # Platt scaling on out-of-fold margins, with the classes weighted to the stated prevalence
    prior = np.where(y, params.prevalence / w[y].sum(), (1 - params.prevalence) / w[~y].sum())
    platt = LogisticRegression(C=1e4)
    platt.fit(margins.reshape(-1, 1), y, sample_weight=w * prior * len(y))
    a, b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    oof = 1.0 / (1.0 + np.exp(-np.clip(a * margins + b, -700, 700)))
    short = y | np.array([_genre(e) in ("sms", "ads", "chat", "chitchat") for e in examples])
    threshold = threshold_for_false_positive_rate(y[short], oof[short], params.flag_rate)
    warn = threshold_for_false_positive_rate(y[short], oof[short], params.warn_rate)
    warn = max(threshold, warn)
    if oof_out is not None:
        np.savez_compressed(oof_out, fraud=y, score=oof, short=short)

    meta: dict[str, Any] = {
        "trained_on": dict(
            sorted(Counter(f"{e.source}:{e.fraud_type or 'normal'}" for e in examples).items())
        ),
        # ask_turns only when used, so that the default rebuilds the shipped file byte for byte
        "params": {k: v for k, v in params.__dict__.items() if k != "ask_turns" or v},
        "sklearn": sklearn.__version__,
        "out_of_fold": {
            "flag_recall": float((oof[y] >= threshold).mean()),
            "warn_recall": float((oof[y] >= warn).mean()),
            "flag_false_positive_rate": float((oof[~y] >= threshold).mean()),
            "flag_false_positive_rate_short": float((oof[short & ~y] >= threshold).mean()),
        },
    }
    return TextModel(
        vocabulary=tuple(str(v) for v in vocabulary),
        idf=idf.astype(np.float32).astype(np.float64),
        fraud_coef=fraud_model.coef_[0].astype(np.float32).astype(np.float64),
        fraud_intercept=float(fraud_model.intercept_[0]),
        spam_coef=spam_model.coef_[0].astype(np.float32).astype(np.float64),
        spam_intercept=float(spam_model.intercept_[0]),
        type_coef=type_model.coef_.T.astype(np.float16).astype(np.float32),
        type_intercept=type_model.intercept_.astype(np.float32),
        types=tuple(str(t) for t in type_model.classes_),
        calibration=(a, b),
        citable=_citable(counts, vocabulary, y, params.cite_share),
        threshold=threshold,
        warn_threshold=warn,
        prevalence=params.prevalence,
        meta=meta,
    )


def training_examples(params: Params = Params()) -> list[Example]:
    """What the shipped model is trained on: the training side of the dialogues (three views)
    and of normal_dialogues (two views), and the synthetic messages."""
    return (
        load_dialogues(split="train")
        + load_normal_dialogues()
        + generate(seed=params.synthetic_seed, normal=6000, spam=5000, turns=params.ask_turns)
    )


def _data_fingerprint() -> str:
    sums = (DIALOGUES / "SHA256SUMS").read_bytes() + (NORMAL_DIALOGUES / "SHA256SUMS").read_bytes()
    return hashlib.sha256(sums).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH, help="model file to write")
    parser.add_argument("--oof", type=Path, default=None, help="also write out-of-fold scores")
    parser.add_argument("--ask-turns", type=int, default=0, help="chat turns per fraud type")
    parser.add_argument("--c-fraud", type=float, default=Params.c_fraud, help="fraud model's C")
    args = parser.parse_args()
    started = time.perf_counter()
    params = Params(ask_turns=args.ask_turns, c_fraud=args.c_fraud)
    examples = training_examples(params)
    model = fit_model(examples, params, oof_out=args.oof)
    if model.meta is None:
        raise SystemExit("the fitted model has no metadata")
    model.meta["dialogues_sha256sums"] = _data_fingerprint()
    model.save(args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()[:16]
    print(f"trained on {len(examples)} texts, vocabulary {len(model.vocabulary)} n-grams")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB, sha256 {digest})")
    print(f"took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
