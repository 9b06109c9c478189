"""Which ties would join the halves of a split gang, and not two different gangs?

docs/gangs.md "Round twelve: grouping". For each world (built and imported by `eval_gangs`'s way:
`chaincut simulate|foreign-world` then `chaincut import`), the gang analysis is run in-process,
the final groups holding reports are paired (*halves*: both groups' majority truth gang is the
same; *different* otherwise) and each candidate tie between two groups is measured: the exits
their accounts pay (the same ATM, OTC desk or beneficiary abroad, weighted by rarity; the same
exit within `--hours`, each payment divided by how busy the exit was then), the identifiers in
their victims' messages, their reports' `fraud_type`, and their cards' holders' calls. Prints
each world's report-pair F1 (precision) and, per tie, the AUC of halves above different and, for
each group that is half of a split gang, whether its strongest tie of that kind is its own
gang's other half. Training seeds only: never choose anything on evaluation seeds (>= 1000).

    python benchmarks/gang_ties.py --dir /tmp/ties --foreign 800-805 --simulate 806-811
        [--size tiny|small] [--hours 6] [--reuse]
"""

from __future__ import annotations

import argparse
import bisect
import csv
import math
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

EXITS = {"atm_withdrawal": "atm", "crypto_otc": "otc", "cross_border": "abroad"}
LINKING = ("url", "qq", "wechat", "qq_group", "wechat_group", "crypto_wallet")


def _seeds(text: str) -> list[int]:
    """`800-805,812` -> [800, ..., 805, 812]."""
    out: list[int] = []
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        out += range(int(lo), int(hi or lo) + 1)
    return out


def world_options(ap: argparse.ArgumentParser, example: str) -> None:
    """The options naming training worlds: --dir, --foreign, --simulate, --size, --reuse."""
    ap.add_argument("--dir", type=Path, required=True, help="where worlds and homes go")
    ap.add_argument("--foreign", default="", help=f"foreign-world seeds, as {example}")
    ap.add_argument("--simulate", default="", help=f"simulator seeds (--randomise), as {example}")
    ap.add_argument("--size", default="tiny", choices=("tiny", "small"), help="world size")
    ap.add_argument("--reuse", action="store_true", help="keep worlds already built in --dir")


def training_worlds(args: argparse.Namespace, ap: argparse.ArgumentParser) -> list[tuple[str, int]]:
    """(generator, seed) of the worlds `world_options` named; evaluation seeds refused."""
    worlds = [("fw", s) for s in _seeds(args.foreign)] + [("sim", s) for s in _seeds(args.simulate)]
    if any(seed >= 1000 for _, seed in worlds):
        ap.error("seeds of 1000 and above are evaluation seeds: choose nothing on them")
    args.dir.mkdir(parents=True, exist_ok=True)
    return worlds


