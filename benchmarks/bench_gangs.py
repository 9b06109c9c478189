"""Benchmark: the gang analysis (graph build and grouping) against a plain connected-components
baseline in the same run, and one report's gang.

For each ledger size it simulates a city (Parquet above 200 k transactions), imports it and
measures, each phase with its wall time, the process's CPU time and its peak memory so far:

- chaincut: `collect` (traces, link jobs, mule scores; on the lake engine) and `analyse`
  (record linkage, graph, Leiden, roles), separately, with the slowest lake jobs of `collect`;
- baseline: connected components over every transfer between two accounts that are neither
  merchants, exchanges nor cash, plus each report's fraud transfers (the edges numbered in
  DuckDB, the components by scipy): what "link the reports through shared accounts" gives
  without weights or infrastructure scores, with its report-pair F1 beside ours;
- one report's gang as `/v1/reports/{id}/gang` answers a report filed since the analysis: the
  saved gangs read from the home (`persist.load`) and `incremental.join` over the accounts its
  money reached, for up to `--reports` reports: median and max.

Usage (figures in docs/benchmarks.md):

    .venv/bin/python benchmarks/bench_gangs.py --transactions 20000 200000
    .venv/bin/python benchmarks/bench_gangs.py --world OUT --home HOME   # an imported world
        [--memory-limit 4GB] [--threads 2] [--profile FILE.prof] [--gangs-out FILE.jsonl]
        [--rss-steps]                           # the peak RSS of each lake job and step
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chaincut.gangs import analyse, collect
from chaincut.gangs.evaluate import evaluate, read_truth
from chaincut.gangs.incremental import join
from chaincut.gangs.persist import load, save
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings

SHARED_KINDS = ("merchant", "exchange", "cash")


def _peak_gb() -> float:
    # ru_maxrss is in KiB on Linux
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)


def _rss_mb() -> int:
    """The process's resident memory now, in MB (Linux: /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


class _Steps:
    """The peak RSS while each step ran (`--rss-steps`): a thread samples the resident memory
    ten times a second and charges it to the step running, the lake job after the last one
    the engine recorded (`engine.timings`) or the analysis's step named by `name`."""

    def __init__(self) -> None:
        self.engine: Any = None
        self.name = "start"
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _step(self) -> str:
        timings = self.engine.timings if self.engine is not None else []
        if timings:
            return f"{len(timings) + 1:03d} after {timings[-1].label}"
        return self.name

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            step, rss = self._step(), _rss_mb()
            self.peaks[step] = max(self.peaks.get(step, 0), rss)

    def __enter__(self) -> _Steps:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _analyse_steps(steps: _Steps) -> None:
    """Name the analysis's steps for `_Steps` as they start (the module's own functions)."""
    module = sys.modules["chaincut.gangs.analyse"]
    for name in ("resolve", "build_graph", "communities", "join_ends", "partners",
                 "assign_roles", "sibling_cards", "kin_cards", "relate_gangs"):  # fmt: skip
        step = getattr(module, name)

        def named(*args: Any, _step: Any = step, _name: str = name, **kw: Any) -> Any:
            steps.name = f"analyse {_name}"
            return _step(*args, **kw)

        setattr(module, name, named)


