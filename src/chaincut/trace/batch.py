"""`--all` and case tracing on a lake engine: per-group subgraphs, then the same kernel.

A group is one report (`--all`: each traced at its own time) or a case (its reports traced
jointly). The subgraphs come from Ibis expressions (`chaincut.trace.subgraph`) run by the
engine; the kernel then runs once per group, on DuckDB in this process and on Spark inside
`groupBy(report_id).applyInPandas`, so both engines give the same result for every report,
and the same as the point-index path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from chaincut.lake.engine.base import Engine
from chaincut.trace.chain import MOST
from chaincut.trace.earlier import StopsByAccount, settle, sweep
from chaincut.trace.frames import WIDE, ledger_of, micros_of
from chaincut.trace.jsonout import report_json
from chaincut.trace.kernel import horizon, trace_one, trace_reports
from chaincut.trace.ledger import Ledger, MemoryLedger, busy_threshold
from chaincut.trace.model import Micros, ReportInfo, TraceParams, Txn
from chaincut.trace.result import TraceResult
from chaincut.trace.scored import ScoredLedger, check_scores
from chaincut.trace.subgraph import (
    account_facts,
    account_sides,
    candidate_rows,
    expand,
    frontier_table,
    ledger_edges,
)

SPARK_SCHEMA = "report_id string, result string"
Execute = Callable[[ir.Table], pa.Table]


def _runner(engine: Engine) -> Execute:
    def execute(expr: ir.Table) -> pa.Table:
        # in-memory tables (the frontier) must be registered with the backend first
        engine.backend._register_in_memory_tables(expr)
        return engine.execute(expr, label="trace subgraph")

    return execute


def report_infos(execute: Execute, tables: dict[str, ir.Table]) -> dict[str, ReportInfo]:
    """Every report with its fraud transfers resolved, as the trace index resolves them."""
    reports, tx = tables["reports"], tables["transactions"]
    rep = execute(reports.select("report_id", "ts", "victim_account", "fraud_txn_ids"))
    ids = reports.select("report_id", txn_id=reports.fraud_txn_ids.unnest())
    hit = ids.join(tx, ids.txn_id == tx.txn_id).select(
        ids.txn_id,
        tx.ts,
        src=tx.src_account,
        dst=tx.dst_account,
        cents=(tx.amount * 100).cast("int64"),
        channel=tx.channel,
    )
    f = execute(hit).to_pandas()
    found = {
        tid: Txn(ts, tid, src, dst, int(c), ch if isinstance(ch, str) else None)
        for tid, ts, src, dst, c, ch in zip(
            f["txn_id"], micros_of(f["ts"]), f["src"], f["dst"], f["cents"], f["channel"],
            strict=True,
        )
    }  # fmt: skip
    r = rep.to_pandas()
    out: dict[str, ReportInfo] = {}
    for rid, ts, victim, fraud in zip(
        r["report_id"], micros_of(r["ts"]), r["victim_account"], r["fraud_txn_ids"], strict=True
    ):
        wanted = list(dict.fromkeys(list(fraud) if fraud is not None else []))
        txns = sorted((found[t] for t in wanted if t in found), key=lambda t: t.key)
        missing = tuple(t for t in wanted if t not in found)
        out[rid] = ReportInfo(rid, ts, victim or "", tuple(txns), missing)
    return out


def _wide(part: ir.Table, row: str) -> ir.Table:
    cols: dict[str, Any] = {}
    for name, typ in WIDE.items():
        if name == "row":
            cols[name] = ibis.literal(row, "string")
        elif name in part.columns:
            cols[name] = part[name].cast(typ)
        else:
            cols[name] = ibis.null().cast(typ)
    return part.select(**cols)


@dataclass(frozen=True)
class Subgraphs:
    """The shipped rows of every group (column `report_id` holds the group id)."""

    rows: ir.Table
    groups: dict[str, list[ReportInfo]]
    busy_over: int
    #: every victim account with its earliest report time (a trace knows the reports filed)
    victims: dict[str, Micros]


def _hubs(execute: Execute, facts: ir.Table, params: TraceParams) -> tuple[set[str], int]:
    flags = execute(facts.select("account_id", "kind", "degree", "org")).to_pydict()
    degrees = sorted(int(d) for d in flags["degree"])
    busy_over = busy_threshold(degrees, params.busy_quantile, params.busy_factor, params.busy_floor)
    hubs = {
        acc
        for acc, kind, degree, org in zip(
            flags["account_id"], flags["kind"], flags["degree"], flags["org"], strict=True
        )
        if kind in params.hub_kinds or (org and kind in params.pooled_kinds) or degree > busy_over
    }
    return hubs, busy_over


def subgraphs(
    engine: Engine,
    params: TraceParams,
    group: Callable[[dict[str, ReportInfo]], dict[str, list[ReportInfo]]],
) -> Subgraphs:
    """Cut the ledger into the groups' subgraphs (`group` maps all reports to the groups)."""
    execute = _runner(engine)
    tables = engine.tables(["transactions", "accounts", "reports", "persons"])
    infos = report_infos(execute, tables)
    victims: dict[str, Micros] = {}
    for rep in infos.values():
        if rep.victim_account:
            victims[rep.victim_account] = min(rep.ts, victims.get(rep.victim_account, rep.ts))
    groups = group(infos)
    edges = ledger_edges(tables["transactions"])
    persons = tables["persons"]
    known = int(execute(persons.count().as_table()).column(0)[0].as_py()) > 0
    facts = account_facts(tables["accounts"], persons, edges, persons_known=known)
    hubs, busy_over = _hubs(execute, facts, params)
    horizons = {g: horizon(reps, params) for g, reps in groups.items()}
    seeds: dict[tuple[str, str], Micros] = {}
    hub_seeds: list[tuple[str, Micros, str, Micros, int]] = []
    for g, reps in groups.items():
        for t in (t for rep in reps for t in rep.fraud_txns):
            if t.dst in hubs:
                hub_seeds.append((g, horizons[g], t.dst, t.ts, t.cents))
            else:
                seeds[(g, t.dst)] = min(seeds.get((g, t.dst), t.ts), t.ts)
    best, matched = expand(execute, seeds, hub_seeds, horizons, edges, hubs, params)
    cands = frontier_table(
        [(g, a, t - params.established_micros, horizons[g]) for (g, a), t in sorted(best.items())]
    )
    txns, openings = candidate_rows(cands, account_sides(edges))
    through = [m for m in matched if m.num_rows]
    if through:
        hub_rows = ibis.memtable(pa.concat_tables(through))
        schema = txns.schema()
        hub_rows = hub_rows.select(**{c: hub_rows[c].cast(schema[c]) for c in txns.columns})
        txns = txns.union(hub_rows, distinct=False)
    refs = txns.select("report_id", account_id=txns.src).union(
        txns.select("report_id", account_id=txns.dst), distinct=True
    )
    extra = [(g, t.dst) for g, reps in groups.items() for rep in reps for t in rep.fraud_txns]
    if extra:
        fraud_refs = ibis.memtable(
            pa.table({"report_id": [e[0] for e in extra], "account_id": [e[1] for e in extra]})
        )
        refs = refs.union(fraud_refs, distinct=True)
    facts_of = refs.join(facts, "account_id")
    facts_of = facts_of.select(
        "report_id", "kind", "institution", "country", "degree", "opened", "first_ts", "org",
        account=facts_of.account_id,
    )  # fmt: skip
    rows = _wide(txns, "t").union(_wide(openings, "o"), distinct=False)
    return Subgraphs(rows.union(_wide(facts_of, "a"), distinct=False), groups, busy_over, victims)


