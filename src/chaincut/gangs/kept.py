"""What a live join keeps from the join before (`chaincut.gangs.incremental.live_join`): each
gang as it was made before the steps across gangs, where the new report cannot change it.

"Untouched", precisely: the gang's group is the same (its nodes, and how much each looks like
shared infrastructure) and none of its identifiers (`footprint`: its nodes, reports, members
and the ids its members' evidence cites) is among those whose facts the report's rows may
change for the role functions (`changed`). Nothing is kept after a read of the graph (the
first join), when the judgements or the analysts' cases changed, when the report brings
evidence of a kind a filed report does not, or when it moves the home country. The steps
across gangs (siblings' cards, kin cards and freeze-ahead leads, related gangs) run over every
gang at every join.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TYPE_CHECKING, Any

from chaincut.gangs.collect import Evidence
from chaincut.gangs.ends import home_country
from chaincut.gangs.graph import split
from chaincut.gangs.rowset import gets
from chaincut.gangs.saved import SavedGraph

if TYPE_CHECKING:
    from chaincut.gangs.analyse import Gang

#: the evidence columns that tie identifiers, by kind of tie (`changed` follows them)
_TIES = {"phone": (("persons", "person_id", "phone"), ("account_phones", "account_id", "phone")),
         "contact": (("contacts", "src", "dst"), ("boss_contacts", "src", "dst")),
         "between": (("transfers_between", "src", "dst"),), "ends": (("ends", "src", "dst"),),
         "held": (("holders", "account_id", "person_id"),)}  # fmt: skip
#: the evidence a report filed later brings (`chaincut.gangs.filed`): `changed` knows how
#: the role functions read these; a join bringing any other kept no gang
_FILED = frozenset({"reports", "transfers", "traces", "transfers_between", "degrees", "holders",
                    "kin", "contacts", "indicators", "ahead"})  # fmt: skip
#: evidence no role function reads: only the steps across gangs, run over every gang at each
#: join (`ahead.freeze_ahead`'s accounts), so it changes no kept gang
_ACROSS = frozenset({"ahead"})


def _strings(value: Any, out: set[str]) -> None:
    """Every string value in a row (its identifiers among them; not its column names)."""
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, out)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            _strings(v, out)


Ties = dict[str, dict[str, set[str]]]


def _tie(ties: Ties, ev: Evidence) -> None:
    """Add `ev`'s `_TIES` rows to `ties` (kind -> identifier -> the identifiers it is tied to)."""
    for kind, columns in _TIES.items():
        adj = ties.setdefault(kind, {})
        for name, a, b in columns:
            for x, y in gets(getattr(ev, name), a, b):  # (two columns, no dict per row)
                if x is not None and y is not None and x != y:
                    adj.setdefault(str(x), set()).add(str(y))
                    adj.setdefault(str(y), set()).add(str(x))


def _step(ids: set[str], ties: Ties, kind: str) -> set[str]:
    adj = ties.get(kind, {})
    return {y for x in ids for y in adj.get(x, ())}


def changed(saved: SavedGraph, extra: Evidence, ev: Evidence) -> set[str] | None:
    """The identifiers whose facts a new report's evidence (`extra`, merged into `ev`) may
    change for the role functions; a gang citing none of them is named as before. None when
    nothing may be kept: the gangs the memo holds were not made from `saved`'s evidence, the
    report brings evidence of a kind a filed report does not (`_FILED`), or its holders
    change the home country (most holders').

    Every identifier in the report's rows (an account the money now reached, a victim, a new
    contact's numbers, a holder), and what reads each across identifiers: the numbers the
    people and accounts among them registered or own, those numbers' owners and other
    registered cards (a dealer's number: `dealer_phones`, `dealers.candidates`), the numbers
    in contact with them and those numbers' owners (a victim's lines: `lines.operators`;
    who a boss talks to: `funders`; who talks to the holders: `bosses.talkers`), the
    accounts those owners hold, and the accounts that exchanged money with the accounts
    among them (`money_facts`' links; the ends abroad: `bosses`)."""
    memo = saved.memo
    if memo.get("gangs_ev") is not saved.evidence:  # (the links and cases: `live_join`'s)
        return None  # (nor are the ties made: a join that keeps nothing pays nothing for them)
    # (the ties and the chain kept current every join that may keep gangs, so that the next
    # join only adds its report's)
    held = memo.get("ties")
    if held is None or held[0] is not saved.evidence:
        ties: Ties = {}
        _tie(ties, saved.evidence)
    else:
        ties = held[1]
    _tie(ties, extra)  # (the merged evidence's ties: the saved ones and the report's)
    memo["ties"] = (ev, ties)
    # (money between a card and a chain account counts once the account is in the chain: the
    # accounts the report newly brings into it change their counterparties' links)
    old = memo.get("chain")
    if old is None or old[0] is not saved.evidence:
        old = (saved.evidence, _chain(saved.evidence))
    chain = old[1] | _chain(extra)
    memo["chain"] = (ev, chain)
    if any(getattr(extra, f.name) for f in fields(Evidence) if f.name not in _FILED):
        return None
    if extra.holders and home_country(ev) != home_country(saved.evidence):
        return None  # (the country every number abroad is judged against: `bosses`, `dealers`)
    start: set[str] = set()
    for f in fields(Evidence):
        value = getattr(extra, f.name) if f.name not in _ACROSS else None
        if isinstance(value, dict):  # (a figure per identifier: the keys are identifiers)
            start.update(map(str, value))
        _strings(value, start)
    phones = start | _step(start, ties, "phone")
    phones |= _step(phones, ties, "contact")
    people = _step(phones, ties, "phone")
    out = start | phones | people | _step(people, ties, "held") | _step(start, ties, "ends")
    return out | _step(chain - old[1], ties, "between")


def untouched(footprint: set[str], changed: set[str], memo: dict[str, Any]) -> bool:
    """Whether a gang of this `footprint` (made at the join before, its group the same) is
    left as it was by a report that may change the facts of `changed` (`changed`'s output).
    Widened first as `changed` is, by the ties of the evidence (`memo`'s, the join's): the
    numbers that registered its cards or that its people own, and the numbers in contact with
    those (where its card dealers, recruiters and talkers are looked for), so that a number
    the report changes counts even where it was no member of the gang."""
    held = memo.get("ties")
    if held is None:
        return False
    ties: Ties = held[1]
    phones = footprint | _step(footprint, ties, "phone")
    wide = phones | _step(phones, ties, "contact") | _step(footprint, ties, "held")
    return not (wide & changed)


def _chain(ev: Evidence) -> set[str]:
    """The accounts `money_facts` counts as the chain: those the reports' money reached."""
    out = {str(t["dst_account"]) for t in ev.transfers}
    for t in ev.traces:
        out.update(str(o["account_id"]) for key in ("freeze", "verify") for o in t[key])
        out.update(str(e["from"]) for e in t["exits"])
    return out


def footprint(group: list[str], gang: Gang) -> set[str]:
    """A gang's identifiers: its nodes', its reports', its members' and those its members'
    evidence cites (the transactions, calls and messages; the rest is sentences)."""
    out = {i for _, i in map(split, group)} | set(gang.reports)
    for m in gang.members:
        out.add(m.id)
        out.update(m.evidence)
    return out


def clone(gang: Gang) -> Gang:
    """A copy of a gang as made, that the steps across gangs may change (they add members,
    relate gangs and re-weigh members: the member lists and the members are copied)."""
    members = [replace(m, evidence=list(m.evidence), codes=list(m.codes)) for m in gang.members]
    return replace(gang, members=members, related=list(gang.related))
