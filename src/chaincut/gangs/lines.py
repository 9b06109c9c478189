"""Roles from registrations, calls and messages: card dealers and recruiters (the phones
that registered the gang's cards or that its card holders talk to; `roles` now takes them
from `chaincut.gangs.dealers`), operators (the numbers and handsets that reach victims, and the
persons behind them) and wallets (named in the messages to victims)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from chaincut.gangs.collect import Evidence
from chaincut.gangs.ends import abroad_number, home_country
from chaincut.gangs.graph import split
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member
from chaincut.gangs.member import sig as _sig
from chaincut.gangs.phonebook import Phonebook, phonebook
from chaincut.gangs.rowset import Row, reached_by, values
from chaincut.gangs.sentences import Sentence, said


def dealers(
    inside: set[str], ev: Evidence, cards: dict[str, Member], holder: dict[str, str],
    taken: set[str],
) -> list[Member]:  # fmt: skip
    phone_of = {p["person_id"]: p["phone"] for p in ev.persons if p["phone"]}
    owner: dict[str, list[str]] = defaultdict(list)
    for p in ev.persons:
        if p["phone"]:
            owner[p["phone"]].append(p["person_id"])
    registered: dict[str, list[str]] = defaultdict(list)
    for a in ev.account_phones:
        if a["account_id"] in cards:
            registered[a["phone"]].append(a["account_id"])
    mule_phones = {phone_of[holder[a]] for a in cards if holder.get(a) in phone_of}
    talks = reached_by(ev.contacts, mule_phones)  # (the rows of `mule_phones` only)
    out: list[Member] = []
    for phone in sorted(set(registered) | set(talks)):
        if f"phone:{phone}" not in inside and phone not in registered:
            continue
        n_reg, n_talk = len(registered[phone]), len(talks[phone] - {phone})
        # the share of its contacts that hold the gang's cards: a popular person talks to a
        # few mules among many friends; a recruiter's or dealer's contacts are mostly mules
        contacts = ev.reach.get(phone, (n_talk, 0))[0]
        share = n_talk / max(contacts + 3, n_talk)
        score = 1.5 * n_reg + 0.3 * n_talk + 3.0 * share
        if n_reg == 0 and n_talk < 2:
            continue
        role = "card_dealer" if n_reg >= 2 else "recruiter"
        conf = _sig(score - 2.0)
        if conf < MIN_CONFIDENCE:
            continue
        why = [said("cards_registered", cards=str(n_reg))] if n_reg else []
        why += [said("holders_contacted", holders=str(n_talk))] if n_talk else []
        evid = why + [said("account_row", account=a) for a in registered[phone][:6]]
        out.append(member("phone", phone, role, conf, evid))
        for person in owner.get(phone, []):
            if person not in taken:
                out.append(
                    member(
                        "person",
                        person,
                        role,
                        conf * 0.95,
                        [said("registered_phone", phone=phone), *evid],
                    )  # fmt: skip
                )
    return out


def _source(source: str) -> str | Sentence:
    """Where a wallet was named: a message's id as it is, a report as a sentence."""
    if source.startswith("report "):
        return said("report", report=source.removeprefix("report "))
    return source


def wallets(inside: set[str], ev: Evidence) -> list[Member]:
    """Crypto wallets the gang's messages to victims (or the victims' reports) name: where
    the victims were told to send the money, so where it was laundered (`launderer`)."""
    seen: dict[str, list[str]] = defaultdict(list)
    for i in ev.indicators:
        if i["kind"] == "crypto_wallet" and f"wallet:{i['value']}" in inside:
            seen[i["value"]].append(i["source"])
    return [
        member("wallet", w, "launderer", 0.6 + 0.1 * min(len(src), 3),
               [said("wallet_named", messages=str(len(src))), *map(_source, sorted(src)[:8])])
        for w, src in sorted(seen.items())
    ]  # fmt: skip


def phones_of(book: Phonebook) -> dict[str, list[str]]:
    """Person -> every number registered to them (`Phonebook.phones`: built once per
    phonebook, where reading every person for each gang grew as gangs x persons)."""
    return book.phones


#: the last `_victim_calls` made: the contact rows, their number, the victims' numbers, the map
_calls: list[tuple[Sequence[Row], int, frozenset[str], dict[str, list[str]]]] = []


def _victim_calls(contacts: Sequence[Row], victims: set[str]) -> dict[str, list[str]]:
    """Number -> the first ids of its contact rows with a victim's number, in the rows' order:
    the same for every gang of a run, so made once while the rows and victims are the same
    (the rows are not changed in place; callers must not change the map)."""
    key = frozenset(victims)
    last = _calls[0] if _calls else None
    if last is not None and last[0] is contacts and last[1] == len(contacts) and last[2] == key:
        return last[3]
    out: dict[str, list[str]] = defaultdict(list)
    for src, dst, first in values(contacts, "src", "dst", "first_id"):
        if dst in victims:
            out[src].append(str(first))
    _calls[:] = [(contacts, len(contacts), key, out)]
    return out


