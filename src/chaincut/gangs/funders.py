"""Who funds the operation and who runs it: the financier (金主) apart from the core members
(骨干) among the people where a gang's money ends.

Both receive the gang's money abroad (`chaincut.gangs.bosses` names them from that and from
whether their number talks here at all). What else the records of a real case hold about the
two, weighed here (none of it alone a verdict):
- **funding**: the financier pays for the operation: the cards and SIMs (the card dealers),
  the salaries (operators, logistics, launderers, core members) and the dens' costs. Money
  out of any account a holder abroad holds into the accounts of the gang's named members
  (`ev.boss_payments`) counts for the financier, the more people and the more kinds of them
  paid, the surer;
- **running**: core members run the operation day to day: they call the mules, the lines
  that reach victims and the launderers. A holder whose number talks to the gang's card
  holders, to its lines, or to the reports' victims counts against the financier; the
  financier rarely talks to any of them;
- **profit**: the financier receives the profit: a share of the gang's money abroad above an
  even split among its holders counts for him a little, money from the other bosses more
  (money between bosses is no funding: core members pass the profit up; but money to a boss
  who runs the operation, `SALARIED` running contacts or more, is his salary: funding);
- **whom he talks to**: a holder whose number talks only to the gang's other bosses (its
  named financiers and core members, or numbers abroad) counts for the financier; mostly to
  them, for him too, the less the more of his contacts are here (none at half).

The confidence is the logistic of the weighted sum, started from what `bosses` decided
(a silent holder: the financier at 0.9; a talking one: a core member at 0.75, so a financier
at 0.25) so that a gang with no funding in the records keeps `bosses`' names.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chaincut.gangs.collect import Evidence
from chaincut.gangs.ends import abroad_number, home_country
from chaincut.gangs.member import Member, member, sig
from chaincut.gangs.phonebook import phonebook
from chaincut.gangs.rowset import values
from chaincut.gangs.sentences import Sentence, said

#: weights of the evidence (logits): per member paid (up to three), per kind of member paid
#: (up to two), per running contact (up to six), and for the profit share above even
PER_PAYEE = 1.0
PER_KIND = 0.5
PER_RUNNING = 0.7
PROFIT = 1.0
#: per other boss who paid him (up to two): the profit goes up to the financier
PER_TRIBUTE = 1.0
#: a number that talks here only to the gang's other bosses: the financier deals with the
#: core members, and leaves the mules, the lines and the victims to them (scaled down to
#: nothing as his contacts here rise to half of them)
ONLY_BOSSES = 2.5
#: (round thirteen) against a financier whom the gang's surer financier paid from his own
#: accounts (a logit): the financier funds the operation through a core member, or pays him;
#: the profit passes up to the financier, not down from him
FROM_FINANCIER = 2.0
#: the roles whose running contacts tell a core member (the numbers of these persons)
RUNNING_ROLES = ("mule", "launderer", "operator")
#: the running contacts at which a boss runs the operation (round eight): money to him from
#: another boss is his salary, funding by the payer, not the profit passed up to him
SALARIED = 3


def _logit(p: float) -> float:
    p = min(max(p, 0.01), 0.99)
    return math.log(p / (1 - p))


@dataclass(frozen=True)
class _Run:
    """What every gang of one run reads alike, built once per run rather than once per gang."""

    #: the numbers that reached victims and the reports' victims' numbers
    victims: frozenset[str]
    #: payer -> the `ev.boss_payments` rows of the money out of his accounts
    paid: dict[str, list[dict[str, Any]]]


_lock = threading.Lock()
_last: list[tuple[Evidence, tuple[int, ...], _Run]] = []


def _per_run(ev: Evidence) -> _Run:
    """The run's `_Run` for `ev`, built again only for other evidence (or rows added)."""
    key = (len(ev.persons), len(ev.reach), len(ev.reports), len(ev.boss_payments))
    with _lock:
        if _last and _last[0][0] is ev and _last[0][1] == key:
            return _last[0][2]
    phone_of = phonebook(ev.persons).phone_of
    victims = {p for p, (_, n) in ev.reach.items() if n > 0}
    victims |= {
        phone_of[str(r["victim_id"])] for r in ev.reports if str(r["victim_id"]) in phone_of
    }
    paid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in ev.boss_payments:
        paid[str(r["payer"])].append(r)
    run = _Run(frozenset(victims), dict(paid))
    with _lock:
        _last[:] = [(ev, key, run)]
    return run


