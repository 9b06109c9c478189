"""A conversation taken over: the `handover` link of the den search.

A den works a victim in turns: a SIM box's SIM (or a first-line operator) pitches in a long call,
then another of the den's numbers takes the conversation over ("add me on WeChat", the "second
line" fake officer) and chats until the money is sent. The records show it as one person who got
a call of `long_seconds` or more from one number and, within `WINDOW_HOURS` after it, the first
of `CONVERSATION` or more calls and messages with another. One person's new contact after a long call is common (people
meet people), so the link is followed only from a number that reaches few people
(`MAX_CONTACTS`; a number the model flags, or a fraud line, may have cold-called hundreds:
`MAX_CONTACTS_FLAGGED`) to a number that looks like a fraud caller (the shipped model flags it, or it
calls like a box's SIM), and it needs `MIN_PEOPLE` such people, or one who later reported fraud.

A den without boxes works a victim the same way from line to line (`line_handovers`): one line
opens (a message, or a call of `OPENING_SECONDS` or more: a pitch, not a cold call that rang or
was cut off) and another of the den's lines holds the conversation from within `WINDOW_HOURS`.
Both must be lines the model flags or that work victims (the caller passes them), never a box's
SIM, and `MIN_PEOPLE` people are needed, reported or not: with one reported victim enough, a
victim's friend whom the model flags was linked on training world 1, and two dens that worked
one victim a day apart were merged on the tiny test world (seed 11) and on evaluation worlds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from chaincut.telecom.clue.facts import HOUR_US, ClueIndex
from chaincut.telecom.clue.store import Array

#: hours from the pitch within which the other number's first contact must come
WINDOW_HOURS: Final = 72
#: a number that contacted more people than this is no operator's line (a shop, a notice line)
MAX_CONTACTS: Final = 50
#: the same for a number the model flags or that works victims like a fraud line: a line that
#: also cold-calls strangers has contacted hundreds (the cold calls are no conversations)
MAX_CONTACTS_FLAGGED: Final = 2_000
#: people taken over a number must share with another (one suffices when that person reported)
MIN_PEOPLE: Final = 2
#: calls and messages each way that make a conversation taken over, not a passing call
CONVERSATION: Final = 3
#: a call this long opens a conversation (a pitch); a cold call that rang or was cut off does not
OPENING_SECONDS: Final = 120
_GROUPS: Final = ("out", "mout", "in", "min")


@dataclass(frozen=True)
class Handovers:
    """The numbers linked to one number by take-overs: (numbers, people), aligned, each number
    once with the first person that shows it."""

    numbers: Array
    people: Array


def _first_contacts(ix: ClueIndex, n: int, least: int = 1) -> dict[int, int]:
    """Per person `n` called, messaged or heard from `least` times or more: the time of the
    first such contact."""
    first: dict[int, int] = {}
    count: dict[int, int] = {}
    for group in _GROUPS:
        for peer, ts in zip(
            ix.column(group, "peer", n).tolist(), ix.column(group, "ts", n).tolist(), strict=True
        ):
            count[peer] = count.get(peer, 0) + 1
            if ts < first.get(peer, ts + 1):
                first[peer] = ts
    return {p: t for p, t in first.items() if count[p] >= least}


def _long_calls_to(ix: ClueIndex, person: int, long_seconds: int) -> dict[int, int]:
    """Per caller: the time of its first call of `long_seconds` or more to `person`."""
    long = ix.column("in", "dur", person) >= long_seconds
    out: dict[int, int] = {}
    peers, times = ix.column("in", "peer", person)[long], ix.column("in", "ts", person)[long]
    for peer, ts in zip(peers.tolist(), times.tolist(), strict=True):
        if ts < out.get(peer, ts + 1):
            out[peer] = ts
    return out


def handovers(
    ix: ClueIndex, n: int, eligible: Array, long_seconds: int, max_contacts: int | None = None
) -> Handovers:
    """The `eligible` numbers that pitched a person `n` took over, or took over a person `n`
    pitched, within `WINDOW_HOURS`, in `MIN_PEOPLE` people or one who reported fraud; nothing
    when `n` contacted more than `max_contacts` people (`MAX_CONTACTS` unless given)."""
    everyone = _first_contacts(ix, n)
    mine = _first_contacts(ix, n, CONVERSATION)
    most = MAX_CONTACTS if max_contacts is None else max_contacts
    if not everyone or len(everyone) > most:
        return Handovers(np.zeros(0, np.int64), np.zeros(0, np.int64))
    window = WINDOW_HOURS * HOUR_US
    pitched = _long_calls_to_each(ix, n, long_seconds)
    people: dict[int, list[int]] = {}
    for person in sorted(everyone):
        found: set[int] = set()
        if person in mine:  # another pitched, `n` took over
            calls = _long_calls_to(ix, person, long_seconds)
            found.update(
                o for o, at in calls.items() if o != n and at <= mine[person] <= at + window
            )
        pitch = pitched.get(person)
        if pitch is not None:  # `n` pitched, another took over
            others = _first_contacts(ix, person, CONVERSATION)
            found.update(o for o, t in others.items() if o != n and pitch <= t <= pitch + window)
        for other in found:
            if eligible[other]:
                people.setdefault(other, []).append(person)
    victims = ix.victim_pos(np.array(sorted(everyone), np.int64))
    reported = {p for p, v in zip(sorted(everyone), victims.tolist(), strict=True) if v >= 0}
    numbers, where = [], []
    for other in sorted(people):
        shared = people[other]
        if len(shared) >= MIN_PEOPLE or reported.intersection(shared):
            numbers.append(other)
            where.append(next((p for p in shared if p in reported), shared[0]))
    return Handovers(np.array(numbers, np.int64), np.array(where, np.int64))


def _long_calls_to_each(ix: ClueIndex, n: int, long_seconds: int) -> dict[int, int]:
    """Per person: the time of `n`'s first call of `long_seconds` or more to them."""
    long = ix.out(n, "dur") >= long_seconds
    out: dict[int, int] = {}
    for peer, ts in zip(
        ix.out(n, "peer")[long].tolist(), ix.out(n, "ts")[long].tolist(), strict=True
    ):
        if ts < out.get(peer, ts + 1):
            out[peer] = ts
    return out


