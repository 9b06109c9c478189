"""Rebuild the shipped fraud-script model from the data that may train it.

    .venv/bin/python -m training.text.build_model            # writes src/chaincut/text/weights/model.npz

Trains on the TeleAntiFraud dialogues (Apache-2.0) and the synthetic messages of
`synthetic.py`; never on telecom_fraud_texts_5 (GPL, evaluation only). Deterministic: the same
inputs and library versions give the same file, byte for byte.
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
from training.text.corpora import DIALOGUES, Example, load_dialogues
from training.text.synthetic import generate

from chaincut.text.features import ngrams
from chaincut.text.model import DEFAULT_PATH, TextModel
from chaincut.text.normalize import normalize


@dataclass(frozen=True)
class Params:
    """Training settings; chosen on the dialogues' and the synthetic held-out splits and the
    development third of telecom_fraud_texts_5, never on its test two thirds."""

    min_df: int = 3
    max_df: float = 1.0  # n-grams in a larger share of texts are left out (style, not content)
    c_fraud: float = 0.3
    c_type: float = 2.0
    keep_fraud: int = 60_000  # n-grams kept for their fraud weight ...
    keep_type: int = 40_000  # ... and for their type weights (the union is the vocabulary)
    folds: int = 5
    #: texts whose source trains the type model (all fraud texts where none is present): the
    #: dialogues' types are generic and overlap (see docs/text-classifier.md)
    type_sources: tuple[str, ...] = ("synthetic",)
    synthetic_seed: int = 7


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF-IDF, L2-normalised rows: the arithmetic of `TextModel.score`."""
    x = counts.astype(np.float64).tocsr(copy=True)
    x.data = 1.0 + np.log(x.data)
    x = x.multiply(idf.reshape(1, -1)).tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(x.multiply(1.0 / norms.reshape(-1, 1)))


def _weights(examples: list[Example]) -> np.ndarray:
    """Each dialogue counts once however many views of it there are."""
    views = Counter(e.group for e in examples if e.source.startswith("dialogues/"))
    return np.array(
        [
            1.0 / views.get(e.group, 1) if e.source.startswith("dialogues/") else 1.0
            for e in examples
        ]
    )


def _fit_fraud(x: sp.csr_matrix, y: np.ndarray, w: np.ndarray, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return model.fit(x, y, sample_weight=w)


def _fit_type(x: sp.csr_matrix, labels: list[str], w: np.ndarray, c: float) -> LogisticRegression:
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    return model.fit(x, labels, sample_weight=w)


def fit_model(examples: list[Example], params: Params = Params()) -> TextModel:
    """Fit the fraud and type models on `examples` and return them as a TextModel.

    BLAS runs on one thread: faster on a busy machine, and the same sums in the same order.
    """
    with threadpool_limits(limits=1):
        return _fit_model(examples, params)


def _fit_model(examples: list[Example], params: Params) -> TextModel:
    texts = [normalize(e.text) for e in examples]
    y = np.array([e.fraud for e in examples], dtype=bool)
    groups = np.array([e.group for e in examples])
    w = _weights(examples)
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
    keep = np.union1d(
        np.argsort(-fraud_weight, kind="stable")[: params.keep_fraud],
        np.argsort(-type_weight, kind="stable")[: params.keep_type],
    )
    counts, vocabulary, idf = counts[:, keep], vocabulary[keep], idf[keep]
    x = _tfidf(counts, idf)
    fraud_model = _fit_fraud(x, y, w, params.c_fraud)
    type_model = _fit_type(x[fraud_rows], type_labels, w[fraud_rows], params.c_type)

    margins = np.zeros(len(examples))
    for train, test in GroupKFold(n_splits=params.folds).split(x, y, groups):
        margins[test] = _fit_fraud(x[train], y[train], w[train], params.c_fraud).decision_function(
            x[test]
        )
    # Platt scaling on out-of-fold margins, at equal class priors (see docs/text-classifier.md)
    platt = LogisticRegression(C=1e4, class_weight="balanced")
    platt.fit(margins.reshape(-1, 1), y, sample_weight=w)

    meta: dict[str, Any] = {
        "trained_on": dict(
            sorted(Counter(f"{e.source}:{e.fraud_type or 'normal'}" for e in examples).items())
        ),
        "params": params.__dict__,
        "sklearn": sklearn.__version__,
    }
    return TextModel(
        vocabulary=tuple(str(v) for v in vocabulary),
        idf=idf.astype(np.float32).astype(np.float64),
        fraud_coef=fraud_model.coef_[0].astype(np.float32).astype(np.float64),
        fraud_intercept=float(fraud_model.intercept_[0]),
        type_coef=type_model.coef_.T.astype(np.float16).astype(np.float32),
        type_intercept=type_model.intercept_.astype(np.float32),
        types=tuple(str(t) for t in type_model.classes_),
        calibration=(float(platt.coef_[0][0]), float(platt.intercept_[0])),
        meta=meta,
    )


def training_examples(params: Params = Params()) -> list[Example]:
    """What the shipped model is trained on: all dialogues (three views) and synthetic texts."""
    return load_dialogues() + generate(seed=params.synthetic_seed)


def _data_fingerprint() -> str:
    sums = (DIALOGUES / "SHA256SUMS").read_bytes()
    return hashlib.sha256(sums).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_PATH, help="model file to write")
    args = parser.parse_args()
    started = time.perf_counter()
    examples = training_examples()
    model = fit_model(examples)
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
