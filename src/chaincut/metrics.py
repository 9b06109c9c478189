"""Figures for a ranked list of entities against the truth, one module for every detector.

Everything is computed by `sklearn.metrics`; this module only fixes the conventions the
project reports in (docs/evaluation.md):

- average precision (the area under the precision-recall curve, stepwise, as
  `sklearn.metrics.average_precision_score` defines it);
- precision, recall and F1 of flagging `score >= threshold`;
- precision among the top k, k = the number of positives;
- precision *at a prevalence*: what the precision would be if positives made up `prevalence`
  of the population, from the recall and the false-positive rate (how the list reads at real
  prevalence, e.g. fraud SMS at 0.05 %);
- harm counted per entity: the number of negatives flagged, not only their share.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
from sklearn.metrics import average_precision_score, precision_recall_curve

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Ranking:
    """The figures of one ranked list at one threshold."""

    entities: int
    positives: int
    flagged: int
    threshold: float
    precision: float
    recall: float
    f1: float
    average_precision: float
    precision_at_positives: float
    #: negatives flagged: the innocent people, accounts or messages the list bothers
    false_positives: int
    false_positive_rate: float

    def to_dict(self) -> dict[str, float | int]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}

    def precision_at(self, prevalence: float) -> float:
        """The precision of the list were positives `prevalence` of the population."""
        return precision_at_prevalence(self.recall, self.false_positive_rate, prevalence)


def _arrays(truth: object, scores: object) -> tuple[BoolArray, FloatArray]:
    t = np.asarray(truth, dtype=bool)
    s = np.asarray(scores, dtype=np.float64)
    if t.shape != s.shape or t.ndim != 1:
        raise ValueError(f"truth and scores must be 1-d and of one length, not {t.shape}/{s.shape}")
    return t, s


def average_precision(truth: object, scores: object) -> float:
    """Average precision of the ranking; 0.0 where there is no positive."""
    t, s = _arrays(truth, scores)
    if not t.any():
        return 0.0
    return float(average_precision_score(t, s))


def precision_at_positives(truth: object, scores: object) -> float:
    """Precision among the k highest scores, k = the number of positives (ties by position)."""
    t, s = _arrays(truth, scores)
    k = int(t.sum())
    if k == 0:
        return 0.0
    order = np.lexsort((np.arange(len(s)), -s))
    return float(t[order[:k]].mean())


def precision_at_prevalence(recall: float, false_positive_rate: float, prevalence: float) -> float:
    """Precision at a given prevalence from a list's recall and false-positive rate."""
    if not 0.0 < prevalence < 1.0:
        raise ValueError(f"prevalence must be in (0, 1), not {prevalence}")
    caught = prevalence * recall
    wrong = (1.0 - prevalence) * false_positive_rate
    return caught / (caught + wrong) if caught + wrong > 0 else 0.0


def ranking(truth: object, scores: object, threshold: float) -> Ranking:
    """The figures of flagging `scores >= threshold` and of the ranking as a whole."""
    t, s = _arrays(truth, scores)
    flagged = s >= threshold
    tp = int(np.count_nonzero(flagged & t))
    fp = int(np.count_nonzero(flagged & ~t))
    positives, negatives = int(t.sum()), int((~t).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Ranking(
        entities=len(t),
        positives=positives,
        flagged=tp + fp,
        threshold=float(threshold),
        precision=precision,
        recall=recall,
        f1=f1,
        average_precision=average_precision(t, s),
        precision_at_positives=precision_at_positives(t, s),
        false_positives=fp,
        false_positive_rate=fp / negatives if negatives else 0.0,
    )


def best_f1_threshold(truth: object, scores: object) -> float:
    """The score threshold with the highest F1 (the highest such threshold on ties); 0.5
    without positives."""
    t, s = _arrays(truth, scores)
    if not t.any() or len(s) == 0:
        return 0.5
    precision, recall, thresholds = precision_recall_curve(t, s)
    p, r = precision[:-1], recall[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    best = float(f1.max())
    return float(thresholds[np.flatnonzero(f1 == best).max()])


def threshold_for_false_positive_rate(truth: object, scores: object, rate: float) -> float:
    """The lowest threshold that flags at most `rate` of the negatives (an operating point
    such as "at most 1 in 1,000 normal messages")."""
    t, s = _arrays(truth, scores)
    negatives = np.sort(s[~t])[::-1]
    if len(negatives) == 0:
        return float(s.min()) if len(s) else 0.5
    allowed = int(np.floor(rate * len(negatives)))
    if allowed >= len(negatives):
        return float(negatives[-1])
    # flag strictly above the (allowed+1)-th highest negative score
    return float(np.nextafter(negatives[allowed], np.inf))