def _openings_to(ix: ClueIndex, person: int, least_seconds: int) -> dict[int, int]:
    """Per number that opened a conversation with `person` (a message, or a call of
    `least_seconds` or more): the time of its first such contact."""
    return _first_openings(ix, person, ("in", "min"), least_seconds)


def _openings_by(ix: ClueIndex, n: int, least_seconds: int) -> dict[int, int]:
    """Per person `n` opened a conversation with: the time of the first opening."""
    return _first_openings(ix, n, ("out", "mout"), least_seconds)


def _first_openings(
    ix: ClueIndex, n: int, groups: tuple[str, str], least_seconds: int
) -> dict[int, int]:
    """Per peer: the first time of a call of `least_seconds` or more in `groups[0]` (calls)
    or of any message in `groups[1]` (messages) of `n`."""
    calls, messages = groups
    out: dict[int, int] = {}
    long = ix.column(calls, "dur", n) >= least_seconds
    for group, keep in ((calls, long), (messages, None)):
        peers, times = ix.column(group, "peer", n), ix.column(group, "ts", n)
        if keep is not None:
            peers, times = peers[keep], times[keep]
        for peer, ts in zip(peers.tolist(), times.tolist(), strict=True):
            if ts < out.get(peer, ts + 1):
                out[peer] = ts
    return out


def line_handovers(
    ix: ClueIndex, n: int, eligible: Array, max_contacts: int = MAX_CONTACTS_FLAGGED
) -> Handovers:
    """The `eligible` lines that opened a conversation with a person `n` then held (3+ calls
    and messages, the first within `WINDOW_HOURS` of the opening), or that held one `n`
    opened, in `MIN_PEOPLE` people (one victim is not enough: two dens may work one person);
    nothing when `n` contacted more than `max_contacts` people."""
    everyone = _first_contacts(ix, n)
    if not everyone or len(everyone) > max_contacts:
        return Handovers(np.zeros(0, np.int64), np.zeros(0, np.int64))
    mine = _first_contacts(ix, n, CONVERSATION)
    opened = _openings_by(ix, n, OPENING_SECONDS)
    window = WINDOW_HOURS * HOUR_US
    people: dict[int, list[tuple[int, int]]] = {}  # other -> (person, when taken over)
    for person in sorted(set(mine) | set(opened)):
        found: dict[int, int] = {}
        if person in mine:  # another opened, `n` held the conversation
            openers = _openings_to(ix, person, OPENING_SECONDS)
            found.update(
                (o, mine[person])
                for o, at in openers.items()
                if o != n and at <= mine[person] <= at + window
            )
        start = opened.get(person)
        if start is not None:  # `n` opened, another held the conversation
            others = _first_contacts(ix, person, CONVERSATION)
            found.update(
                (o, t) for o, t in others.items() if o != n and start <= t <= start + window
            )
        for other, when in found.items():
            if eligible[other]:
                people.setdefault(other, []).append((person, when))
    numbers, where = [], []
    for other in sorted(people):
        shared = [p for p, _ in people[other]]
        if len(shared) >= MIN_PEOPLE:
            reported = ix.victim_pos(np.array(shared, np.int64)) >= 0
            numbers.append(other)  # shown by a reported victim where there is one
            where.append(shared[int(np.argmax(reported))])
    return Handovers(np.array(numbers, np.int64), np.array(where, np.int64))
