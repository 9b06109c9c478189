"""Look-ups of events in the lake: transfers by id, report losses, a victim's new contacts,
labels.

Prepared queries over the engine abstraction, like `subjects`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

from chaincut.lake.engine.base import Engine
from chaincut.lake.readers.prepared import query, slot, slot_list, slot_time


@query("transfers")
def _transfers(engine: Engine) -> ir.Table:
    t = engine.table("transactions")
    wanted = t.filter(slot_list(0).contains(t.txn_id))
    return wanted.select("txn_id", "ts", "src_account", "dst_account", "amount", "channel")


def transfers(engine: Engine, txn_ids: Sequence[str]) -> list[tuple[str, datetime, str, str]]:
    """txn_id, ts, src and dst of those of `txn_ids` that the lake has."""
    return [(str(t[0]), t[1], str(t[2]), str(t[3])) for t in transfer_rows(engine, txn_ids)]


def transfer_rows(
    engine: Engine, txn_ids: Sequence[str]
) -> list[tuple[str, datetime, str, str, Decimal, str | None]]:
    """txn_id, ts, src, dst, amount and channel of those of `txn_ids` that the lake has."""
    if not txn_ids:
        return []
    return [
        (r["txn_id"], r["ts"], r["src_account"], r["dst_account"], r["amount"], r["channel"])
        for r in _transfers.rows(engine, list(txn_ids))
    ]


@query("txn_amounts")
def _txn_amounts(engine: Engine) -> ir.Table:
    t = engine.table("transactions")
    wanted = t.filter(slot_list(0).contains(t.txn_id))
    return wanted.aggregate(total=wanted.amount.sum())


def txn_amounts(engine: Engine, txn_ids: Sequence[str]) -> Decimal:
    """The sum of the amounts of `txn_ids` (0.00 when the lake has none of them)."""
    if not txn_ids:
        return Decimal("0.00")
    rows = _txn_amounts.rows(engine, list(txn_ids))
    total = rows[0]["total"] if rows else None
    return Decimal(total) if total is not None else Decimal("0.00")


@query("report_losses")
def _report_losses(engine: Engine) -> ir.Table:
    r, t = engine.table("reports"), engine.table("transactions")
    named = r.select("report_id", txn_id=r.fraud_txn_ids.unnest())
    paid = named.join(t.select("txn_id", "amount"), "txn_id")
    loss = paid.group_by("report_id").aggregate(loss=paid.amount.sum())
    joined = r.left_join(loss, r.report_id == loss.report_id)
    return joined.select(
        report_id=r.report_id,
        ts=r.ts,
        victim=ibis.coalesce(r.victim_id, r.victim_account),
        fraud_type=r.fraud_type,
        loss=joined.loss.fill_null(0),
    ).distinct()


def report_losses(engine: Engine) -> list[tuple[str, datetime, str | None, str | None, Decimal]]:
    """Every lake report: id, time, victim, fraud type and loss (sum of its transfers)."""
    return [
        (r["report_id"], r["ts"], r["victim"], r["fraud_type"], Decimal(r["loss"]))
        for r in _report_losses.rows(engine)
    ]


@query("report_row")
def _report_row(engine: Engine) -> ir.Table:
    r = engine.table("reports")
    wanted = r.filter(r.report_id == slot(0))
    return wanted.select(
        "report_id", "ts", "victim_id", "victim_account", "fraud_txn_ids", "fraud_type", "narrative"
    ).limit(1)


def report_row(engine: Engine, report_id: str) -> dict[str, Any] | None:
    """The lake's row of report `report_id` (as imported), or None."""
    rows = _report_row.rows(engine, report_id)
    return dict(rows[0]) if rows else None


@query("latest_reports")
def _latest_reports(engine: Engine) -> ir.Table:
    r = engine.table("reports")
    latest = r.select("report_id", "ts", "victim_account", "fraud_type")
    return latest.order_by([ibis.desc("ts"), "report_id"]).limit(500)


def latest_reports(engine: Engine) -> list[dict[str, Any]]:
    """The lake's 500 latest reports (id, time, victim's account, fraud type), newest first."""
    return _latest_reports.rows(engine)


@query("victim_phones")
def _victim_phones(engine: Engine) -> ir.Table:
    a, p = engine.table("accounts"), engine.table("persons")
    holder = a.filter(a.account_id == slot(0)).select(person_id=a.holder_id).limit(1)
    given = p.filter(p.person_id == slot(1)).select("person_id")
    people = ibis.union(holder, given, distinct=True)
    mine = p.join(people, "person_id")
    return mine.filter(mine.phone.notnull()).select("phone").distinct()


@query("new_contacts")
def _new_contacts(engine: Engine) -> ir.Table:
    c, m = engine.table("calls"), engine.table("messages")
    phones, start, since, until = slot_list(0), slot_time(1), slot_time(2), slot_time(3)
    # the time range first, so that DuckDB skips the row groups outside it
    calls = c.filter((c.ts >= start) & (c.ts <= until) & phones.contains(c.callee))
    texts = m.filter((m.ts >= start) & (m.ts <= until) & phones.contains(m.receiver))
    seen = ibis.union(
        calls.select(number=calls.caller, ts=calls.ts),
        texts.select(number=texts.sender, ts=texts.ts),
        distinct=False,
    )
    others = seen.filter(~phones.contains(seen.number))
    first = others.group_by("number").aggregate(first=others.ts.min())
    return first.filter(first["first"] >= since).order_by(["first", "number"])


def new_contacts(
    engine: Engine,
    victim_account: str,
    victim_id: str | None,
    since: datetime,
    until: datetime,
    history: timedelta,
) -> list[tuple[str, datetime]]:
    """Numbers that first called or messaged the victim in [`since`, `until`] and never in
    the `history` before `since`, with the time of their first contact, earliest first. The
    victim's phone is the one the lake has for `victim_id`, or for the holder of
    `victim_account`."""
    phones = sorted(str(r["phone"]) for r in _victim_phones.rows(engine, victim_account, victim_id))
    if not phones:
        return []
    rows = _new_contacts.rows(engine, phones, since - history, since, until)
    return [(str(r["number"]), r["first"]) for r in rows]


@query("label_counts")
def _label_counts(engine: Engine) -> ir.Table:
    lab = engine.table("labels")
    per = lab.group_by(["entity_kind", "label"]).aggregate(n=lab.count())
    return per.order_by(["entity_kind", "label"])


def label_counts(engine: Engine) -> dict[str, dict[str, int]]:
    """How many labels of each kind and value the lake holds (ground truth, for demos)."""
    out: dict[str, dict[str, int]] = {}
    for r in _label_counts.rows(engine):
        out.setdefault(str(r["entity_kind"]), {})[str(r["label"])] = int(r["n"])
    return out


@query("labels_of_kind")
def _labels_of_kind(engine: Engine) -> ir.Table:
    lab = engine.table("labels")
    kind = lab.filter(lab.entity_kind == slot(0))
    # the smallest label where an entity has several: the same answer on every engine
    return kind.group_by("entity_id").aggregate(label=kind.label.min())


def labels_of_kind(engine: Engine, kind: str) -> dict[str, str]:
    """entity_id -> label of every entity of `kind` (account, phone, ...) the lake labels (ground
    truth, for evaluation only); the smallest label where an entity has several."""
    return {str(r["entity_id"]): str(r["label"]) for r in _labels_of_kind.rows(engine, kind)}
