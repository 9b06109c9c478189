"""The shipped model rebuilds deterministically (on a tiny sample here) and round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.text import TextModel, classify, default_model, normalize

pytest.importorskip("sklearn", reason="scikit-learn (the training extra) is not installed")

from training.text.build_model import Params, fit_model  # noqa: E402
from training.text.synthetic import generate  # noqa: E402

TINY = Params(min_df=1, keep_fraud=3000, keep_type=2000, folds=3, c_fraud=1.0)


def test_rebuild_is_byte_for_byte_deterministic(tmp_path: Path) -> None:
    examples = generate(seed=3, per_fraud_type=12, normal=120, spam=60)
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    fit_model(examples, TINY).save(first)
    fit_model(examples, TINY).save(second)
    assert first.read_bytes() == second.read_bytes()
    model = TextModel.load(first)
    scam = model.score(normalize("诚招刷单兼职，日赚300元，佣金当场返还，加QQ 123456789"))
    plain = model.score(normalize("妈，我今晚加班，不回家吃饭了，你们先吃。"))
    assert scam.probability > plain.probability
    assert model.types[int(scam.type_probabilities().argmax())] == "order_brushing"
    assert model.citable.shape == (len(model.vocabulary),)
    assert 0.0 < model.threshold <= model.warn_threshold < 1.0


def test_save_load_round_trip(tmp_path: Path) -> None:
    model = default_model()
    path = tmp_path / "copy.npz"
    model.save(path)
    again = TextModel.load(path)
    text = "您的贷款已审批，需要先交解冻费才能放款"
    assert classify(text, model=again).score == pytest.approx(classify(text, model=model).score)


def test_shipped_model_is_small() -> None:
    path = Path(__file__).resolve().parents[2] / "src/chaincut/text/weights/model.npz"
    assert path.stat().st_size < 5_000_000
