"""Benchmark: extending the trace index after an append-only import vs rebuilding it whole.

From an existing lake (only read) it makes a lake in `--work` holding everything before a cut
time (the last `--share` of the transactions, and the reports filed after the cut, come later),
builds its index, then appends the rest as an import would (one generation later) and times,
in the same run:

- `ensure_index` extending the index (`chaincut.trace.index.extend`);
- a full rebuild of the same lake (`build_index`), as before;

and checks that both wrote the same arrays. Usage (figures in docs/tracing.md):

    .venv/bin/python benchmarks/bench_index_extend.py --lake HOME/lake.duckdb --share 0.01
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np

from chaincut.lake.catalog import bump_generation, connect
from chaincut.lake.engine import DuckDBEngine
from chaincut.lake.sql import ident, literal
from chaincut.settings import Settings
from chaincut.trace import ensure_index
from chaincut.trace.index.build import build_index

COPIED = ("accounts", "persons", "labels")


def split_lake(src: Path, home: Path, share: float) -> tuple[Settings, str]:
    """A lake in `home` with the source's transactions and reports before the cut time."""
    settings = Settings(home=home)
    con = connect(settings)
    con.execute(f"ATTACH {literal(str(src))} AS src (READ_ONLY)")
    # the quantile must be a constant in the text: a float computed here, not input
    cut = con.execute(
        f"SELECT quantile_disc(ts, {float(1 - share)}) FROM src.transactions"  # noqa: S608 - a float
    ).fetchall()[0][0]
    for table in COPIED:
        con.execute(f"INSERT INTO {ident(table)} SELECT * FROM src.{ident(table)}")  # noqa: S608 - ident() names
    con.execute("INSERT INTO transactions SELECT * FROM src.transactions WHERE ts < ?", [cut])
    con.execute("INSERT INTO reports SELECT * FROM src.reports WHERE ts < ?", [cut])
    bump_generation(con)
    con.close()
    return settings, str(cut)


def append_rest(src: Path, settings: Settings, cut: str) -> int:
    """What a later import brings: the transactions and reports from the cut on."""
    con = connect(settings)
    con.execute(f"ATTACH '{src}' AS src (READ_ONLY)")
    con.execute("INSERT INTO transactions SELECT * FROM src.transactions WHERE ts >= ?", [cut])
    con.execute("INSERT INTO reports SELECT * FROM src.reports WHERE ts >= ?", [cut])
    added = int(
        con.execute("SELECT count(*) FROM src.transactions WHERE ts >= ?", [cut]).fetchall()[0][0]
    )
    bump_generation(con)
    con.close()
    return added


def same(a: Path, b: Path) -> bool:
    return all(
        np.array_equal(np.load(f, mmap_mode="r"), np.load(b / f.name, mmap_mode="r"))
        for f in sorted(a.glob("*.npy"))
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--lake", type=Path, required=True, help="the lake to take the ledger from")
    ap.add_argument("--share", type=float, default=0.01, help="share of transactions appended")
    ap.add_argument("--work", type=Path, default=Path("bench-data/extend"))
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    home = args.work / f"home-{args.lake.parent.name}-{args.share}"
    shutil.rmtree(home, ignore_errors=True)
    settings, cut = split_lake(args.lake, home, args.share)
    t = time.perf_counter()
    base = ensure_index(settings)
    first = time.perf_counter() - t
    added = append_rest(args.lake, settings, cut)
    t = time.perf_counter()
    extended = ensure_index(settings)
    extend_s = time.perf_counter() - t
    full = args.work / "full"
    shutil.rmtree(full, ignore_errors=True)
    t = time.perf_counter()
    with DuckDBEngine.private(settings) as engine:  # as ensure_index builds
        build_index(engine, full)
    rebuild_s = time.perf_counter() - t
    res = {
        "transactions": extended.meta["transactions"],
        "appended": added,
        "extended": "extended_from" in extended.meta and extended.path != base.path,
        "first_build_s": round(first, 1),
        "extend_s": round(extend_s, 1),
        "rebuild_s": round(rebuild_s, 1),
        "ratio_rebuild_over_extend": round(rebuild_s / extend_s, 1),
        "equal_arrays": same(extended.path, full),
    }
    for key, value in res.items():
        print(f"  {key:28s} {value}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    shutil.rmtree(full, ignore_errors=True)


if __name__ == "__main__":
    main()
