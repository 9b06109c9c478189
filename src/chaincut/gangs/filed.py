"""The evidence one report filed after the last analysis adds to the link graph, gathered from
the lake with the same `link_*` jobs `collect` runs, asked about this report's surroundings
only: its fraud transfers, its trace, the holders and counterparties of the accounts its money
reached that the analysis had not seen, the money between those accounts and the cards the
mule-card model flags, the identifiers in its narrative and in the messages its victim received,
the contacts of the numbers it brings, the other accounts of its accounts' new holders, and the
accounts of the people those contacts reach (where the freeze-ahead leads are looked for).

What depends on every report at once is left as the last analysis found it, until the next
`chaincut gangs`: the mule-card scores, how many victims each number reaches, a dealer's
other cards, the people the gang's lines talked to, where the money ends abroad and who talks
to the people there (`ends`; docs/gangs.md, Limits).
"""

from __future__ import annotations

from typing import Any

import ibis
import pyarrow as pa

from chaincut.gangs.collect import (
    Evidence,
    holder_accounts,
    id_table,
    lake_rows,
    message_indicators,
)
from chaincut.gangs.phonebook import phonebook
from chaincut.lake.engine.base import Engine
from chaincut.lake.jobs.link_edges import (
    account_degree,
    link_contacts,
    link_holders,
    link_messages,
    link_transfers,
    report_transfers,
)


def _reports_table(report: dict[str, Any]) -> Any:
    """The report as a one-row `reports` table for `report_transfers`."""
    return ibis.memtable(
        pa.table(
            {
                "report_id": pa.array([report["report_id"]], pa.string()),
                "victim_id": pa.array([report.get("victim_id")], pa.string()),
                "victim_account": pa.array([report["victim_account"]], pa.string()),
                "fraud_txn_ids": pa.array([list(report["fraud_txn_ids"])], pa.list_(pa.string())),
            }
        )
    )


def _reached(transfers: list[dict[str, Any]], trace: dict[str, Any]) -> set[str]:
    """The accounts the report's money reached (`collect`'s chain, for this report)."""
    out = {str(t["dst_account"]) for t in transfers}
    for key in ("freeze", "verify", "hubs"):
        out.update(str(o["account_id"]) for o in trace.get(key, []))
    for e in trace.get("exits", []):
        out.update((str(e["from"]), str(e["to"])))
    return out


def _ahead(engine: Engine, ev: Evidence, known: Evidence) -> list[dict[str, Any]]:
    """The accounts of the people the report's new contacts reach that the analysis holds no
    account of (`ahead.collect_ahead`'s rows, for these contacts): the freeze-ahead leads
    are looked for among them. Not the victims' (never leads), nor of people already held."""
    phones = {str(c[k]) for c in ev.contacts for k in ("src", "dst")}
    if not phones:
        return []
    people = phonebook(known.persons).people
    held = {str(r["person_id"]) for rows in (known.kin, known.ahead, ev.kin) for r in rows}
    victims = {str(r["victim_id"]) for r in known.reports + ev.reports if r["victim_id"]}
    persons = {p for ph in phones for p in people.get(ph, [])} - held - victims
    return holder_accounts(engine, engine.tables(["accounts", "transactions"]), persons)


def report_evidence(
    engine: Engine, report: dict[str, Any], trace: dict[str, Any] | None, known: Evidence
) -> Evidence:
    """The evidence report `report` adds to `known` (the last analysis's): `report` has the
    `reports` row's columns (`report_id`, `ts`, `victim_id`, `victim_account`,
    `fraud_txn_ids`, `fraud_type`, `narrative`), `trace` is its trace as `trace_all_engine`
    writes one (None when it was not traced: its transfers still link it)."""
    t = engine.tables(["transactions", "accounts", "calls", "messages"])
    ev = Evidence()
    row = {k: report.get(k) for k in ("report_id", "ts", "victim_id", "victim_account")}
    ev.reports = [row | {k: report.get(k) for k in ("fraud_type", "narrative")}]
    ev.transfers = lake_rows(engine, report_transfers(_reports_table(report), t["transactions"]),
                         "live gang txns")  # fmt: skip
    if trace:
        ev.traces = [trace | {"report_id": report["report_id"]}]
    new = _reached(ev.transfers, trace or {}) - set(known.degrees)
    if new and known.scores:
        pairs = link_transfers(t["transactions"], id_table(new | set(known.scores), "account_id"))
        ev.transfers_between = [r for r in lake_rows(engine, pairs, "live gang transfers")
                                if r["src"] in new or r["dst"] in new]  # fmt: skip
        new |= {r["src"] for r in ev.transfers_between} | {r["dst"] for r in ev.transfers_between}
        new -= set(known.degrees)
    if new:
        accounts = id_table(new, "account_id")
        ev.degrees = {
            r["account_id"]: int(r["counterparties"])
            for r in lake_rows(engine, account_degree(t["transactions"], accounts), "live degree")
        }
        holders = link_holders(t["accounts"]).semi_join(accounts, "account_id")
        ev.holders = lake_rows(engine, holders, "live gang holders")
    kin = {str(h["person_id"]) for h in ev.holders} - {str(k["person_id"]) for k in known.kin}
    ev.kin = holder_accounts(engine, engine.tables(["accounts", "transactions"]), kin)
    people = {str(h["person_id"]) for h in ev.holders} | {str(row["victim_id"] or "")}
    victim = {str(row["victim_id"] or "")}
    phones = {
        str(r["value"])
        for r in known.registrations
        if r["kind"] == "phone" and str(r["person_id"]) in people
    }
    victim_phones = {
        str(r["value"])
        for r in known.registrations
        if r["kind"] == "phone" and str(r["person_id"]) in victim
    }
    seen = {str(c["src"]) for c in known.contacts} | {str(c["dst"]) for c in known.contacts}
    fresh = phones - seen
    if fresh:
        ev.contacts = lake_rows(engine, link_contacts(t["calls"], t["messages"], id_table(fresh, "phone")),
                            "live gang contacts")  # fmt: skip
    ev.ahead = _ahead(engine, ev, known)
    messages = (
        lake_rows(
            engine, link_messages(t["messages"], id_table(victim_phones, "phone")), "live msgs"
        )
        if victim_phones
        else []
    )
    ev.indicators = message_indicators(ev, messages)
    return ev
