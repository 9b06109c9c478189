"""Load benchmark of the service: p50/p99 latency of the self-check and of filing a report
(trace + freeze orders + audit) at fixed request rates, on 127.0.0.1 only.

    .venv/bin/python benchmarks/bench_service.py                  # simulated tiny city
    .venv/bin/python benchmarks/bench_service.py --home HOME      # an existing home's lake
    .venv/bin/python benchmarks/bench_service.py --postgres       # a throw-away PostgreSQL store

Before the HTTP part, the SQLite store's writers are measured in-process: many threads writing
small transactions (an audit entry each) with the one-writer gate of `chaincut.store.database`
and, as the baseline in the same run, without it (SQLite's own busy handler only).

The server runs in its own process (uvicorn, one worker) with a SQLite store; the client sends
requests open-loop on a fixed schedule and measures each latency from its scheduled start, so a
slow server cannot hide its queueing (no coordinated omission). Every run is bounded: at most
`--seconds` per rate and `--max-requests` per rate.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

SERVER = """
import sys, uvicorn
from chaincut.service import create_app
from chaincut.settings import Settings
settings = Settings(home=sys.argv[1], store_url=sys.argv[3])
app = create_app(settings, self_check_rate=1e9, self_check_burst=10**9)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def prepare_home(home: Path | None, workdir: Path) -> tuple[Path, list[dict[str, Any]]]:
    """A home with a lake, and report bodies built from its reports (fraud transfers known)."""
    from chaincut.ingest import import_folder
    from chaincut.lake.catalog import connect
    from chaincut.settings import Settings

    if home is None:
        from chaincut.simulate import simulate

        home = workdir / "home"
        simulate(workdir / "world", seed=7, scale="tiny", fmt="csv")
        import_folder(Settings(home=home), workdir / "world")
    con = connect(Settings(home=home), read_only=True)
    try:
        rows = con.execute(
            "SELECT report_id, ts, victim_account, fraud_txn_ids FROM reports ORDER BY report_id"
        ).fetchall()
    finally:
        con.close()
    bodies = [
        {"victim_account": v, "fraud_txn_ids": list(ids), "filed_at": ts.isoformat() + "Z"}
        for _, ts, v, ids in rows
    ]
    return home, bodies


def _write_load(store: Any, threads: int, sessions: int) -> tuple[float, int, list[float]]:
    """`threads` threads each writing `sessions` one-entry transactions: seconds, errors,
    latencies."""
    import threading

    from chaincut.store import audit

    errors: list[BaseException] = []
    latencies: list[float] = []

    def work(n: int) -> None:
        for i in range(sessions):
            t0 = time.perf_counter()
            try:
                with store.session() as s:
                    audit.record(s, f"u{n}", "bench", "person", f"P{i}")
            except Exception as exc:  # counted, not fatal: that is what is measured
                errors.append(exc)
            latencies.append(time.perf_counter() - t0)

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - started, len(errors), sorted(latencies)


def bench_writers(workdir: Path, threads: int, sessions: int) -> list[dict[str, Any]]:
    """Transactions per second of `threads` threads writing `sessions` small transactions
    each, without the writer gate (its lock made a no-op: SQLite's busy handler only) and
    with it."""
    import shutil

    from chaincut.store import open_store
    from chaincut.store.database import WriterGate

    template = workdir / "writers-template.db"
    open_store(f"sqlite:///{template}").close()
    out = []
    for gated in (False, True):
        path = workdir / f"writers-{gated}.db"
        shutil.copyfile(template, path)
        saved = WriterGate.acquire, WriterGate.release
        if not gated:
            WriterGate.acquire = WriterGate.release = lambda _self: None  # type: ignore[method-assign]
        try:
            with open_store(f"sqlite:///{path}") as store:
                elapsed, errors, latencies = _write_load(store, threads, sessions)
        finally:
            WriterGate.acquire, WriterGate.release = saved  # type: ignore[method-assign]
        out.append(
            {
                "writers": "gate" if gated else "busy handler only",
                "threads": threads,
                "transactions": threads * sessions,
                "errors": errors,
                "per_s": round(threads * sessions / elapsed, 1),
                "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
                "p99_ms": round(latencies[int(0.99 * len(latencies))] * 1000, 1),
            }
        )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def analyst_token(store_url: str) -> str:
    from chaincut.store import open_store, user

    with open_store(store_url) as store, store.session() as s:
        if s.get(user.User, "bench") is None:
            user.create_user(s, "bench", "analyst")
        return user.issue_token(s, "bench")


