"""Who holds which number, read from the persons once per run rather than once per gang.

The roles of every gang (`roles.assign_roles`, `dealers.candidates`, `dealers.dealers`) look
people up by their registered phone. Each gang used to build those maps again from every
person of the city: at 10 M transactions 65 gangs × 424 k persons, a cost that grows as gangs ×
persons. `phonebook` builds them once for a list of persons and gives the same maps back while
that list is the one asked about and has the same length (only the last list is kept: one
run's evidence at a time).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from chaincut.gangs.rowset import values

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Phonebook:
    """The persons' registered phones, as text (shared: callers must not change them)."""

    #: phone -> the persons registered with it, in the rows' order
    people: dict[str, list[str]]
    #: phone -> the same persons as a set
    people_set: dict[str, set[str]]
    #: phone -> the last person of the rows registered with it
    owner: dict[str, str]
    #: person -> phone (the last of the rows for that person)
    phone_of: dict[str, str]
    #: person -> every number registered to them (`people` turned round, in its order)
    phones: dict[str, list[str]]
    #: every person id of the rows, with a phone or not
    persons: frozenset[str]


_lock = threading.Lock()
_last: list[tuple[Rows, int, Phonebook]] = []


def _build(persons: Rows) -> Phonebook:
    people: dict[str, list[str]] = defaultdict(list)
    owner: dict[str, str] = {}
    phone_of: dict[str, str] = {}
    known: set[str] = set()
    # (once: the per-run maps are all made in this one pass, over the two columns)
    for pid, number in values(persons, "person_id", "phone"):
        known.add(str(pid))
        if number:
            phone, person = str(number), str(pid)
            people[phone].append(person)
            owner[phone] = person
            phone_of[person] = phone
    sets = {phone: set(ps) for phone, ps in people.items()}
    phones: dict[str, list[str]] = defaultdict(list)
    for phone, holders in people.items():
        for person in holders:
            phones[person].append(phone)
    return Phonebook(dict(people), sets, owner, phone_of, dict(phones), frozenset(known))


def phonebook(persons: Rows) -> Phonebook:
    """The maps of `persons` (`Evidence.persons`), built once while the same list is asked
    about again with the same length."""
    with _lock:
        if _last and _last[0][0] is persons and _last[0][1] == len(persons):
            return _last[0][2]
    book = _build(persons)
    with _lock:  # (kept with the list itself: its id cannot name another list meanwhile)
        _last[:] = [(persons, len(persons), book)]
    return book
