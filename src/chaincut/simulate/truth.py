"""Reports and the ground truth of money: `truth/holdings.csv`, `exits.csv`, `spent.csv` and
`world.json`. For every report, holdings + exits + spent = the reported loss, to the cent.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from chaincut.model.schema import CHANNELS
from chaincut.simulate import scripts
from chaincut.simulate.cold_calls import roaming_lines
from chaincut.simulate.dens import Den
from chaincut.simulate.heavy import heavy_truth
from chaincut.simulate.lots import Outflow, Provenance
from chaincut.simulate.params import Format, SimParams
from chaincut.simulate.simbox import SimBox
from chaincut.simulate.tables import Formatter, build, ts_column
from chaincut.simulate.texts import Renderer
from chaincut.simulate.victims import Victim
from chaincut.simulate.world import World


def money(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2).quantize(Decimal("0.01")))


def iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def assign_report_ids(victims: list[Victim]) -> list[Victim]:
    """Reported victims in report order, numbered RPT-0000001 and up."""
    reported = sorted((v for v in victims if v.reported), key=lambda v: (v.report_ts, v.index))
    for k, v in enumerate(reported, 1):
        v.report_id = f"RPT-{k:07d}"
    return reported


def reports_table(world: World, reported: list[Victim], fmt: Format, f: Formatter) -> pa.Table:
    rr = Renderer(world.seed, "narratives")
    uids = [np.array(v.txn_uids, dtype=np.uint64) for v in reported]
    joined = [";".join(f.txn_ids(u).to_pylist()) for u in uids]
    narrative = [
        rr.render(scripts.NARRATIVE[v.fraud_type], n=str(len(v.pay_ts)), total=money(v.loss))
        for v in reported
    ]
    person_ids, account_ids = world.persons.ids, world.accounts.ids
    return build(
        "reports",
        fmt,
        {
            "report_id": pa.array([v.report_id for v in reported], pa.string()),
            "ts": ts_column(np.array([v.report_ts for v in reported], np.int64), fmt),
            "victim_id": person_ids.take(pa.array([v.person for v in reported], pa.int64())),
            "victim_account": account_ids.take(pa.array([v.account for v in reported], pa.int64())),
            "fraud_txn_ids": pa.array(joined, pa.string()),
            "fraud_type": pa.array([v.fraud_type for v in reported], pa.string()),
            "narrative": pa.array(narrative, pa.string()),
        },
    )


def _grouped(records: list[Outflow]) -> dict[tuple[int, int, int, int], int]:
    out: dict[tuple[int, int, int, int], int] = defaultdict(int)
    for r in records:
        out[(r.victim, r.uid, r.account, r.channel)] += r.cents
    return out


def write_truth(
    folder: Path, world: World, reported: list[Victim], prov: Provenance, f: Formatter
) -> dict[str, int]:
    """The three truth tables; returns their row counts."""
    folder.mkdir(parents=True, exist_ok=True)
    acc = world.accounts
    by_victim = {v.index: v for v in reported}
    counts = {}
    rows: list[list[str]] = []
    for v in reported:
        for account, cents in sorted(
            prov.snapshot[v.index].items(), key=lambda kv: acc.id_of(kv[0])
        ):
            rows.append([v.report_id, acc.id_of(account), money(cents)])
    counts["holdings"] = _write_csv(
        folder / "holdings.csv", ["report_id", "account_id", "amount"], rows
    )
    for name, records in (("exits", prov.exits), ("spent", prov.spent)):
        grouped = _grouped([r for r in records if r.victim in by_victim])
        ids = f.txn_ids(np.array([k[1] for k in grouped], dtype=np.uint64)).to_pylist()
        rows = []
        for (victim, _, account, channel), txn_id in zip(grouped, ids, strict=True):
            row = [by_victim[victim].report_id, str(txn_id), acc.id_of(account)]
            row += [CHANNELS[channel]] if name == "exits" else []
            rows.append([*row, money(grouped[(victim, _, account, channel)])])
        rows.sort()
        header = ["report_id", "txn_id", "account_id"] + (["channel"] if name == "exits" else [])
        counts[name] = _write_csv(folder / f"{name}.csv", [*header, "amount"], rows)
    return counts


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> int:
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    partial.replace(path)
    return len(rows)


def world_json(
    world: World, dens: list[Den], victims: list[Victim], params: SimParams, info: dict[str, Any]
) -> dict[str, Any]:
    """The world's description: parameters, counts, dens with members, phones, devices, cells."""
    p_ids, a_ids, ph_ids = world.persons.ids, world.accounts.ids, world.phones.ids
    d_ids, c_ids = world.devices.ids, world.cells.ids

    def ids(arr: pa.Array, idx: list[int] | np.ndarray) -> list[str]:
        return [str(x) for x in arr.take(pa.array(np.asarray(idx, np.int64))).to_pylist()]

    out_dens = []
    for den in dens:
        mine = [victims[i] for i in den.victim_ids]
        out_dens.append(
            {
                "den_id": den.den_id,
                "fraud_types": list(den.fraud_types),
                "base": {"country": den.base[0], "place": den.base[1]},
                "members": {role: ids(p_ids, people) for role, people in den.members.items()},
                "mobile_phones": ids(ph_ids, [m.phone for m in den.mobiles]),
                "member_phones": ids(
                    ph_ids,
                    sorted(
                        den.phone[p] for ps in den.members.values() for p in ps if p in den.phone
                    ),
                ),
                "mobile_imeis": sorted(set(ids(d_ids, [m.imei for m in den.mobiles]))),
                "roaming_phones": ids(ph_ids, [m.phone for m in roaming_lines(world, den)]),
                "simboxes": [box_truth(world, b) for b in den.boxes],
                "cells": ids(c_ids, den.site_cells) if den.boxes else [],
                "accounts": {
                    **{f"mule_l{k + 1}": ids(a_ids, layer) for k, layer in enumerate(den.layers)},
                    "runner": ids(a_ids, den.runners),
                    "exchange": ids(a_ids, den.exchanges),
                    "foreign": ids(a_ids, den.foreign),
                    **{role: ids(a_ids, a) for role, a in den.member_accounts.items()},
                },
                "victims": ids(p_ids, [v.person for v in mine]),
                "report_ids": [v.report_id for v in mine if v.reported],
                "loss": money(sum(v.loss for v in mine)),
            }
        )
    cells = world.cells
    window = params.window()
    return {
        "seed": world.seed,
        **info,
        "window": {"start": window[0].isoformat(), "end": window[1].isoformat()},
        "params": _jsonable(asdict(params)),
        "dens": out_dens,
        "cells": [
            {"cell_id": str(c), "lat": float(la), "lon": float(lo), "district": int(d)}
            for c, la, lo, d in zip(
                cells.ids.to_pylist(), cells.lat, cells.lon, cells.district, strict=True
            )
        ],
        "heavy_callers": heavy_truth(world),
        "organisations": {
            k: [{"org_id": o, "name": n} for o, n in v] for k, v in world.economy.orgs.items()
        },
    }


