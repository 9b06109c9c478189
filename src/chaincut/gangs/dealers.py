"""Card dealers (卡商) and recruiters: the phones (and their owners) behind the gang's cards.

A card dealer buys cards from their holders and sells them to the gang; he often opens them
with a number he controls, so several different people's cards carry his number as their
registration phone (`accounts.reg_phone`). The evidence, weighted (none of it alone is a
verdict):
- registrations: the gang's cards registered with the phone whose holders differ from each
  other and from the phone's own registrant (one's own cards, or a family's, are no dealer's),
  and, weighing less, the other people's cards with the same phone that other reports' money
  reached (a dealer sells to several gangs);
- contacts: the share of the phone's contacts that hold the gang's cards, and a recruiter
  among them (a number whose contacts are mostly the gang's card holders);
- fees: money from the gang's cards into accounts the phone's owner holds (a dealer is paid a
  small fee per card);
- victims: a number that reaches the reports' victims is an operator's line, and counts against.
A number with no registrations whose contacts are mostly the gang's card holders is a
`recruiter`; a number abroad counts against it (recruiters meet the holders where they live
and open their cards; the den's core members abroad call the same holders to run the cards).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from chaincut.gangs.ahead import by_role
from chaincut.gangs.collect import Evidence
from chaincut.gangs.ends import abroad_number, home_country
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member, sig
from chaincut.gangs.phonebook import phonebook
from chaincut.gangs.rowset import reached_by
from chaincut.gangs.sentences import Sentence, said

if TYPE_CHECKING:
    from chaincut.gangs.analyse import Gang

#: distinct other people's cards registered with one phone at which registrations alone make
#: a dealer likely (a family registers two or three cards with one phone at most)
DEALER_HOLDERS = 3

#: what a number abroad takes off a recruiter's evidence (a logit): the den's core members
#: call the gang's card holders too, from abroad, to run their cards
ABROAD = 4.0

#: the gang's card holders a number at home calls for it to be a hub of the gang's cards (a
#: recruiter, or someone who deals with their holders): a second-hand tie to the cards; and
#: the share of its contacts above chance (`_share`) they must be (in a small town anyone
#: who knows fifty people knows three card holders)
HUB_HOLDERS = 3
HUB_SHARE = 0.2

#: what each tie of a phone that registered one other person's card adds (a logit, up to
#: three): the gang's card holders it talks to other than the one whose card carries its
#: number, and a hub it talks to (round eight: a dealer with one card on his number)
TIE = 0.8


#: (round twelve) what each recruiter of the gang a registering phone talks to adds (a logit,
#: up to two; one counted as before)
PER_RECRUITER = 1.0
#: the confidence of a dealer's registrant against his phone's: the registrations are his
#: (a recruiter's number says less of its owner: a family phone, a shop's)
OWNER_SHARE = {"card_dealer": 1.0, "recruiter": 0.95}


@dataclass
class Candidate:
    """One phone's evidence of supplying or recruiting the gang's card holders."""

    phone: str
    cards: list[str] = field(default_factory=list)  # the gang's cards registered with it
    holders: set[str] = field(default_factory=set)  # their holders, the phone's owner aside
    talks: set[str] = field(default_factory=set)  # card holders' numbers it talks to
    recruiters: set[str] = field(default_factory=set)  # recruiters' numbers it talks to
    fees: list[tuple[str, str, Decimal, str]] = field(default_factory=list)  # src, dst, ¥, txn
    #: holders of other cards registered with it that other reports' money reached
    elsewhere: set[str] = field(default_factory=set)
    #: the share of all registered numbers that are the gang's card holders': the chance that
    #: anyone's contact is one (in a small town many people know a card holder or two)
    base: float = 0.0
    #: registered in another country than the chain's accounts (the den's side)
    abroad: bool = False
    #: numbers at home, none of them the gang's card holders, whose contacts are mostly (above
    #: chance: `HUB_SHARE`) the gang's card holders, `HUB_HOLDERS` or more, and that talk to
    #: this phone: its second-hand ties to the cards
    hubs: set[str] = field(default_factory=set)
    #: the gang's card holders' numbers it talks to, other than those of the people whose
    #: cards carry its number (a family talks to its own), and one hub: its ties to the gang
    ties: set[str] = field(default_factory=set)
    #: (round thirteen) the numbers of the people whose cards carry its number that it talks
    #: to: a parent who opened his son's card talks to his son; a dealer to the recruiters
    family: set[str] = field(default_factory=set)


def _talks(ev: Evidence, phones: set[str]) -> dict[str, set[str]]:
    """Number -> the numbers of `phones` it exchanged calls or messages with."""
    return reached_by(ev.contacts, phones)  # (the rows of `phones` only, from an index)


def _share(ev: Evidence, phone: str, n_talk: int, base: float = 0.0) -> tuple[float, float]:
    """How much more the phone talks to card holders than anyone would by chance: the share
    of its contacts that hold the gang's cards above `base` (scaled to 0..1), and the number
    of such contacts above what `base` gives its number of contacts."""
    # a popular person talks to a few card holders among many friends; a recruiter's or a
    # dealer's contacts are mostly card holders (smoothed over a handful of contacts)
    contacts = ev.reach.get(phone, (n_talk, 0))[0]
    share = n_talk / max(contacts + 3, n_talk)
    lifted = max(0.0, share - base) / (1.0 - base) if base < 1.0 else 0.0
    return lifted, max(0.0, n_talk - base * max(contacts, n_talk))


def candidates(
    ev: Evidence, cards: dict[str, Member], holder: dict[str, str], chain: Set[str] = frozenset()
) -> dict[str, Candidate]:
    """Every phone that registered one of the gang's `cards` or talks to two or more of their
    holders, with its evidence (`chain`: the accounts any report's money reached, for the
    cards a dealer sold to other gangs)."""
    book = phonebook(ev.persons)  # (built once per run, not once per gang)
    owners, phone_of = book.people_set, book.phone_of
    found: dict[str, Candidate] = {}
    for a in ev.account_phones:
        acc, phone = str(a["account_id"]), str(a["phone"])
        if acc in cards:
            c = found.setdefault(phone, Candidate(phone))
            c.cards.append(acc)
            held_by = str(a.get("holder") or holder.get(acc) or acc)
            if held_by not in owners.get(phone, ()):
                c.holders.add(held_by)
    for a in ev.account_phones:
        acc, phone = str(a["account_id"]), str(a["phone"])
        if phone in found and acc in chain and acc not in cards:
            held_by = str(a.get("holder") or acc)
            if held_by not in owners.get(phone, ()) and held_by not in found[phone].holders:
                found[phone].elsewhere.add(held_by)
    holder_phones = {phone_of[holder[a]] for a in cards if holder.get(a) in phone_of}
    talk = _talks(ev, holder_phones)
    for phone, who in talk.items():
        if len(who - {phone}) >= 2:
            found.setdefault(phone, Candidate(phone)).talks = who - {phone}
        elif phone in found:
            found[phone].talks = who - {phone}
    registered = set(book.people)
    base = len(holder_phones & registered) / len(registered) if registered else 0.0
    home = home_country(ev)
    for c in found.values():
        c.base = base
        c.abroad = abroad_number(c.phone, home)
    recruiters = {p for p, c in found.items() if not c.holders and _recruiting(ev, c)}
    near = _talks(ev, recruiters)
    # (a hub: a number at home that calls several of the gang's card holders, holding none of
    # its cards itself; a mule talks to his recruiter too, but a mule registers no one's card)
    hubs = {p for p, c in found.items() if len(c.talks) >= HUB_HOLDERS and not c.holders
            and not c.abroad and p not in holder_phones
            and _share(ev, p, len(c.talks), base)[0] >= HUB_SHARE}  # fmt: skip
    by_hub = _talks(ev, hubs)
    for phone, c in found.items():
        c.recruiters = near.get(phone, set()) - {phone}
        c.hubs = by_hub.get(phone, set()) - {phone}
        own = {phone_of[h] for h in c.holders if h in phone_of}
        # (a hub counts once: in a small town many people know a recruiter or two)
        c.ties = (c.talks - own) | set(sorted(c.hubs | c.recruiters)[:1])
        c.family = c.talks & own
    _fees(ev, found, cards, owners)
    return found


def _recruiting(ev: Evidence, c: Candidate) -> bool:
    share, excess = _share(ev, c.phone, len(c.talks), c.base)
    away = ABROAD * c.abroad
    return len(c.talks) >= 2 and sig(0.3 * excess + 3.0 * share - 2.0 - away) >= 0.5


def _fees(
    ev: Evidence, found: dict[str, Candidate], cards: dict[str, Member], owners: dict[str, set[str]]
) -> None:
    """Money from the gang's cards into accounts the candidates' owners hold."""
    held: dict[str, str] = {}
    for h in ev.holders:
        held.setdefault(str(h["account_id"]), str(h["person_id"]))
    phone_of_owner = {p: phone for phone, ps in owners.items() for p in ps if phone in found}
    for m in ev.transfers_between:
        src, dst = str(m["src"]), str(m["dst"])
        phone = phone_of_owner.get(held.get(dst, ""))
        if src in cards and phone is not None and held.get(src) != held.get(dst):
            found[phone].fees.append((src, dst, Decimal(str(m["amount"])), str(m["first_id"])))


def confidence(ev: Evidence, c: Candidate) -> tuple[str, float]:
    """The candidate's role (`card_dealer` when several other people's cards carry its
    number, else `recruiter`) and the confidence its weighted evidence gives."""
    # the people whose cards that any report's money reached carry the number: this gang's
    # and, where it has one of them, other gangs' (a dealer serves several dens, and at a
    # low share of dealer-opened cards each den may hold only one of his)
    n_reg = len(c.holders) + len(c.elsewhere) if c.holders else 0
    share, n_talk = _share(ev, c.phone, len(c.talks), c.base)
    # a number that reaches the gang's victims is an operator's line (a SIM box's SIMs call
    # card holders too), not the one that supplies or recruits them
    victims = -1.5 * min(ev.reach.get(c.phone, (0, 0))[1], 2)
    if n_reg >= 1:
        x = -3.5 + 1.6 * min(n_reg, 5) + 0.2 * min(n_talk, 5) + 1.0 * share
        # (round twelve) each of the gang's recruiters it talks to, up to two: the dealer opens
        # the cards the recruiters bring, one recruiter is what a mule's family may know
        # (round thirteen) a hub is a recruiter the contacts show less surely (a number here
        # that calls three or more of the gang's card holders and registered none of their
        # cards): counted with them, where the number does not talk to the people whose cards
        # it registered (a family phone talks to its own, and may know their recruiter)
        near = c.recruiters | (set() if c.family else c.hubs)
        x += PER_RECRUITER * min(len(near), 2) + 1.0 * bool(c.fees)
        x += 0.5 * min(len(c.elsewhere), 4)
        # one other person's card on a number is what a family does too: the number's ties
        # to the gang's other card holders and hubs tell the dealer (who deals with them)
        x += TIE * min(len(c.ties), 3) if n_reg == 1 else 0.0
        dealer = sig(x + victims)
        if n_reg >= 2 or dealer >= MIN_CONFIDENCE:
            return "card_dealer", dealer
    away = -ABROAD * c.abroad
    return "recruiter", sig(0.3 * n_talk + 3.0 * share - 2.5 + 0.5 * n_reg + victims + away)


def why(c: Candidate) -> list[str | Sentence]:
    """The evidence an analyst can cite: sentences, then the registration rows and the first
    fee's transaction id."""
    out: list[str | Sentence] = []
    if c.holders:
        out.append(said("cards_registered_by", cards=str(len(c.cards)), people=str(len(c.holders))))
    if c.holders and c.elsewhere:
        out.append(said("dealer_elsewhere", people=str(len(c.elsewhere))))
    if c.talks:
        out.append(said("holders_contacted", holders=str(len(c.talks))))
    if c.recruiters:
        out.append(said("talks_to_recruiter", phones=", ".join(sorted(c.recruiters)[:3])))
    if c.hubs - c.recruiters:
        hubs = sorted(c.hubs - c.recruiters)
        out.append(said("talks_to_hubs", numbers=str(len(hubs)), least=str(HUB_HOLDERS),
                        phones=", ".join(hubs[:3])))  # fmt: skip
    if c.fees:
        total = sum((f[2] for f in c.fees), Decimal(0))
        out.append(said("fees_from_cards", cards=str(len({f[0] for f in c.fees})),
                        amount=str(total)))  # fmt: skip
    if c.holders:
        out += [said("account_row", account=a) for a in sorted(c.cards)[:6]]
    out += [f[3] for f in sorted(c.fees)[:3]]
    return out


