"""Explained account scores: the score, a label guess and the reasons an analyst can check.

Reasons are of two kinds: the features that pushed the score up most (their SHAP values from
LightGBM's `pred_contrib`, in log-odds) and the typology patterns the account matched, each with
example transactions. Scores are the final model's probability, sorted high to low.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa

from chaincut.lake.engine import Engine
from chaincut.lake.jobs.account_patterns import PATTERNS
from chaincut.scoring.features import DESCRIPTIONS, FeatureFrame, FloatArray
from chaincut.scoring.lake import LakeAccounts, main_currency, read_accounts
from chaincut.scoring.model import AccountModel, default_model
from chaincut.scoring.truth import NORMAL, Evaluation, evaluate, is_positive

TOP_FEATURES = 3


@dataclass(frozen=True)
class Contribution:
    """A feature's value for the account and how much it raised the score (log-odds)."""

    feature: str
    value: float
    contribution: float

    @property
    def description(self) -> str:
        return DESCRIPTIONS.get(self.feature, self.feature)

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "description": self.description,
            "value": None if np.isnan(self.value) else round(self.value, 4),
            "contribution": round(self.contribution, 4),
        }


@dataclass(frozen=True)
class PatternMatch:
    """A typology the account matched: how many transactions show it, and the first few."""

    pattern: str
    matches: int
    txn_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"pattern": self.pattern, "matches": self.matches, "txn_ids": list(self.txn_ids)}


@dataclass(frozen=True)
class AccountScore:
    account_id: str
    score: float
    label: str  # mule_l1, mule_l2, mule_l3, runner or normal
    flagged: bool  # score at or above the model's threshold
    features: tuple[Contribution, ...]
    patterns: tuple[PatternMatch, ...]

    def reasons(self) -> list[str]:
        """The reasons in words, strongest first: features, then patterns with examples."""
        out = [
            f"{c.description} = {_short(c.value)} (+{c.contribution:.2f})" for c in self.features
        ]
        for p in self.patterns:
            out.append(f"{p.pattern} x{p.matches}: {', '.join(p.txn_ids)}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "score": round(self.score, 6),
            "label": self.label,
            "flagged": self.flagged,
            "features": [c.to_dict() for c in self.features],
            "patterns": [p.to_dict() for p in self.patterns],
        }


def _short(value: float) -> str:
    return "unknown" if np.isnan(value) else f"{value:.4g}"


def pattern_matches(rows: pa.Table) -> dict[str, tuple[PatternMatch, ...]]:
    """The rows of `account_patterns`, per account, patterns in `PATTERNS` order."""
    found: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    matches: dict[tuple[str, str], int] = {}
    for r in rows.to_pylist():
        key = (str(r["account_id"]), str(r["pattern"]))
        found[key].append((int(r["rank"]), str(r["txn_id"])))
        matches[key] = int(r["matches"])
    per: dict[str, list[PatternMatch]] = defaultdict(list)
    for key in sorted(found, key=lambda k: (k[0], PATTERNS.index(k[1]))):
        ids = tuple(t for _, t in sorted(found[key]))
        per[key[0]].append(PatternMatch(key[1], matches[key], ids))
    return {a: tuple(p) for a, p in per.items()}


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


#: accounts whose feature contributions are computed, from the top (all flagged ones always)
EXPLAINED = 10_000


def score_lake(
    lake: LakeAccounts, model: AccountModel, explain: int = EXPLAINED
) -> list[AccountScore]:
    """Score every account of `lake`, highest score first (ties by account id).

    Feature contributions (SHAP) are computed for the top `explain` accounts and every flagged
    one: TreeSHAP costs far more than scoring, and nobody reads the reasons of the 100 000th
    account. Matched patterns are listed for every account.
    """
    frame = lake.frame
    first = model.first_scores(frame.select(model.first_features))
    suspects = frame.accounts[first >= model.suspect_threshold]
    full = lake.with_neighbours([str(a) for a in suspects])
    x = full.select(model.final_features)
    scores = model.final_scores(x)
    order = np.lexsort((frame.accounts, -scores))
    flagged = scores >= model.threshold
    shown = order[: max(explain, int(flagged.sum()))]
    contrib = np.zeros((len(scores), x.shape[1] + 1))
    contrib[shown] = model.contributions(x[shown])
    roles = np.full(len(scores), NORMAL, dtype=object)
    picked = np.flatnonzero(flagged)
    if len(picked):  # the level is guessed for flagged accounts only
        roles[picked] = guess_roles(model, full.take(picked), x[picked])
    patterns = pattern_matches(lake.patterns)
    out = []
    for i in order:
        row = contrib[i, :-1]
        top = [j for j in np.argsort(-row, kind="stable")[:TOP_FEATURES] if row[j] > 0]
        features = tuple(
            Contribution(model.final_features[j], float(x[i, j]), float(row[j])) for j in top
        )
        account = str(frame.accounts[i])
        out.append(
            AccountScore(
                account_id=account,
                score=float(scores[i]),
                label=str(roles[i]),
                flagged=bool(flagged[i]),
                features=features,
                patterns=patterns.get(account, ()),
            )
        )
    return out


def score_accounts(engine: Engine, model: AccountModel | None = None) -> list[AccountScore]:
    """Score the accounts of the lake behind `engine` with `model` (default: the shipped one).

    Every account that sent or received money gets a score in [0, 1], a label guess and its
    reasons; the list is sorted from the most to the least suspicious.
    """
    model = model or default_model()
    # amounts are read in the lake's own main currency: a model trained on yuan scores dollars
    features = replace(model.feature_params, currency=main_currency(engine))
    lake = read_accounts(engine, features, model.pattern_params)
    return score_lake(lake, model)


def scores_table(scores: list[AccountScore]) -> pa.Table:
    """The scores as a flat table: account_id, score, label, flagged, reasons (one string)."""
    columns: Mapping[str, list[Any]] = {
        "account_id": [s.account_id for s in scores],
        "score": [round(s.score, 6) for s in scores],
        "label": [s.label for s in scores],
        "flagged": [s.flagged for s in scores],
        "reasons": ["; ".join(s.reasons()) for s in scores],
    }
    return pa.table(dict(columns))


def evaluate_scores(
    scores: Sequence[AccountScore], labels: Mapping[str, str], threshold: float
) -> Evaluation:
    """How well `scores` find the accounts `labels` call mules (unlabelled accounts: normal)."""
    truth = np.array([is_positive(labels.get(s.account_id, "normal")) for s in scores])
    values = np.array([s.score for s in scores], dtype=np.float64)
    return evaluate(truth, values, threshold)