def _running(ev: Evidence, members: list[Member]) -> set[str]:
    """The numbers core members call to run the operation: the gang's card holders',
    launderers' and operators' numbers, its lines that reached victims, and the reports'
    victims' numbers."""
    phone_of = phonebook(ev.persons).phone_of
    out = {phone_of[m.id] for m in members
           if m.kind == "person" and m.role in RUNNING_ROLES and m.id in phone_of}  # fmt: skip
    out |= {m.id for m in members if m.kind == "phone" and m.role == "operator"}
    return out | _per_run(ev).victims


def _payments(
    ev: Evidence, person: str, roles: dict[str, str]
) -> tuple[dict[str, str], Decimal, list[str]]:
    """The gang's members (other than `person`) paid from `person`'s accounts: person ->
    role, the total, and the first transaction ids."""
    paid: dict[str, str] = {}
    total = Decimal(0)
    txns: list[str] = []
    for r in _per_run(ev).paid.get(person, ()):
        payee = str(r["holder"])
        if payee == person or payee not in roles:
            continue
        paid[payee] = roles[payee]
        total += Decimal(str(r["amount"]))
        txns.append(str(r["first_id"]))
    return paid, total, sorted(txns)


def funders(
    members: list[Member], bosses: set[str], ev: Evidence, talks: dict[str, set[str]]
) -> None:
    """Re-weigh the `bosses` (the persons `bosses.bosses` named from the accounts abroad) of
    one gang's `members` with the evidence of funding and running (see the module's text):
    each gets the role and confidence of its weighted sum, and its accounts abroad follow."""
    if not bosses:
        return
    phone_of = phonebook(ev.persons).phone_of  # (built once per run, not once per gang)
    roles = {m.id: m.role for m in members if m.kind == "person"}
    running = _running(ev, members)
    people = {m.id: m for m in members if m.kind == "person" and m.id in bosses}
    accounts: dict[str, list[Member]] = defaultdict(list)
    holder = {str(h["account_id"]): str(h["person_id"]) for h in ev.end_holders}
    for m in members:
        if m.kind == "account" and holder.get(m.id) in people:
            accounts[holder[m.id]].append(m)
    shares = _shares(ev, people)
    even = 1.0 / len(people)
    heads = {m.id for m in members if m.kind == "person" and m.role in ("financier", "core_member")}
    head_phones = {phone_of[p] for p in heads | set(people) if p in phone_of}
    home = home_country(ev)
    runners = {p for p in heads if len(talks.get(phone_of.get(p, ""), set()) & running) >= SALARIED}
    for person, m in sorted(people.items()):
        # money to the other bosses is no funding (core members pass the profit up, the
        # financier pays them): it counts for the one who receives it; but a boss who runs
        # the operation day to day is paid a salary, and money to him is funding (round eight)
        staff = {p: r for p, r in roles.items() if p not in heads or p in runners}
        paid, total, txns = _payments(ev, person, staff)
        up = heads - {person} if person not in runners else set()
        tribute = {p for p in up if person in _payments(ev, p, {person: ""})[0]}
        mine = talks.get(phone_of.get(person, ""), set())
        # (a call to someone he pays is the payment's business: the financier talks to the
        # core members he pays, who may hold one of the gang's cards too)
        payees = {phone_of[p] for p in _payments(ev, person, roles)[0] if p in phone_of}
        # (round nine: the den's crew abroad, named operator, talk to the financier too where
        # he calls on the den; running it day to day is calling the people and lines here)
        runs = {n for n in (mine & running) - payees if not abroad_number(n, home)}
        # (the other members abroad: named, or numbers abroad; the mules, lines, launderers
        # and logistics a core member calls are at home)
        away = sum(1 for n in mine if n in head_phones or abroad_number(n, home))
        only = bool(mine) and away == len(mine)
        # (round eight: mostly them counts too, the less the fewer: the financier's number
        # talks to the core members abroad and a friend or two; a core member's, to as many
        # numbers here as abroad)
        apart = max(0.0, 2.0 * away / len(mine) - 1.0) if mine else 0.0
        if not paid and not runs and not tribute and not apart:
            continue  # nothing beyond what `bosses` weighed
        start = m.confidence if m.role == "financier" else 1.0 - m.confidence
        x = _logit(start) + PER_PAYEE * min(len(paid), 3)
        x += PER_KIND * min(len(set(paid.values())), 2) - PER_RUNNING * min(len(runs), 6)
        x += PROFIT * max(0.0, shares.get(person, 0.0) - even)
        x += PER_TRIBUTE * min(len(tribute), 2) + ONLY_BOSSES * apart
        p = sig(x)
        role, conf = ("financier", p) if p >= 0.5 else ("core_member", 1.0 - p)
        if role == m.role == "core_member":
            # (running contacts only hold back a financier: on the worlds measured, holders
            # who call the gang's people here are core members no more often than `bosses`'
            # confidence says)
            conf = m.confidence
        why: list[str | Sentence] = []
        if paid:
            kinds = ", ".join(sorted(set(paid.values())))
            why.append(said("funds_members", people=str(len(paid)), roles=kinds,
                            amount=str(total)))  # fmt: skip
        if runs:
            why.append(said("talks_to_running", numbers=str(len(runs)),
                            phones=", ".join(sorted(runs)[:3])))  # fmt: skip
        if tribute:
            why.append(said("paid_by_bosses", people=", ".join(sorted(tribute))))
        if only:
            why.append(said("talks_only_to_bosses", numbers=str(len(mine))))
        elif apart:
            why.append(said("talks_mostly_to_bosses", numbers=str(len(mine)), away=str(away)))
        for item in (m, *accounts.get(person, [])):
            item.role, item.confidence = role, min(0.95, conf if item is m else conf + 0.05)
            item.evidence[1:1] = [w if isinstance(w, str) else w.text for w in why]
            item.codes[1:1] = [None if isinstance(w, str) else w.as_dict() for w in why]
            item.evidence += [t for t in txns[:3] if t not in item.evidence]
            item.codes += [None] * (len(item.evidence) - len(item.codes))
    _paid_down(people, accounts, ev)