@contextmanager
def _phase(out: dict[str, Any], name: str) -> Iterator[None]:
    """Wall time, CPU time (all the process's threads: DuckDB's too) and peak RSS so far."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    out[f"{name}_s"] = round(time.perf_counter() - wall, 2)
    out[f"{name}_cpu_s"] = round(time.process_time() - cpu, 2)
    out[f"{name}_peak_gb"] = _peak_gb()


_BASELINE_SQL = """
with shared as (select account_id from accounts where kind in {kinds}),
money as (
    select distinct src_account as a, dst_account as b from transactions
    where src_account not in (select account_id from shared)
      and dst_account not in (select account_id from shared)
    union all
    select distinct 'report:' || r.report_id, t.dst_account
    from (select report_id, unnest(fraud_txn_ids) as txn_id from reports) r
    join transactions t using (txn_id)
),
nodes as (select a as n from money union select b from money),
numbered as (select n, (row_number() over ()) - 1 as k from nodes)
select x.k as a, y.k as b, if(starts_with(money.a, 'report:'), money.a[8:], null) as report
from money join numbered x on money.a = x.n join numbered y on money.b = y.n
"""


def _baseline(engine: Any) -> list[list[str]]:
    """The reports of each connected part of the plain transfer graph (parts with a report):
    the edges numbered by one DuckDB query, the parts by scipy."""
    import numpy as np
    import pyarrow.compute as pc
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    con = engine.backend.con  # the DuckDB connection: the baseline is plain SQL
    edges = con.sql(_BASELINE_SQL.format(kinds=SHARED_KINDS)).to_arrow_table()
    a = edges.column("a").to_numpy().astype(np.int64)
    b = edges.column("b").to_numpy().astype(np.int64)
    size = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(size, size))
    _, labels = connected_components(graph, directed=False)
    paid = edges.filter(pc.is_valid(edges.column("report")))
    parts: dict[int, set[str]] = {}
    for k, rid in zip(paid.column("a").to_pylist(), paid.column("report").to_pylist(), strict=True):
        parts.setdefault(int(labels[k]), set()).add(rid)
    return [sorted(p) for p in parts.values()]


class _Group:
    """A baseline part in the shape `evaluate` reads."""

    def __init__(self, k: int, reports: list[str]) -> None:
        self.gang_id, self.reports = f"CC-{k}", reports
        self.members: list[Any] = []


def _one_report(home: Path, ev: Any, saved: list[dict[str, Any]], n: int) -> dict[str, Any]:
    """`/v1/reports/{id}/gang` for a report filed since the analysis: the saved gangs read and
    joined over the accounts its money reached (its payees and its freeze orders)."""
    path = save(home, saved)
    reached: dict[str, set[str]] = {}
    for t in ev.transfers:
        reached.setdefault(t["report_id"], set()).add(t["dst_account"])
    for tr in ev.traces:
        reached.setdefault(tr["report_id"], set()).update(o["account_id"] for o in tr["freeze"])
    times: list[float] = []
    cpu: list[float] = []
    joined = 0
    for rid in sorted(reached)[:n]:
        started, cpu_started = time.perf_counter(), time.process_time()
        found = load(home) or []
        g = join(found, f"NEW-{rid}", sorted(reached[rid]))
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        joined += g is not None
    if not times:
        return {}
    return {
        "gangs_file_mb": round(path.stat().st_size / 2**20, 2),
        "one_report_gang_ms_median": round(statistics.median(times), 2),
        "one_report_gang_ms_max": round(max(times), 2),
        "one_report_gang_cpu_ms_median": round(statistics.median(cpu), 2),
        "one_report_gang_cpu_ms_max": round(max(cpu), 2),
        "one_report_gang_n": len(times),
        "one_report_gang_joined": joined,
    }


def _progress(out: dict[str, Any]) -> None:
    """What the run has measured so far, on stderr (a long run cut short keeps it)."""
    print(time.strftime("%H:%M:%S"), json.dumps(out), file=sys.stderr, flush=True)


def _slowest(timings: list[Any], k: int = 6) -> list[list[Any]]:
    total: dict[str, float] = {}
    for t in timings:
        total[t.label] = total.get(t.label, 0.0) + t.seconds
    return [[label, round(s, 1)] for label, s in sorted(total.items(), key=lambda x: -x[1])[:k]]


def compare_reach(home: Path, rounds: int = 2) -> dict[str, Any]:
    """The numbers' reach as `collect` asks for it (the reported victims' numbers), the old
    way (`phone_reach` over the whole city, then filtered) and `focused_reach`, alternated:
    wall and CPU seconds of each, and whether the rows are the same."""
    import ibis
    import pyarrow as pa

    from chaincut.lake.jobs.link_edges import phone_reach
    from chaincut.lake.jobs.link_reach import focused_reach

    out: dict[str, Any] = {}
    with get_engine(Settings(home=home)) as engine:
        t = engine.tables(["calls", "messages", "persons", "reports"])
        r, p = t["reports"], t["persons"]
        phones = engine.execute(r.join(p, r.victim_id == p.person_id).select(phone=p.phone))
        victims = ibis.memtable(pa.table({"phone": phones.column("phone")}))
        none = ibis.memtable(pa.table({"phone": pa.array([], pa.string())}))
        old = phone_reach(t["calls"], t["messages"], victims)
        ways = {"whole_city": old.filter(old.victims > 0),
                "focused": focused_reach(t["calls"], t["messages"], victims, none)}  # fmt: skip
        rows: dict[str, list[Any]] = {}
        for _ in range(rounds):
            for name, expr in ways.items():
                engine.backend._register_in_memory_tables(expr)
                wall, cpu = time.perf_counter(), time.process_time()
                found = engine.execute(expr, label=name)
                out.setdefault(f"{name}_s", []).append(round(time.perf_counter() - wall, 2))
                out.setdefault(f"{name}_cpu_s", []).append(round(time.process_time() - cpu, 2))
                rows[name] = sorted(found.to_pylist(), key=lambda x: str(x["phone"]))
        out["numbers"] = len(rows["focused"])
        out["same_rows"] = rows["focused"] == rows["whole_city"]
    return out


def run(
    home: Path,
    world: Path | None,
    *,
    reports: int = 200,
    profile: Path | None = None,
    gangs_out: Path | None = None,
    steps: _Steps | None = None,
) -> dict[str, Any]:
    settings = Settings(home=home)
    out: dict[str, Any] = {"load_avg_start": round(os.getloadavg()[0], 1)}
    prof = cProfile.Profile() if profile else None
    timed: Callable[..., Any] = prof.runcall if prof else (lambda f, *a: f(*a))
    with get_engine(settings) as engine:
        if steps is not None:
            steps.name, steps.engine = "baseline and traces", engine
        # the baseline first: a run stopped in the middle of `collect` still has it
        with _phase(out, "baseline_cc"):
            parts = _baseline(engine)
        out["baseline_parts_with_reports"] = len(parts)
        if world is not None:
            cc = [_Group(k, p) for k, p in enumerate(parts)]
            out["baseline_f1"] = round(evaluate(cc, read_truth(world))["report_pair_f1"], 4)  # type: ignore[arg-type]
        _progress(out)
        with _phase(out, "collect"):
            ev = timed(collect, engine)
        out["collect_slowest_jobs"] = _slowest(engine.timings)
        _progress(out)
    if steps is not None:
        steps.engine, steps.name = None, "collected"
        _analyse_steps(steps)
    with _phase(out, "analyse"):
        analysis = timed(analyse, ev)
    if steps is not None:
        steps.name = "after analyse"
    _progress(out)
    if prof is not None and profile is not None:
        prof.dump_stats(str(profile))
    out["gangs"] = len(analysis.gangs)
    saved = [g.json() for g in analysis.gangs]
    if gangs_out is not None:  # to compare two versions' gangs (`cmp`)
        lines = sorted(json.dumps(g, sort_keys=True, ensure_ascii=False) for g in saved)
        gangs_out.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="bench-gangs-api-") as api_home:
        out |= _one_report(Path(api_home), ev, saved, reports)
    if world is not None:
        out["f1"] = round(evaluate(analysis.gangs, read_truth(world))["report_pair_f1"], 4)
    out["load_avg_end"] = round(os.getloadavg()[0], 1)
    out["peak_gb"] = _peak_gb()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, nargs="*", default=[20_000])
    parser.add_argument("--world", type=Path, help="an imported world's folder (with truth)")
    parser.add_argument("--home", type=Path, help="the home holding --world's lake")
    parser.add_argument("--memory-limit", help="DuckDB memory limit, e.g. 4GB")
    parser.add_argument("--threads", type=int, help="DuckDB threads")
    parser.add_argument("--reports", type=int, default=200, help="reports timed one by one")
    parser.add_argument("--profile", type=Path, help="write collect's and analyse's cProfile")
    parser.add_argument("--compare-reach", action="store_true",
                        help="only time the numbers' reach, old and new, on --home")  # fmt: skip
    parser.add_argument("--log", action="store_true", help="each lake job's time on stderr")
    parser.add_argument("--gangs-out", type=Path, help="write the gangs' JSON lines, sorted")
    parser.add_argument("--rss-steps", action="store_true",
                        help="the peak RSS while each lake job and analysis step ran")  # fmt: skip
    args = parser.parse_args()
    if args.log:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        for noisy in ("splink", "py4j"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.memory_limit:
        os.environ["CHAINCUT_DUCKDB_MEMORY_LIMIT"] = args.memory_limit
    if args.threads:
        os.environ["CHAINCUT_DUCKDB_THREADS"] = str(args.threads)
    if args.compare_reach:
        print(json.dumps(compare_reach(args.home)))
        return
    if args.world is not None and args.home is not None:
        steps = _Steps() if args.rss_steps else None
        with steps or contextlib.nullcontext():
            found = run(args.home, args.world, reports=args.reports, profile=args.profile,
                        gangs_out=args.gangs_out, steps=steps)  # fmt: skip
        if steps is not None:
            found["rss_steps_mb"] = steps.peaks
        print(json.dumps(found))
        return
    from chaincut.ingest import import_folder
    from chaincut.simulate import simulate

    for n in args.transactions:
        with tempfile.TemporaryDirectory(prefix="bench-gangs-") as tmp:
            world, home = Path(tmp) / "world", Path(tmp) / "home"
            simulate(world, seed=1, scale=str(n))
            import_folder(Settings(home=home), world)
            result = run(home, world, reports=args.reports, profile=args.profile)
            print(json.dumps({"transactions": n, **result}), flush=True)


if __name__ == "__main__":
    main()