def _report_json(
    frame: pd.DataFrame,
    report: ReportInfo,
    params: TraceParams,
    busy: int,
    victims: dict[str, Micros],
    stops: StopsByAccount | None = None,
    scores: dict[str, float] | None = None,
) -> str:
    ledger: Ledger = ledger_of(frame, [report], busy, victims)
    if stops or scores:
        # (`trace_all_engine` checked the scores once: every report's check read them all)
        ledger = ScoredLedger(ledger, scores or {}, stops=stops, checked=True)
    result = trace_one(ledger, report.report_id, params)
    return json.dumps(report_json(result, report.report_id))


@dataclass(frozen=True)
class Cut:
    """Every report's subgraph (`subgraphs`, one report a group) as the kernel reads it: on
    DuckDB the rows read into each report's frame, on Spark the rows' expression. One cut
    serves several `trace_all_engine` runs on the same lake and parameters (the gang
    analysis traces every report without the mule model's scores and with them)."""

    sub: Subgraphs
    #: report -> its rows (DuckDB; none on Spark, where each run reads the rows again)
    frames: dict[str, pd.DataFrame] | None


def cut_all(engine: Engine, params: TraceParams) -> Cut:
    """The subgraphs of every report of the lake behind `engine`, read once."""
    sub = subgraphs(engine, params, lambda reports: {r: [rep] for r, rep in reports.items()})
    if engine.name == "spark":
        return Cut(sub, None)
    table = _runner(engine)(sub.rows).to_pandas()
    return Cut(sub, {str(rid): g for rid, g in table.groupby("report_id", sort=True)})


