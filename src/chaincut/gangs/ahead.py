"""Freeze ahead (提前冻结): a gang's cards it has not used yet, found by the people behind them
(docs/gangs.md, "Round eight: cards").

A gang keeps cards ready: a score-running (跑分) lender opens several Alipay and WeChat Pay
wallets and leaves them idle until the gang needs them, and a recruited mule hands over a new
card before any money has moved through it. No report's money reaches such an account, so
neither the trace nor the mule-card model can list it. What the records hold is its holder: a
person who talks to several of the gang's numbers (its lines, recruiters, card dealers and
the holders of its listed cards) and who holds an account that is new, idle and of the kind a
gang rents. Each of these is a weighted feature of a logistic model (`chaincut.gangs.
ahead_model`, fitted on training worlds' truth); an account above `AHEAD_MIN` is listed as a
lead, in the role of a mule, with a confidence capped at `AHEAD_CAP` and the sentence "not
used yet: freeze ahead" first among its evidence.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from chaincut.gangs.collect import Evidence, holder_accounts, id_table, lake_rows
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.member import ROLES, Member, member, sig
from chaincut.gangs.phonebook import phonebook
from chaincut.gangs.rowset import values
from chaincut.gangs.sentences import Sentence, said
from chaincut.lake.engine.base import Engine
from chaincut.lake.jobs.link_edges import link_contacts

if TYPE_CHECKING:
    from chaincut.gangs.analyse import Gang

#: account kinds a gang rents or keeps ready
CARD_KINDS = ("bank_card", "payment")
#: the least confidence (the model's) at which an unused account is listed as a lead
AHEAD_MIN = 0.6
#: the highest confidence a lead is listed with: below what the money gives a used card
AHEAD_CAP = 0.69
#: an account opened at most this many days before the gang's first report counts as new
NEW_DAYS = 365
#: ... and as opened for the gang (cards sold or rented, 断卡, are opened weeks before use)
RECENT_DAYS = 60


def collect_ahead(engine: Engine, t: dict[str, Any], ev: Evidence) -> None:
    """The contacts of the numbers that reached victims or talk to several of the chain's
    people (`ev.reach`: the gang's lines, recruiters and dealers), into `ev.ahead_contacts`,
    and every account of the people those numbers and the chain's people talk to that
    `ev.kin` does not hold already, into `ev.ahead` (`holder_accounts` rows)."""
    numbers = set(ev.reach)
    if numbers:
        ev.ahead_contacts = lake_rows(
            engine, link_contacts(t["calls"], t["messages"], id_table(numbers, "phone")),
            "gang ahead contacts",
        )  # fmt: skip
    phones = {str(c[k]) for c in ev.contacts + ev.ahead_contacts for k in ("src", "dst")}
    people = phonebook(ev.persons).people
    known = {str(r["person_id"]) for r in ev.kin}
    victims = {str(r["victim_id"]) for r in ev.reports if r["victim_id"]}
    persons = {p for ph in phones for p in people.get(ph, [])} - known - victims
    ev.ahead = holder_accounts(engine, t, persons)


@dataclass
class Lead:
    """One unused account beside one gang: its holder's ties to the gang's numbers (number ->
    role, contacts, first call or message id), the holder's idle wallets and the features."""

    gang_id: str
    row: dict[str, object]
    person: str
    ties: dict[str, tuple[str, int, str]]
    wallets: int
    x: dict[str, float]
    #: days from its opening to the gang's first report (None when either is unknown)
    days: int | None = None


def freeze_ahead(gangs: list[Gang], ev: Evidence, graph: LinkGraph) -> None:
    """Add to each gang the unused accounts of the people who talk to its numbers
    (`leads`), where the model's confidence reaches `AHEAD_MIN` (listed at most at
    `AHEAD_CAP`); an account that is a lead of several gangs goes to the one it scores highest
    with (the first by id on a tie)."""
    found: dict[str, tuple[float, Lead]] = {}
    for lead in leads(gangs, ev, graph):
        score = log_odds(lead.x)
        card = str(lead.row["account_id"])
        if sig(score) >= AHEAD_MIN and (card not in found or found[card][0] < score):
            found[card] = (score, lead)
    by_id = {g.gang_id: g for g in gangs}
    added: dict[str, list[Member]] = defaultdict(list)
    for card, (score, lead) in sorted(found.items()):
        added[lead.gang_id].append(
            member("account", card, "mule", min(sig(score), AHEAD_CAP), _why(lead))
        )
    for gang_id, new in added.items():
        g = by_id[gang_id]
        g.members = sorted(g.members + new, key=by_role)


def log_odds(x: dict[str, float], *, calibrated: bool = True) -> float:
    """The model's log-odds that a lead with features `x` (`_features`) is a gang's card:
    the weighted sum of `ahead_model.COEF`, calibrated (`ahead_model.SCALE`, `SHIFT`: Platt
    scaling fitted on training worlds' leads, round thirteen) unless `calibrated` is false."""
    from chaincut.gangs.ahead_model import COEF, INTERCEPT, SCALE, SHIFT

    raw = INTERCEPT + sum(COEF[k] * v for k, v in x.items())
    return SCALE * raw + SHIFT if calibrated else raw


def leads(gangs: list[Gang], ev: Evidence, graph: LinkGraph) -> Iterator[Lead]:
    """Each gang's (in id order) candidate unused accounts: the bank cards and payment
    accounts of the people who talk to the gang's numbers. An account already in a gang, a
    reported victim's, shared infrastructure, and the accounts of named persons, of reported
    victims and of the gang's listed cards' holders are never candidates (a listed card's
    holder's other accounts are `chaincut.gangs.cards`'s)."""
    book = phonebook(ev.persons)
    talks = contact_map(ev.contacts, ev.ahead_contacts)
    accounts: dict[str, list[dict[str, object]]] = defaultdict(list)
    seen: set[str] = set()
    for r in sorted(ev.kin + ev.ahead, key=lambda r: str(r["account_id"])):
        if str(r["account_id"]) not in seen:
            seen.add(str(r["account_id"]))
            accounts[str(r["person_id"])].append(r)
    taken = {m.id for g in gangs for m in g.members if m.kind == "account"}
    members = {m.id for g in gangs for m in g.members if m.kind == "person"}
    victims = {str(r["victim_id"]) for r in ev.reports if r["victim_id"]}
    victims |= {str(t["victim_account"]) for t in ev.transfers if t["victim_account"]}
    holder = {str(r["account_id"]): str(r["person_id"]) for r in ev.kin}
    for g in gangs:
        listed = [
            m.id for m in g.members if m.kind == "account" and m.role in ("mule", "launderer")
        ]
        keep = {holder[a] for a in listed if a in holder} | members | victims
        first = when(g.span[0])
        near: dict[str, dict[str, tuple[str, int, str]]] = defaultdict(dict)
        for number, role in _numbers(g, book.phone_of).items():
            for other, (n, first_id) in talks.get(number, {}).items():
                for person in book.people.get(other, []):
                    if person not in keep:
                        near[person][number] = (role, n, first_id)
        for person, ties in sorted(near.items()):
            if all(role == "operator" for role, _, _ in ties.values()):
                # called by the gang's lines only: a target, most likely a victim who did not
                # report; their wallets are no lead (harm per person: a victim listed as a mule)
                continue
            mine = accounts.get(person, [])
            wallets = sum(1 for r in mine if r["kind"] == "payment" and not r["counterparties"])
            for r in mine:
                card = str(r["account_id"])
                if card in taken or card in victims or str(r["kind"]) not in CARD_KINDS:
                    continue
                if graph.infra.get(f"account:{card}", 0.0) >= 0.5:
                    continue
                opened = when(str(r["opened_at"]))
                days = (first - opened).days if opened and first else None
                feats = _features(r, ties, wallets, days, ev.scores.get(card, 0.0))
                yield Lead(g.gang_id, r, person, ties, wallets, feats, days)


Talks = dict[str, dict[str, tuple[int, str]]]
#: number -> number -> the sort key of the first contact row between them (`_order`)
Firsts = dict[str, dict[str, tuple[str, str, str]]]
_lock = threading.Lock()
#: the last contact map made: the two lists it was made of, their lengths, the map, its keys
_last: list[tuple[list[Any], list[Any], int, int, Talks, Firsts]] = []


def _kept(last: tuple[Any, ...], contacts: list[Any], ahead_contacts: list[Any]) -> bool:
    """Whether the kept map was made of these very lists, as long as they are now."""
    return bool(last[0] is contacts and last[1] is ahead_contacts
                and last[2:4] == (len(contacts), len(ahead_contacts)))  # fmt: skip


def _order(c: dict[str, Any]) -> tuple[str, str, str]:
    return (str(c["src"]), str(c["dst"]), str(c["first_id"]))


def _add(talks: Talks, firsts: Firsts, c: dict[str, Any]) -> None:
    """One contact row into the map: its count added both ways; its id the pair's first
    where its sort key is the least of the pair's rows (as if the rows were added sorted)."""
    _add_row(talks, firsts, _order(c), int(c["n"]))


def _add_row(talks: Talks, firsts: Firsts, key: tuple[str, str, str], n: int) -> None:
    """`_add` of a row given as its sort key (`_order`) and its count."""
    a, b = key[0], key[1]
    for x, y in ((a, b), (b, a)):
        old = talks[x].get(y)
        if old is None:
            talks[x][y], firsts[x][y] = (n, key[2]), key
        elif key < firsts[x][y]:
            talks[x][y], firsts[x][y] = (old[0] + n, key[2]), key
        else:
            talks[x][y] = (old[0] + n, old[1])


def contact_map(contacts: list[Any], ahead_contacts: list[Any]) -> Talks:
    """number -> the numbers it talks to (`contacts` and `ahead_contacts`, both ways) -> the
    contacts between them and the id of the first (in the rows' sorted order), each number's
    partners in the order their first row comes. Made once while the same two lists are
    asked about with the same lengths (as `phonebook`), or grown by `grow_contacts` (a live
    join's): shared, callers must not change it."""
    with _lock:
        if _last and _kept(_last[0], contacts, ahead_contacts):
            return _last[0][4]
    talks: Talks = defaultdict(dict)
    firsts: Firsts = defaultdict(dict)
    # (four columns of each list, no dict per row; sorted by `_order` keeping the rows'
    # order where keys tie, as the sort of the rows did)
    rows = [((str(s), str(d), str(f)), int(n)) for part in (contacts, ahead_contacts)
            for s, d, n, f in values(part, "src", "dst", "n", "first_id")]  # fmt: skip
    rows.sort(key=itemgetter(0))
    for key, n in rows:
        _add_row(talks, firsts, key, n)
    with _lock:
        _last[:] = [(contacts, ahead_contacts, len(contacts), len(ahead_contacts), talks, firsts)]
    return talks


def grow_contacts(before: Evidence, after: Evidence, added: Evidence) -> None:
    """Keep the contact map of `before` (if it is the one kept) as `after`'s, where `after`'s
    contact lists are `before`'s and the rows of `added` (a live join's merge: rows new to
    `before`): only the numbers of those rows are made again, in copies, so a map handed out
    before stays as it was."""
    rows = list(added.contacts) + list(added.ahead_contacts)
    with _lock:
        if not _last or not _kept(_last[0], before.contacts, before.ahead_contacts):
            return
        base = _last[0]
    if len(after.contacts) + len(after.ahead_contacts) != base[2] + base[3] + len(rows):
        return  # (not `before`'s rows and these: made afresh when asked)
    old, old_firsts = base[4], base[5]
    talks: Talks = defaultdict(dict, old)
    firsts: Firsts = defaultdict(dict, old_firsts)
    mine = {str(c[k]) for c in rows for k in ("src", "dst")}
    for x in mine:
        talks[x], firsts[x] = dict(old.get(x, {})), dict(old_firsts.get(x, {}))
    for c in rows:
        _add(talks, firsts, c)
    for x in mine:  # each partner where its first row puts it
        order = sorted(firsts[x], key=firsts[x].__getitem__)
        talks[x] = {y: talks[x][y] for y in order}
        firsts[x] = {y: firsts[x][y] for y in order}
    with _lock:
        _last[:] = [(after.contacts, after.ahead_contacts, len(after.contacts),
                     len(after.ahead_contacts), talks, firsts)]  # fmt: skip


def _numbers(g: Gang, phone_of: dict[str, str]) -> dict[str, str]:
    """The gang's numbers (its phones, and its named persons' phones) with their roles."""
    out = {m.id: m.role for m in g.members if m.kind == "phone"}
    for m in g.members:
        if m.kind == "person" and m.id in phone_of:
            out.setdefault(phone_of[m.id], m.role)
    return out


def _features(
    row: dict[str, object],
    ties: dict[str, tuple[str, int, str]],
    wallets: int,
    days: int | None,
    flagged: float,
) -> dict[str, float]:
    """The model's features of one account (`ahead_model.FEATURES`), opened `days` before
    the gang's first report and scored `flagged` by the mule-card model (0 when unflagged)."""
    parties = int(str(row["counterparties"]))
    new = days is not None and days <= NEW_DAYS
    roles = [role for role, _, _ in ties.values()]
    lines = sum(1 for r in roles if r == "operator")
    dealers = sum(1 for r in roles if r in ("recruiter", "card_dealer"))
    return {
        "lines": math.log1p(lines),
        "dealer": float(dealers > 0),
        "people": math.log1p(len(roles) - lines - dealers),
        "recent": float(days is not None and 0 <= days <= RECENT_DAYS),
        "idle": float(parties == 0),
        "payment": float(row["kind"] == "payment"),
        "new": float(new),
        "wallets": float(min(wallets, 3)) if row["kind"] == "payment" else 0.0,
        "counterparties": math.log1p(parties),
        "flagged": flagged,
    }


def _why(lead: Lead) -> list[Sentence | str]:
    """What an analyst reads: the lead, whom the holder talks to and how often (the first
    call or message of each), and what the account is."""
    row, wallets = lead.row, lead.wallets
    out: list[Sentence | str] = [said("freeze_ahead")]
    for number, (role, n, first_id) in sorted(lead.ties.items(), key=_closest)[:4]:
        out.append(_tie(role, phone=number, n=str(n), contact=first_id))
    what = {"institution": str(row["institution"]), "day": str(row["opened_at"])[:10],
            "n": str(row["counterparties"])}  # fmt: skip
    out.append(said("unused_card", **what) if row["kind"] == "bank_card"
               else said("unused_wallet", **what))  # fmt: skip
    if wallets >= 2:
        out.append(said("idle_wallets", n=str(wallets)))
    if lead.x.get("recent") and lead.days is not None:
        out.append(said("opened_before", day=str(row["opened_at"])[:10], days=str(lead.days)))
    if lead.x.get("flagged"):
        out.append(said("model_score", score=f"{lead.x['flagged']:.2f}"))
    out.append(lead.person)
    return out


def _tie(role: str, **values: str) -> Sentence:
    """ "Its holder talks to" the gang's number, said by the number's role."""
    if role == "operator":
        return said("talks_to_line", **values)
    if role in ("recruiter", "card_dealer"):
        return said("talks_to_dealer", **values)
    return said("talks_to_member", **values)


def _closest(tie: tuple[str, tuple[str, int, str]]) -> tuple[int, str]:
    return (-tie[1][1], tie[0])


def when(text: str) -> datetime | None:
    """A lake timestamp's text as a naive datetime (None when empty or unreadable)."""
    text = (text or "").replace("Z", "")
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None) if text else None
    except ValueError:
        return None


def by_role(m: Member) -> tuple[int, float, str, str]:
    """A gang's members in the order they are listed: by role, surest first."""
    return (ROLES.index(m.role), -m.confidence, m.kind, m.id)
