"""`simulate()`: build a world and write it in the interchange format, with its ground truth.

Order of work: the city (people, accounts), the fraud side in memory (dens, victims and the
event-driven money chain, which is small), then the bulk tables streamed chunk by chunk, each
chunk holding the normal rows of one time slice merged with the fraud rows of that slice.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pyarrow as pa

from chaincut.simulate import normal_comms, normal_txn
from chaincut.simulate.clock import Clock, Slice, slice_of
from chaincut.simulate.fraud import build_fraud
from chaincut.simulate.fraud_comms import FraudComms
from chaincut.simulate.labels import entity_labels, mark_roles, message_labels
from chaincut.simulate.laundering import Engine
from chaincut.simulate.lookalikes import label_accounts, plan_lookalikes, trader_sales, via_agents
from chaincut.simulate.params import Format, SimParams, Sizes, default_format, resolve_scale
from chaincut.simulate.registration import registration_phones
from chaincut.simulate.rows import Calls, Messages, Txns
from chaincut.simulate.tables import Formatter, schema_for
from chaincut.simulate.texts import normal_pool
from chaincut.simulate.truth import (
    assign_report_ids,
    money,
    reports_table,
    world_json,
    write_json,
    write_truth,
)
from chaincut.simulate.world import World, build_world
from chaincut.simulate.writer import BackgroundWriter, TableFile

#: progress(step, done, total): steps are "world", "fraud", "transactions", "calls", "messages"
Progress = Callable[[str, int, int], None]
RELAY_FACTOR = 1.09  # normal payments routed through pooled accounts add about 9 % rows
TABLES = ("accounts", "persons", "transactions", "calls", "messages", "reports", "labels")


@dataclass
class SimSummary:
    """What a run wrote."""

    out_dir: str
    seed: int
    scale: int
    format: str
    rows: dict[str, int]
    truth_rows: dict[str, int]
    dens: int
    victims: int
    reports: int
    simboxes: int
    reported_loss: str
    seconds: float
    rows_per_second: float
    files: list[str] = field(default_factory=list)


def _no_progress(*_: str | int) -> None:
    return None


def simulate(
    out_dir: Path | str,
    seed: int = 0,
    scale: str | int = "tiny",
    fmt: Format | None = None,
    params: SimParams | None = None,
    progress: Progress | None = None,
) -> SimSummary:
    """Write a synthetic city with fraud gangs to `out_dir`; deterministic by (seed, scale, params).

    Files: `<table>.csv` or `<table>.parquet` for every interchange table, and `truth/`
    (holdings.csv, exits.csv, spent.csv, world.json) which importers never read.
    """
    started = time.perf_counter()
    params = params or SimParams()
    out = Path(out_dir)
    n_txns = resolve_scale(scale)
    fmt = fmt or default_format(n_txns)
    report = progress or _no_progress
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)

    report("world", 0, 3)
    sizes = Sizes.for_scale(n_txns, params)
    world = build_world(seed, params, sizes)
    report("world", 1, 3)
    dens, victims = build_fraud(world)
    for reg in (world.persons, world.accounts, world.phones, world.devices):
        reg.finish()
    engine = Engine(world, dens, victims, params)
    fraud_txns = engine.run()
    mark_roles(world.accounts, world.persons, dens, victims)
    label_accounts(world.accounts, sorted(engine.bystanders), "bystander")
    world.looks = plan_lookalikes(world)
    world.reg_phone = registration_phones(world, dens)
    report("world", 2, 3)
    pool, n_chat = normal_pool(seed, min(20_000, max(2_000, sizes.messages // 200)))
    comms = FraudComms(world, dens, victims, params)
    fraud_calls, fraud_msgs = comms.build(len(pool))
    text_pool = pa.concat_arrays([pool, pa.array(comms.texts, pa.string())])
    report("world", 3, 3)

    f = Formatter(world, fmt, text_pool)
    files = {t: TableFile(out / f"{t}.{fmt}", schema_for(t, fmt), fmt) for t in TABLES}
    # one writer thread per group of files: each file is written by one thread, in order
    w_txn, w_call, w_msg = BackgroundWriter(), BackgroundWriter(), BackgroundWriter()
    writers = (w_txn, w_call, w_msg)
    try:
        w_txn.write(files["accounts"], f.accounts)
        w_txn.write(files["persons"], f.persons)
        w_msg.submit(partial(_write_entity_labels, world, files["labels"], fmt))
        _transactions(world, fraud_txns, f, files["transactions"], w_txn, report)
        _calls(world, fraud_calls, f, files["calls"], w_call, report)
        _messages(world, fraud_msgs, n_chat, len(pool), f, files, w_msg, report)
        reported = assign_report_ids(victims)
        w_txn.write(files["reports"], partial(reports_table, world, reported, fmt, f))
        for w in writers:
            w.finish()
    except BaseException:
        for w in writers:
            w.abandon()
        for tf in files.values():
            tf.discard()
        raise
    for tf in files.values():
        tf.close()
    truth_rows = write_truth(out / "truth", world, reported, engine.prov, f)
    rows = {t: tf.rows for t, tf in files.items()}
    elapsed = time.perf_counter() - started
    info = {
        "scale": n_txns,
        "format": fmt,
        "counts": rows,
        "truth_counts": truth_rows,
        "unreported_victims": len(victims) - len(reported),
    }
    write_json(out / "truth" / "world.json", world_json(world, dens, victims, params, info))

    return SimSummary(
        out_dir=str(out),
        seed=seed,
        scale=n_txns,
        format=fmt,
        rows=rows,
        truth_rows=truth_rows,
        dens=len(dens),
        victims=len(victims),
        reports=len(reported),
        simboxes=sum(len(d.boxes) for d in dens),
        reported_loss=money(sum(v.loss for v in reported)),
        seconds=round(elapsed, 3),
        rows_per_second=round(sum(rows.values()) / max(elapsed, 1e-9)),
        files=sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()),
    )


def _remove_stale(out: Path) -> None:
    """Remove interchange files of an earlier run (either format), so no stale table is read."""
    for t in TABLES:
        for ext in ("csv", "parquet"):
            (out / f"{t}.{ext}").unlink(missing_ok=True)
    for name in ("holdings.csv", "exits.csv", "spent.csv", "world.json", "params.json"):
        (out / "truth" / name).unlink(missing_ok=True)


def _slices_for(clock: Clock, n: int, chunk_rows: int) -> list[Slice]:
    return clock.slices(max(1, math.ceil(n / chunk_rows)))


def _transactions(
    world: World,
    fraud: Txns,
    f: Formatter,
    target: TableFile,
    bg: BackgroundWriter,
    report: Progress,
) -> None:
    salaries = normal_txn.salary_rows(world)
    acc_count = int((world.accounts.col["kind"] >= 0).sum())
    estimate = max(0, world.sizes.transactions - len(fraud) - len(salaries) - acc_count // 2)
    budget = normal_txn.spending_budgets(world, estimate)
    deposits = normal_txn.opening_deposits(world, budget, salaries)
    n_normal = max(0, world.sizes.transactions - len(fraud) - len(salaries) - len(deposits))
    n_random = int(n_normal / RELAY_FACTOR)
    slices = _slices_for(world.txn_clock, n_random, world.params.chunk_rows)
    bg.write(target, partial(f.transactions, deposits))
    if world.looks is not None:
        salaries = via_agents(world, world.looks, salaries)
    extra = Txns.concat([salaries, fraud])
    where = slice_of(slices, extra.ts)
    remaining = budget.copy()
    share = _split_count(n_random, len(slices))
    for part in slices:
        rows = normal_txn.normal_txns(world, part, share[part.index], remaining)
        if world.looks is not None:
            rows = trader_sales(world, world.looks, part, rows, len(rows))
        chunk = Txns.concat([rows, extra.take(np.flatnonzero(where == part.index))]).sorted()
        bg.write(target, partial(f.transactions, chunk))
        report("transactions", part.index + 1, len(slices))


def _calls(
    world: World,
    fraud: Calls,
    f: Formatter,
    target: TableFile,
    bg: BackgroundWriter,
    report: Progress,
) -> None:
    n = max(0, world.sizes.calls - len(fraud))
    slices = _slices_for(world.call_clock, n, world.params.chunk_rows)
    where = slice_of(slices, fraud.ts)
    share = _split_count(n, len(slices))
    for part in slices:
        rows = normal_comms.normal_calls(world, part, share[part.index])
        chunk = Calls.concat([rows, fraud.take(np.flatnonzero(where == part.index))]).sorted()
        bg.write(target, partial(f.calls, chunk))
        report("calls", part.index + 1, len(slices))


def _messages(
    world: World,
    fraud: Messages,
    n_chat: int,
    n_pool: int,
    f: Formatter,
    files: dict[str, TableFile],
    bg: BackgroundWriter,
    report: Progress,
) -> None:
    n = max(0, world.sizes.messages - len(fraud))
    slices = _slices_for(world.message_clock, n, world.params.chunk_rows)
    where = slice_of(slices, fraud.ts)
    share = _split_count(n, len(slices))
    for part in slices:
        rows = normal_comms.normal_messages(world, part, share[part.index], n_chat, n_pool)
        chunk = Messages.concat([rows, fraud.take(np.flatnonzero(where == part.index))]).sorted()
        bg.submit(partial(_write_messages, files, f, chunk))
        report("messages", part.index + 1, len(slices))


def _write_entity_labels(world: World, target: TableFile, fmt: Format) -> None:
    for table in entity_labels(world.accounts, world.persons, world.phones, world.devices, fmt):
        target.write(table)


def _write_messages(files: dict[str, TableFile], f: Formatter, chunk: Messages) -> None:
    table = f.messages(chunk)
    files["messages"].write(table)
    ids = table.column("msg_id").combine_chunks()
    files["labels"].write(message_labels(ids, chunk.label, f.fmt))


def _split_count(n: int, k: int) -> list[int]:
    base = [n // k] * k
    for i in range(n - sum(base)):
        base[i] += 1
    return base