def _paid_down(people: dict[str, Member], accounts: dict[str, list[Member]], ev: Evidence) -> None:
    """(round thirteen) Re-weigh each boss named financier whom a surer financier of the gang
    paid from his own accounts, and who paid him nothing (`FROM_FINANCIER` against): money
    down from the financier is the operation's funding passed through a core member, or his
    pay (on the training worlds a core member paid by the financier and paying a card dealer
    on was named financier beside him)."""
    named = {p: m for p, m in people.items() if m.role == "financier"}
    down: dict[str, list[str]] = defaultdict(list)
    for payee, m in sorted(named.items()):
        for payer, boss in sorted(named.items()):
            if payer == payee or boss.confidence <= m.confidence:
                continue
            paid = payee in _payments(ev, payer, {payee: ""})[0]
            if paid and payer not in _payments(ev, payee, {payer: ""})[0]:
                down[payee].append(payer)
    for payee, payers in sorted(down.items()):
        m = named[payee]
        p = sig(_logit(m.confidence) - FROM_FINANCIER)
        role, conf = ("financier", p) if p >= 0.5 else ("core_member", 1.0 - p)
        txns = _payments(ev, payers[0], {payee: ""})[2]
        why = said("paid_by_financier", people=", ".join(payers))
        for item in (m, *accounts.get(payee, [])):
            item.role, item.confidence = role, min(0.95, conf if item is m else conf + 0.05)
            item.evidence.insert(1, why.text)
            item.codes.insert(1, why.as_dict())
            item.evidence += [t for t in txns[:3] if t not in item.evidence]
            item.codes += [None] * (len(item.evidence) - len(item.codes))


def paid_bosses(members: list[Member], ev: Evidence) -> list[Member]:
    """(round twelve) The persons abroad whom the gang's named bosses (financiers and core
    members) paid from their own accounts (`ev.boss_payments`) and whom the gang names in no
    role yet: a person with a number abroad paid by the bosses takes a share of the gang's
    money in the den's country, the profit passed up to the financier or a core member's
    salary; the den's callers are paid in hand and the people here the bosses pay (dealers,
    recruiters, logistics) hold numbers here. Named `core_member` at `bosses`' confidence for
    a talking holder, for `funders` to weigh next (the money from the bosses, and whom his
    number talks to)."""
    named = {m.id for m in members if m.kind == "person"}
    heads = {m.id for m in members if m.kind == "person" and m.role in ("financier", "core_member")}
    if not heads:
        return []
    phone_of = phonebook(ev.persons).phone_of
    home = home_country(ev)
    paid: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    total: dict[str, Decimal] = defaultdict(Decimal)
    rows = values(ev.boss_payments, "payer", "holder", "amount", "first_id")
    for payer, payee, amount, first in rows:
        if str(payer) in heads and payee and str(payee) not in named:
            paid[str(payee)][str(payer)].append(str(first))
            total[str(payee)] += Decimal(str(amount))
    out: list[Member] = []
    for person, by in sorted(paid.items()):
        if not abroad_number(phone_of.get(person, ""), home):
            continue
        txns = sorted({t for ids in by.values() for t in ids})
        why = said("paid_abroad_by_bosses", amount=str(total[person]),
                   people=", ".join(sorted(by)), phone=phone_of[person])  # fmt: skip
        out.append(member("person", person, "core_member", 0.75, [why, *txns[:3]]))
    return out


