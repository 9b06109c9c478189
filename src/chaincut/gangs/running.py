"""(round fourteen) Core members (骨干) named from whom their numbers talk to: the bosses who
run the operation without an account the gang's money reached.

A core member runs the den day to day: he calls the gang's other bosses (its financier and
core members), its people at home (the card holders, the card dealers, recruiters, logistics
and launderers) and its callers in the den (the operators). His account abroad may hold
nothing the gang's cards paid (the exits went to the financier or another core member), so
`chaincut.gangs.bosses` does not see him; `lines.crew` weighs his number as an operator's
and counts his calls home against one, and `bosses.talkers` weighs a boss's few contacts, not
a runner's many. What a real case file holds about such a number (its call records), weighed
here, none of it alone a verdict:

- each named financier it talks to (`PER_FINANCIER`, up to two): the financier keeps away
  from everyone but his core members (`chaincut.gangs.funders`), so his callers are his core
  members, where a den's caller talks to the core members who run him;
- each named boss it talks to (`PER_BOSS`, up to four): a relative abroad of one of the
  gang's people talks to him and not to its bosses;
- each of the gang's named people at home it talks to (`PER_HOME`, up to twelve): the core
  members run the card holders and the suppliers, the den's callers mostly the victims;
- each of the gang's named operators it talks to (`PER_OPERATOR`, up to eight): the den's crew;
- each reported victim it reached (`PER_VICTIM`, up to two, against): an operator's line.

The number and the person it is registered to are named `core_member` at the logistic of the
sum (from `START`), after `funders` has told the financier among the bosses.
"""

from __future__ import annotations

from chaincut.gangs.collect import Evidence
from chaincut.gangs.ends import abroad_number, home_country
from chaincut.gangs.lines import AT_HOME, role_phones
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member, sig
from chaincut.gangs.phonebook import phonebook
from chaincut.gangs.sentences import said

#: the weights (logits): the start, per named financier (up to two), per named boss (up to
#: four, the financiers among them), per named person at home (up to twelve), per named
#: operator (up to eight), per reported victim reached (against, up to two)
START = -6.0
PER_FINANCIER = 2.0
PER_BOSS = 0.3
PER_HOME = 0.4
PER_OPERATOR = 0.25
PER_VICTIM = 1.5


def runners(ev: Evidence, members: list[Member], talks: dict[str, set[str]]) -> list[Member]:
    """The numbers abroad, registered to a person the gang does not name yet, that talk to its
    named bosses, its people at home and its operators (the weights above), with their
    persons: `core_member`."""
    book = phonebook(ev.persons)  # (built once per run, not once per gang)
    numbers = book.phones
    bosses = role_phones(members, numbers, ("financier", "core_member"))
    if not bosses:
        return []
    financiers = role_phones(members, numbers, ("financier",))
    at_home, crew = (
        role_phones(members, numbers, AT_HOME),
        role_phones(members, numbers, ("operator",)),
    )
    victims: set[str] = set().union(*(numbers.get(str(r["victim_id"]), ()) for r in ev.reports))
    home = home_country(ev)
    named = {m.id for m in members}
    near = set().union(*(talks.get(b, set()) for b in bosses))
    out: list[Member] = []
    for number in sorted(near - bosses - named - victims):
        persons = [p for p in book.people.get(number, []) if p not in named]
        if not persons or not abroad_number(number, home):
            continue
        contacts = talks.get(number, set())
        f, b = len(contacts & financiers), len(contacts & bosses)
        h, o, v = len(contacts & at_home), len(contacts & crew), len(contacts & victims)
        x = START + PER_FINANCIER * min(f, 2) + PER_BOSS * min(b, 4) + PER_HOME * min(h, 12)
        conf = sig(x + PER_OPERATOR * min(o, 8) - PER_VICTIM * min(v, 2))
        if conf < MIN_CONFIDENCE:
            continue
        why = said("runs_operation", financiers=str(f), bosses=str(b), home=str(h), crew=str(o),
                   victims=str(v))  # fmt: skip
        ids = [*sorted(contacts & bosses)[:3], *sorted(contacts & at_home)[:3]]
        out.append(member("phone", number, "core_member", conf, [why, *ids]))
        for person in persons:
            out.append(member("person", person, "core_member", conf * 0.95,
                              [said("registered_phone", phone=number), why]))  # fmt: skip
    return out
