"""Early warning through `POST /v1/events`: events per second and the time until a batch's
warnings are on the worklist, beside a baseline that only parses the same events.

    python benchmarks/bench_warn.py                      # a simulated world of ~10 k txns
    python benchmarks/bench_warn.py --scale 50000 --batch 5000

The events of a simulated world (calls, messages, transactions, in time order) are sent in
batches to the app in-process (FastAPI's TestClient: the HTTP stack without a socket), as an
operator or bank would push them, with a SQLite store. The baseline, in the same run, parses
the same request bodies into events (JSON, the request model, `parse_event`) and does nothing
else. The first POST (which loads the directory and the text model) is timed apart from the
steady rate of the others. A batch's warnings are on the worklist when its POST answers (the endpoint commits
first), so the batch latency is the time to the worklist.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from chaincut.services.warning_schemas import EventBatch
from chaincut.warning.events import parse_event

TABLES = {"calls": "call", "messages": "message", "transactions": "transaction"}


def world_events(folder: Path) -> list[dict[str, Any]]:
    events: list[tuple[str, str, dict[str, Any]]] = []
    for table, kind in TABLES.items():
        with (folder / f"{table}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                keep = {k: v for k, v in row.items() if v != ""}
                events.append((row["ts"], kind, keep))
    events.sort(key=lambda e: e[0])
    return [{"kind": kind, "row": row} for _, kind, row in events]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10_000, help="simulated transactions")
    parser.add_argument("--batch", type=int, default=2_000, help="events per POST")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from chaincut.ingest import import_folder
    from chaincut.service import create_app
    from chaincut.settings import Settings
    from chaincut.simulate import simulate
    from chaincut.store import open_store, user
    from chaincut.store.enums import Role

    with tempfile.TemporaryDirectory(prefix="bench-warn-") as tmp:
        root = Path(tmp)
        simulate(root / "world", seed=args.seed, scale=args.scale, fmt="csv")
        settings = Settings(home=root / "home")
        import_folder(settings, root / "world")  # the directory: who holds which phone/account
        events = world_events(root / "world")
        bodies = [
            json.dumps({"events": events[i : i + args.batch]}, ensure_ascii=False)
            for i in range(0, len(events), args.batch)
        ]
        started, cpu = time.perf_counter(), time.process_time()
        for body in bodies:
            batch = EventBatch.model_validate_json(body)
            for item in batch.events:
                parse_event(item.kind, item.row)
        parse_s = time.perf_counter() - started
        parse_cpu = time.process_time() - cpu

        store = open_store(f"sqlite:///{root / 'store.db'}")
        with store.session() as s:
            user.create_user(s, "police", Role.analyst, None)
            token = user.issue_token(s, "police")
        app = create_app(settings, store=store, console=False)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        latencies: list[float] = []
        raised = 0
        with TestClient(app) as client:
            # the first batch loads the directory (persons, accounts) and the text model
            t0 = time.perf_counter()
            client.post("/v1/events", content=bodies[0], headers=headers).raise_for_status()
            first_ms = (time.perf_counter() - t0) * 1000
            started, cpu = time.perf_counter(), time.process_time()
            for body in bodies[1:]:
                t0 = time.perf_counter()
                r = client.post("/v1/events", content=body, headers=headers)
                latencies.append(time.perf_counter() - t0)
                r.raise_for_status()
                raised += len(r.json()["warnings"])
            full_s = time.perf_counter() - started
            full_cpu = time.process_time() - cpu
        store.close()
    n = len(events)
    steady = n - len(EventBatch.model_validate_json(bodies[0]).events)
    result = {
        "events": n,
        "batch": args.batch,
        "warnings_raised_or_raised_in_score": raised,
        "parse_only_events_per_s": round(n / parse_s),
        "first_batch_ms": round(first_ms, 1),
        "post_events_per_s": round(steady / full_s),
        "ratio_to_parse_only": round((steady / full_s) / (n / parse_s), 3),
        # CPU seconds of the process (the app runs in its threads): steadier on a shared machine
        "parse_only_cpu_events_per_s": round(n / parse_cpu),
        "post_cpu_events_per_s": round(steady / full_cpu),
        "cpu_ratio_to_parse_only": round((steady / full_cpu) / (n / parse_cpu), 3),
        "load_average": round(os.getloadavg()[0], 1),
        "batch_to_worklist_ms_p50": round(statistics.median(latencies) * 1000, 1),
        "batch_to_worklist_ms_max": round(max(latencies) * 1000, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
