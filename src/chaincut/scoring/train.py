"""Fitting the account model on labelled lakes (a user's data, or simulated worlds).

Accounts without a label count as normal (a bank usually knows some of its mules, not all of
its customers' innocence). The first pass is fitted, its out-of-fold scores (so training sees
suspects as scoring will: scored by a model that did not learn them) pick the suspects, the
second-pass features are read from each lake, and the final and role models are fitted on all
features. Folds are fixed by a hash of the account id, and LightGBM runs deterministically:
the same lakes give the same model file.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.account_features import FeatureParams
from chaincut.lake.jobs.account_patterns import PatternParams
from chaincut.scoring.features import (
    BASE_FEATURES,
    NEIGHBOUR_FEATURES,
    FloatArray,
    behaviour_only,
)
from chaincut.scoring.lake import LakeAccounts, main_currency, read_accounts, read_labels
from chaincut.scoring.model import AccountModel
from chaincut.scoring.truth import ROLES, best_f1_threshold, evaluate, is_positive, role_of

if TYPE_CHECKING:  # LightGBM is imported when training starts
    import lightgbm as lgb

IntArray = npt.NDArray[np.int64]
MIN_ROLE_EXAMPLES = 5
#: the label of an account kept out of training and out of every figure training reports: the
#: evaluation half of a public data set whose other half trains (docs/scoring.md, AMLworld)
HELD_OUT: Final = "held_out"


class TrainingError(ValueError):
    """The labelled data cannot train a model (no positives, or nothing else)."""


@dataclass(frozen=True)
class TrainParams:
    """The boosters' settings: small trees, fixed rounds, deterministic."""

    rounds: int = 250
    learning_rate: float = 0.05
    num_leaves: int = 15
    min_child_samples: int = 10
    feature_fraction: float = 0.8
    bagging_fraction: float = 0.8
    lambda_l2: float = 1.0
    folds: int = 3
    seed: int = 7
    threads: int = 2
    #: also learn from each lake as transactions alone (`behaviour_only`): the model then works
    #: without opening dates, kinds or reports, and ranks by behaviour, not by one fact
    behaviour_views: bool = True
    #: share of normal accounts the trees see (weighted up to stand for all): normal accounts
    #: are many and alike, and this keeps training fast on large lakes
    negative_share: float = 1.0

    def booster_params(self, objective: str = "binary", classes: int = 0) -> dict[str, Any]:
        params: dict[str, Any] = {
            "objective": objective,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": 1,
            "lambda_l2": self.lambda_l2,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": self.threads,
            "verbose": -1,
        }
        if classes:
            params["num_class"] = classes
        return params


def _fit(
    x: FloatArray,
    y: npt.NDArray[Any],
    params: TrainParams,
    weight: FloatArray | None = None,
    **kw: Any,
) -> lgb.Booster:
    import lightgbm as lgb

    data = lgb.Dataset(x, label=y, weight=weight, params={"verbose": -1}, free_raw_data=True)
    return lgb.train(params.booster_params(**kw), data, num_boost_round=params.rounds)


def _folds(keys: Sequence[str], k: int) -> IntArray:
    return np.array([zlib.crc32(key.encode()) % k for key in keys], dtype=np.int64)


def _sample(keys: Sequence[str], y: FloatArray, share: float) -> FloatArray:
    """Row weights: 1 for positives, 1/share for the sampled normals, 0 for the others."""
    if share >= 1.0:
        return np.ones(len(y))
    cut = int(share * 10_000)
    kept = np.array([zlib.crc32(f"negative:{k}".encode()) % 10_000 < cut for k in keys])
    return np.where(y > 0, 1.0, np.where(kept, 1.0 / share, 0.0))


def _fit_rows(x: FloatArray, y: FloatArray, weight: FloatArray, params: TrainParams) -> lgb.Booster:
    rows = weight > 0
    return _fit(x[rows], y[rows], params, weight=weight[rows])


def _out_of_fold(
    x: FloatArray, y: FloatArray, weight: FloatArray, folds: IntArray, params: TrainParams
) -> FloatArray:
    """Scores of every row from a model that did not see its fold."""
    scores = np.zeros(len(y))
    for f in range(params.folds):
        held = folds == f
        if held.all() or not y[~held].any():
            continue
        model = _fit_rows(x[~held], y[~held], weight[~held], params)
        scores[held] = model.predict(x[held])
    return scores


def _check_labels(labels: Sequence[str]) -> None:
    positives = sum(is_positive(t) for t in labels)
    if positives == 0 or positives == len(labels):
        raise TrainingError(
            "training needs accounts labelled as mules (mule_l1, mule_l2, mule_l3, runner, "
            "mule, ...) and others; the labels table has "
            + ("none" if positives == 0 else "nothing else")
        )


def _logit(p: FloatArray) -> FloatArray:
    q = np.clip(p, 1e-15, 1 - 1e-15)
    return np.asarray(np.log(q / (1 - q)), dtype=np.float64)


