"""The mule model's scores as the warner sees them: only what a scoring run had seen by then.

`chaincut.scoring` scores accounts from a whole lake's flows. Live, the service hands the warner
the scores it has already computed (`Warner.set_mule_scores`). A replay must not use scores
computed from later transfers, so `scheduled_scores` runs the shipped mule model on the lake as
it was at each week's start (a copy cut at that time, DuckDB lakes only) and
`replay(..., mule=...)` gives the warner each week's scores from that moment on, as a centre
that rescored its accounts weekly would have had them.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from chaincut.settings import EngineName, Settings
from chaincut.warning.events import to_epoch

#: how often the replay's centre rescores its accounts
EVERY = timedelta(days=7)
#: the tables a cut copy of the lake loses its later rows from
_TIMED = ("transactions", "calls", "messages", "reports")

#: (from epoch s, account -> score of the accounts the model flags) in time order
Schedule = Sequence[tuple[int, Mapping[str, float]]]


def flagged_scores(scores: Sequence[Any]) -> dict[str, float]:
    """account -> score of the `AccountScore`s the model flags (at or above its threshold)."""
    return {s.account_id: float(s.score) for s in scores if s.flagged}


@contextlib.contextmanager
def cut_lake(settings: Settings, until: datetime) -> Iterator[Settings | None]:
    """Settings of a scratch copy of the DuckDB lake without the rows from `until` (naive UTC)
    on, removed on exit; None where the lake had no transfer by then."""
    from chaincut.lake import catalog
    from chaincut.lake.sql import ident

    with tempfile.TemporaryDirectory(prefix="chaincut-mule-") as scratch:
        cut = Settings(home=Path(scratch), engine=EngineName.duckdb)
        for path in (settings.lake_path, Path(f"{settings.lake_path}.wal")):
            if path.exists():
                shutil.copy2(path, Path(scratch) / path.name)
        with contextlib.closing(catalog.connect(cut)) as con:
            for table in _TIMED:  # fixed table names, quoted
                con.execute(f"DELETE FROM {ident(table)} WHERE ts >= ?", [until])  # noqa: S608
            left = con.execute("SELECT count(*) FROM transactions").fetchone()
            con.execute("CHECKPOINT")
        yield cut if left and left[0] else None


def scores_at(settings: Settings, until: datetime) -> dict[str, float]:
    """The shipped mule model's flagged accounts on the lake as it was at `until` (naive UTC):
    a copy of the DuckDB lake without the rows from `until` on is scored, then removed."""
    from chaincut.lake.engine import get_engine
    from chaincut.scoring import score_accounts

    with cut_lake(settings, until) as cut:
        if cut is None:
            return {}
        with get_engine(cut) as engine:
            return flagged_scores(score_accounts(engine, explain=0))


def scheduled_scores(
    settings: Settings, start: datetime, end: datetime, every: timedelta = EVERY
) -> list[tuple[int, dict[str, float]]]:
    """Scores as of `start + every`, `start + 2 every`, ... before `end` (the first week has
    none: nothing had been scored). Empty for a lake that is not DuckDB."""
    if settings.engine is not EngineName.duckdb or not settings.lake_path.exists():
        return []
    out: list[tuple[int, dict[str, float]]] = []
    at = start + every
    while at < end:
        out.append((to_epoch(at), scores_at(settings, at)))
        at += every
    return out
