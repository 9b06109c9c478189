"""Writing the foreign world: the interchange tables as CSV, `truth.json`, and
`truth/holdings.csv` (report_id, account_id, amount: where each report's money was when it was
filed, as `chaincut.trace.evaluate` reads it)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from chaincut.foreign.core import World, iso, yuan

HEADERS: dict[str, tuple[str, ...]] = {
    "persons": ("person_id", "name", "id_number", "birth_date", "phone", "registered_sims"),
    "accounts": (
        "account_id",
        "holder_id",
        "kind",
        "institution",
        "opened_at",
        "country",
        "reg_phone",
        "reg_address",
    ),
    "transactions": ("txn_id", "ts", "src_account", "dst_account", "amount", "currency", "channel"),
    "calls": ("call_id", "ts", "caller", "callee", "duration_s", "cell_id", "imei"),
    "messages": ("msg_id", "ts", "sender", "receiver", "text", "channel"),
    "reports": (
        "report_id",
        "ts",
        "victim_id",
        "victim_account",
        "fraud_txn_ids",
        "fraud_type",
        "narrative",
    ),
    "labels": ("entity_id", "entity_kind", "label"),
}


@dataclass
class ForeignTruth:
    """What `generate` wrote: row counts, headline figures and the full truth (`data`, the
    content of truth.json)."""

    out_dir: str
    seed: int
    size: str
    rows: dict[str, int]
    gangs: int
    members: int
    victims: int
    targeted: int
    reports: int
    bystanders: int
    simboxes: int
    reported_loss: str
    seconds: float
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    def summary(self) -> dict[str, Any]:
        """Everything but the full truth (for the CLI's --json)."""
        out = asdict(self)
        del out["data"]
        return out


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def write_world(w: World, out_dir: Path) -> dict[str, int]:
    """Write every table and the holdings; returns rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "truth").mkdir(exist_ok=True)
    # a call's id is its place in time among the calls made before the roles' (see core.World):
    # those the roles replace keep their place, so no other call changes its id
    order = sorted(range(len(w.calls)), key=lambda i: w.calls[i][0])
    calls = [
        (f"FC{k + 1:09d}", w.calls[i]) for k, i in enumerate(order) if i not in w.dropped_calls
    ]
    extra = sorted(w.extra_calls, key=lambda c: c[0])
    calls += [(f"FCX{k + 1:08d}", c) for k, c in enumerate(extra)]
    tables: dict[str, Iterable[Sequence[object]]] = {
        "persons": ((*p, ";".join(w.sims_of.get(p[0], []))) for p in w.persons),
        "accounts": w.accounts,
        "transactions": (
            (i, iso(t), s, d, yuan(c), "CNY", ch)
            for i, t, s, d, c, ch in (*w.transactions, *w.extra_transactions)
        ),
        "calls": ((cid, iso(t), a, b, d, cell, imei) for cid, (t, a, b, d, cell, imei) in calls),
        "messages": ((i, iso(t), s, r, text, ch) for i, t, s, r, text, ch in w.messages),
        "reports": ((i, iso(t), v, a, ids, ft, n) for i, t, v, a, ids, ft, n in w.reports),
        "labels": ((e, k, lab) for (e, k), lab in sorted(w.labels.items())),
    }
    rows = {
        name: _write(out_dir / f"{name}.csv", HEADERS[name], data) for name, data in tables.items()
    }
    _write(
        out_dir / "truth" / "holdings.csv",
        ("report_id", "account_id", "amount"),
        ((r, a, yuan(c)) for r, a, c in w.holdings),
    )
    return rows


def write_truth(data: dict[str, Any], out_dir: Path) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    (out_dir / "truth.json").write_text(text + "\n", encoding="utf-8")


def read_truth(folder: Path) -> dict[str, Any]:
    """The truth.json of a foreign world written into `folder`."""
    data: dict[str, Any] = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return data
