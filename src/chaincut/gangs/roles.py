"""Each gang member's role, with a confidence and the evidence behind it.

Roles come from weighted evidence, never from one rule alone:
- where the money ends (cross-border exits: the financier 金主 takes the most, core members 骨干
  the rest; their holders likewise);
- the accounts the victims' money passed through (mule cards 断卡; a payment account taking
  several victims' payments directly is a score-running 跑分 account: `launderer`);
- registrations (a phone or ID number that many of the gang's cards or SIMs were registered
  with, a person many mule holders talk to, money the mules paid out as fees: `card_dealer`;
  contact alone: `recruiter`);
- calls and messages with victims (numbers, handsets and their registrants: `operator`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from chaincut.gangs.collect import Evidence, dealer_phones
from chaincut.gangs.graph import ORDINARY_DEGREE, LinkGraph, split

ROLES = ("financier", "core_member", "operator", "card_dealer", "launderer", "mule",
         "recruiter", "logistics")  # fmt: skip
#: members below this confidence are left out of a gang's list
MIN_CONFIDENCE = 0.5


@dataclass
class Member:
    kind: str
    id: str
    role: str
    confidence: float
    evidence: list[str] = field(default_factory=list)

    def json(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.id, "role": self.role,
                "confidence": round(self.confidence, 2), "evidence": self.evidence[:12]}  # fmt: skip


def _sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass
class _Facts:
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


def _linked(account: str, ev: Evidence, f: _Facts, dealer: dict[str, str]) -> float:
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


def _abroad(account: str, ev: Evidence, f: _Facts) -> float:
    """Confidence in a card that sent money across the border to an account the reports'
    traced money exited to: the gang's own account abroad, which honest people do not pay;
    discounted like `_linked` for a card that very many strangers pay."""
    if account not in f.abroad:
        return 0.0
    degree = ev.degrees.get(account, 0)
    return 0.85 * (min(1.0, math.sqrt(ORDINARY_DEGREE / degree)) if degree else 1.0)


def money_facts(ev: Evidence) -> _Facts:
    f = _Facts()
    _money_links(f, ev)
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


def _money_links(f: _Facts, ev: Evidence) -> None:
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


def assign_roles(group: list[str], g: LinkGraph, ev: Evidence, f: _Facts) -> list[Member]:
    """The members of one group with their roles (confidence >= MIN_CONFIDENCE)."""
    inside = {n for n in group if g.infra.get(n, 0.0) < 0.5}
    owners = {str(p["phone"]): str(p["person_id"]) for p in ev.persons if p["phone"]}
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
    out += _ends(inside, ev, f, holder)
    ended = {m.id for m in out}
    for kind, ident in map(split, inside):
        if kind != "account" or ident in ended or ident in f.victims:
            continue
        direct = len(f.paid_by.get(ident, ()))
        score = f.score.get(ident, -9.0)
        abroad = _abroad(ident, ev, f)
        conf = max(_sig((score - 1.0) / 1.5), 0.9 if direct else 0.0, _linked(ident, ev, f, dealer),
                   abroad)  # fmt: skip
        if conf < MIN_CONFIDENCE:
            continue
        role = "launderer" if kinds.get(ident) == "payment" and direct >= 2 else "mule"
        why = [f"paid by {direct} victims" if direct else f"traced money, score {score:+.1f}"]
        if score < -8 and not direct:
            why = [f"mule-card model score {ev.scores.get(ident, 0.0):.2f}; "
                   f"money with {len(f.links.get(ident, ()))} of the chain's cards"]  # fmt: skip
            if ident in dealer:
                same = sum(1 for p in dealer.values() if p == dealer[ident]) - 1
                why.append(f"registered with {dealer[ident]}, like {same} other cards of "
                           "several people, the chain's among them")  # fmt: skip
        if abroad >= conf:
            to, amount = f.abroad[ident]
            why = [f"sent ¥{amount} abroad to {to}, where the reports' traced money exited"]
        m = Member("account", ident, role, conf, why + sorted(set(f.chain[ident]))[:8])
        cards[ident] = m
        out.append(m)
    # the cards' holders
    held: dict[str, list[Member]] = defaultdict(list)
    for acc, m in cards.items():
        if acc in holder:
            held[holder[acc]].append(m)
    taken = {m.id for m in out if m.kind == "person"}
    for person, ms in sorted(held.items()):
        if person in taken:
            continue
        best = max(ms, key=lambda m: m.confidence)
        role = "launderer" if any(m.role == "launderer" for m in ms) else "mule"
        out.append(Member("person", person, role, best.confidence * 0.95,
                          [f"holder of {', '.join(sorted(m.id for m in ms))}"]))  # fmt: skip
    out += _dealers(inside, ev, cards, holder, taken | set(held))
    out += _operators(inside, ev, {m.id for m in out})
    out += _wallets(inside, ev)
    out = [m for m in out if m.confidence >= MIN_CONFIDENCE]
    return sorted(out, key=lambda m: (ROLES.index(m.role), -m.confidence, m.kind, m.id))


def _ends(inside: set[str], ev: Evidence, f: _Facts, holder: dict[str, str]) -> list[Member]:
    """Where the money ends: the accounts abroad that received the gang's cross-border exits
    and their holders. The financier (金主) takes a large share and keeps away from the
    operation (few calls with anyone here: the core members deal with him); the others are
    core members (骨干), who also talk to the launderers and the logistics at home."""
    phone_of = {str(p["person_id"]): str(p["phone"]) for p in ev.persons if p["phone"]}
    talks: dict[str, set[str]] = defaultdict(set)
    for c in ev.contacts:
        talks[c["src"]].add(c["dst"])
        talks[c["dst"]].add(c["src"])
    ends = [i for k, i in map(split, inside) if k == "account" and i in f.exit_in]
    total = sum((f.exit_in[i] for i in ends), Decimal(0)) or Decimal(1)
    ranked: list[tuple[float, str, int]] = []
    for acc in ends:
        n = len(talks.get(phone_of.get(holder.get(acc, ""), ""), ()))
        ranked.append((float(f.exit_in[acc] / total) - min(n, 2) / 2, acc, n))
    out: list[Member] = []
    named: set[str] = set()
    for rank, (_, acc, n) in enumerate(sorted(ranked, key=lambda r: (-r[0], r[1]))):
        role = "financier" if rank == 0 else "core_member"
        amount = f.exit_in[acc]
        conf = 0.9 - 0.1 * min(n, 2) if rank == 0 else 0.75
        ev_ids = [f"received ¥{amount} abroad, {float(amount / total):.0%} of the gang's "
                  f"cross-border exits; its holder's number talks to {n} numbers here",
                  *f.exit_txns[acc][:8]]  # fmt: skip
        out.append(Member("account", acc, role, conf, ev_ids))
        person = holder.get(acc)
        if person is not None and person not in named:
            named.add(person)
            out.append(Member("person", person, role, conf - 0.05,
                              [f"holder of account {acc}", *ev_ids]))  # fmt: skip
    return out


def _dealers(
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
    talks: dict[str, set[str]] = defaultdict(set)
    for c in ev.contacts:
        if c["src"] in mule_phones:
            talks[c["dst"]].add(c["src"])
        if c["dst"] in mule_phones:
            talks[c["src"]].add(c["dst"])
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
        why = [f"{n_reg} of the gang's cards registered with this phone"] if n_reg else []
        why += [f"in contact with {n_talk} mule card holders"] if n_talk else []
        evid = why + [f"accounts row {a} reg_phone" for a in registered[phone][:6]]
        out.append(Member("phone", phone, role, conf, evid))
        for person in owner.get(phone, []):
            if person not in taken:
                out.append(
                    Member("person", person, role, conf * 0.95, [f"registered {phone}", *evid])
                )
    return out


def _wallets(inside: set[str], ev: Evidence) -> list[Member]:
    """Crypto wallets the gang's messages to victims (or the victims' reports) name: where
    the victims were told to send the money, so where it was laundered (`launderer`)."""
    seen: dict[str, list[str]] = defaultdict(list)
    for i in ev.indicators:
        if i["kind"] == "crypto_wallet" and f"wallet:{i['value']}" in inside:
            seen[i["value"]].append(i["source"])
    return [
        Member("wallet", w, "launderer", 0.6 + 0.1 * min(len(src), 3),
               [f"named in {len(src)} messages to victims or reports", *sorted(src)[:8]])
        for w, src in sorted(seen.items())
    ]  # fmt: skip


def _operators(inside: set[str], ev: Evidence, taken: set[str]) -> list[Member]:
    """Numbers and handsets that talk to victims: a number's own reach (victims among its
    contacts), and its handset's (a SIM box spreads its victims thin over many SIMs); many
    contacts with a few victims among them is a courier's or a bank's line."""
    victim_people = {str(r["victim_id"]) for r in ev.reports}
    victims_phone = {p["phone"] for p in ev.persons if p["person_id"] in victim_people}
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
        why = f"reached {victims} victims among {contacts} contacts"
        if sims > 1:
            why += f"; its handset carried {sims} numbers that reached {box} victims"
        out.append(Member("phone", ident, "operator", conf, [why, *sorted(evidence[ident])[:8]]))
    for d in ev.devices:
        imei = str(d["imei"])
        if d["phone"] in lines and f"device:{imei}" in inside:
            conf = _sig(-1.0 + 0.6 * math.log2(1 + box_victims[imei]))
            if conf >= MIN_CONFIDENCE:
                said = [f"carried operator line {d['phone']}; its numbers reached "
                        f"{box_victims[imei]} victims", str(d["first_id"])]  # fmt: skip
                out.append(Member("device", imei, "operator", conf, said))
    unique: dict[tuple[str, str], Member] = {}
    for m in out:
        unique.setdefault((m.kind, m.id), m)
    return list(unique.values())
