"""A report filed after the last gang analysis joins its gang live (docs/gangs.md, How it
works 5): its evidence gathered from the lake (`chaincut.gangs.filed`), added to the saved link
graph, the parts it touches grouped again (`chaincut.gangs.incremental.live_join`), the gangs
and the graph saved and the cases opened from gangs kept current. Called when a report is
filed (`after_filing`) and when `GET /v1/reports/{id}/gang` asks for one not in the analysis.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.gangs import Evidence, incremental, persist
from chaincut.gangs.build import build_graph
from chaincut.gangs.filed import report_evidence
from chaincut.gangs.people import Judgement
from chaincut.gangs.saved import SavedGraph, append_join, graph_path, load_graph, stamp
from chaincut.services.context import Principal, ServiceState
from chaincut.services.earlier_stops import store_reader
from chaincut.services.gangs import keep_cases_current
from chaincut.services.tracing import FiledReport
from chaincut.store import audit, gang
from chaincut.store.enums import TracingRule
from chaincut.store.tables import FreezeOrder, Report
from chaincut.store.types import as_utc

log = logging.getLogger("chaincut.services.gang_join")
#: one live join at a time: each reads the saved graph, adds a report and writes it back
_LIVE = threading.Lock()
#: home -> (its `stamp`, the graph): read once, kept current by this process's joins
_GRAPHS: dict[Path, tuple[tuple[int, int, int], SavedGraph]] = {}


def _graph(home: Path) -> SavedGraph | None:
    """The home's saved graph, from memory while the files are as this process left them."""
    now = stamp(home)
    held = _GRAPHS.get(home)
    if now is not None and held is not None and held[0] == now:
        return held[1]
    saved = load_graph(home)
    if saved is not None and now is not None:
        _GRAPHS[home] = (now, saved)
    return saved


def _reached(state: ServiceState, s: Session, report_id: str) -> list[str]:
    """The accounts a filed report's money reached: its transfers' payees and its orders'."""
    filed = s.get(Report, report_id)
    if filed is None:
        return []
    payees = [dst for _, _, _, dst in state.lake.transfers(list(filed.fraud_txn_ids))]
    ordered = s.scalars(select(FreezeOrder.account_id).where(FreezeOrder.report_id == report_id))
    return sorted(set(payees) | set(ordered))


def _report_row(state: ServiceState, s: Session, report_id: str) -> dict[str, Any] | None:
    """Report `report_id` as filed here (or, never filed, as the lake imported it), in the
    lake's `reports` columns; None when neither has it."""
    filed = s.get(Report, report_id)
    if filed is None:
        return state.lake.report(report_id)
    return {"report_id": filed.report_id, "ts": as_utc(filed.filed_at).replace(tzinfo=None),
            "victim_id": filed.victim_id, "victim_account": filed.victim_account,
            "fraud_txn_ids": list(filed.fraud_txn_ids), "fraud_type": filed.fraud_type,
            "narrative": filed.narrative}  # fmt: skip


def _trace(state: ServiceState, row: dict[str, Any]) -> dict[str, Any] | None:
    """The report traced as `chaincut gangs` traces it (the default rule), judged with the
    stops the store holds for earlier reports; None when it could not be traced."""
    filed = FiledReport(row["report_id"], as_utc(row["ts"]), row["victim_account"],
                        list(row["fraud_txn_ids"] or []))  # fmt: skip
    with state.lake.gate.reading(), state.store.session(readonly=True) as held:
        outcome = state.tracer.trace(filed, TracingRule.libr, store_reader(held, row["report_id"]))
    return outcome.data if outcome.ran else None


