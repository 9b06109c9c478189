"""The shipped mule model's score of every account, for the stop-or-verify judge of `trace --all`.

One victim's report shows the judge a few rows of an account; the rented card with an ordinary
life then looks like the landlord PRODUCT.md rules out freezing (docs/tracing.md, rounds four
to eight). The mule model (`chaincut.scoring`, the shipped default model) reads the account's
whole behaviour instead: pass-through shares and delays, one-off payers, its dealings with other
suspects. `trace --all` (and `chaincut evaluate`) score every account of the lake with it once
per run, not per report, and the judge weighs each account's score among its other evidence
(`points`: never a veto). The scores are kept in `HOME/index/account-scores.parquet` with the
lake's fingerprint and the model's digest, so a later single trace (`saved_scores`) judges an
account as `trace --all` did, until the next import.

The model's score is a probability (Platt-scaled when it was trained): its log-odds are the
judge's scale, 0.5 undecided. They are bounded (−2 to +4) so that the score never decides
alone: a far payee holding a sliver of the loss is not stopped on the model's word, nor a
relay passing the money straight on freed by it (`points`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the judge imports `points`; a trace that reads no scores loads no engine
    from chaincut.lake.engine.base import Engine
    from chaincut.settings import Settings
    from chaincut.trace.model import TraceParams

FILE = "account-scores.parquet"
_KEY = b"chaincut.account-scores"
#: points per unit of the score's log-odds above `CENTRE` (chosen on training worlds only,
#: docs/tracing.md "Round nine"), bounded to [FLOOR, CEILING]
WEIGHT, CENTRE, FLOOR, CEILING = 1.0, 0.0, -2.0, 4.0


def points(score: float) -> float:
    """The judge's points for a mule-model score in [0, 1]: `WEIGHT` x (logit(score) -
    `CENTRE`), within [`FLOOR`, `CEILING`]; monotone in the score."""
    p = min(max(score, 1e-6), 1.0 - 1e-6)
    return max(FLOOR, min(CEILING, WEIGHT * (math.log(p / (1.0 - p)) - CENTRE)))


def _key(engine: Engine) -> dict[str, Any]:
    from chaincut.scoring.model import default_model
    from chaincut.scoring.saved import flags_key

    return flags_key(engine, default_model())


def _save(engine: Engine, key: dict[str, Any], scores: dict[str, float]) -> None:
    from chaincut.scoring.saved import save_flags

    save_flags(engine, key, scores, file=FILE, meta=_KEY)


def _load(engine: Engine, key: dict[str, Any]) -> dict[str, float] | None:
    from chaincut.scoring.saved import load_flags

    return load_flags(engine, key, file=FILE, meta=_KEY)


def lake_scores(engine: Engine) -> dict[str, float]:
    """account -> the shipped mule model's score of every account of the lake behind `engine`
    that sent or received money: the kept ones when the lake, the model and the engine are those
    they were kept for, else scored now (`chaincut.scoring.score_accounts`) and kept."""
    from chaincut.scoring.score import score_accounts

    key = _key(engine)
    found = _load(engine, key)
    if found is not None:
        return found
    scored = score_accounts(engine, explain=0)
    # a score is a probability; clip the float's last bits so the judge's ledger accepts it
    pairs = zip(scored.ids, scored.values, strict=True)
    scores = {str(a): min(1.0, max(0.0, float(v))) for a, v in pairs}
    _save(engine, key, scores)
    return scores


def saved_scores(engine: Engine) -> dict[str, float]:
    """The scores `lake_scores` kept for this lake and model, or none (a single trace never
    scores the whole lake: it judges as `trace --all` did when that ran since the import)."""
    return _load(engine, _key(engine)) or {}


def run_scores(settings: Settings, params: TraceParams) -> dict[str, float]:
    """The scores a run of every report weighs (`lake_scores`), or none where `params` judge no
    account or leave the model out (`mule_model`)."""
    if not (params.mule_model and params.judge_accounts):
        return {}
    from chaincut.lake.engine import get_engine

    with get_engine(settings) as engine:
        return lake_scores(engine)


def kept_scores(settings: Settings, params: TraceParams) -> dict[str, float]:
    """The scores a single trace weighs: those the last run kept for this lake (`saved_scores`),
    or none."""
    # no kept file, nothing to check: a single trace does not pay for loading the model
    if (
        not (params.mule_model and params.judge_accounts)
        or not (settings.index_dir / FILE).exists()
    ):
        return {}
    from chaincut.lake.engine import get_engine

    with get_engine(settings) as engine:
        return saved_scores(engine)
