"""The shipped fraud-script model: exported weights and the small scorer that applies them.

The weights are three linear models over the TF-IDF of character n-grams (`features.py`): a binary
fraud/not-fraud model whose margin is mapped to a probability by Platt scaling (calibrated at a
stated prevalence of fraud, see docs/text-classifier.md), a binary advertising (spam)/normal model
for texts that are not fraud, and a multinomial fraud-type model. They were fitted with
scikit-learn (training/text/build_model.py) and exported as plain arrays, so scoring needs only
numpy and no pickled estimator. `citable` marks the n-grams that may be cited as a reason: not
function words, masks or politeness (see `explain.py`).
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from chaincut.text.features import MAX_CHARS, NGRAM_MAX, NGRAM_MIN, gram_key, ngram_keys_many

FORMAT_VERSION = 2
DEFAULT_PATH = Path(__file__).with_name("weights") / "model.npz"

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


class ModelError(RuntimeError):
    """The model file is missing, damaged or of another format version."""


@dataclass(frozen=True, slots=True)
class Scored:
    """What the model says about one normalised text, with what is needed to explain it."""

    probability: float
    margin: float
    spam_probability: float
    type_logits: FloatArray
    indices: IntArray  # vocabulary index of each n-gram present
    weights: FloatArray  # its normalised TF-IDF value
    #: its share of the fraud margin (column 0), the spam margin (1) and each type logit (2 ...)
    contributions: FloatArray

    def type_probabilities(self) -> FloatArray:
        """The fraud-type distribution (in `TextModel.types` order), if the text is fraud."""
        shifted = self.type_logits - float(self.type_logits.max())
        exp = np.exp(shifted)
        return np.asarray(exp / exp.sum(), dtype=np.float64)


@dataclass(frozen=True)
class TextModel:
    """Vocabulary, IDF and the three linear models' weights, with the scoring arithmetic.

    `threshold` is the default operating point ("flag for a person to read": score >= it makes
    a fraud verdict), `warn_threshold` the stricter one ("warn the recipient").
    """

    vocabulary: tuple[str, ...]
    idf: FloatArray
    fraud_coef: FloatArray
    fraud_intercept: float
    spam_coef: FloatArray
    spam_intercept: float
    type_coef: FloatArray  # vocabulary x types
    type_intercept: FloatArray
    types: tuple[str, ...]
    calibration: tuple[float, float]  # Platt scaling: p = sigmoid(a * margin + b)
    citable: npt.NDArray[np.bool_]  # n-grams that may be cited as a reason
    threshold: float = 0.5
    warn_threshold: float = 0.9
    prevalence: float = 0.005  # the prior share of fraud the score is calibrated at
    meta: dict[str, Any] | None = None

    @functools.cached_property
    def _keys(self) -> tuple[npt.NDArray[np.uint64], IntArray]:
        # the vocabulary's n-gram keys, sorted, and the vocabulary index of each
        keys = np.fromiter(map(gram_key, self.vocabulary), np.uint64, len(self.vocabulary))
        order = np.argsort(keys, kind="stable")
        return keys[order], order.astype(np.intp)

    @functools.cached_property
    def _table(self) -> FloatArray:
        # one row per n-gram: idf, fraud, spam and type weights (one fancy index per text)
        columns = [self.idf[:, None], self.fraud_coef[:, None], self.spam_coef[:, None]]
        columns.append(self.type_coef)
        return np.ascontiguousarray(np.hstack(columns), dtype=np.float64)

    def score(self, text: str) -> Scored:
        """Score one normalised text (see `normalize.normalize`)."""
        return self.score_many([text])[0]

    def score_many(self, texts: Sequence[str]) -> list[Scored]:
        """Score normalised texts together: a few numpy operations for the whole batch."""
        sorted_keys, order = self._keys
        keys, owners = ngram_keys_many([t[:MAX_CHARS] for t in texts])
        at = np.searchsorted(sorted_keys, keys)
        np.minimum(at, len(sorted_keys) - 1, out=at)
        hit = sorted_keys[at] == keys
        # (text, n-gram) pairs, sorted; runs of equal pairs are the n-gram's count in the text
        pairs = (owners[hit].astype(np.int64) << 32) | order[at[hit]]
        pairs.sort()
        first = np.ones(pairs.size, dtype=bool)
        np.not_equal(pairs[1:], pairs[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        counts = np.diff(starts, append=pairs.size).astype(np.float64)
        unique = pairs[starts]
        text_of = (unique >> 32).astype(np.intp)
        indices = (unique & 0xFFFFFFFF).astype(np.intp)
        rows = self._table[indices]
        values = (1.0 + np.log(counts)) * rows[:, 0]
        norms = np.sqrt(np.bincount(text_of, weights=values * values, minlength=len(texts)))
        norms[norms == 0] = 1.0
        values /= norms[text_of]
        bounds = np.searchsorted(text_of, np.arange(len(texts) + 1))
        sums = np.zeros((len(texts), rows.shape[1] - 1))
        filled = bounds[:-1] < bounds[1:]
        contributions = rows[:, 1:] * values[:, None]
        if filled.any():
            sums[filled] = np.add.reduceat(contributions, bounds[:-1][filled])
        margins = sums[:, 0] + self.fraud_intercept
        spam = 1.0 / (1.0 + np.exp(-np.clip(sums[:, 1] + self.spam_intercept, -700, 700)))
        logits = sums[:, 2:] + self.type_intercept
        a, b = self.calibration
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(a * margins + b, -700, 700)))
        return [
            Scored(
                float(probabilities[i]),
                float(margins[i]),
                float(spam[i]),
                logits[i],
                indices[bounds[i] : bounds[i + 1]],
                values[bounds[i] : bounds[i + 1]],
                contributions[bounds[i] : bounds[i + 1]],
            )
            for i in range(len(texts))
        ]

    def save(self, path: Path) -> None:
        """Write the model as a byte-for-byte reproducible .npz (fixed zip timestamps)."""
        meta = dict(self.meta or {})
        meta.update(
            format=FORMAT_VERSION,
            ngram=[NGRAM_MIN, NGRAM_MAX],
            types=list(self.types),
            fraud_intercept=self.fraud_intercept,
            spam_intercept=self.spam_intercept,
            calibration=list(self.calibration),
            threshold=self.threshold,
            warn_threshold=self.warn_threshold,
            prevalence=self.prevalence,
        )
        arrays: dict[str, npt.NDArray[Any]] = {
            "vocabulary": np.frombuffer("\n".join(self.vocabulary).encode("utf-8"), np.uint8),
            "idf": self.idf.astype(np.float32),
            "fraud_coef": self.fraud_coef.astype(np.float32),
            "spam_coef": self.spam_coef.astype(np.float32),
            "citable": self.citable.astype(np.uint8),
            "type_coef": self.type_coef.astype(np.float16),
            "type_intercept": self.type_intercept.astype(np.float32),
            "meta": np.frombuffer(json.dumps(meta, sort_keys=True).encode("utf-8"), np.uint8),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, array, allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, buffer.getvalue())

    @classmethod
    def load(cls, path: Path | None = None) -> TextModel:
        """Read a model written by `save`; raises ModelError with the reason if it cannot."""
        path = path or DEFAULT_PATH
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
            meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
            vocabulary = tuple(arrays["vocabulary"].tobytes().decode("utf-8").split("\n"))
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ModelError(f"cannot read the text model at {path}: {exc}") from exc
        if meta.get("format") != FORMAT_VERSION or meta.get("ngram") != [NGRAM_MIN, NGRAM_MAX]:
            raise ModelError(f"{path} is a model of another format ({meta.get('format')})")
        return cls(
            vocabulary=vocabulary,
            idf=arrays["idf"].astype(np.float64),
            fraud_coef=arrays["fraud_coef"].astype(np.float64),
            fraud_intercept=float(meta["fraud_intercept"]),
            spam_coef=arrays["spam_coef"].astype(np.float64),
            spam_intercept=float(meta["spam_intercept"]),
            citable=arrays["citable"].astype(bool),
            type_coef=arrays["type_coef"].astype(np.float32),
            type_intercept=arrays["type_intercept"].astype(np.float32),
            types=tuple(meta["types"]),
            calibration=(float(meta["calibration"][0]), float(meta["calibration"][1])),
            threshold=float(meta["threshold"]),
            warn_threshold=float(meta["warn_threshold"]),
            prevalence=float(meta["prevalence"]),
            meta=meta,
        )


@functools.cache
def default_model() -> TextModel:
    """The model shipped in the package, loaded once per process."""
    return TextModel.load()