def operators(inside: set[str], ev: Evidence, taken: set[str]) -> list[Member]:
    """Numbers and handsets that talk to victims: a number's own reach (victims among its
    contacts), and its handset's (a SIM box spreads its victims thin over many SIMs); many
    contacts with a few victims among them is a courier's or a bank's line."""
    numbers = phones_of(phonebook(ev.persons))
    victims_phone = set().union(*(numbers.get(str(r["victim_id"]), ()) for r in ev.reports))
    evidence = _victim_calls(ev.contacts, victims_phone)
    box_victims: dict[str, int] = defaultdict(int)
    imeis: dict[str, set[str]] = defaultdict(set)
    for d in ev.devices:
        box_victims[str(d["imei"])] += ev.reach.get(d["phone"], (0, 0))[1]
        imeis[d["phone"]].add(str(d["imei"]))
    out: list[Member] = []
    lines: set[str] = set()
    for kind, ident in map(split, inside):
        if kind != "phone" or ident in victims_phone or ident in taken or ident not in ev.reach:
            continue
        contacts, victims = ev.reach[ident]
        box = max((box_victims[i] for i in imeis[ident]), default=0)
        sims = max((ev.device_reach.get(i, (1, 0))[0] for i in imeis[ident]), default=1)
        # one victim among a handful of contacts is what a relative looks like: a line needs
        # more victims, or a handset whose other numbers reach victims too
        # (a share of victims over a handful of contacts says little: smoothed)
        x = -3.0 + 1.0 * min(victims, 5) + 4.0 * victims / (contacts + 5)
        x += 0.7 * math.log2(1 + max(box - victims, 0)) + 0.5 * math.log2(sims)
        x -= 3.0 * math.log10(contacts / 20 + 1)
        conf = _sig(x)
        if conf < MIN_CONFIDENCE:
            continue
        lines.add(ident)
        why = said("reached", victims=str(victims), contacts=str(contacts))
        if sims > 1:
            why = said("reached_handset", victims=str(victims), contacts=str(contacts),
                       numbers=str(sims), box=str(box))  # fmt: skip
        out.append(
            member("phone", ident, "operator", conf, [why, *sorted(evidence.get(ident, []))[:8]])
        )
    for d in ev.devices:
        imei = str(d["imei"])
        if d["phone"] in lines and f"device:{imei}" in inside:
            conf = _sig(-1.0 + 0.6 * math.log2(1 + box_victims[imei]))
            if conf >= MIN_CONFIDENCE:
                line: list[str | Sentence] = [
                    said("carried_line", phone=str(d["phone"]), victims=str(box_victims[imei])),
                    str(d["first_id"]),
                ]
                out.append(member("device", imei, "operator", conf, line))
    unique: dict[tuple[str, str], Member] = {}
    for m in out:
        unique.setdefault((m.kind, m.id), m)
    return list(unique.values())


#: roles of the gang's people at home whom its core members deal with (a den's operator
#: talks to few of them: many such contacts are a core member's)
AT_HOME = ("card_dealer", "recruiter", "logistics", "mule", "launderer")


def role_phones(
    members: list[Member], numbers: dict[str, list[str]], roles: tuple[str, ...]
) -> set[str]:
    """The numbers of the `members` named in `roles`: the phones, and every number registered
    to the persons (`numbers`: `phones_of`)."""
    found = {m.id for m in members if m.kind == "phone" and m.role in roles}
    for m in members:
        if m.kind == "person" and m.role in roles:
            found.update(numbers.get(m.id, ()))
    return found


def crew(ev: Evidence, members: list[Member], talks: dict[str, set[str]]) -> list[Member]:
    """Numbers abroad, registered to a person not named yet, that talk to the gang's named
    financier and core members and to other numbers abroad that talk to them too: the den's
    crew, who talk among themselves and to those who run them (its operators, 业务员). Weighed:
    the named bosses it talks to, the crew-mates, the reported victims it reached; a relative
    abroad talks to one boss and to none of the others; a core member also deals with the
    gang's people at home (card dealers, recruiters, logistics, card holders), which counts
    against. The person the number is registered to is named with it."""
    book = phonebook(ev.persons)
    numbers = phones_of(book)
    named = {m.id for m in members}
    bosses = role_phones(members, numbers, ("financier", "core_member"))
    if not bosses:
        return []
    at_home = role_phones(members, numbers, AT_HOME)
    victims: set[str] = set().union(*(numbers.get(str(r["victim_id"]), ()) for r in ev.reports))
    home = home_country(ev)
    near = set().union(*(talks.get(b, set()) for b in bosses)) - bosses - victims
    mates = {n for n in near if n not in named and n in book.people and abroad_number(n, home)}
    out: list[Member] = []
    for number in sorted(mates):
        contacts = talks.get(number, set())
        b, m = len(contacts & bosses), len(contacts & mates)
        v, h = len(contacts & victims), len(contacts & at_home)
        x = -3.0 + 0.8 * min(b, 3) + 0.35 * min(m, 8) + 0.7 * min(v, 3) - 0.4 * max(h - 3, 0)
        conf = _sig(x)
        if conf < MIN_CONFIDENCE:
            continue
        why = said("den_crew", bosses=str(b), crew=str(m), victims=str(v))
        out.append(member("phone", number, "operator", conf, [why, *sorted(contacts & bosses)[:4]]))
        for person in book.people.get(number, []):
            if person not in named:
                out.append(member("person", person, "operator", conf * 0.95,
                                  [said("registered_phone", phone=number), why]))  # fmt: skip
    return out
