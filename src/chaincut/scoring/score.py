"""Explained account scores for a whole lake, part by part: the score, a role guess, reasons.

Scoring takes two passes over the accounts. The first model scores each account on its own
behaviour; those at or above its threshold are the suspects; one lake job then counts every
account's dealings with suspects (the second-pass features); the final model scores all
features. `score_accounts` reads the lake one partition of accounts at a time and keeps each
part's feature matrix in a scratch file between the passes, so memory stays bounded on ledgers
of a hundred million transactions; `score_lake` does the same for features already read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace

import numpy as np
import pyarrow as pa

from chaincut.lake.engine import Engine
from chaincut.scoring.features import (
    FeatureFrame,
    FloatArray,
    StrArray,
    fan_accounts,
    neighbour_features,
)
from chaincut.scoring.lake import (
    PART_ACCOUNTS,
    LakeAccounts,
    lake_parts,
    main_currency,
    read_neighbours,
)
from chaincut.scoring.model import AccountModel, default_model
from chaincut.scoring.reasons import (
    TOP_FEATURES,
    AccountScore,
    AccountScores,
    Contribution,
    PatternIndex,
    PatternMatch,
    pattern_matches,
    scores_table,
)
from chaincut.scoring.truth import NORMAL, Evaluation, evaluate, is_positive

__all__ = [
    "EXPLAINED",
    "AccountScore",
    "AccountScores",
    "Contribution",
    "PatternMatch",
    "evaluate_scores",
    "guess_roles",
    "pattern_matches",
    "score_accounts",
    "score_lake",
    "scores_table",
    "scoring_once",
]

#: accounts whose feature contributions are computed, from the top (all flagged ones always)
EXPLAINED = 10_000


def guess_roles(model: AccountModel, frame: FeatureFrame, x: FloatArray) -> list[str]:
    """The level guessed for each account, were it flagged: the role model's choice, or rules
    (victims paid it: first level; it pays out to exits: third; else second) without one."""
    p = model.role_probabilities(x)
    if p is not None:
        return [model.role_classes[int(i)] for i in np.argmax(p, axis=1)]
    hop1, exits = frame.column("hop1_reports"), frame.column("exit_amount_share")
    strangers = np.nan_to_num(frame.column("stranger_share"))
    out = []
    for h, e, s in zip(hop1, np.nan_to_num(exits), strangers, strict=True):
        out.append("mule_l1" if h > 0 or s >= 0.5 else "mule_l3" if e >= 0.5 else "mule_l2")
    return out


def _suspects(model: AccountModel, frame: FeatureFrame) -> StrArray:
    """The accounts of `frame` the first pass suspects."""
    first = model.first_scores(frame.select(model.first_features))
    return frame.accounts[first >= model.suspect_threshold]


def _top(
    model: AccountModel, frame: FeatureFrame, i: int, x: FloatArray, contributions: FloatArray
) -> tuple[Contribution, ...]:
    """The features that raised the score of row `i` most (positive contributions only),
    strongest first; a rank within the ledger comes with the figure it ranks."""
    top = np.argsort(-contributions, kind="stable")[:TOP_FEATURES]
    out = []
    for j in top:
        if contributions[j] <= 0:
            continue
        name = model.final_features[j]
        base = name.removeprefix("rank_")
        source = float(frame.values[i, frame.names.index(base)]) if base != name else None
        out.append(Contribution(name, float(x[j]), float(contributions[j]), source))
    return tuple(out)


def _final(
    frames: Callable[[], Iterator[FeatureFrame]],
    neighbours: pa.Table,
    patterns: pa.Table,
    model: AccountModel,
    explain: int,
) -> AccountScores:
    """The final scores of the frames (consecutive in id order), given the second-pass table."""
    ids, values, flagged, labels = [], [], [], []
    for frame in frames():
        full = neighbour_features(frame, neighbours)
        x = full.select(model.final_features)
        scores = model.final_scores(x)
        hit = scores >= model.threshold
        roles = np.full(len(scores), NORMAL, dtype=object)
        picked = np.flatnonzero(hit)
        if len(picked):  # the level is guessed for flagged accounts only
            roles[picked] = guess_roles(model, full.take(picked), x[picked])
        ids.append(frame.accounts)
        values.append(scores)
        flagged.append(hit)
        labels.append(roles)
    all_ids = np.concatenate(ids) if ids else np.zeros(0, str)
    all_values = np.concatenate(values) if values else np.zeros(0)
    all_flagged = np.concatenate(flagged) if flagged else np.zeros(0, bool)
    order = np.argsort(-all_values, kind="stable")  # ties stay in id order
    shown = np.sort(order[: max(explain, int(all_flagged.sum()))])
    explained: dict[int, tuple[Contribution, ...]] = {}
    start = 0
    for frame in frames():  # feature contributions (SHAP) for the shown accounts only
        end = start + len(frame.accounts)
        rows = shown[(shown >= start) & (shown < end)] - start
        if len(rows):
            shown_frame = neighbour_features(frame.take(rows), neighbours)
            x = shown_frame.select(model.final_features)
            contributions = model.contributions(x)[:, :-1]  # the last column is the bias
            for i, k in enumerate(rows):
                explained[start + int(k)] = _top(model, shown_frame, i, x[i], contributions[i])
        start = end
    return AccountScores(
        ids=all_ids,
        values=all_values,
        flagged=all_flagged,
        labels=np.concatenate(labels) if labels else np.zeros(0, object),
        explained=explained,
        patterns=PatternIndex(patterns),
        order=order,
    )


def score_lake(lake: LakeAccounts, model: AccountModel, explain: int = EXPLAINED) -> AccountScores:
    """Score every account of `lake`, highest score first (ties by account id).

    Feature contributions (SHAP) are computed for the top `explain` accounts and every flagged
    one: TreeSHAP costs far more than scoring, and nobody reads the reasons of the 100 000th
    account. Matched patterns are listed for every account.
    """
    fan_out, fan_in = fan_accounts(lake.frame)
    suspects = [str(a) for a in _suspects(model, lake.frame)]
    neighbours = read_neighbours(lake.engine, suspects, list(fan_out), list(fan_in))
    return _final(lambda: iter([lake.frame]), neighbours, lake.patterns, model, explain)


def score_accounts(
    engine: Engine,
    model: AccountModel | None = None,
    *,
    explain: int = EXPLAINED,
    part_accounts: int = PART_ACCOUNTS,
) -> AccountScores:
    """Score the accounts of the lake behind `engine` with `model` (default: the shipped one).

    Every account that sent or received money gets a score in [0, 1], a label guess and its
    reasons; the sequence runs from the most to the least suspicious. The lake is read
    `part_accounts` accounts at a time: the result is the same for any part size.
    """
    model = model or default_model()
    memo = _ONCE.get()
    if memo is None:
        return _score_accounts(engine, model, explain, part_accounts)
    from chaincut.scoring.saved import model_digest

    key = (id(engine), model_digest(model), explain, part_accounts)
    if key not in memo:
        memo[key] = _score_accounts(engine, model, explain, part_accounts)
    return memo[key]


def _score_accounts(
    engine: Engine, model: AccountModel, explain: int, part_accounts: int
) -> AccountScores:
    # amounts are read in the lake's own main currency: a model trained on yuan scores dollars
    features = replace(model.feature_params, currency=main_currency(engine))
    with lake_parts(engine, features, model.pattern_params, part_accounts) as parts:
        suspects = [str(a) for part in parts for a in _suspects(model, part.frame)]
        fans = [fan_accounts(part.frame) for part in parts]
        fan_out = [str(a) for out, _ in fans for a in out]
        fan_in = [str(a) for _, got in fans for a in got]
        neighbours = read_neighbours(engine, suspects, fan_out, fan_in)
        frames = lambda: (part.frame for part in parts)  # noqa: E731 (read again per pass)
        return _final(frames, neighbours, parts.patterns(), model, explain)


#: the scores `score_accounts` made inside a `scoring_once` block, by engine, model and
#: arguments (None outside one)
_ONCE: ContextVar[dict[tuple[int, str, int, int], AccountScores] | None] = ContextVar(
    "chaincut_scoring_once", default=None
)


@contextmanager
def scoring_once() -> Iterator[None]:
    """Within the block, `score_accounts` scores the lake behind an engine with a model once:
    a second call with the same engine, model and arguments gets the first call's scores
    (read-only). For code that changes no lake in the block: the gang analysis asks for the
    mule model's flags (`scoring.saved.flagged_accounts`) and for every account's score (the
    judged trace's, `trace.bystander_model.lake_scores`), each kept in its own file; on a
    home that keeps neither, the lake was scored twice."""
    token = _ONCE.set({})
    try:
        yield
    finally:
        _ONCE.reset(token)


def evaluate_scores(
    scores: Sequence[AccountScore], labels: Mapping[str, str], threshold: float
) -> Evaluation:
    """How well `scores` find the accounts `labels` call mules (unlabelled accounts: normal)."""
    if isinstance(scores, AccountScores):
        ids, values = scores.ids[scores.order], scores.values[scores.order]
    else:
        ids = np.array([s.account_id for s in scores], dtype=str)
        values = np.array([s.score for s in scores], dtype=np.float64)
    truth = np.array([is_positive(labels.get(str(a), "normal")) for a in ids], dtype=bool)
    return evaluate(truth, values, threshold)
