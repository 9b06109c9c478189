"""Financiers (金主) and core members (骨干): the people where a gang's money ends.

The evidence (`chaincut.gangs.ends` gathers it), weighted, none of it alone a verdict:
- where the money ends: the accounts abroad that the gang's cards paid (across all its
  reports' cards, not only the exits a trace followed) and the traces' cross-border exits;
  each account's share of the gang's money abroad, and how many of its cards paid it;
- the person behind each such account (its holder, a person rather than an exchange's or a
  company's account) and the holder's registered number;
- who the holder talks to here, over all the records: the financier keeps away from the
  operation and deals with the core members abroad; core members deal with the launderers and
  the logistics at home. A holder whose number talks to nobody here is the financier (0.9, or
  0.75 when one card and under a quarter of the money abroad went to him); a holder who talks
  here is a core member (0.75, 0.8 when to one number here, 0.85 from two), however large his
  share: where every holder talks here the records do not tell the financier apart;
- a number abroad registered to a person, holding no such account, whose few contacts here
  are the people the holders, dealers and recruiters talk to, or who called a number abroad
  from the gang's SIM-box site, is a core member too (`talkers`);
- a number that called the gang's members abroad from its SIM-box site: `logistics`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chaincut.gangs.collect import Evidence
from chaincut.gangs.ends import abroad_number, home_country
from chaincut.gangs.graph import split
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member, sig
from chaincut.gangs.phonebook import Rows, phonebook
from chaincut.gangs.rowset import values
from chaincut.gangs.sentences import Sentence, said


def known_persons(persons: Rows) -> frozenset[str]:
    """Every person id of `persons` (`Evidence.persons`), from the run's phonebook (built once
    while the same list is asked about): each gang's `bosses` read every person of the city (at
    10 M transactions 65 gangs x 424 k persons), a cost that grew as gangs x persons."""
    return phonebook(persons).persons


@dataclass
class End:
    """One account where the gang's money ends."""

    account: str
    amount: Decimal = Decimal(0)
    cards: set[str] = field(default_factory=set)
    txns: list[str] = field(default_factory=list)


def _ends(inside: set[str], ev: Evidence, exit_in: dict[str, Decimal],
          exit_txns: dict[str, list[str]]) -> dict[str, End]:  # fmt: skip
    """The accounts where the group's money ends: paid abroad by the group's cards, or
    reached by its traces' cross-border exits."""
    cards = {i for k, i in map(split, inside) if k == "account"}
    out: dict[str, End] = {}
    for r in ev.ends:
        if r["src"] in cards:
            e = out.setdefault(str(r["dst"]), End(str(r["dst"])))
            e.amount += Decimal(str(r["amount"]))
            e.cards.add(str(r["src"]))
            e.txns += [str(r["first_id"]), str(r["last_id"])]
    for acc in sorted(cards & set(exit_in)):
        e = out.setdefault(acc, End(acc))
        if not e.cards:  # (a trace's exit is a share of the transfers `ev.ends` counts whole)
            e.amount += exit_in[acc]
        e.txns += exit_txns.get(acc, [])
    for e in out.values():
        e.txns = sorted(set(e.txns))
    return out


#: the last `partners` made (`kept_partners`): the two row lists, their lengths, the map
_partners: list[tuple[Any, Any, int, int, dict[str, set[str]]]] = []


def kept_partners(ev: Evidence) -> tuple[Any, Any, int, int, dict[str, set[str]]] | None:
    """The last `partners` made, where it was made of `ev`'s very lists as long as they are
    now (evidence is not changed in place: a merge makes new lists); else None."""
    last = _partners[0] if _partners else None
    if last is None or last[0] is not ev.contacts or last[1] is not ev.boss_contacts:
        return None
    return last if last[2:4] == (len(ev.contacts), len(ev.boss_contacts)) else None


def keep_partners(ev: Evidence, talks: dict[str, set[str]]) -> None:
    """Keep `talks` as `partners(ev)` (a live join's, grown from the join before's)."""
    _partners[:] = [(ev.contacts, ev.boss_contacts, len(ev.contacts), len(ev.boss_contacts), talks)]


def partners(ev: Evidence) -> dict[str, set[str]]:
    """Each number's contacts (`ev.contacts` and `ev.boss_contacts`, both ways): computed once
    per analysis and passed as `talks` to `bosses`, `talkers` and `logistics`; kept while the
    same lists are asked about (a live join after the analysis), so callers must not change it."""
    kept = kept_partners(ev)
    if kept is not None:
        return kept[4]
    out: dict[str, set[str]] = defaultdict(set)
    for rows in (ev.contacts, ev.boss_contacts):  # (the two columns only: no dict per row)
        for src, dst in values(rows, "src", "dst"):
            if src != dst:
                out[str(src)].add(str(dst))
                out[str(dst)].add(str(src))
    keep_partners(ev, out)
    return out


