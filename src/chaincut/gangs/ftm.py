"""Gangs as FollowTheMoney entities (FtM JSON lines, as nomenklatura, yente and OpenAleph read
them), made with the `followthemoney` package (MIT; `pip install 'chaincut[ftm]'`).

Per gang: an `Organization` (the gang), a `Membership` per person with the role and its
evidence, `Person` (with the registered phone and ID number), `BankAccount` tied to its holder
by an `Ownership`, `Payment` (payer and payee, their accounts) for the victims' transfers and
the money between the gang's accounts, `Call` for the calls and messages that link its
numbers. FtM has no phone entity: numbers are the `phone` of a Person and the caller and
receiver numbers of a Call; a sender FtM does not take as a phone number (a short code, a
number outside its country's plan) is named in the Call's `description`, saying what it is.
Each entity is written once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from chaincut.gangs.analyse import CENT, Analysis, Gang
from chaincut.gangs.collect import Evidence

DATASET = "chaincut"


def _make(schema: str, *key: str) -> Any:
    from followthemoney import model

    entity = model.make_entity(schema)
    entity.make_id(DATASET, schema, *key)
    return entity


class _Export:
    """The entities written so far (each once: a holder, a victim or a card can be in several
    gangs' payments) and the rows they are made from."""

    def __init__(self, ev: Evidence) -> None:
        self.ev = ev
        self.persons = {p["person_id"]: p for p in ev.persons}
        # the holders the analysis read, those of the cards it lists by holder (siblings, kin)
        # and those of the accounts abroad where the money ends (financiers, core members),
        # and of the accounts not used yet (`chaincut.gangs.ahead`)
        self.holder = {h["account_id"]: h for h in [*ev.end_holders, *ev.ahead, *ev.kin,
                                                    *ev.owned, *ev.holders]}  # fmt: skip
        self.done: set[str] = set()

    def once(self, entity: Any) -> Iterator[dict[str, Any]]:
        if entity.id not in self.done:
            self.done.add(entity.id)
            yield entity.to_dict()

    def person(self, person_id: str) -> Any:
        p = _make("Person", person_id)
        row = self.persons.get(person_id, {})
        p.add("name", row.get("name") or person_id)
        p.add("phone", row.get("phone"), quiet=True)
        p.add("idNumber", row.get("id_number"), quiet=True)
        p.add("birthDate", row.get("birth_date"), quiet=True)
        return p

    def account(self, account_id: str, description: str) -> Iterator[dict[str, Any]]:
        """The account and its holder, tied by an `Ownership` (a holder the lake does not
        record is a `LegalEntity` saying so: FtM requires an owner)."""
        a = _make("BankAccount", account_id)
        a.add("accountNumber", account_id)
        h = self.holder.get(account_id, {})
        a.add("bankName", h.get("institution"), quiet=True)
        a.add("description", description)
        yield from self.once(a)
        owner = self.owner(account_id)
        yield from self.once(owner)
        own = _make("Ownership", account_id, owner.id)
        own.add("owner", owner.id)
        own.add("asset", a.id)
        own.add("role", "account holder")
        if h.get("kind"):
            own.add("description", f"{h['kind']}" + (f" at {h['institution']}"
                                                       if h.get("institution") else ""))  # fmt: skip
        yield from self.once(own)

    def owner(self, account_id: str) -> Any:
        person_id = self.holder.get(account_id, {}).get("person_id")
        if person_id:
            return self.person(str(person_id))
        unknown = _make("LegalEntity", "holder", account_id)
        unknown.add("name", f"holder of account {account_id}")
        unknown.add("description", "the holder is not recorded in the data")
        return unknown


def entities(analysis: Analysis | Sequence[Gang], ev: Evidence) -> Iterator[dict[str, Any]]:
    """FtM entities (as dicts) for every gang of `analysis` (a run, or the saved gangs:
    `persist.as_gangs`), each once: every account tied to its holder (`Ownership`), every
    payment to its payer and payee."""
    out = _Export(ev)
    for gang in analysis if isinstance(analysis, Sequence) else analysis.gangs:
        org = _make("Organization", gang.gang_id)
        org.add("name", gang.gang_id)
        # (to the cent, as the saved gangs keep it: a run's and the saved one's say the same)
        reported = gang.money["reported"].quantize(CENT)
        org.add("summary", f"{len(gang.reports)} reports; reported ¥{reported}")
        yield from out.once(org)
        accounts: set[str] = set()
        for m in gang.members:
            if m.kind == "person":
                p = out.person(m.id)
                yield from out.once(p)
                ms = _make("Membership", gang.gang_id, m.id)
                ms.add("member", p.id)
                ms.add("organization", org.id)
                ms.add("role", m.role)
                ms.add(
                    "description", f"confidence {m.confidence:.2f}: " + "; ".join(m.evidence[:6])
                )
                yield from out.once(ms)
            elif m.kind == "account":
                accounts.add(m.id)
                yield from out.account(m.id, f"{m.role} ({m.confidence:.2f})")
        yield from _flows(gang.reports, accounts, out)
        yield from _calls(gang.members, out)


def _payment(out: _Export, key: tuple[str, ...], src: str | None, dst: str) -> Any:
    """A payment to account `dst`'s holder (exported), from account `src`'s (also exported)."""
    pay = _make("Payment", *key)
    if src is not None:
        pay.add("payer", out.owner(src).id)
        pay.add("payerAccount", _make("BankAccount", src).id)
    pay.add("beneficiary", out.owner(dst).id)
    pay.add("beneficiaryAccount", _make("BankAccount", dst).id)
    pay.add("currency", "CNY")
    return pay


def _flows(reports: list[str], accounts: set[str], out: _Export) -> Iterator[dict[str, Any]]:
    mine = set(reports)
    for t in out.ev.transfers:
        if t["report_id"] in mine and t["dst_account"] in accounts:
            # the victim pays (the victim's account, its bank not collected, is named only)
            victim = out.person(str(t["victim_id"])) if t.get("victim_id") else None
            if victim is not None:
                yield from out.once(victim)
            else:  # (FtM requires a payer)
                victim = _make("LegalEntity", "victim", t["report_id"])
                victim.add("name", f"victim of report {t['report_id']}")
                yield from out.once(victim)
            pay = _payment(out, (t["txn_id"],), None, t["dst_account"])
            pay.add("payer", victim.id)
            pay.add("transactionNumber", t["txn_id"])
            pay.add("amount", str(t["amount"]))
            pay.add("date", str(t["ts"])[:19])
            pay.add("purpose", f"victim's transfer, report {t['report_id']}")
            pay.add("description", f"from the victim's account {t['victim_account']}")
            yield from out.once(pay)
    for m in out.ev.transfers_between:
        if m["src"] in accounts and m["dst"] in accounts:
            pay = _payment(out, (str(m["first_id"]), str(m["last_id"])), m["src"], m["dst"])
            pay.add("transactionNumber", str(m["first_id"]))
            pay.add("amount", str(m["amount"]))
            pay.add("description", f"{m['n']} transfers, {m['first_id']} .. {m['last_id']}")
            yield from out.once(pay)


def what_number(value: str) -> str:
    """What a caller or receiver FtM does not take as a phone number is, in words."""
    if value.isdigit() and len(value) <= 12:
        return f"{value} is a short code (a service number or SMS gateway), not a phone number"
    if value.startswith("+"):
        return f"{value} is not a valid number in its country's numbering plan"
    return f"{value} is not a phone number"


def _calls(members: list[Any], out: _Export) -> Iterator[dict[str, Any]]:
    phones = {m.id for m in members if m.kind == "phone"}
    # (a gang member's registered number: the call names the person as well)
    by_phone = {str(row["phone"]): pid for pid, row in out.persons.items() if row.get("phone")}
    for c in out.ev.contacts:
        if c["src"] in phones or c["dst"] in phones:
            call = _make("Call", str(c["first_id"]))
            notes = []
            for prop, party, number in (("callerNumber", "caller", c["src"]),
                                        ("receiverNumber", "receiver", c["dst"])):  # fmt: skip
                call.add(prop, number, quiet=True)
                if number and not call.get(prop):
                    notes.append(f"{party} {what_number(str(number))}")
                who = _make("Person", by_phone[number]).id if number in by_phone else None
                if who in out.done:
                    call.add(party, who)
            call.add("recordId", str(c["first_id"]))
            call.add("date", str(c["first_ts"])[:19])
            call.add("summary", f"{c['n']} {c['channel']}s, {c['first_id']} .. {c['last_id']}")
            call.add("description", "; ".join(notes) or None, quiet=True)
            yield from out.once(call)


def write_ftm(analysis: Analysis | Sequence[Gang], ev: Evidence, path: Path) -> int:
    """Write the gangs as FtM JSON lines to `path`; returns the number of entities."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for entity in entities(analysis, ev):
            fh.write(json.dumps(entity, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n
