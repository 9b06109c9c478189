"""Mule-card (断卡) and score-running (跑分) detection: explained account scores.

    from chaincut.lake.engine import get_engine
    from chaincut.scoring import score_accounts, train_accounts

    with get_engine(settings) as engine:
        model = train_accounts(engine)            # on the lake's `labels` table
        for s in score_accounts(engine, model)[:10]:
            print(s.account_id, s.score, s.label, s.reasons())

Features come from the lake jobs `chaincut.lake.jobs.account_*` (the same on DuckDB and
Spark); the model is LightGBM in a plain-text JSON file (`AccountModel.save` / `load`); the
default model ships in the package (`default_model()`). See docs/scoring.md.
"""

from chaincut.scoring.lake import LakeAccounts, LakeParts, lake_parts, read_accounts, read_labels
from chaincut.scoring.model import DEFAULT_MODEL_PATH, AccountModel, ModelError, default_model
from chaincut.scoring.score import (
    AccountScore,
    AccountScores,
    Contribution,
    PatternMatch,
    evaluate_scores,
    score_accounts,
    score_lake,
    scores_table,
)
from chaincut.scoring.train import (
    TrainingError,
    TrainParams,
    train_account_model,
    train_accounts,
)
from chaincut.scoring.truth import GUESSES, ROLES, Evaluation, evaluate

__all__ = [
    "DEFAULT_MODEL_PATH",
    "GUESSES",
    "ROLES",
    "AccountModel",
    "AccountScore",
    "AccountScores",
    "Contribution",
    "Evaluation",
    "LakeAccounts",
    "LakeParts",
    "ModelError",
    "PatternMatch",
    "TrainParams",
    "TrainingError",
    "lake_parts",
    "default_model",
    "evaluate",
    "evaluate_scores",
    "read_accounts",
    "read_labels",
    "score_accounts",
    "score_lake",
    "scores_table",
    "train_account_model",
    "train_accounts",
]
