"""Each gang member's role, with a confidence and the evidence behind it.

Roles come from weighted evidence, never from one rule alone:
- where the money ends (cross-border exits: the financier 金主 takes the most, core members 骨干
  the rest; their holders likewise);
- the accounts the victims' money passed through (mule cards 断卡; a payment account taking
  several victims' payments directly is a score-running 跑分 account: `launderer`);
- registrations (a phone or ID number that many of the gang's cards or SIMs were registered
  with, a person many mule holders talk to, money the mules paid out as fees: `card_dealer`;
  contact alone: `recruiter`);
- calls and messages with victims (numbers and handsets: `operator`), and the numbers abroad
  that talk to the gang's bosses and to each other (the den's crew: `operator`, with the
  persons they are registered to); those that talk to its financier, its other bosses and its
  people here (`chaincut.gangs.running`: `core_member`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from chaincut.gangs.bosses import bosses, crew_bosses, known_persons, logistics, partners, talkers
from chaincut.gangs.collect import Evidence, dealer_phones
from chaincut.gangs.dealers import dealers
from chaincut.gangs.funders import abroad_payers, funders, paid_bosses
from chaincut.gangs.graph import ORDINARY_DEGREE, LinkGraph, split
from chaincut.gangs.lines import crew, operators, wallets
from chaincut.gangs.member import MIN_CONFIDENCE as MIN_CONFIDENCE
from chaincut.gangs.member import ROLES as ROLES
from chaincut.gangs.member import Member as Member
from chaincut.gangs.member import member, sig
from chaincut.gangs.phonebook import phonebook
from chaincut.gangs.running import runners
from chaincut.gangs.sentences import said


@dataclass
class MoneyFacts:
    """Per-account facts of the money, over all reports."""

    score: dict[str, float] = field(default_factory=dict)
    chain: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    paid_by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    exit_in: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    exit_txns: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    victims: set[str] = field(default_factory=set)
    #: account -> the chain accounts it exchanged money with, and whether it paid them
    links: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    pays: set[str] = field(default_factory=set)
    #: account -> registered phone; phone -> how many chain accounts it registered
    reg_phone: dict[str, str] = field(default_factory=dict)
    reg_count: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    #: account -> (the account abroad it paid, how much): where the traces' exits went
    abroad: dict[str, tuple[str, Decimal]] = field(default_factory=dict)
    #: account -> (payer person, the gang's line that talked to them, the call or message id)
    targeted: dict[str, list[tuple[str, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    #: the accounts the traces' money exited from (ATM, OTC, abroad)
    exits: set[str] = field(default_factory=set)
    #: account -> the chain accounts that paid it, and how many payments of how much in all
    paid_in: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    paid_in_sum: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    #: the median of the victims' payments in the reports (what a commission is a share of)
    victim_payment: Decimal = Decimal(0)


def _linked(account: str, ev: Evidence, f: MoneyFacts, dealer: dict[str, str]) -> float:
    """Confidence in a card no report's money reached: the mule model's score, discounted
    unless independent links back it (money with several chain cards, money paid into the
    chain, a registration shared with the chain's cards). One payment from one card is what
    a shop or a landlord gets; a card that hundreds of strangers pay is a trader's, whatever
    few of them are the chain's."""
    links = len(f.links.get(account, ())) + (account in f.pays) + 2 * (account in dealer)
    model = max(ev.scores.get(account, 0.0), 0.8 if account in dealer else 0.0)
    degree = ev.degrees.get(account, 0)
    focus = min(1.0, math.sqrt(ORDINARY_DEGREE / degree)) if degree else 1.0
    return model * (1 - 0.5**links) * focus


def _abroad(account: str, ev: Evidence, f: MoneyFacts) -> float:
    """Confidence in a card that sent money across the border to an account the reports'
    traced money exited to: the gang's own account abroad, which honest people do not pay;
    discounted like `_linked` for a card that very many strangers pay."""
    if account not in f.abroad:
        return 0.0
    degree = ev.degrees.get(account, 0)
    return 0.85 * (min(1.0, math.sqrt(ORDINARY_DEGREE / degree)) if degree else 1.0)


#: counterparties at which a card paid by a targeted person counts half (a fresh rented card
#: has a handful; a shop or a friend the targets pay has more)
TARGETED_DEGREE = 8.0


def _targeted(account: str, ev: Evidence, f: MoneyFacts) -> float:
    """Confidence in a flagged card that people the gang's lines talked to paid (victims who
    did not report): the model's score, backed more the more such people paid it (most of
    the people a gang calls never pay it), discounted as the card's counterparties grow."""
    if account not in f.targeted:
        return 0.0
    payers = len({p for p, _, _ in f.targeted[account]})
    degree = ev.degrees.get(account, 0)
    backed = ev.scores.get(account, 0.0) * (1 - 0.5 ** (1 + payers))
    return backed / (1.0 + (degree / TARGETED_DEGREE) ** 2)


def money_facts(ev: Evidence) -> MoneyFacts:
    f = MoneyFacts()
    _money_links(f, ev)
    for m in ev.targeted:
        f.targeted[m["dst"]].append((m["person"], m["line"], m["contact"]))
        f.chain[m["dst"]].extend(str(m[k]) for k in ("first_id", "last_id"))
    for m in ev.abroad:
        f.abroad[m["src"]] = (m["dst"], Decimal(str(m["amount"])))
        f.chain[m["src"]].extend(str(m[k]) for k in ("first_id", "last_id"))
    for t in ev.transfers:
        f.paid_by[t["dst_account"]].add(t["report_id"])
        f.chain[t["dst_account"]].append(t["txn_id"])
        if t["victim_account"]:
            f.victims.add(t["victim_account"])
    for tr in ev.traces:
        for key, bonus in (("freeze", 0.0), ("verify", -3.0)):
            for o in tr[key]:
                s = float(o["score"]) + bonus
                f.score[o["account_id"]] = max(f.score.get(o["account_id"], -9.0), s)
                f.chain[o["account_id"]].extend(t for p in o["evidence"] for t in p[-1:])
        for e in tr["exits"]:
            f.exits.add(e["from"])
            f.score[e["from"]] = max(f.score.get(e["from"], -9.0), 4.0)
            f.chain[e["from"]].append(e["txn_id"])
            if e["channel"] == "cross_border":
                f.exit_in[e["to"]] += Decimal(e["amount"])
                f.exit_txns[e["to"]].append(e["txn_id"])
    chain = set(f.score) | set(f.paid_by)
    for a in ev.account_phones:
        f.reg_phone[a["account_id"]] = a["phone"]
        if a["account_id"] in chain:
            f.reg_count[a["phone"]] += 1
    return f


def _money_links(f: MoneyFacts, ev: Evidence) -> None:
    chain = {t["dst_account"] for t in ev.transfers}
    for t in ev.traces:
        chain.update(o["account_id"] for key in ("freeze", "verify") for o in t[key])
        chain.update(e["from"] for e in t["exits"])
    for m in ev.transfers_between:
        if m["dst"] in chain:
            f.links[m["src"]].add(m["dst"])
            f.pays.add(m["src"])
        if m["src"] in chain:
            f.links[m["dst"]].add(m["src"])
            f.paid_in[m["dst"]].add(m["src"])
            n, total = f.paid_in_sum.get(m["dst"], (0, Decimal(0)))
            f.paid_in_sum[m["dst"]] = (n + int(m["n"]), total + Decimal(str(m["amount"])))
    paid = sorted(Decimal(str(t["amount"])) for t in ev.transfers if t.get("amount") is not None)
    f.victim_payment = paid[len(paid) // 2] if paid else Decimal(0)


#: (round nine) a payment account victims paid directly: victims counted (each +1.5; a
#: mule's first card takes several victims too), and the weight against per other card of
#: the gang its holder holds that is a bank card or that the gang's cards paid (up to two)
VICTIMS_SEEN = 3
SOLD_CARD = 4.0
#: (round nine) an account that the gang's cards paid and nobody else ever dealt with
ALONE = 1.0


def launderers(
    cards: dict[str, Member],
    f: MoneyFacts,
    kinds: dict[str, str],
    holder: dict[str, str],
    ev: Evidence,
) -> None:
    """Name `launderer` (跑分) the listed accounts that run scores rather than carry a mule's
    card, from weighed evidence:
    - a payment account (Alipay, WeChat Pay...) that victims paid directly, the more victims
      the surer, and surer still when its holder lends the gang more such accounts (a mule
      rents out a card; a score-runner takes payments on every payment code he has); its
      holder's holding one of the gang's bank cards too, or a card the gang's cards paid,
      counts heavily against (a mule sells a set of cards on his name, round nine);
    - an account that several of the gang's cards paid and that paid none of it on, nor out
      of the country or the bank: a commission collected, not money passed down a chain (an
      account that pays on or is an exit counts heavily against, and so does one that most of
      its counterparties pay besides the gang's cards: a shop)."""
    direct = {a: len(f.paid_by.get(a, ())) for a in cards}
    codes: dict[str, int] = defaultdict(int)
    sold: dict[str, list[str]] = defaultdict(list)
    for a in cards:
        if kinds.get(a) == "payment" and direct[a] and a in holder:
            codes[holder[a]] += 1
        elif a in holder and (kinds.get(a) == "bank_card" or (f.paid_in.get(a) and not direct[a])):
            sold[holder[a]].append(a)
    for a, m in cards.items():
        paid_in = len(f.paid_in.get(a, ()))
        if kinds.get(a) == "payment" and direct[a]:
            # (round fifteen) the holder's other payment accounts victims paid: none where the
            # holder is not on record
            more = codes[holder[a]] - 1 if a in holder else 0
            # (round nine) a mule sells the gang a set: bank cards and the payment account
            # on the same name, or cards the chain pays further down; a score-runner lends
            # his payment codes and takes the public's payments on them
            cards_too = sold.get(holder.get(a, ""), [])
            x = 1.5 * min(direct[a], VICTIMS_SEEN) + 1.5 * more - 1.0
            x -= SOLD_CARD * min(len(cards_too), 2)
            if more:
                why = said("runs_scores", victims=str(direct[a]), accounts=str(more))
            else:
                why = said("paid_directly", victims=str(direct[a]))
        else:
            # (money passed on is what a mule's card does: it outweighs any number of payers)
            x = min(3.0, 1.2 * (paid_in - 2.5)) - 9.0 * (a in f.pays) - 3.0 * (a in f.exits)
            x -= 3.0 * (direct[a] > 0)
            # a collector's counterparties are the gang's cards; a shop's, mostly the public
            degree = max(ev.degrees.get(a, 0), paid_in, 1)
            x += 4.0 * math.log2(min(1.0, 2.0 * paid_in / degree)) if paid_in else 0.0
            # (round nine) an account whose only counterparties are the gang's cards has no
            # life of its own: opened to take the gang's payments
            x += ALONE * (0 < ev.degrees.get(a, 0) <= paid_in)
            # a commission is a small share of what the victims paid; whole payments passed
            # down are a mule's
            n, total = f.paid_in_sum.get(a, (0, Decimal(0)))
            if n and total > 0 and f.victim_payment > 0:
                share = float(total / n / f.victim_payment)
                x += min(1.5, max(-4.0, 1.5 * math.log2(0.1 / share)))
            why = said("collects_from_cards", cards=str(paid_in))
        if x > 0:
            m.role = "launderer"
            m.evidence.insert(0, why.text)
            m.codes.insert(0, why.as_dict())


#: (round ten) the gang's listed cards that must have paid an account no one else deals with
#: for it to be weighed as a collector though the mule-card model did not flag it
COLLECTED_FROM = 2


def collectors(
    cards: dict[str, Member],
    f: MoneyFacts,
    ev: Evidence,
    taken: set[str],
    holder: dict[str, str],
) -> dict[str, Member]:
    """Accounts not listed yet, held by a person (`holder`: an account an organisation holds
    is shared infrastructure), that `COLLECTED_FROM` or more of the gang's listed cards paid,
    that paid nothing on nor out, and whose every counterparty is one of the chain's
    accounts (`ev.degrees`): a launderer's commission account, for `launderers` to weigh
    (a shop or a landlord has the public as counterparties; a mule's card passes the money
    on). Candidates only: the caller keeps those `launderers` names."""
    persons = known_persons(ev.persons)
    out: dict[str, Member] = {}
    ids: dict[str, set[str]] = defaultdict(set)
    for r in ev.transfers_between:
        if r["src"] in cards:
            ids[str(r["dst"])].update((str(r["first_id"]), str(r["last_id"])))
    for acc, payers in sorted(f.paid_in.items()):
        mine = payers & set(cards)
        if acc in cards or acc in taken or acc in f.pays or acc in f.exits:
            continue
        if holder.get(acc) not in persons:
            continue
        degree = ev.degrees.get(acc, 0)
        if len(mine) < COLLECTED_FROM or not 0 < degree <= len(payers):
            continue
        n, total = f.paid_in_sum.get(acc, (0, Decimal(0)))
        why = said("fees_from_cards", amount=str(total), cards=str(len(mine)))
        txns = sorted(ids.get(acc, set()))[:8]
        out[acc] = member("account", acc, "mule", sig(len(mine) - 1.0), [why, *txns])
    return out


def _launder(
    cards: dict[str, Member],
    out: list[Member],
    f: MoneyFacts,
    kinds: dict[str, str],
    holder: dict[str, str],
    ev: Evidence,
) -> None:
    """`launderers` over the listed cards and the `collectors`; a collector the mule-card
    model did not flag joins `cards` and `out` only where it is named launderer (round ten)."""
    fees = collectors(cards, f, ev, {m.id for m in out} | f.victims, holder)
    launderers(cards | fees, f, kinds, holder, ev)
    for acc, m in sorted(fees.items()):
        if m.role == "launderer":
            cards[acc] = m
            out.append(m)


def assign_roles(
    group: list[str],
    g: LinkGraph,
    ev: Evidence,
    f: MoneyFacts,
    talks: dict[str, set[str]] | None = None,
) -> list[Member]:
    """The members of one group with their roles (confidence >= MIN_CONFIDENCE); `talks` is
    `bosses.partners(ev)` where the caller made it once for every group."""
    inside = {n for n in group if g.infra.get(n, 0.0) < 0.5}
    owners = phonebook(ev.persons).owner  # (built once per run, not once per gang)
    chain = set(f.score) | set(f.paid_by)
    dealer = {
        a: phone
        for phone, found in dealer_phones(ev.account_phones, chain, owners).items()
        for a in found
    }
    kinds = {h["account_id"]: h["kind"] for h in ev.holders}
    holder = {h["account_id"]: h["person_id"] for h in ev.holders}
    out: list[Member] = []
    cards: dict[str, Member] = {}
    talks = partners(ev) if talks is None else talks
    out += bosses(inside, ev, f.exit_in, f.exit_txns, holder, talks)
    ended = {m.id for m in out}
    heads = {m.id for m in out if m.kind == "person"}
    for kind, ident in map(split, inside):
        if kind != "account" or ident in ended or ident in f.victims:
            continue
        direct = len(f.paid_by.get(ident, ()))
        score = f.score.get(ident, -9.0)
        abroad = max(_abroad(ident, ev, f), _targeted(ident, ev, f))
        conf = max(sig((score - 1.0) / 1.5), 0.9 if direct else 0.0, _linked(ident, ev, f, dealer),
                   abroad)  # fmt: skip
        if conf < MIN_CONFIDENCE:
            continue
        role = "mule"  # (`launderers` below tells the score-running accounts)
        why = [said("paid_by", victims=str(direct)) if direct
               else said("traced", score=f"{score:+.1f}")]  # fmt: skip
        model = f"{ev.scores.get(ident, 0.0):.2f}"
        if score < -8 and not direct:
            why = [said("model_links", score=model, cards=str(len(f.links.get(ident, ()))))]
            if ident in dealer:
                same = sum(1 for p in dealer.values() if p == dealer[ident]) - 1
                why.append(said("registered_like", phone=dealer[ident], cards=str(same)))
        if abroad >= conf and ident in f.abroad:
            to, amount = f.abroad[ident]
            why = [said("sent_abroad", amount=str(amount), to=to)]
        elif abroad >= conf:
            payers = [said("contacted_payer", person=p, line=line, contact=c)
                      for p, line, c in f.targeted[ident][:3]]  # fmt: skip
            why = [said("model_paid_by", score=model, payers=payers)]
        m = member("account", ident, role, conf, [*why, *sorted(set(f.chain[ident]))[:8]])
        cards[ident] = m
        out.append(m)
    _launder(cards, out, f, kinds, holder, ev)
    taken = {m.id for m in out if m.kind == "person"}
    phones, suppliers = dealers(inside, ev, cards, holder, chain)
    # a card dealer's own account that the gang's cards paid is his, not a mule's card
    named = {p: m for p, m in suppliers.items() if p not in taken and m.role == "card_dealer"}
    for acc, m in cards.items():
        if holder.get(acc) in named:
            m.role = "card_dealer"
            m.confidence = min(m.confidence, named[holder[acc]].confidence)
            first = said("held_by_dealer", person=holder[acc])
            m.evidence.insert(0, first.text)
            m.codes.insert(0, first.as_dict())
    # the cards' holders
    held: dict[str, list[Member]] = defaultdict(list)
    for acc, m in cards.items():
        if acc in holder and m.role != "card_dealer":
            held[holder[acc]].append(m)
    for person, ms in sorted(held.items()):
        if person in taken:
            continue
        best = max(ms, key=lambda m: m.confidence)
        role = "launderer" if any(m.role == "launderer" for m in ms) else "mule"
        held_ids = ", ".join(sorted(m.id for m in ms))
        out.append(member("person", person, role, best.confidence * 0.95,
                          [said("holder_of", accounts=held_ids)]))  # fmt: skip
    out += phones
    out += [m for p, m in sorted(suppliers.items()) if p not in taken and p not in held]
    out += talkers(ev, out, talks)
    out += logistics(ev, out, talks)
    out += operators(inside, ev, {m.id for m in out})
    out += crew(ev, out, talks)
    # (round ten) the crew-mates who bank where the gang's money ends are its bosses
    crew_bosses(out, ev)
    # (round twelve) the people abroad the bosses pay: the profit passed up, or a salary
    out += paid_bosses(out, ev)
    # (round nine) the core members named from their calls alone (no account here) are
    # weighed too: a financier who holds no account the traces reached talks to the bosses
    heads |= {m.id for m in out if m.kind == "person" and m.role == "core_member"}
    # (round fourteen) the holders of listed accounts abroad who fund the bosses' accounts
    heads |= abroad_payers(out, ev, talks)
    funders(out, heads, ev, talks)
    # (round fourteen) the numbers abroad that run the operation: they talk to its financier
    # (as `funders` named him), its other bosses, its people here and its crew
    out += runners(ev, out, talks)
    out += wallets(inside, ev)
    out = [m for m in out if m.confidence >= MIN_CONFIDENCE]
    return sorted(out, key=lambda m: (ROLES.index(m.role), -m.confidence, m.kind, m.id))
