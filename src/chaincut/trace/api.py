"""The tracing API the CLI and the service call: settings in, pure results out.

    from chaincut.trace import trace_report, TraceParams
    result = trace_report(settings, "R1", TraceParams(rule=Rule.fifo))

A single trace reads the point index (`ensure_index`), so it touches only the accounts on the
money's path. `trace_all` runs every report at its own time on the index (DuckDB) or on the
lake engine (Spark); `trace_case` traces several reports jointly for restitution.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from chaincut.settings import EngineName, Settings
from chaincut.trace.bystander_model import ScoreBook, score_book
from chaincut.trace.chain import MOST
from chaincut.trace.earlier import StopsByAccount, settle, sweep
from chaincut.trace.index import TraceIndex
from chaincut.trace.index.freshness import ensure_index
from chaincut.trace.jsonout import report_json
from chaincut.trace.kernel import trace_one, trace_reports
from chaincut.trace.ledger import Ledger
from chaincut.trace.model import TraceParams
from chaincut.trace.result import TraceResult
from chaincut.trace.scored import ScoredLedger

if TYPE_CHECKING:
    from chaincut.lake.engine.base import Engine

log = logging.getLogger(__name__)


def trace_report(
    settings: Settings, report_id: str, params: TraceParams, *, index: TraceIndex | None = None
) -> TraceResult:
    """Trace one report as the stop-payment desk would at the report's time.

    Raises KeyError if the lake has no such report; `IndexUnavailable` if there is no lake.
    """
    return trace_one(index or ensure_index(settings), report_id, params)


def trace_case(
    settings: Settings,
    report_ids: Sequence[str],
    params: TraceParams,
    *,
    index: TraceIndex | None = None,
) -> TraceResult:
    """Trace several reports' money jointly (as of the latest report, or `params.as_of`).

    On Spark the case's subgraph is cut by the engine from the lake's snapshot and traced here.
    """
    if settings.engine == EngineName.spark and index is None:
        from chaincut.lake.engine import get_engine
        from chaincut.trace.batch import trace_case_engine

        with get_engine(settings) as engine:
            return trace_case_engine(engine, list(report_ids), params)
    ledger = index or ensure_index(settings)
    return trace_reports(ledger, [ledger.report(r) for r in dict.fromkeys(report_ids)], params)


def _chunk(args: tuple[str, list[str], TraceParams, ScoreBook]) -> list[dict[str, Any]]:
    path, ids, params, book = args
    from pathlib import Path

    index = TraceIndex(Path(path))
    return [report_json(trace_one(_scored(index, book.of(r)), r, params), r) for r in ids]


def trace_all(
    settings: Settings,
    params: TraceParams,
    *,
    workers: int = 1,
    chunk: int = 200,
    mule_asof: str = "lake",
) -> Iterator[dict[str, Any]]:
    """Every report's trace as its JSON object (`report_json`), in report id order.

    On the DuckDB engine the reports are traced on the point index, in `workers` processes;
    on Spark the per-report subgraphs are cut by the engine and traced in `applyInPandas`.
    With `params.earlier_stops` (and the judge) each report is judged with the stops of the
    reports filed before it (`chaincut.trace.earlier`: in one process the reports are traced
    in time order, in several they are traced again where such stops touch them), so every
    result is held until all are traced. The judge weighs the mule model's scores of the
    whole lake, or (`mule_asof` "day"/"week", DuckDB) of the lake cut at the start of each
    report's day or week (`chaincut.trace.bystander_model.score_book`).
    """
    if settings.engine == EngineName.spark:
        from chaincut.lake.engine import get_engine
        from chaincut.trace.batch import trace_all_engine

        with get_engine(settings) as engine:
            scores = _scores(engine, params)
            yield from trace_all_engine(engine, params, scores)
        return
    index = ensure_index(settings)
    ids = index.report_ids()
    times = {r: index.report(r).ts for r in ids}
    book = score_book(settings, params, times, mule_asof)
    if book.cut_of:
        # scores of the lake as of each report: the model's word against a young account counts
        # only as far as its history before the money goes (`TraceParams.mule_history`)
        params = replace(params, mule_history=True)
    if not (params.earlier_stops and params.judge_accounts):
        if workers <= 1:
            yield from (
                report_json(trace_one(_scored(index, book.of(r)), r, params), r) for r in ids
            )
        else:
            yield from _pooled(index, ids, params, workers, chunk, book)
        return

    def traced(r: str, stops: StopsByAccount) -> dict[str, Any]:
        ledger = ScoredLedger(index, book.of(r), stops=stops)
        return report_json(trace_one(ledger, r, params), r)

    if workers <= 1:
        results = sweep(times, traced)
    else:
        results = {
            str(o["report_id"]): o for o in _pooled(index, ids, params, workers, chunk, book)
        }
        retrace = lambda todo, stops: {r: traced(r, stops) for r in todo}  # noqa: E731
        settle(results, times, retrace, params.stop_score - MOST)
    yield from (results[r] for r in ids)


def _scores(engine: Engine, params: TraceParams) -> dict[str, float]:
    # the mule model weighs only in the judge; scored once per run (and kept in the home)
    if not (params.mule_model and params.judge_accounts):
        return {}
    from chaincut.trace.bystander_model import lake_scores

    return lake_scores(engine)


def _scored(index: TraceIndex, scores: dict[str, float]) -> Ledger:
    return ScoredLedger(index, scores) if scores else index


def _pooled(
    index: TraceIndex,
    ids: list[str],
    params: TraceParams,
    workers: int,
    chunk: int,
    book: ScoreBook,
) -> Iterator[dict[str, Any]]:
    jobs = [(str(index.path), ids[i : i + chunk], params, book) for i in range(0, len(ids), chunk)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_chunk, jobs):
            yield from part