def _sigmoid(z: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def platt(z: FloatArray, y: FloatArray) -> tuple[float, float]:
    """Platt scaling (Platt 1999) of log-odds `z` to labels `y`: (a, b) of sigmoid(a z + b),
    fitted by scikit-learn's logistic regression (practically unpenalised) on his smoothed
    targets (N+ + 1)/(N+ + 2) and 1/(N- + 2), each row standing as two weighted ones.

    Trees fitted on separable data give log-odds far beyond what held-out data supports; the
    scaled scores are honest probabilities and stay apart at the top instead of all being 1.0.
    A monotone map of z: the ranking, and the SHAP values' sum to the logit, are kept.
    """
    from sklearn.linear_model import LogisticRegression

    positive = y > 0
    pos, neg = float(positive.sum()), float((~positive).sum())
    if pos == 0 or neg == 0:
        return 1.0, 0.0
    t = np.where(positive, (pos + 1) / (pos + 2), 1 / (neg + 2))
    x = np.concatenate([z, z]).reshape(-1, 1)
    target = np.concatenate([np.ones(len(z)), np.zeros(len(z))])
    weight = np.concatenate([t, 1 - t])
    fit = LogisticRegression(C=1e6, max_iter=1000, tol=1e-10)
    fit.fit(x, target, sample_weight=weight)
    return float(fit.coef_[0][0]), float(fit.intercept_[0])


def _truth(lakes: Sequence[LakeAccounts], labels: Sequence[Mapping[str, str]]) -> list[str]:
    out: list[str] = []
    for lake, known in zip(lakes, labels, strict=True):
        out.extend(known.get(str(a), "normal") for a in lake.frame.accounts)
    return out


def train_account_model(
    lakes: Sequence[LakeAccounts],
    labels: Sequence[Mapping[str, str]],
    params: TrainParams | None = None,
    *,
    feature_params: FeatureParams | None = None,
    pattern_params: PatternParams | None = None,
    info: Mapping[str, Any] | None = None,
    features: Sequence[str] | None = None,
    lake_weights: Sequence[float] | None = None,
) -> AccountModel:
    """Fit a model on `lakes`, each with its account labels (`labels[i]`: account -> label),
    on the first-pass `features` (default: every base feature; the shipped model uses
    `SCALE_FREE_FEATURES`) and the second-pass ones. `lake_weights` (one per lake, default 1)
    weigh each lake's accounts; accounts labelled `HELD_OUT` are neither learnt from nor
    counted in the figures the model file keeps."""
    params = params or TrainParams()
    original = np.concatenate([np.ones(len(lake.frame.accounts), dtype=bool) for lake in lakes])
    if params.behaviour_views:
        lakes = [
            view
            for i, lake in enumerate(lakes)
            for view in (
                replace(lake, name=lake.name or str(i)),
                replace(lake, name=lake.name or str(i), frame=behaviour_only(lake.frame)),
            )
        ]
        labels = [known for known in labels for _ in range(2)]
        # figures are reported on the lakes as given, each account once
        original = np.concatenate(
            [np.full(len(v.frame.accounts), k % 2 == 0) for k, v in enumerate(lakes)]
        )
    truth = _truth(lakes, labels)
    used = np.array([t != HELD_OUT for t in truth], dtype=bool)
    _check_labels([t for t, u in zip(truth, used, strict=True) if u])
    original &= used
    y = np.array([is_positive(t) for t in truth], dtype=np.float64)
    # an account falls in the same fold in every view of its lake: no leak between views
    keys = [f"{lake.name or i}:{a}" for i, lake in enumerate(lakes) for a in lake.frame.accounts]
    folds = _folds(keys, params.folds)
    weight = _sample(keys, y, params.negative_share) * used
    if lake_weights is not None:
        k = 2 if params.behaviour_views else 1
        each = [lake_weights[i // k] for i in range(len(lakes))]
        weight *= np.concatenate(
            [np.full(len(lake.frame.accounts), w) for lake, w in zip(lakes, each, strict=True)]
        )
    first_names = tuple(features or BASE_FEATURES)
    x1 = np.vstack([lake.frame.select(first_names) for lake in lakes])
    oof1 = _out_of_fold(x1, y, weight, folds, params)
    suspect_threshold = best_f1_threshold(y[used] > 0, oof1[used])
    first = _fit_rows(x1, y, weight, params)

    final_names = (*first_names, *NEIGHBOUR_FEATURES)
    parts, start = [], 0
    for lake in lakes:
        n = len(lake.frame.accounts)
        flagged = lake.frame.accounts[oof1[start : start + n] >= suspect_threshold]
        parts.append(lake.with_neighbours([str(a) for a in flagged]).select(final_names))
        start += n
    x2 = np.vstack(parts)
    oof2 = _out_of_fold(x2, y, weight, folds, params)
    calibration = platt(_logit(oof2[used]), y[used])
    oof2 = _sigmoid(calibration[0] * _logit(oof2) + calibration[1])
    threshold = best_f1_threshold(y[used] > 0, oof2[used])
    final = _fit_rows(x2, y, weight, params)

    roles = [role_of(t) if p and u else None for t, p, u in zip(truth, y, used, strict=True)]
    role_model, role_classes = _fit_roles(x2, roles, params)
    stats = {
        "accounts": int(original.sum()),
        "positives": int(y[original].sum()),
        "roles": {r: sum(x == r for x, o in zip(roles, original, strict=True) if o) for r in ROLES},
        "lightgbm": _lightgbm_version(),
        "train_params": asdict(params),
        "out_of_fold_first": evaluate(y[original] > 0, oof1[original], suspect_threshold).to_dict(),
        "out_of_fold_final": evaluate(y[original] > 0, oof2[original], threshold).to_dict(),
        **(info or {}),
    }
    fp = feature_params or FeatureParams()
    return AccountModel(
        first=first,
        final=final,
        first_features=first_names,
        final_features=final_names,
        suspect_threshold=suspect_threshold,
        threshold=threshold,
        calibration=calibration,
        roles=role_model,
        role_classes=role_classes,
        feature_params=fp,
        pattern_params=pattern_params or PatternParams(hub_degree=fp.hub_degree),
        info=stats,
    )


def raw_final_scores(lake: LakeAccounts, model: AccountModel) -> FloatArray:
    """The final model's log-odds (before calibration) of every account of `lake`, with the
    suspects of its own first pass, as scoring computes them."""
    first = model.first_scores(lake.frame.select(model.first_features))
    suspects = [str(a) for a in lake.frame.accounts[first >= model.suspect_threshold]]
    x = lake.with_neighbours(suspects).select(model.final_features)
    if len(x) == 0:
        return np.zeros(0)
    return np.asarray(model.final.predict(x, raw_score=True), dtype=np.float64)


def calibrate(
    model: AccountModel,
    lakes: Sequence[LakeAccounts],
    labels: Sequence[Mapping[str, str]],
) -> AccountModel:
    """`model` with its Platt scaling and threshold fitted again on `lakes` it was not trained
    on (held-out worlds): the score becomes the probability that an account of such a world is
    a mule, and the threshold (the best F1 over all of them together) a probability too, so it
    means the same on a ledger like none of them rather than what the training folds made it.
    """
    truth = _truth(lakes, labels)
    used = np.array([t != HELD_OUT for t in truth], dtype=bool)
    z = np.concatenate([raw_final_scores(lake, model) for lake in lakes])[used]
    y = np.array([is_positive(t) for t, u in zip(truth, used, strict=True) if u], dtype=np.float64)
    _check_labels(["mule" if v else "normal" for v in y])
    a, b = platt(z, y)
    calibrated = _sigmoid(a * z + b)
    threshold = best_f1_threshold(y > 0, calibrated)
    figures = evaluate(y > 0, calibrated, threshold).to_dict()
    info = {**model.info, "calibrated_on_held_out": figures}
    return replace(model, calibration=(a, b), threshold=threshold, info=info)


def _fit_roles(
    x: FloatArray, roles: Sequence[str | None], params: TrainParams
) -> tuple[lgb.Booster | None, tuple[str, ...]]:
    """A multiclass model of the level of positives, when the labels name at least two."""
    classes = tuple(r for r in ROLES if roles.count(r) >= MIN_ROLE_EXAMPLES)
    if len(classes) < 2:
        return None, ()
    rows = np.array([r in classes for r in roles])
    y = np.array([classes.index(r) for r in roles if r in classes], dtype=np.float64)
    role_params = TrainParams(**{**asdict(params), "rounds": params.rounds // 2})
    model = _fit(x[rows], y, role_params, objective="multiclass", classes=len(classes))
    return model, classes


def train_accounts(
    engine: Engine,
    params: TrainParams | None = None,
    *,
    feature_params: FeatureParams | None = None,
    pattern_params: PatternParams | None = None,
) -> AccountModel:
    """Fit an account model on the lake behind `engine` and its `labels` table.

    Amounts are read in the lake's main currency unless `feature_params` says otherwise.
    Raises `TrainingError` when the labels hold no mules or nothing but mules.
    """
    labels = read_labels(engine)
    _check_labels(list(labels.values()))  # before the features: fail fast
    features = feature_params or FeatureParams(currency=main_currency(engine))
    patterns = pattern_params or PatternParams(hub_degree=features.hub_degree)
    lake = read_accounts(engine, features, patterns)
    info = {"labelled_accounts": len(labels), "engine": engine.name}
    return train_account_model(
        [lake], [labels], params, feature_params=features, pattern_params=patterns, info=info
    )


def _lightgbm_version() -> str:
    import lightgbm as lgb

    return str(lgb.__version__)
