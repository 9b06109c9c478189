"""Roles from calls and messages: operators (the numbers and handsets that reach victims, and
the persons behind them) and wallets (named in the messages to victims)."""

from __future__ import annotations

import math
import threading
from collections import defaultdict

from chaincut.gangs.collect import Evidence
from chaincut.gangs.graph import split
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member
from chaincut.gangs.member import sig as _sig
from chaincut.gangs.phonebook import Phonebook, phonebook
from chaincut.gangs.sentences import Sentence, said


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


_lock = threading.Lock()
_last: list[tuple[Phonebook, dict[str, list[str]]]] = []


def phones_of(book: Phonebook) -> dict[str, list[str]]:
    """Person -> every number registered to them (`book.people` turned round), built once per
    phonebook (the roles of every gang ask about a few persons each; reading every person for
    each gang grows as gangs x persons)."""
    with _lock:
        if _last and _last[0][0] is book:
            return _last[0][1]
    out: dict[str, list[str]] = defaultdict(list)
    for phone, people in book.people.items():
        for person in people:
            out[person].append(phone)
    table = dict(out)
    with _lock:
        _last[:] = [(book, table)]
    return table


def operators(inside: set[str], ev: Evidence, taken: set[str]) -> list[Member]:
    """Numbers and handsets that talk to victims: a number's own reach (victims among its
    contacts), and its handset's (a SIM box spreads its victims thin over many SIMs); many
    contacts with a few victims among them is a courier's or a bank's line."""
    numbers = phones_of(phonebook(ev.persons))
    victims_phone = set().union(*(numbers.get(str(r["victim_id"]), ()) for r in ev.reports))
    evidence: dict[str, list[str]] = defaultdict(list)
    for c in ev.contacts:
        if c["dst"] in victims_phone:
            evidence[c["src"]].append(str(c["first_id"]))
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
        out.append(member("phone", ident, "operator", conf, [why, *sorted(evidence[ident])[:8]]))
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
