"""Point look-ups of one subject in the lake: an account, a phone number, a person, a listing.

Each look-up is a prepared `Query` over `engine.table(...)`: written once as an Ibis
expression, compiled once per engine, then run with bound values, so the same code answers on
DuckDB and on Spark and many request threads may call it at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Final

import ibis.expr.types as ir

from chaincut.lake.engine.base import Engine
from chaincut.lake.readers.prepared import query, slot, slot_list

#: labels that put an account or a number on the confirmed-fraud list the self-check reads
FRAUD_LISTINGS: Final[dict[str, tuple[str, ...]]] = {
    "account": ("mule_l1", "mule_l2", "mule_l3", "mule_l4", "runner", "foreign_den", "fraud"),
    "phone": ("fraud", "simbox"),
}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _one(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return rows[0] if rows else {}


@query("account_row")
def _account_row(engine: Engine) -> ir.Table:
    a = engine.table("accounts")
    columns = ("holder_id", "kind", "institution", "opened_at", "country")
    return a.filter(a.account_id == slot(0)).select(*columns).limit(1)


@query("account_flows")
def _account_flows(engine: Engine) -> ir.Table:
    t = engine.table("transactions")
    into, out = t.filter(t.dst_account == slot(0)), t.filter(t.src_account == slot(0))
    either = t.filter((t.src_account == slot(0)) | (t.dst_account == slot(0)))
    return (
        into.aggregate(inflows=into.count(), inflow_amount=into.amount.sum().fill_null(0))
        .cross_join(
            out.aggregate(outflows=out.count(), outflow_amount=out.amount.sum().fill_null(0))
        )
        .cross_join(either.aggregate(first_seen=either.ts.min(), last_seen=either.ts.max()))
    )


def account(engine: Engine, account_id: str) -> dict[str, Any] | None:
    """An account's reference facts and its flows: counts and sums of in- and outflows, first
    and last transaction; None when the lake has neither an accounts row nor a transfer."""
    facts = _account_row.rows(engine, account_id)
    row = _one(_account_flows.rows(engine, account_id))
    n_in, n_out = int(row.get("inflows") or 0), int(row.get("outflows") or 0)
    if not facts and not n_in and not n_out:
        return None
    fact = _one(facts)
    return {
        "holder_id": fact.get("holder_id"),
        "kind": fact.get("kind"),
        "institution": fact.get("institution"),
        "opened_at": _iso(fact.get("opened_at")),
        "country": fact.get("country"),
        "inflows": n_in,
        "inflow_amount": str(Decimal(row.get("inflow_amount") or "0.00")),
        "outflows": n_out,
        "outflow_amount": str(Decimal(row.get("outflow_amount") or "0.00")),
        "first_seen": _iso(row.get("first_seen")),
        "last_seen": _iso(row.get("last_seen")),
    }


@query("number_calls")
def _number_calls(engine: Engine) -> ir.Table:
    c, m = engine.table("calls"), engine.table("messages")
    out, into, sent = (
        c.filter(c.caller == slot(0)),
        c.filter(c.callee == slot(0)),
        m.filter(m.sender == slot(0)),
    )
    return (
        out.aggregate(
            calls_out=out.count(),
            distinct_callees=out.callee.nunique(),
            mean_s=out.duration_s.mean(),
            devices=out.imei.nunique(),
            cells=out.cell_id.nunique(),
        )
        .cross_join(into.aggregate(calls_in=into.count()))
        .cross_join(sent.aggregate(messages_sent=sent.count()))
    )


@query("number_holders")
def _number_holders(engine: Engine) -> ir.Table:
    p = engine.table("persons")
    return p.filter(p.phone == slot(0)).select("person_id")


def number(engine: Engine, phone: str) -> dict[str, Any] | None:
    """A phone number's calls (out, in, distinct callees, mean length, handsets, cells), SMS
    sent and the persons holding it; None when the lake knows nothing of it."""
    row = _one(_number_calls.rows(engine, phone))
    holders = sorted(str(r["person_id"]) for r in _number_holders.rows(engine, phone))
    counts = {k: int(row.get(k) or 0) for k in ("calls_out", "calls_in", "messages_sent")}
    if not (counts["calls_out"] or counts["calls_in"] or counts["messages_sent"] or holders):
        return None
    mean_s = row.get("mean_s")
    return {
        "calls_out": counts["calls_out"],
        "calls_in": counts["calls_in"],
        "distinct_callees": int(row.get("distinct_callees") or 0),
        "mean_call_s": round(float(mean_s), 1) if mean_s is not None else None,
        "devices": int(row.get("devices") or 0),
        "cells": int(row.get("cells") or 0),
        "messages_sent": counts["messages_sent"],
        "holders": holders,
    }


@query("person")
def _person(engine: Engine) -> ir.Table:
    p = engine.table("persons")
    wanted = p.filter(p.person_id == slot(0))
    return wanted.select("name", "id_number", "birth_date", "phone").limit(1)


@query("holdings")
def _holdings(engine: Engine) -> ir.Table:
    a = engine.table("accounts")
    return a.filter(a.holder_id == slot(0)).select("account_id")


def person(engine: Engine, person_id: str) -> dict[str, Any] | None:
    """A person's reference facts and the accounts they hold; None when not in the lake."""
    rows = _person.rows(engine, person_id)
    if not rows:
        return None
    row = rows[0]
    held = sorted(str(r["account_id"]) for r in _holdings.rows(engine, person_id))
    return {
        "name": row["name"],
        "id_number": row["id_number"],
        "birth_date": _iso(row["birth_date"]),
        "phone": row["phone"],
        "accounts": held,
    }


@query("person_names")
def _person_names(engine: Engine) -> ir.Table:
    p = engine.table("persons")
    return p.filter(slot_list(0).contains(p.person_id)).select("person_id", "name")