def bosses(inside: set[str], ev: Evidence, exit_in: dict[str, Decimal],
           exit_txns: dict[str, list[str]], holder: dict[str, str],
           talks: dict[str, set[str]] | None = None) -> list[Member]:  # fmt: skip
    """The financier and the core members of one group (accounts, persons, numbers)."""
    persons = known_persons(ev.persons)  # (both built once per run, not once per gang)
    phone_of = phonebook(ev.persons).phone_of
    holder = holder | {str(h["account_id"]): str(h["person_id"]) for h in ev.end_holders}
    ends = {a: e for a, e in _ends(inside, ev, exit_in, exit_txns).items()
            if holder.get(a) in persons}  # fmt: skip
    talks = partners(ev) if talks is None else talks
    total = sum((e.amount for e in ends.values()), Decimal(0)) or Decimal(1)
    ranked: list[tuple[float, str, int]] = []
    for acc, e in ends.items():
        n = len(talks.get(phone_of.get(holder[acc], ""), ()))
        ranked.append((float(e.amount / total) - min(n, 2) / 2, acc, n))
    out: list[Member] = []
    named: set[str] = set()
    silent = 0
    for _, acc, n in sorted(ranked, key=lambda r: (-r[0], r[1])):
        # the financier deals with the core members abroad, not with anyone here: a holder
        # whose number talks to nobody here is the financier (the surer, the more of the
        # gang's money or cards behind it; a group may hold two dens, so two financiers), one
        # who talks here a core member, however large his share: where every holder talks
        # here the records do not tell the financier from the core members, and naming one
        # would be a guess
        e = ends[acc]
        share = float(e.amount / total)
        if n == 0:
            role = "financier"
            conf = (0.9 if len(e.cards) >= 2 or share >= 0.25 else 0.75) - 0.05 * min(silent, 1)
            silent += 1
        else:
            role = "core_member"
            conf = 0.75 + 0.05 * min(n, 2)
        why: list[str | Sentence] = [
            said("received_abroad", amount=str(e.amount), share=f"{share:.0%}",
                 numbers=str(n)),
        ]  # fmt: skip
        if e.cards:
            why.append(said("paid_by_cards", cards=str(len(e.cards))))
        out.append(member("account", acc, role, conf, [*why, *e.txns[:8]]))
        person = holder[acc]
        if person not in named:
            named.add(person)
            out.append(member("person", person, role, conf - 0.05,
                              [said("holder_of_account", account=acc), *why, *e.txns[:8]]))  # fmt: skip
    return out


#: contacts here at which a number abroad that talks only to the holders' people counts half
#: (a boss deals with a handful of launderers and logistics; an operator's line talks to many)
BOSS_CONTACTS = 4.0


def talkers(
    ev: Evidence, members: list[Member], talks: dict[str, set[str]] | None = None
) -> list[Member]:
    """Numbers abroad, registered to a person not named yet, whose contacts here are the
    people that the gang's named holders abroad, card dealers and recruiters talk to, or who
    called from its SIM-box sites (the launderers and logistics at home): core members
    without an account here."""
    book = phonebook(ev.persons)  # (built once per run, not once per gang)
    phone_of = book.phone_of
    named = {m.id for m in members if m.kind == "person"}
    boss_phones = {phone_of[m.id] for m in members if m.kind == "person" and m.id in phone_of
                   and m.role in ("financier", "core_member")}  # fmt: skip
    boss_phones |= {m.id for m in members if m.kind == "phone"
                    and m.role in ("card_dealer", "recruiter")}  # fmt: skip
    home = home_country(ev)
    # who called a number abroad from the gang's SIM-box sites: its logistics (a neighbour
    # calls his friends from there)
    visitors = {str(v["phone"]) for v in ev.den_visitors if abroad_number(str(v["callee"]), home)}
    if not boss_phones and not visitors:
        return []
    talks = partners(ev) if talks is None else talks
    theirs = set().union(*(talks.get(p, set()) for p in boss_phones)) - boss_phones
    theirs |= visitors - boss_phones
    owner = book.owner
    out: list[Member] = []
    for number in sorted(set().union(*(talks.get(p, set()) for p in theirs))):
        person = owner.get(number)
        if person is None or person in named or number in boss_phones:
            continue
        if not abroad_number(number, home):
            continue
        contacts = talks.get(number, set())
        shared = contacts & theirs
        if not shared:
            continue
        share = len(shared) / len(contacts)
        conf = sig(4.0 * share - 2.0 + math.log2(1 + len(shared))) / (
            1.0 + (len(contacts) / BOSS_CONTACTS) ** 2 / 4
        )
        if conf < MIN_CONFIDENCE:
            continue
        why = said("talks_like_boss", shared=str(len(shared)), contacts=str(len(contacts)))
        ids = sorted(shared)[:6]
        out.append(member("phone", number, "core_member", conf, [why, *ids]))
        out.append(member("person", person, "core_member", conf * 0.95,
                          [said("registered_phone", phone=number), why]))  # fmt: skip
    return out