async def run_rate(
    client: httpx.AsyncClient, make: Any, rate: float, seconds: float, cap: int
) -> dict[str, Any]:
    n = min(cap, max(1, int(rate * seconds)))
    latencies: list[float] = []
    errors = 0
    failures: dict[str, int] = {}
    start = time.perf_counter() + 0.05

    async def one(i: int) -> None:
        nonlocal errors
        scheduled = start + i / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        method, path, body = make(i)
        try:
            r = await client.request(method, path, json=body)
        except httpx.HTTPError as exc:
            errors += 1
            failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
            return
        latencies.append(time.perf_counter() - scheduled)
        if r.status_code >= 400:
            errors += 1
            key = f"{r.status_code} {r.text[:80]}"
            failures[key] = failures.get(key, 0) + 1

    await asyncio.gather(*(one(i) for i in range(n)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    if not latencies:
        latencies = [float("nan")]
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "rate": rate,
        "requests": n,
        "errors": errors,
        "achieved_rps": round(n / elapsed, 1),
        "p50_ms": round(pick(0.50), 1),
        "p99_ms": round(pick(0.99), 1),
        "failures": failures,
    }


async def bench(
    url: str, token: str, bodies: list[dict[str, Any]], args: argparse.Namespace
) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    out: list[dict[str, Any]] = []
    async with (
        httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as public,
        httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as client,
    ):
        numbers = ["13800005678", "10000000000", "13900009999"]

        def check(i: int) -> tuple[str, str, Any]:
            # anonymous, as the public asks (the benchmark server lifts the rate limit)
            body = {"kind": "phone", "value": numbers[i % 3]}
            return "POST", "/v1/self-check", body

        counter = iter(range(10**9))

        def report(i: int) -> tuple[str, str, Any]:
            body = bodies[i % len(bodies)] | {"report_id": f"B{next(counter):07d}"}
            return "POST", "/v1/reports", body

        await run_rate(public, check, 20, 1, 20)  # warm-up
        for rate in args.check_rates:
            out.append(
                {"endpoint": "POST /v1/self-check"}
                | await run_rate(public, check, rate, args.seconds, args.max_requests)
            )
        await run_rate(client, report, 5, 1, 5)
        for rate in args.report_rates:
            out.append(
                {"endpoint": "POST /v1/reports"}
                | await run_rate(client, report, rate, args.seconds, args.max_requests)
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--home", type=Path, help="an existing home (default: simulate a tiny city)"
    )
    parser.add_argument("--check-rates", type=float, nargs="+", default=[10, 25, 50, 100])
    parser.add_argument("--report-rates", type=float, nargs="+", default=[2, 5, 10, 20])
    parser.add_argument(
        "--store-url", help="the service's store (default: a throw-away SQLite file)"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="store in a throw-away PostgreSQL server on 127.0.0.1 (tests/pg.py)",
    )
    parser.add_argument("--writer-threads", type=int, default=16)
    parser.add_argument("--writer-sessions", type=int, default=50, help="per thread")
    parser.add_argument("--seconds", type=float, default=5.0, help="per rate (bound)")
    parser.add_argument("--max-requests", type=int, default=1000, help="per rate (bound)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.postgres:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
            from tests.pg import running_postgres

            server = stack.enter_context(running_postgres())
            args.store_url = server.create_database("chaincut_bench")
        run(args)


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:  # the store and lake of a simulated city
        writers = bench_writers(Path(tmp), args.writer_threads, args.writer_sessions)
        home, bodies = prepare_home(args.home, Path(tmp))
        # a throw-away store, so a benchmark never files reports into a real one
        store_url = args.store_url or f"sqlite:///{Path(tmp) / 'bench-store.db'}"
        token = analyst_token(store_url)
        port = free_port()
        env = os.environ | {"PYTHONUNBUFFERED": "1"}
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(home), str(port), store_url], env=env
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"{url}/openapi.json", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            results = asyncio.run(bench(url, token, bodies, args))
        finally:
            server.terminate()
            server.wait(10)
    if args.json:
        print(json.dumps({"writers": writers, "http": results}, indent=2))
        return
    print(
        f"{'store writers':<22} {'threads':>7} {'n':>5} {'err':>4} {'tx/s':>7} {'p50 ms':>8} {'p99 ms':>8}"
    )
    for w in writers:
        print(
            f"{w['writers']:<22} {w['threads']:>7} {w['transactions']:>5} {w['errors']:>4} "
            f"{w['per_s']:>7.1f} {w['p50_ms']:>8.1f} {w['p99_ms']:>8.1f}"
        )
    ratio = writers[1]["per_s"] / max(writers[0]["per_s"], 1e-9)
    print(f"gate / busy handler: {ratio:.1f}x the transactions per second\n")
    print(
        f"{'endpoint':<22} {'rate/s':>7} {'n':>5} {'err':>4} {'got/s':>7} {'p50 ms':>8} {'p99 ms':>8}"
    )
    for r in results:
        print(
            f"{r['endpoint']:<22} {r['rate']:>7.0f} {r['requests']:>5} {r['errors']:>4} "
            f"{r['achieved_rps']:>7.1f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f}"
        )
        for what, count in r["failures"].items():
            print(f"{'':<22} {count:>5} x {what}")


if __name__ == "__main__":
    main()
