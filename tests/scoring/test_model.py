"""Training, saving, loading and scoring with explanations, on small simulated worlds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from chaincut.lake.engine import Engine
from chaincut.scoring import (
    GUESSES,
    AccountModel,
    LakeAccounts,
    ModelError,
    TrainingError,
    default_model,
    evaluate_scores,
    read_labels,
    score_lake,
    train_account_model,
)
from chaincut.scoring.features import BASE_FEATURES, behaviour_only
from chaincut.scoring.model import DEFAULT_MODEL_PATH
from chaincut.scoring.truth import is_positive, role_of
from tests.scoring.conftest import FAST


def test_features_are_finite_where_known_and_sorted(lake_a: LakeAccounts) -> None:
    frame = lake_a.frame
    assert frame.names == tuple(BASE_FEATURES)
    assert list(frame.accounts) == sorted(frame.accounts)
    assert frame.values.shape == (len(frame.accounts), len(BASE_FEATURES))
    assert not np.isinf(frame.values).any()
    assert (np.nan_to_num(frame.column("in_count")) >= 0).all()


def test_model_trained_on_one_world_ranks_mules_of_another(
    model_a: AccountModel, lake_b: LakeAccounts, engine_b: Engine
) -> None:
    scores = score_lake(lake_b, model_a)
    labels = read_labels(engine_b)
    result = evaluate_scores(scores, labels, model_a.threshold)
    assert result.positives >= 20
    assert result.pr_auc > 0.8, result
    assert result.precision_at_positives > 0.7, result


def test_scores_rank_and_carry_reasons(model_a: AccountModel, lake_b: LakeAccounts) -> None:
    scores = score_lake(lake_b, model_a)
    values = [s.score for s in scores]
    assert values == sorted(values, reverse=True)
    assert all(0.0 <= v < 1.0 for v in values)
    assert len({round(v, 6) for v in values[:30]}) >= 10  # a ranking, not a wall of 1.0s
    assert {s.label for s in scores} <= set(GUESSES)
    for s in scores:
        assert (s.label != "normal") == s.flagged
    top = scores[0]
    assert top.features and all(c.contribution > 0 for c in top.features)
    assert top.reasons()[0].startswith(top.features[0].text)
    with_patterns = [s for s in scores[:30] if s.patterns]
    assert with_patterns and all(p.txn_ids for s in with_patterns for p in s.patterns)
    assert top.to_dict()["account_id"] == top.account_id


def test_scores_among_some_accounts_keep_their_order_and_flags(
    model_a: AccountModel, lake_b: LakeAccounts
) -> None:
    scores = score_lake(lake_b, model_a)
    assert scores.flagged_count() == sum(1 for s in scores if s.flagged) > 0
    some = {s.account_id for s in scores[::3]} | {"no-such-account"}
    kept = scores.among(some)
    assert [s.account_id for s in kept] == [s.account_id for s in scores if s.account_id in some]
    assert kept.flagged_count() == sum(1 for s in kept if s.flagged)
    assert len(scores.among(set())) == 0 and scores.among(set()).flagged_count() == 0


def test_level_guesses_follow_the_labels(
    model_a: AccountModel, lake_b: LakeAccounts, engine_b: Engine
) -> None:
    labels = read_labels(engine_b)
    flagged = [s for s in score_lake(lake_b, model_a) if s.flagged]
    known = [(s.label, role_of(labels.get(s.account_id, ""))) for s in flagged]
    right = sum(g == r for g, r in known if r is not None)
    assert right / max(1, sum(r is not None for _, r in known)) > 0.5


def test_save_and_load_give_the_same_scores(
    model_a: AccountModel, lake_b: LakeAccounts, tmp_path: Path
) -> None:
    path = model_a.save(tmp_path / "m.json")
    again = AccountModel.load(path)
    assert again.final_features == model_a.final_features
    before = [(s.account_id, s.score, s.label) for s in score_lake(lake_b, model_a)]
    after = [(s.account_id, s.score, s.label) for s in score_lake(lake_b, again)]
    assert before == after
    assert path.read_bytes().startswith(b"{")
    assert b"pickle" not in path.read_bytes()


def test_training_is_deterministic(lake_a: LakeAccounts, engine_a: Engine, tmp_path: Path) -> None:
    labels = read_labels(engine_a)
    one = train_account_model([lake_a], [labels], FAST).save(tmp_path / "1.json")
    two = train_account_model([lake_a], [labels], FAST).save(tmp_path / "2.json")
    assert one.read_bytes() == two.read_bytes()


def test_behaviour_only_view_still_finds_mules(
    model_a: AccountModel, lake_b: LakeAccounts, engine_b: Engine
) -> None:
    blind = replace(lake_b, frame=behaviour_only(lake_b.frame))
    assert np.isnan(blind.frame.column("age_first_d")).all()
    scores = score_lake(blind, model_a)
    result = evaluate_scores(scores, read_labels(engine_b), model_a.threshold)
    assert result.pr_auc > 0.3, result


def test_training_needs_positives_and_negatives(lake_a: LakeAccounts) -> None:
    with pytest.raises(TrainingError, match="labelled as mules"):
        train_account_model([lake_a], [{}], FAST)
    everyone = {str(a): "mule" for a in lake_a.frame.accounts}
    with pytest.raises(TrainingError, match="nothing else"):
        train_account_model([lake_a], [everyone], FAST)


def test_generic_labels_train_the_score_and_rules_guess_the_level(
    lake_a: LakeAccounts, engine_a: Engine, lake_b: LakeAccounts
) -> None:
    coarse = {a: ("laundering" if is_positive(v) else v) for a, v in read_labels(engine_a).items()}
    model = train_account_model([lake_a], [coarse], FAST)
    assert model.roles is None and model.role_classes == ()
    flagged = [s for s in score_lake(lake_b, model) if s.flagged]
    assert flagged and {s.label for s in flagged} <= {"mule_l1", "mule_l2", "mule_l3"}


def test_model_files_that_are_not_models_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model file"):
        AccountModel.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ModelError, match="not a chaincut account model"):
        AccountModel.load(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text('{"format": "x"}', encoding="utf-8")
    with pytest.raises(ModelError, match="format"):
        AccountModel.load(tmp_path / "other.json")


@pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="the shipped model is not built")
def test_the_shipped_model_scores_a_world_it_never_saw(
    lake_b: LakeAccounts, engine_b: Engine
) -> None:
    model = default_model()
    assert DEFAULT_MODEL_PATH.stat().st_size < 3_000_000  # small enough to ship
    scores = score_lake(lake_b, model)
    result = evaluate_scores(scores, read_labels(engine_b), model.threshold)
    assert result.pr_auc > 0.8, result
    assert len({round(s.score, 6) for s in scores[: result.positives]}) > result.positives // 3