def box_truth(world: World, box: SimBox) -> dict[str, Any]:
    """A SIM box in world.json: its slots and SIMs (`sims`: every SIM it called with, the
    swapped-in ones included; `spare_sims`: SIMs of empty slots, never used), IMEIs, cells
    (`cell_id` the first; more after a move), sessions and swaps."""
    ph, dev, cells = world.phones.ids, world.devices.ids, world.cells.ids

    def ids(arr: pa.Array, idx: Any) -> list[str]:
        return [str(x) for x in arr.take(pa.array(np.asarray(idx, np.int64))).to_pylist()]

    used = box.life.used if box.life else box.slots
    session_cells = box.cell_in(np.arange(len(box.sessions), dtype=np.int64))
    swaps = []
    if box.life is not None:
        phones = ids(ph, box.life.swap_phone)
        swaps = [
            {"slot": int(s), "from": iso(int(t)), "sim": n}
            for s, t, n in zip(box.life.swap_slot, box.life.swap_ts, phones, strict=True)
        ]
    return {
        "device_id": box.device_id,
        "slots": box.slots,
        "slots_used": used,
        "rotating_imei": box.rotating,
        "cell_id": str(cells[box.cell]),
        "cells": ids(cells, list(dict.fromkeys(int(c) for c in session_cells))),
        "sims": ids(ph, box.all_sims()),
        "spare_sims": ids(ph, box.sims[used:]),
        "imeis": ids(dev, box.imeis),
        "sessions": [[iso(a), iso(z)] for a, z in box.sessions],
        "session_cells": ids(cells, session_cells),
        "swaps": swaps,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def write_json(path: Path, data: dict[str, Any]) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(path)
