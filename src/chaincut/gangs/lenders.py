"""Score-running lenders (跑分): the people who lend a gang their payment accounts, told
from the mules who sell it their bank cards (docs/gangs.md, "Round twelve: roles").

A score-runner lends the gang the collection codes of several payment accounts (Alipay,
WeChat Pay) and keeps them open for its use; a mule (断卡) sells or rents a bank card, or a
set of cards on his name (bank cards with a payment account beside them). Whatever the money
has done yet, what a gang holds of a person says which he is. This step runs after every
account of the gang is listed (the money's, a listed card's holder's other accounts and the
leads not used yet, `chaincut.gangs.cards`), and weighs per holder:

- each payment account of his the gang lists that it has not used yet (`IDLE_WALLET`, up to
  two): a wallet kept ready for the gang beside one it uses (`cards.kin_cards`'s "lends the
  gang payment account") or a lead beside the people it talks to (`chaincut.gangs.ahead`);
  a mule's set is used when sold, a score-runner keeps codes open until the gang needs them.
  Payment accounts the gang has used count for nothing here: on the simulator's worlds mules
  sell two payment accounts as often as score-runners lend them (round twelve);
- each bank card of his the gang lists, up to two (`SOLD_CARD`), heavily against: the set a
  mule sells (round nine's weight in `roles.launderers`).

Where the sum is positive his payment accounts become `launderer` and so does he (added as a
person where the gang did not name him yet), with the accounts as the evidence. Persons the
gang names in another role (a dealer, a boss) keep it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from chaincut.gangs.ahead import by_role
from chaincut.gangs.collect import Evidence
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member
from chaincut.gangs.sentences import said

if TYPE_CHECKING:
    from chaincut.gangs.analyse import Gang

#: per payment account of the holder's the gang lists and has not used yet (up to two)
IDLE_WALLET = 1.0
#: the evidence codes of an account listed though not used yet (`cards`, `ahead`)
IDLE_CODES = ("lends_payment", "freeze_ahead")
#: per bank card of the holder's the gang lists (up to two): a mule's set
SOLD_CARD = 4.0
#: a person named from the accounts he lends is as sure as the surest of them, a little less
PERSON_SHARE = 0.95


def lenders(gangs: list[Gang], ev: Evidence) -> None:
    """Name `launderer` the holders who lend each gang payment accounts and none of its bank
    cards, and their payment accounts (the weights above)."""
    holder: dict[str, str] = {}
    kind: dict[str, str] = {}
    for rows in (ev.holders, ev.kin, ev.ahead):
        for r in rows:
            holder.setdefault(str(r["account_id"]), str(r["person_id"]))
            kind.setdefault(str(r["account_id"]), str(r["kind"]))
    for g in gangs:
        _weigh_gang(g, holder, kind)


def _idle(m: Member) -> bool:
    """Whether the account is listed as one the gang has not used yet."""
    return any(c is not None and c.get("code") in IDLE_CODES for c in m.codes)


def _weigh_gang(g: Gang, holder: dict[str, str], kind: dict[str, str]) -> None:
    wallets: dict[str, list[Member]] = defaultdict(list)
    cards: dict[str, int] = defaultdict(int)
    for m in g.members:
        if m.kind != "account" or m.role not in ("mule", "launderer") or m.id not in holder:
            continue
        if kind.get(m.id) == "payment":
            wallets[holder[m.id]].append(m)
        elif kind.get(m.id) == "bank_card":
            cards[holder[m.id]] += 1
    persons = {m.id: m for m in g.members if m.kind == "person"}
    added: list[Member] = []
    changed = False
    for person, mine in sorted(wallets.items()):
        named = persons.get(person)
        if named is not None and named.role not in ("mule", "launderer"):
            continue
        idle = sum(1 for m in mine if _idle(m))
        x = IDLE_WALLET * min(idle, 2) - SOLD_CARD * min(cards.get(person, 0), 2)
        if x <= 0:
            continue
        changed = True
        ids = ", ".join(sorted(m.id for m in mine))
        why = said("lends_wallets", n=str(len(mine)), accounts=ids, idle=str(idle),
                   cards=str(cards.get(person, 0)))  # fmt: skip
        for m in mine:
            if m.role != "launderer":
                m.role = "launderer"
                m.evidence.insert(0, why.text)
                m.codes.insert(0, why.as_dict())
        confidence = max(m.confidence for m in mine) * PERSON_SHARE
        if named is None:
            if confidence >= MIN_CONFIDENCE:
                added.append(member("person", person, "launderer", confidence, [why]))
        elif named.role != "launderer":
            named.role = "launderer"
            named.evidence.insert(0, why.text)
            named.codes.insert(0, why.as_dict())
    if changed:
        g.members = sorted(g.members + added, key=by_role)