def _shares(ev: Evidence, people: dict[str, Member]) -> dict[str, float]:
    """Each boss's share of the money the gang's chain sent abroad (`ev.ends`)."""
    holder = {str(h["account_id"]): str(h["person_id"]) for h in ev.end_holders}
    got: dict[str, Decimal] = defaultdict(Decimal)
    for r in ev.ends:
        who = holder.get(str(r["dst"]))
        if who in people:
            got[who] += Decimal(str(r["amount"]))
    total = sum(got.values(), Decimal(0))
    return {p: float(v / total) for p, v in got.items()} if total else {}


#: (round fourteen) weights of naming a card holder the financier where the cards of his the
#: gang lists are abroad and paid its named bosses' accounts abroad (logits): the start (a
#: mule, as `roles` named him), each of his listed accounts abroad (up to two), each boss's
#: account paid (up to three), his number abroad, and a number that talks only to the bosses
#: (`ONLY_BOSSES`, scaled as `funders` scales it)
ABROAD_START = -3.0
ACCOUNT_ABROAD = 0.75
PER_BOSS_PAID = 0.75
NUMBER_ABROAD = 1.0


def abroad_payers(members: list[Member], ev: Evidence, talks: dict[str, set[str]]) -> set[str]:
    """(round fourteen) Re-weigh the persons named `mule` whose accounts the gang lists are
    held abroad and paid the accounts abroad of the gang's named bosses (`ev.abroad`: money
    to the accounts its traced money exited to): money into the bosses' accounts from one who
    received none of the gang's money is the operation's funding (the financier paying
    through his core members), where a mule's card is at home and passes the victims' money
    on. Weighed with where his number is and whom it talks to; where the sum is positive he
    and those accounts become `financier` (for `funders` to weigh next with his contacts).
    Returns the persons so named."""
    home = home_country(ev)
    phone_of = phonebook(ev.persons).phone_of
    country = {str(h["account_id"]): str(h.get("country") or "") for h in ev.holders}
    holder = {str(h["account_id"]): str(h["person_id"]) for h in ev.holders}
    boss_accounts = {m.id for m in members
                     if m.kind == "account" and m.role in ("financier", "core_member")}  # fmt: skip
    heads = {m.id for m in members if m.kind == "person" and m.role in ("financier", "core_member")}
    head_phones = {phone_of[p] for p in heads if p in phone_of}
    paid: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    total: dict[str, Decimal] = defaultdict(Decimal)
    for r in ev.abroad:
        if str(r["dst"]) in boss_accounts:
            paid[str(r["src"])][str(r["dst"])].append(str(r["first_id"]))
            total[str(r["src"])] += Decimal(str(r["amount"]))
    mine: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        if m.kind == "account" and m.role == "mule" and m.id in holder:
            mine[holder[m.id]].append(m)
    persons = {m.id: m for m in members if m.kind == "person" and m.role == "mule"}
    named: set[str] = set()
    for person, accounts in sorted(mine.items()):
        who = persons.get(person)
        payers = [a for a in accounts if a.id in paid]
        if who is None or not payers:
            continue
        away = [a for a in accounts if country.get(a.id, home) not in ("", home)]
        bosses = {b for a in payers for b in paid[a.id]}
        number = phone_of.get(person, "")
        contacts = talks.get(number, set())
        near = sum(1 for n in contacts if n in head_phones or abroad_number(n, home))
        apart = max(0.0, 2.0 * near / len(contacts) - 1.0) if contacts else 0.0
        x = ABROAD_START + ACCOUNT_ABROAD * min(len(away), 2) + PER_BOSS_PAID * min(len(bosses), 3)
        x += NUMBER_ABROAD * abroad_number(number, home) + ONLY_BOSSES * apart
        if x <= 0:
            continue
        named.add(person)
        txns = sorted({t for a in payers for ids in paid[a.id].values() for t in ids})
        why = said("funds_bosses_abroad", amount=str(sum((total[a.id] for a in payers),
                   Decimal(0))), accounts=", ".join(sorted(bosses)[:3]))  # fmt: skip
        conf = sig(x)
        for item in (who, *accounts):
            item.role, item.confidence = "financier", min(0.95, conf)
            item.evidence.insert(0, why.text)
            item.codes.insert(0, why.as_dict())
            item.evidence += [t for t in txns[:3] if t not in item.evidence]
            item.codes += [None] * (len(item.evidence) - len(item.codes))
    return named