def logistics(
    ev: Evidence, members: list[Member], talks: dict[str, set[str]] | None = None
) -> list[Member]:
    """Numbers that called the gang's members abroad (its named financier and core members)
    from a SIM box's cell (`ev.den_visitors`, not the box's lines): the logistics (后勤) who
    keep the boxes running. A neighbour calls from the same cell, his friends."""
    book = phonebook(ev.persons)  # (built once per run, not once per gang)
    phone_of, owner = book.phone_of, book.people
    bosses = {phone_of[m.id] for m in members if m.kind == "person" and m.id in phone_of
              and m.role in ("financier", "core_member")}  # fmt: skip
    bosses |= {m.id for m in members if m.kind == "phone" and m.role == "core_member"}
    taken = {m.id for m in members}
    talks = partners(ev) if talks is None else talks
    seen: dict[str, list[str]] = defaultdict(list)
    cells: dict[str, set[str]] = defaultdict(set)
    for v in ev.den_visitors:
        if str(v["callee"]) in bosses:  # called the gang's members abroad from its box site
            seen[str(v["phone"])].append(str(v["first_id"]))
            cells[str(v["phone"])].add(str(v["cell"]))
    out: list[Member] = []
    for phone, calls in sorted(seen.items()):
        abroad = talks.get(phone, set()) & bosses
        if phone in taken:
            continue
        # one call from the site to one member abroad is what a neighbour with a relative
        # abroad makes too (on the training worlds such numbers were never the logistics):
        # the more calls and the more of the members abroad, the surer
        conf = min(0.9, 0.2 + 0.25 * len(abroad) + 0.15 * (len(calls) - 1))
        why = said("visits_den", cells=str(len(cells[phone])), bosses=str(len(abroad)))
        out.append(member("phone", phone, "logistics", conf, [why, *sorted(calls)[:4]]))
        for person in owner.get(phone, []):
            if person not in taken:
                out.append(member("person", person, "logistics", conf * 0.95,
                                  [said("registered_phone", phone=phone), why]))  # fmt: skip
    return out


#: (round ten) weights of re-weighing a number of the den's crew (`lines.crew`) as a core
#: member (logits): an account of its person's at a bank abroad where the gang's money ends,
#: per named member abroad it talks to (up to four), per reported victim it reached (up to
#: two, against), and the start (a crew-mate is an operator until shown otherwise)
BANK_ABROAD = 2.0
PER_BOSS = 0.5
PER_VICTIM = 1.5
CREW_START = -2.0


def crew_bosses(members: list[Member], ev: Evidence) -> None:
    """Re-weigh the persons `lines.crew` named operator (numbers abroad that talk to the gang's
    bosses and among themselves) who hold an account at a bank abroad where the gang's own
    money ended (the institution of one of its named accounts abroad, a bank none of the
    gang's account holders at home uses): the bosses take the gang's profit in the den's
    country, the callers who work its lines are paid in hand. Weighed with the members
    abroad the number talks to (for) and the reported victims it reached (against); the
    person and his number become `core_member` where the sum is positive, for `funders` to
    weigh next. Nothing is named that `crew` did not name."""
    book = {str(h["account_id"]): h for h in ev.end_holders}
    home = home_country(ev)
    # (the banks of the chain's accounts at home: a bank here is no tie to the den's country)
    local = {str(h.get("institution") or "") for h in ev.holders if h.get("country") == home}
    banks = {str(book[m.id].get("institution") or "") for m in members
             if m.kind == "account" and m.role in ("financier", "core_member") and m.id in book
             and book[m.id].get("country") != home}  # fmt: skip
    banks -= local | {""}
    if not banks:
        return
    held: dict[str, list[str]] = defaultdict(list)
    for r in (*ev.kin, *ev.ahead):
        if str(r["institution"]) in banks:
            held[str(r["person_id"])].append(str(r["account_id"]))
    phone_of = phonebook(ev.persons).phone_of
    phones = {m.id: m for m in members if m.kind == "phone" and m.role == "operator"}
    for m in members:
        if m.kind != "person" or m.role != "operator" or m.id not in held:
            continue
        crew = next((c for c in m.codes if c and c.get("code") == "den_crew"), None)
        if crew is None:
            continue
        args = crew["args"]
        x = CREW_START + BANK_ABROAD + PER_BOSS * min(int(args["bosses"]), 4)
        x -= PER_VICTIM * min(int(args["victims"]), 2)
        if x <= 0:
            continue
        conf = sig(x)
        why = said("holder_of_account", account=", ".join(sorted(held[m.id])[:3]))
        for item in (m, phones.get(phone_of.get(m.id, ""))):
            if item is None:
                continue
            item.role, item.confidence = "core_member", max(MIN_CONFIDENCE, conf)
            item.evidence.insert(0, why.text)
            item.codes.insert(0, why.as_dict())