def join_live(
    state: ServiceState,
    s: Session,
    who: Principal,
    report_id: str,
    trace: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Report `report_id`, not in the saved analysis, joined to its gang (or given one of its
    own) as `report_gang` says; the gangs and the graph saved, the cases opened from gangs
    kept current (`keep_cases_current`). `trace` is its trace under the default rule where
    the caller has it (the filing's), else it is traced here. Returns the report's gang with
    `joined`, or None when it is in none. Does not commit."""
    home = state.settings.home
    with _LIVE:
        found = persist.load(home) or []
        g = next((g for g in found if report_id in g["reports"]), None)
        if g is not None:  # joined meanwhile
            return g
        row = _report_row(state, s, report_id)
        if row is None:
            return None
        saved = _graph(home)
        generation = state.lake.run(lambda e: e.generation(), None)
        if saved is None or generation is None or saved.generation != generation:
            if saved is None:
                why = "no link graph saved: run `chaincut gangs`"
            elif generation is None:
                why = "the lake is not available"
            else:
                why = (f"the link graph is stale (saved at lake generation {saved.generation}, "
                       f"the lake is at {generation}): run `chaincut gangs`")  # fmt: skip
            return _looked_up(state, s, found, report_id, why)
        trace = trace if trace is not None else _trace(state, row)
        extra = state.lake.run(lambda e: report_evidence(e, row, trace, saved.evidence), None)
        if extra is None:
            return _looked_up(state, s, found, report_id, "the lake is not available")
        said = [Judgement(j.person_a, j.person_b, j.same) for j in gang.judgements(s)]
        by_hand = gang.analyst_cases(s)
        after, gangs = incremental.live_join(saved, extra, said, by_hand, quick=True)
        details = [x.detail() for x in gangs]
        keep_cases_current(s, details, who.username)
        tied = gang.cases_by_gang(s)
        for d in details:
            d["cases"] = sorted(set(tied.get(d["gang_id"], [])) | set(d["cases"]))
        persist.save(home, details)
        append_join(home, extra, after)
        if after.memo.get("grouped") == "quick":  # (the exact grouping follows: `_settle`)
            persist.mark_provisional(home, report_id)
        current = stamp(home)
        if current is not None:
            _GRAPHS[home] = (current, after)
        if after.memo.get("grouped") == "quick":
            _submit(_settle, state, who)
    g = next((d for d in details if report_id in d["reports"]), None)
    if g is None:
        return None
    reached = {str(t["dst_account"]) for t in extra.transfers}
    for key in ("freeze", "verify", "hubs"):
        reached.update(str(o["account_id"]) for o in (trace or {}).get(key, []))
    shared = sorted(m["id"] for m in g["members"] if m["kind"] == "account" and m["id"] in reached)
    others = [r for r in g["reports"] if r != report_id]
    audit.record(s, who.username, "gang_join", "report", report_id, None,
                 {"gang": g["gang_id"], "with": others[:20]})  # fmt: skip
    return g | {"joined": {"report_id": report_id, "shared_accounts": shared, "live": True,
                           "reports": others}}  # fmt: skip


def _looked_up(
    state: ServiceState, s: Session, found: list[dict[str, Any]], report_id: str, why: str
) -> dict[str, Any] | None:
    """The look-up join (`incremental.join`) when the live join cannot run, saying why."""
    log.warning("report %s joined by look-up: %s", report_id, why)
    g = incremental.join(found, report_id, _reached(state, s, report_id))
    if g is None:
        return None
    for c in gang.cases_by_gang(s).get(g["gang_id"], []):
        g["cases"] = sorted({*g.get("cases", []), c})
    return g | {"joined": g["joined"] | {"live": False, "stale": why}}


#: one worker joins filed reports to their gangs after the filing has answered: a join takes
#: seconds (docs/benchmarks.md, "A filed report joins its gang"), and the victim's stop orders
#: must not wait for it; one at a time, as each join saves the graph it read
_JOINS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gang-join")
_PENDING: set[Future[None]] = set()
_PENDING_LOCK = threading.Lock()


def _settle(state: ServiceState, who: Principal) -> None:
    """After quick joins (`gangs.quick`), the saved graph grouped as a run groups it (Leiden
    over every part: the exact path's groups) and the gangs made and saved from it, so that
    the saved analysis is again what a rebuild gives; in the background, after the join has
    answered. Nothing where no quick join is pending (a later join or run settled it)."""
    from chaincut.gangs.community import communities

    home = state.settings.home
    try:
        with _LIVE:
            saved = _graph(home)
            if saved is None or not persist.provisional(home):
                return
            with state.store.session() as s:
                graph = build_graph(saved.evidence, saved.links, gang.analyst_cases(s),
                                    memo=saved.memo)  # fmt: skip
                groups = communities(saved.weights, seed=saved.seed)
                gangs = incremental.gangs_of(groups, saved.evidence, graph, saved.memo)
                details = [x.detail() for x in gangs]
                keep_cases_current(s, details, who.username)
                tied = gang.cases_by_gang(s)
                for d in details:
                    d["cases"] = sorted(set(tied.get(d["gang_id"], [])) | set(d["cases"]))
                s.commit()
            after = replace(saved, groups=groups)
            persist.save(home, details)
            append_join(home, Evidence(), after)
            persist.clear_provisional(home)
            current = stamp(home)
            if current is not None:
                _GRAPHS[home] = (current, after)
    except Exception:  # the quick groups stay saved: the next run groups anew
        log.exception("settling the quick gang joins failed")


def _join_filed(
    state: ServiceState, who: Principal, report_id: str, trace: dict[str, Any] | None
) -> None:
    try:
        with state.store.session() as s:
            if not any(report_id in g["reports"] for g in persist.load(state.settings.home) or []):
                join_live(state, s, who, report_id, trace)
                s.commit()
    except Exception:  # the report is filed: its gang waits for the next look or run
        log.exception("live gang join of %s failed", report_id)


def after_filing(
    state: ServiceState, who: Principal, report_id: str, trace: dict[str, Any] | None = None
) -> Future[None] | None:
    """Join a report just filed to its gang live, when an analysis with a graph is in the
    home (`join_live`, with the filing's `trace` under the default rule where there is one),
    in the background: the filing answers at once, and `GET /v1/reports/{id}/gang` asked
    before the join is done joins it there (the same result: the join runs once, under a
    lock). A failure is logged, never the filing's. Commits its own session. Returns the
    pending join (None when there is no graph to join)."""
    if not graph_path(state.settings.home).exists():
        return None
    return _submit(_join_filed, state, who, report_id, trace)


def _submit(fn: Callable[..., None], *args: Any) -> Future[None]:
    """Run `fn(*args)` on the join worker, pending until done (`drain`)."""
    job = _JOINS.submit(fn, *args)
    with _PENDING_LOCK:
        _PENDING.add(job)
    job.add_done_callback(_done)
    return job


def _done(job: Future[None]) -> None:
    with _PENDING_LOCK:
        _PENDING.discard(job)


def drain(timeout: float | None = None) -> None:
    """Wait for the joins of reports filed so far and the exact grouping they leave to follow
    (tests, and a service shutting down)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with _PENDING_LOCK:
            jobs = list(_PENDING)
        if not jobs:
            return
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        done, _ = wait(jobs, timeout=left)
        if len(done) < len(jobs) or left == 0.0:
            return