def trace_all_engine(
    engine: Engine,
    params: TraceParams,
    scores: dict[str, float] | None = None,
    *,
    cut: Cut | None = None,
) -> list[dict[str, Any]]:
    """Every report traced at its own time on `engine` (DuckDB or Spark), sorted by report id;
    with `params.earlier_stops`, settled as on the index (`chaincut.trace.earlier`); with
    `scores` (account -> mule score in [0, 1]) the judge weighs them. `cut`: the reports'
    subgraphs `cut_all` read for this engine and `params` (read here when not given)."""
    check_scores(scores or {})
    cut = cut or cut_all(engine, params)
    sub = cut.sub
    reports = {g: reps[0] for g, reps in sub.groups.items()}
    busy, victims = sub.busy_over, sub.victims
    empty = pd.DataFrame({c: [] for c in WIDE})
    run: Callable[[list[str] | None, StopsByAccount | None], dict[str, str]]
    if cut.frames is None:
        backend = engine.backend
        backend._register_in_memory_tables(sub.rows)
        frame = backend._session.sql(backend.compile(sub.rows))

        def run(only: list[str] | None, stops: StopsByAccount | None) -> dict[str, str]:
            def apply(group: pd.DataFrame) -> pd.DataFrame:
                rid = str(group["report_id"].iloc[0])
                text = _report_json(group, reports[rid], params, busy, victims, stops, scores)
                return pd.DataFrame({"report_id": [rid], "result": [text]})

            part = frame if only is None else frame.filter(frame.report_id.isin(only))
            done = part.groupBy("report_id").applyInPandas(apply, schema=SPARK_SCHEMA).collect()
            return {r["report_id"]: r["result"] for r in done}
    else:
        groups = cut.frames

        def run(only: list[str] | None, stops: StopsByAccount | None) -> dict[str, str]:
            return {
                rid: _report_json(groups[rid], reports[rid], params, busy, victims, stops, scores)
                for rid in (sorted(groups) if only is None else [r for r in only if r in groups])
            }

    def trace(only: list[str] | None, stops: StopsByAccount | None) -> dict[str, dict[str, Any]]:
        results = run(only, stops)
        for rid in sorted(reports) if only is None else only:
            if rid not in results:
                results[rid] = _report_json(
                    empty, reports[rid], params, busy, victims, stops, scores
                )
        return {rid: json.loads(text) for rid, text in results.items()}

    times = {rid: rep.ts for rid, rep in reports.items()}
    if not (params.earlier_stops and params.judge_accounts):
        objs = trace(None, None)
    elif engine.name == "spark":
        objs = settle(trace(None, None), times, trace, params.stop_score - MOST)
    else:  # one process: in time order, one trace per report
        objs = sweep(times, lambda rid, stops: trace([rid], stops)[rid])
    return [objs[rid] for rid in sorted(objs)]


def trace_case_engine(engine: Engine, report_ids: list[str], params: TraceParams) -> TraceResult:
    """The reports traced jointly on `engine`: the engine cuts the case's subgraph (on Spark,
    from the Parquet snapshot) and the kernel runs here. Raises KeyError for unknown reports."""
    wanted = list(dict.fromkeys(report_ids))

    def case(reports: dict[str, ReportInfo]) -> dict[str, list[ReportInfo]]:
        return {"case": [reports[r] for r in wanted]}

    sub = subgraphs(engine, params, case)
    frame = _runner(engine)(sub.rows).to_pandas()
    reports = sub.groups["case"]
    ledger: MemoryLedger = ledger_of(frame, reports, sub.busy_over, sub.victims)
    return trace_reports(ledger, reports, params)
