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

Scored on the whole lake, an account's score has seen the weeks after a report: a stop issued
seconds after the payment could not have had it. `asof` "day" or "week" judges each report with
the scores of the lake cut at the start of its day or week (UTC; weeks start on Monday), and
"report" with those of the lake as it was when the report was filed (`report_cuts`): a copy
of the DuckDB lake without the later rows is scored (`cut_scores`), once per cut, and kept in
`HOME/index/account-scores-EVERY-CUT.parquet` under the whole lake's key (`score_book`). A
Spark lake is scored whole, as "lake" (docs/tracing.md "Round nine b").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
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
#: the lakes a report's scores may come from: the whole lake, the lake cut at the start of the
#: report's day or week, or the lake as it was when the report was filed (`report_cuts`)
ASOF = ("lake", "day", "week", "report")
_DAY = 86_400 * 1_000_000
_STEP = {"day": _DAY, "week": 7 * _DAY}
_MONDAY = 4 * _DAY  # 1970-01-05, the first Monday after the epoch


def points(score: float) -> float:
    """The judge's points for a mule-model score in [0, 1]: `WEIGHT` x (logit(score) -
    `CENTRE`), within [`FLOOR`, `CEILING`]; monotone in the score."""
    p = min(max(score, 1e-6), 1.0 - 1e-6)
    return max(FLOOR, min(CEILING, WEIGHT * (math.log(p / (1.0 - p)) - CENTRE)))


def _key(engine: Engine) -> dict[str, Any]:
    from chaincut.scoring.model import default_model
    from chaincut.scoring.saved import flags_key

    return flags_key(engine, default_model())


def _save(engine: Engine, key: dict[str, Any], scores: dict[str, float], file: str = FILE) -> None:
    from chaincut.scoring.saved import save_flags

    save_flags(engine, key, scores, file=file, meta=_KEY)


def _load(engine: Engine, key: dict[str, Any], file: str = FILE) -> dict[str, float] | None:
    from chaincut.scoring.saved import load_flags

    return load_flags(engine, key, file=file, meta=_KEY)


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


@dataclass(frozen=True)
class ScoreBook:
    """The scores each report is judged with: `whole` for every report, or (with `cut_of`) the
    scores of the lake cut at `cut_of[report]` (microseconds since the epoch) from `cuts`."""

    whole: dict[str, float] = field(default_factory=dict)
    cuts: dict[int, dict[str, float]] = field(default_factory=dict)
    cut_of: dict[str, int] = field(default_factory=dict)

    def of(self, report_id: str) -> dict[str, float]:
        """The scores `report_id` is judged with (none for a cut nothing was scored at)."""
        cut = self.cut_of.get(report_id)
        return self.whole if cut is None else self.cuts.get(cut, {})


def cut_at(ts: int, every: str) -> int:
    """The start (microseconds, UTC) of the day or week (from Monday) holding `ts`."""
    if every == "day":
        return ts - ts % _DAY
    return ts - (ts - _MONDAY) % _STEP["week"]


def report_cuts(engine: Engine, times: Mapping[str, int]) -> dict[str, int]:
    """report -> the cut (microseconds) its scores are taken at for `asof` "report": one
    microsecond after the last transfer or report at or before the report's time, so the report
    itself and the money's first hops are in and nothing later is. Reports with no transfer or
    report between them share one cut (one scoring)."""
    import numpy as np
    import pyarrow as pa

    seen = []
    for name in ("transactions", "reports"):  # the tables the mule model reads that have times
        t = engine.table(name)
        col = engine.read(t.select(t.ts).distinct(), label=f"asof_{name}").column("ts")
        seen.append(np.asarray(col.cast(pa.timestamp("us")).cast(pa.int64()).fill_null(0)))
    stamps = np.unique(np.concatenate(seen)) if seen else np.empty(0, np.int64)
    out: dict[str, int] = {}
    for report, ts in times.items():
        i = int(np.searchsorted(stamps, int(ts), side="right"))
        out[report] = (int(stamps[i - 1]) if i else int(ts)) + 1
    return out


def cut_scores(settings: Settings, cut: int) -> dict[str, float]:
    """account -> the shipped mule model's score on the DuckDB lake as it was at `cut`
    (microseconds): a copy without the rows from `cut` on is scored, then removed; none where
    the lake had no transfer by then."""
    from chaincut.lake.engine import get_engine
    from chaincut.scoring.score import score_accounts
    from chaincut.warning.mule import cut_lake

    until = datetime(1970, 1, 1) + timedelta(microseconds=cut)  # naive UTC, as the lake's
    with cut_lake(settings, until) as copy:
        if copy is None:
            return {}
        with get_engine(copy) as engine:
            scored = score_accounts(engine, explain=0)
    pairs = zip(scored.ids, scored.values, strict=True)
    return {str(a): min(1.0, max(0.0, float(v))) for a, v in pairs}


def score_book(
    settings: Settings, params: TraceParams, times: Mapping[str, int], asof: str = "lake"
) -> ScoreBook:
    """The scores a run judges the reports of `times` (report -> time, microseconds) with:
    none where `params` leave the model out, the whole lake's (`run_scores`) for `asof`
    "lake" or a lake that is not DuckDB, else each report's cut's (`cut_scores`), each cut
    kept in the home under the whole lake's key and read back until the next import."""
    from chaincut.settings import EngineName

    if asof not in ASOF:
        raise ValueError(f"unknown mule score cut {asof!r}: one of {', '.join(ASOF)}")
    if not (params.mule_model and params.judge_accounts):
        return ScoreBook()
    if asof == "lake" or settings.engine is not EngineName.duckdb:
        return ScoreBook(whole=run_scores(settings, params))
    from chaincut.lake.engine import get_engine

    cuts: dict[int, dict[str, float]] = {}
    with get_engine(settings) as engine:
        key = _key(engine)
        if asof == "report":
            cut_of = report_cuts(engine, times)
        else:
            cut_of = {r: cut_at(int(ts), asof) for r, ts in times.items()}
        for cut in sorted(set(cut_of.values())):
            file = f"account-scores-{asof}-{cut}.parquet"
            found = _load(engine, key, file)
            if found is None:
                found = cut_scores(settings, cut)
                _save(engine, key, found, file)
            cuts[cut] = found
    return ScoreBook(cuts=cuts, cut_of=cut_of)