def dealers(
    inside: set[str],
    ev: Evidence,
    cards: dict[str, Member],
    holder: dict[str, str],
    chain: Set[str] = frozenset(),
) -> tuple[list[Member], dict[str, Member]]:
    """The gang's card dealers and recruiters (phones, and the persons registered to them),
    and each named person's member by person id (a dealer's role outranks the mule role his
    own card would give him)."""
    owner = phonebook(ev.persons).people  # (built once per run, not once per gang)
    out: list[Member] = []
    people: dict[str, Member] = {}
    for phone, c in sorted(candidates(ev, cards, holder, chain).items()):
        if f"phone:{phone}" not in inside and not c.cards:
            continue
        role, conf = confidence(ev, c)
        if conf < MIN_CONFIDENCE:
            continue
        evidence = why(c)
        out.append(member("phone", phone, role, conf, evidence))
        for person in owner.get(phone, []):
            m = member("person", person, role, conf * OWNER_SHARE[role],
                       [said("registered_phone", phone=phone), *evidence])  # fmt: skip
            if person not in people or people[person].confidence < m.confidence:
                people[person] = m
    return out, people


def late_dealers(gangs: list[Gang], ev: Evidence) -> None:
    """(round thirteen) Weigh again, for each gang, the phones that registered the accounts it
    lists once every account is listed (a listed card's holder's other cards, the leads not
    used yet: `chaincut.gangs.cards`), with every listed account as the gang's cards: a dealer
    whose only card the gang's money reached is not the one his number registered is named
    from the card listed beside it. Only phones the gang does not list yet, and only as
    `card_dealer` (the same weights as `confidence`); their registrants where the gang names
    them in no role."""
    registered: dict[str, str] = {}
    for a in ev.account_phones:
        registered.setdefault(str(a["account_id"]), str(a["phone"]))
    holder: dict[str, str] = {}
    for rows in (ev.holders, ev.kin, ev.ahead):
        for r in rows:
            holder.setdefault(str(r["account_id"]), str(r["person_id"]))
    book = phonebook(ev.persons)
    owner, owners = book.people, book.people_set
    for g in gangs:
        cards = {m.id: m for m in g.members
                 if m.kind == "account" and m.role in ("mule", "launderer")}  # fmt: skip
        listed = {m.id for m in g.members}
        # (only where a listed account carries another person's phone that the gang does not
        # list: the phones it lists were weighed with its roles, and a number that registered
        # its own people's cards only is no dealer's)
        if not any(
            registered[a] not in listed and holder.get(a) not in owners.get(registered[a], ())
            for a in cards
            if a in registered
        ):
            continue
        added: list[Member] = []
        for phone, c in sorted(candidates(ev, cards, holder).items()):
            if not c.cards or phone in listed:
                continue
            role, conf = confidence(ev, c)
            if role != "card_dealer" or conf < MIN_CONFIDENCE:
                continue
            evidence = why(c)
            added.append(member("phone", phone, role, conf, evidence))
            for person in owner.get(phone, []):
                if person not in listed:
                    listed.add(person)
                    added.append(member("person", person, role, conf * OWNER_SHARE[role],
                                        [said("registered_phone", phone=phone), *evidence]))  # fmt: skip
        if added:
            g.members = sorted(g.members + added, key=by_role)
