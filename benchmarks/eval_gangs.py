"""The gang analysis on the seven evaluation worlds of docs/gangs.md, as one table.

Builds (or reuses) the worlds the gang figures have been measured on since round eight: the
demo city (`chaincut simulate demo7 --scale tiny --seed 7`), three randomised simulator worlds
(`--randomise`, seeds 1001-1003) and three foreign worlds (`chaincut foreign-world --size
tiny`, seeds 1007, 1011, 1013), imports each into a home of its own, runs `chaincut gangs --home
H --json --evaluate WORLD` on each and prints docs/gangs.md's table (Markdown) from the last line
of each run (the evaluation JSON). Evaluation seeds (1000 and above, and the demo's): never
choose anything on them.

Usage (from the checkout, with the project installed):

    python benchmarks/eval_gangs.py --dir /tmp/g11e --out /tmp/g11e/figures.json
        [--reuse]          # keep worlds and homes already built in --dir (re-run gangs only)
        [--jobs 2]         # worlds analysed at once
        [--only fw-1013 ...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# name -> the command (after `chaincut`) that writes the world into the folder given last
WORLDS: dict[str, list[str]] = {
    "demo7": ["simulate", "--scale", "tiny", "--seed", "7"],
    "sim-r1001": ["simulate", "--scale", "tiny", "--seed", "1001", "--randomise"],
    "sim-r1002": ["simulate", "--scale", "tiny", "--seed", "1002", "--randomise"],
    "sim-r1003": ["simulate", "--scale", "tiny", "--seed", "1003", "--randomise"],
    "fw-1007": ["foreign-world", "--seed", "1007", "--size", "tiny"],
    "fw-1011": ["foreign-world", "--seed", "1011", "--size", "tiny"],
    "fw-1013": ["foreign-world", "--seed", "1013", "--size", "tiny"],
}

ROLE_COLUMNS = [
    ("card dealer", "card_dealer"),
    ("financier", "financier"),
    ("core member", "core_member"),
    ("operator persons", "operator"),
]
LATER_ROLES = [
    ("launderer", "launderer"),
    ("logistics", "logistics"),
    ("recruiter", "recruiter"),
    ("mule", "mule"),
]


def _chaincut() -> list[str]:
    return [sys.executable, "-m", "chaincut"]


def _run(args: list[str], log: Path) -> str:
    with log.open("a", encoding="utf-8") as fh:
        fh.write("$ chaincut " + " ".join(args) + "\n")
        done = subprocess.run(
            [*_chaincut(), *args], stdout=subprocess.PIPE, stderr=fh, text=True, check=False
        )
    if done.returncode:
        raise SystemExit(f"chaincut {' '.join(args)} failed ({done.returncode}); see {log}")
    return done.stdout


def one_world(name: str, base: Path, reuse: bool) -> dict[str, Any]:
    """Build and import `name` under `base` (unless `reuse` finds it there) and evaluate."""
    world, home, log = base / name, base / f"h-{name}", base / f"{name}.log"
    if not (reuse and world.exists() and home.exists()):
        for path in (world, home):
            shutil.rmtree(path, ignore_errors=True)
        log.unlink(missing_ok=True)
        cmd = WORLDS[name]
        _run([cmd[0], str(world), *cmd[1:]], log)
        _run(["import", str(world), "--home", str(home)], log)
    start = time.perf_counter()
    out = _run(["gangs", "--home", str(home), "--json", "--evaluate", str(world)], log)
    last: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    figures: dict[str, Any] = last.get("evaluation", last)
    figures["seconds"] = round(time.perf_counter() - start, 1)
    return figures


def _pr(d: dict[str, Any]) -> str:
    return f"{d.get('precision', 0.0):.2f} / {d.get('recall', 0.0):.2f}"


def table(results: dict[str, dict[str, Any]]) -> str:
    """docs/gangs.md's table of the worlds in `results`."""
    head = [
        "world",
        "reports",
        "gangs (true)",
        "report-pair F1 (precision)",
        "card recall (of recorded)",
        "innocent (listed)",
        "innocent persons",
        *(f"{label} P / R" for label, _ in ROLE_COLUMNS),
        "operator lines P / R",
        *(f"{label} P / R" for label, _ in LATER_ROLES),
    ]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    order = {name: k for k, name in enumerate(WORLDS)}
    for name in sorted(results, key=lambda n: (order.get(n, len(order)), n)):
        f = results[name]
        roles = f.get("roles", {})
        cells = [
            name,
            str(f["reports"]),
            f"{f['gangs']} ({f['true_gangs']})",
            f"{f['report_pair_f1']:.2f} ({f['report_pair_precision']:.2f})",
            f"{f['mule_card_recall']:.2f} ({f.get('card_recall_recorded', 0.0):.2f})",
            f"{f['innocent_share']:.3f} ({f['mule_cards_listed']})",
            str(f.get("innocent_persons", "—")),
            *(_pr(roles.get(key, {})) for _, key in ROLE_COLUMNS),
            _pr(f.get("operator_lines", {})),
            *(_pr(roles.get(key, {})) for _, key in LATER_ROLES),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


#: (round thirteen) the roles whose missed and wrong persons the evaluation counts by why
MISSED_ROLES = [("card dealer", "card_dealer"), ("financier", "financier"),
                ("core member", "core_member")]  # fmt: skip


def _why(missed: dict[str, Any], wrong: dict[str, int]) -> str:
    other = ", ".join(f"{n} {r}" for r, n in sorted(missed.get("other_role", {}).items()))
    named = ", ".join(f"{n} {r}" for r, n in sorted(wrong.items()))
    return (f"{missed.get('unrecorded', 0)} / {missed.get('not_named', 0)} / {other or 0}"
            f" / {named or 0}")  # fmt: skip


def missed_table(results: dict[str, dict[str, Any]]) -> str:
    """(round thirteen) Per world and role, the true persons missed: in no record of the
    world / recorded but named nothing / named in another role; and the persons named in
    the role wrongly, by their true role (`roles_missed`, `roles_wrong`)."""
    head = ["world", *(f"{label}: unrecorded / not named / other role / wrong"
                       for label, _ in MISSED_ROLES)]  # fmt: skip
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    order = {name: k for k, name in enumerate(WORLDS)}
    for name in sorted(results, key=lambda n: (order.get(n, len(order)), n)):
        f = results[name]
        missed, wrong = f.get("roles_missed", {}), f.get("roles_wrong", {})
        cells = [name, *(_why(missed.get(k, {}), wrong.get(k, {})) for _, k in MISSED_ROLES)]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, required=True, help="where worlds and homes go")
    ap.add_argument("--out", type=Path, help="write every world's evaluation JSON here")
    ap.add_argument("--reuse", action="store_true", help="keep worlds already built in --dir")
    ap.add_argument("--jobs", type=int, default=2, help="worlds analysed at once")
    ap.add_argument("--only", nargs="+", choices=sorted(WORLDS), help="these worlds only")
    ap.add_argument("--table", type=Path, help="print the table of an --out file and stop")
    args = ap.parse_args(argv)
    if args.table:
        results = json.loads(args.table.read_text(encoding="utf-8"))
        print(table(results) + "\n\n" + missed_table(results))
        return 0
    args.dir.mkdir(parents=True, exist_ok=True)
    names = args.only or list(WORLDS)
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        figures = pool.map(lambda n: one_world(n, args.dir, args.reuse), names)
        done = dict(zip(names, figures, strict=True))
    if args.out:
        args.out.write_text(json.dumps(done, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(table(done) + "\n\n" + missed_table(done))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
