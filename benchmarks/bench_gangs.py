"""Benchmark: the gang analysis (graph build and grouping) against a plain connected-components
baseline in the same run, and one report's gang.

For each ledger size it simulates a city (Parquet above 200 k transactions), imports it and
measures:

- chaincut: `collect` (traces, link jobs, mule scores; on the lake engine) and `analyse`
  (record linkage, graph, Leiden, roles), separately;
- baseline: connected components (union-find) over every transfer between two accounts that
  are neither merchants, exchanges, cash nor pooled: what "link the reports through shared
  accounts" gives without weights or infrastructure scores, with its report-pair F1 beside
  ours;
- one report's gang: `incremental.join` over the saved gangs (the API's path for a new report).

Usage (figures in docs/benchmarks.md):

    .venv/bin/python benchmarks/bench_gangs.py --transactions 20000 200000
    .venv/bin/python benchmarks/bench_gangs.py --world OUT --home HOME   # an imported world
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from chaincut.gangs import analyse, collect
from chaincut.gangs.community import components
from chaincut.gangs.evaluate import evaluate, read_truth
from chaincut.gangs.incremental import join
from chaincut.lake.engine import get_engine
from chaincut.settings import Settings

SHARED_KINDS = ("merchant", "exchange", "cash")


def _baseline(engine: Any) -> tuple[float, list[list[str]]]:
    """Connected components of reports and accounts over every transfer between ordinary
    accounts (plus each report's fraud transfers)."""
    started = time.perf_counter()
    t, a, r = engine.table("transactions"), engine.table("accounts"), engine.table("reports")
    src = a.filter(a.kind.isin(SHARED_KINDS)).select(shared_src=a.account_id)
    dst = a.filter(a.kind.isin(SHARED_KINDS)).select(shared_dst=a.account_id)
    edges = t.anti_join(src, t.src_account == src.shared_src)
    edges = edges.anti_join(dst, edges.dst_account == dst.shared_dst)
    pairs = engine.execute(edges.select("src_account", "dst_account").distinct(), label="cc")
    weights = {(f"account:{s}", f"account:{d}"): 1.0 for s, d in zip(
        pairs.column(0).to_pylist(), pairs.column(1).to_pylist(), strict=True)}  # fmt: skip
    paid = r.select("report_id", txn_id=r.fraud_txn_ids.unnest())
    paid = paid.join(t, paid.txn_id == t.txn_id).select("report_id", "dst_account")
    for row in engine.execute(paid, label="cc reports").to_pylist():
        weights[(f"report:{row['report_id']}", f"account:{row['dst_account']}")] = 1.0
    return time.perf_counter() - started, components(weights)


def run(home: Path, world: Path | None) -> dict[str, Any]:
    settings = Settings(home=home)
    out: dict[str, Any] = {}
    with get_engine(settings) as engine:
        started = time.perf_counter()
        ev = collect(engine)
        out["collect_s"] = round(time.perf_counter() - started, 2)
        cc_s, parts = _baseline(engine)
    started = time.perf_counter()
    analysis = analyse(ev)
    out["analyse_s"] = round(time.perf_counter() - started, 2)
    out["baseline_cc_s"] = round(cc_s, 2)
    out["gangs"] = len(analysis.gangs)
    saved = [g.json() for g in analysis.gangs]
    if saved:
        some = saved[0]
        accounts = [m["id"] for m in some["members"] if m["kind"] == "account"][:3]
        started = time.perf_counter()
        join(saved, "NEW-REPORT", accounts)
        out["one_report_gang_ms"] = round((time.perf_counter() - started) * 1000, 3)
    if world is not None:
        truth = read_truth(world)
        out["f1"] = evaluate(analysis.gangs, truth)["report_pair_f1"]

        class _G:  # the baseline's groups in the shape evaluate reads
            def __init__(self, k: int, reports: list[str]) -> None:
                self.gang_id, self.reports, self.members = f"CC-{k}", reports, []

        cc = [_G(k, [n[7:] for n in p if n.startswith("report:")]) for k, p in enumerate(parts)]
        out["baseline_f1"] = evaluate([g for g in cc if g.reports], truth)["report_pair_f1"]  # type: ignore[arg-type]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, nargs="*", default=[20_000])
    parser.add_argument("--world", type=Path, help="an imported world's folder (with truth)")
    parser.add_argument("--home", type=Path, help="the home holding --world's lake")
    args = parser.parse_args()
    if args.world is not None and args.home is not None:
        print(json.dumps(run(args.home, args.world)))
        return
    from chaincut.ingest import import_folder
    from chaincut.simulate import simulate

    for n in args.transactions:
        with tempfile.TemporaryDirectory(prefix="bench-gangs-") as tmp:
            world, home = Path(tmp) / "world", Path(tmp) / "home"
            simulate(world, seed=1, scale=str(n))
            import_folder(Settings(home=home), world)
            print(json.dumps({"transactions": n, **run(home, world)}), flush=True)


if __name__ == "__main__":
    main()
