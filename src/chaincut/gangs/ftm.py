"""Gangs as FollowTheMoney entities (FtM JSON lines, as nomenklatura, yente and OpenAleph read
them), made with the `followthemoney` package (MIT; `pip install 'chaincut[ftm]'`).

Per gang: an `Organization` (the gang), a `Membership` per person with the role and its
evidence, `Person` (with the registered phone and ID number), `BankAccount` (with its holder),
`Payment` for the victims' transfers and the money between the gang's accounts, `Call` for the
calls and messages that link its numbers. FtM has no phone entity: numbers are the `phone`
of a Person and the caller and receiver numbers of a Call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chaincut.gangs.analyse import Analysis
from chaincut.gangs.collect import Evidence

DATASET = "chaincut"


def _make(schema: str, *key: str) -> Any:
    from followthemoney import model

    entity = model.make_entity(schema)
    entity.make_id(DATASET, schema, *key)
    return entity


def entities(analysis: Analysis, ev: Evidence) -> Iterator[dict[str, Any]]:
    """FtM entities (as dicts) for every gang of `analysis`."""
    persons = {p["person_id"]: p for p in ev.persons}
    # the holders the analysis read, those of the cards it lists by holder (siblings, kin)
    # and those of the accounts abroad where the money ends (financiers, core members), and
    # of the accounts not used yet (`chaincut.gangs.ahead`)
    holder = {h["account_id"]: h for h in [*ev.end_holders, *ev.ahead, *ev.kin, *ev.owned,
                                           *ev.holders]}  # fmt: skip
    for gang in analysis.gangs:
        org = _make("Organization", gang.gang_id)
        org.add("name", gang.gang_id)
        org.add("summary", f"{len(gang.reports)} reports; reported ¥{gang.money['reported']}")
        yield org.to_dict()
        accounts: dict[str, Any] = {}
        people: dict[str, Any] = {}
        for m in gang.members:
            if m.kind == "person":
                p = _make("Person", m.id)
                row = persons.get(m.id, {})
                p.add("name", row.get("name") or m.id)
                p.add("phone", row.get("phone"), quiet=True)
                p.add("idNumber", row.get("id_number"), quiet=True)
                p.add("birthDate", row.get("birth_date"), quiet=True)
                people[m.id] = p
                yield p.to_dict()
                ms = _make("Membership", gang.gang_id, m.id)
                ms.add("member", p.id)
                ms.add("organization", org.id)
                ms.add("role", m.role)
                ms.add(
                    "description", f"confidence {m.confidence:.2f}: " + "; ".join(m.evidence[:6])
                )
                yield ms.to_dict()
            elif m.kind == "account":
                a = _make("BankAccount", m.id)
                a.add("accountNumber", m.id)
                h = holder.get(m.id, {})
                a.add("bankName", h.get("institution"), quiet=True)
                a.add("description", f"{m.role} ({m.confidence:.2f})")
                accounts[m.id] = a
                yield a.to_dict()
        yield from _flows(gang.reports, accounts, ev)
        yield from _calls(gang.members, ev)


def _flows(reports: list[str], accounts: dict[str, Any], ev: Evidence) -> Iterator[dict[str, Any]]:
    mine = set(reports)
    for t in ev.transfers:
        if t["report_id"] in mine and t["dst_account"] in accounts:
            pay = _make("Payment", t["txn_id"])
            pay.add("transactionNumber", t["txn_id"])
            pay.add("amount", str(t["amount"]))
            pay.add("currency", "CNY")
            pay.add("date", str(t["ts"])[:19])
            pay.add("beneficiaryAccount", accounts[t["dst_account"]].id)
            pay.add("purpose", f"victim's transfer, report {t['report_id']}")
            yield pay.to_dict()
    for m in ev.transfers_between:
        if m["src"] in accounts and m["dst"] in accounts:
            pay = _make("Payment", str(m["first_id"]), str(m["last_id"]))
            pay.add("transactionNumber", str(m["first_id"]))
            pay.add("amount", str(m["amount"]))
            pay.add("currency", "CNY")
            pay.add("payerAccount", accounts[m["src"]].id)
            pay.add("beneficiaryAccount", accounts[m["dst"]].id)
            pay.add("description", f"{m['n']} transfers, {m['first_id']} .. {m['last_id']}")
            yield pay.to_dict()


def _calls(members: list[Any], ev: Evidence) -> Iterator[dict[str, Any]]:
    phones = {m.id for m in members if m.kind == "phone"}
    for c in ev.contacts:
        if c["src"] in phones or c["dst"] in phones:
            call = _make("Call", str(c["first_id"]))
            call.add("callerNumber", c["src"], quiet=True)
            call.add("receiverNumber", c["dst"], quiet=True)
            call.add("recordId", str(c["first_id"]))
            call.add("date", str(c["first_ts"])[:19])
            call.add("summary", f"{c['n']} {c['channel']}s, {c['first_id']} .. {c['last_id']}")
            yield call.to_dict()


def write_ftm(analysis: Analysis, ev: Evidence, path: Path) -> int:
    """Write the gangs as FtM JSON lines to `path`; returns the number of entities."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for entity in entities(analysis, ev):
            fh.write(json.dumps(entity, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n