def person_names(engine: Engine, person_ids: Sequence[str]) -> dict[str, str | None]:
    """Person id -> the name the persons table records (None where it has none), for those
    of `person_ids` the lake holds; a case's or a gang's people named in one read."""
    if not person_ids:
        return {}
    rows = _person_names.rows(engine, sorted(set(person_ids)))
    out: dict[str, str | None] = {}
    for r in sorted(rows, key=lambda r: (str(r["person_id"]), str(r["name"] or ""))):
        name = str(r["name"]).strip() if r["name"] is not None else ""
        out.setdefault(str(r["person_id"]), name or None)
    return out


def _listing(engine: Engine) -> ir.Table:
    """The fraud listing (slot 2: the labels that count) of kind slot 0, ids slot 1."""
    lab = engine.table("labels")
    hits = lab.filter(
        (lab.entity_kind == slot(0))
        & slot_list(1).contains(lab.entity_id)
        & slot_list(2).contains(lab.label)
    )
    return hits.aggregate(label=hits.label.min())


def _known(engine: Engine, table: str, column: str) -> ir.Table:
    t = engine.table(table)
    known = t.filter(slot_list(1).contains(t[column]))
    return known.aggregate(known=known.count())


_standing = {
    "account": query("standing_account")(
        lambda e: _listing(e).cross_join(_known(e, "accounts", "account_id"))
    ),
    "phone": query("standing_phone")(
        lambda e: _listing(e).cross_join(_known(e, "persons", "phone"))
    ),
}
_listed = query("listed")(_listing)


def standing(engine: Engine, kind: str, forms: Sequence[str]) -> tuple[str | None, bool]:
    """In one query: the fraud listing of an account or number written in any of `forms`
    (a number with and without +86), and whether the lake knows it (as an account of
    `accounts`, or a person's phone). The event tables are not searched: at 100 M rows a
    scan takes seconds, too slow for the public self-check."""
    if not forms:
        return None, False
    lookup = _standing["account" if kind == "account" else "phone"]
    row = _one(lookup.rows(engine, kind, list(forms), list(FRAUD_LISTINGS.get(kind, ("",)))))
    label = row.get("label")
    return (str(label) if label is not None else None), bool(row.get("known"))


def listed(engine: Engine, kind: str, entity_id: str) -> str | None:
    """The fraud listing of an account or number, if it has one."""
    wanted = FRAUD_LISTINGS.get(kind)
    if not wanted:
        return None
    label = _one(_listed.rows(engine, kind, [entity_id], list(wanted))).get("label")
    return str(label) if label is not None else None


@query("own_accounts")
def _own_accounts(engine: Engine) -> ir.Table:
    a = engine.table("accounts")
    victim = a.filter(a.account_id == slot(0)).select(holder=a.holder_id).limit(1)
    mine = a.filter(slot_list(1).contains(a.account_id))
    return mine.join(victim, mine.holder_id == victim.holder).select(mine.account_id)


def own_accounts(engine: Engine, victim_account: str, accounts: Sequence[str]) -> set[str]:
    """Those of `accounts` held by the holder of `victim_account`."""
    if not accounts:
        return set()
    rows = _own_accounts.rows(engine, victim_account, list(accounts))
    return {str(r["account_id"]) for r in rows}


@query("regions")
def _regions(engine: Engine) -> ir.Table:
    p = engine.table("persons")
    rows = p.filter(slot_list(0).contains(p.person_id) & p.id_number.notnull())
    return rows.select("person_id", code=rows.id_number.substr(0, 6))


def regions(engine: Engine, person_ids: Sequence[str]) -> dict[str, str]:
    """Region codes (the first six digits of the ID number) of persons."""
    if not person_ids:
        return {}
    return {str(r["person_id"]): str(r["code"]) for r in _regions.rows(engine, list(person_ids))}


@query("devices_of")
def _devices_of(engine: Engine) -> ir.Table:
    c = engine.table("calls")
    used = c.filter((c.caller == slot(0)) & c.imei.notnull()).select("imei").distinct()
    return used.order_by("imei").limit(20)


def devices_of(engine: Engine, caller: str) -> list[str]:
    """The first 20 handsets (IMEIs, sorted) a number called from."""
    return [str(r["imei"]) for r in _devices_of.rows(engine, caller)]


@query("institution_accounts")
def _institution_accounts(engine: Engine) -> ir.Table:
    a = engine.table("accounts")
    return a.filter(a.institution == slot(0)).select("account_id")


def institution_accounts(engine: Engine, institution: str) -> set[str]:
    """The ids of the accounts an institution keeps."""
    return {str(r["account_id"]) for r in _institution_accounts.rows(engine, institution)}


@query("phone_holders")
def _phone_holders(engine: Engine) -> ir.Table:
    p = engine.table("persons")
    known = p.filter(p.phone.notnull())
    return known.group_by("phone").aggregate(person_id=known.person_id.min())


def phone_holders(engine: Engine) -> dict[str, str]:
    """Every phone number a person holds -> that person (the smallest person_id where several
    share a number): the whole directory, for consumers that keep it in memory."""
    return {str(r["phone"]): str(r["person_id"]) for r in _phone_holders.rows(engine)}


@query("account_holders")
def _account_holders(engine: Engine) -> ir.Table:
    a = engine.table("accounts")
    held = a.filter(a.holder_id.notnull())
    return held.group_by("account_id").aggregate(holder_id=held.holder_id.min())


def account_holders(engine: Engine) -> dict[str, str]:
    """Every account with a holder -> the holder's person_id: the whole directory."""
    return {str(r["account_id"]): str(r["holder_id"]) for r in _account_holders.rows(engine)}