def _table(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / f"{name}.csv"
    if not path.exists():
        path = next(folder.rglob(f"{name}.csv"))
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _hours(ts: str) -> float:
    return datetime.fromisoformat(ts[:19]).timestamp() / 3600.0


def build(base: Path, kind: str, seed: int, size: str, reuse: bool) -> tuple[Path, Path]:
    """The world and its home under `base` (built and imported unless `reuse` finds them)."""
    name = f"{kind}-{size}-{seed}"
    world, home = base / name, base / f"h-{name}"
    if reuse and (home / ".imported").exists():
        return world, home
    for path in (world, home):
        shutil.rmtree(path, ignore_errors=True)
    cli = [sys.executable, "-m", "chaincut"]
    if kind == "fw":
        made = [*cli, "foreign-world", str(world), "--seed", str(seed), "--size", size]
    else:
        made = [*cli, "simulate", str(world), "--scale", size, "--seed", str(seed), "--randomise"]
    for cmd in (made, [*cli, "import", str(world), "--home", str(home)]):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    (home / ".imported").touch()
    return world, home


def analyse_world(world: Path, home: Path) -> tuple[list[list[str]], Any, dict[str, Any]]:
    """The final groups (`analyse`'s, as `relate_gangs` gets them), the truth and the figures."""
    import importlib

    from chaincut.gangs import collect
    from chaincut.gangs.evaluate import evaluate, read_truth
    from chaincut.lake.engine import get_engine
    from chaincut.settings import load_settings

    module = importlib.import_module("chaincut.gangs.analyse")
    seen: list[list[str]] = []
    relate = module.relate_gangs

    def keep(gangs: Any, groups: list[list[str]], graph: Any, ev: Any) -> None:
        seen.extend(list(g) for g in groups)
        relate(gangs, groups, graph, ev)

    with get_engine(load_settings(home)) as lake:
        evidence = collect(lake)
    module.relate_gangs = keep
    try:
        analysis = module.analyse(evidence)
    finally:
        module.relate_gangs = relate
    truth = read_truth(world)
    return seen, truth, evaluate(analysis.gangs, truth)


def _contacts(world: Path) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for c in _table(world, "calls"):
        out[c["caller"]][c["callee"]] += 1
        out[c["callee"]][c["caller"]] += 1
    for m in _table(world, "messages"):
        out[m["sender"]][m["receiver"]] += 1
        out[m["receiver"]][m["sender"]] += 1
    return out


def ties(world: Path, groups: list[list[str]], truth: Any, hours: float) -> list[dict[str, Any]]:
    """One row per pair of groups holding reports: `half`, then each candidate tie."""
    from chaincut.text.indicators import extract_indicators

    accounts = {a["account_id"]: a for a in _table(world, "accounts")}
    reports = {r["report_id"]: r for r in _table(world, "reports")}
    persons = {p["person_id"]: p for p in _table(world, "persons")}
    paid: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    busy: dict[str, list[float]] = defaultdict(list)
    payers: dict[str, set[str]] = defaultdict(set)
    for t in _table(world, "transactions"):
        if t["channel"] in EXITS:
            at = _hours(t["ts"])
            paid[t["src_account"]].append((EXITS[t["channel"]], t["dst_account"], at))
            busy[t["dst_account"]].append(at)
            payers[t["dst_account"]].add(t["src_account"])
    for times in busy.values():
        times.sort()
    talk = _contacts(world)
    inbox: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for m in _table(world, "messages"):
        found = {(i.kind, i.value) for i in extract_indicators(m["text"]) if i.kind in LINKING}
        inbox[m["receiver"]] |= found
    victims = {r.get("victim_id") for r in reports.values()}
    true_of = {r: k for k, t in enumerate(truth) for r in t.reports}
    found_in: Counter[tuple[str, str]] = Counter()
    rows: list[dict[str, Any]] = []
    made = []
    for group in groups:
        ids = [n.split(":", 1)[1] for n in group if n.startswith("report:")]
        if not ids:
            continue
        accs = {n.split(":", 1)[1] for n in group if n.startswith("account:")}
        held = {accounts[a].get("holder_id", "") for a in accs if a in accounts}
        phones = {persons[h]["phone"] for h in held - victims if persons.get(h, {}).get("phone")}
        seen: set[tuple[str, str]] = set()
        for r in ids:
            phone = persons.get(reports[r].get("victim_id") or "", {}).get("phone", "")
            seen |= inbox.get(phone, set())
        found_in.update(seen)
        made.append(
            {
                "gang": Counter(true_of.get(r, -1) for r in ids).most_common(1)[0][0],
                "exits": [e for a in accs for e in paid.get(a, [])],
                "types": Counter(reports[r].get("fraud_type") or "" for r in ids),
                "phones": phones,
                "seen": seen,
            }
        )
    n_accounts = max(len(accounts), 2)
    for i, a in enumerate(made):
        for j in range(i + 1, len(made)):
            b = made[j]
            row: dict[str, Any] = {
                "world": world.name,
                "i": i,
                "j": j,
                "half": a["gang"] == b["gang"],
            }
            fewer = max(1, min(len(a["exits"]), len(b["exits"])))
            for kind in EXITS.values():
                ea = [e for e in a["exits"] if e[0] == kind]
                eb = [e for e in b["exits"] if e[0] == kind]
                shared = {e[1] for e in ea} & {e[1] for e in eb}
                rarity = sum(math.log(n_accounts / len(payers[p])) for p in shared)
                crew = 0.0
                for _, place, at in ea:
                    if place not in shared:
                        continue
                    times = busy[place]
                    load = bisect.bisect_right(times, at + hours) - bisect.bisect_left(
                        times, at - hours
                    )
                    near = sum(1 for _, p, bt in eb if p == place and abs(bt - at) <= hours)
                    crew += near / max(load, 1)
                row[f"{kind} (rarity)"] = rarity
                row[f"{kind} (per exit)"] = rarity / fewer
                row[f"{kind} within {hours:g} h"] = crew
            small, large = sorted((a["types"], b["types"]), key=lambda c: sum(c.values()))
            row["fraud_type"] = sum(n for t, n in small.items() if t and large[t]) / sum(
                small.values()
            )
            row["indicators"] = sum(1.0 / found_in[k] for k in a["seen"] & b["seen"])
            pa, pb = a["phones"], b["phones"]
            fewest = max(1, min(len(pa), len(pb)))
            row["holders talk"] = sum(talk[x][y] for x in pa for y in pb if x != y) / fewest
            common = (set().union(*(talk[x] for x in pa)) & set().union(*(talk[y] for y in pb))) - (
                pa | pb
            )
            abroad = [x for x in common if not x.startswith("+86")]
            row["holders' contacts abroad"] = sum(1.0 / len(talk[x]) for x in abroad) / fewest
            rows.append(row)
    return rows


def auc(rows: list[dict[str, Any]], key: str) -> float:
    """P(a halves pair's tie > a different pair's), ties counted half."""
    pos = [r[key] for r in rows if r["half"]]
    neg = [r[key] for r in rows if not r["half"]]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def strongest(rows: list[dict[str, Any]], key: str) -> tuple[int, int, int]:
    """For each group that is half of a split gang: its strongest tie goes to its own gang's
    other half, to another gang, or there is none."""
    by: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[(r["world"], r["i"])].append(r)
        by[(r["world"], r["j"])].append(r)
    own = other = none = 0
    for pairs in by.values():
        if not any(r["half"] for r in pairs):
            continue
        best = max(pairs, key=lambda r: r[key])
        if best[key] <= 0:
            none += 1
        elif best["half"]:
            own += 1
        else:
            other += 1
    return own, other, none


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, required=True, help="where worlds and homes go")
    ap.add_argument("--foreign", default="", help="foreign-world seeds, as 800-805,812")
    ap.add_argument("--simulate", default="", help="simulator seeds (--randomise), as 806-811")
    ap.add_argument("--size", default="tiny", choices=("tiny", "small"), help="world size")
    ap.add_argument("--hours", type=float, default=6.0, help="the window of a shared exit")
    ap.add_argument("--reuse", action="store_true", help="keep worlds already built in --dir")
    args = ap.parse_args(argv)
    worlds = [("fw", s) for s in _seeds(args.foreign)] + [("sim", s) for s in _seeds(args.simulate)]
    if any(seed >= 1000 for _, seed in worlds):
        ap.error("seeds of 1000 and above are evaluation seeds: choose nothing on them")
    args.dir.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for kind, seed in worlds:
        world, home = build(args.dir, kind, seed, args.size, args.reuse)
        groups, truth, figures = analyse_world(world, home)
        rows += ties(world, groups, truth, args.hours)
        f1, precision = figures["report_pair_f1"], figures["report_pair_precision"]
        print(f"{world.name}: report-pair F1 {f1:.2f} ({precision:.2f})", flush=True)
    halves = sum(r["half"] for r in rows)
    print(f"\n{halves} halves, {len(rows) - halves} different\n")
    print("| tie | AUC | halves with it | different with it | strongest own / other / none |")
    print("|---|---|---|---|---|")
    for key in [k for k in (rows[0] if rows else {}) if k not in ("world", "i", "j", "half")]:
        has = sum(r[key] > 0 and r["half"] for r in rows)
        other = sum(r[key] > 0 and not r["half"] for r in rows)
        own, away, none = strongest(rows, key)
        print(f"| {key} | {auc(rows, key):.2f} | {has} | {other} | {own} / {away} / {none} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
