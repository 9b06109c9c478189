"""Finding the den behind number clues: a breadth-first search over ten kinds of links.

- `same_device`: two numbers called from one IMEI (a box's slots, or a handset's two lines);
- `in_sync`: two numbers in sync at one cell (`chaincut.lake.jobs.number_sync`), the one
  reached itself in sync with 3 or more numbers: one box; weighed like `same_cell` (the same
  hours at one cell: a campaign's room at a box's mast shares them);
- `shared_victim`: two suspect numbers both talked at length with, or messaged, one person in
  the week before that person reported fraud: the box that called and the line that chatted;
  each side's talk with that person must fall mostly in the fraud's window (a friend talks on
  after the report: `chaincut.telecom.clue.victim`);
- `same_cell`: two numbers the shipped model flags (the clue itself need not be), each making
  half or more of its calls from one cell, in overlapping days, both calling like a box's SIM
  (`box_like`: in sync or on a shared IMEI, or called and messaged no more often than it
  calls): a box's SIMs that made too few calls to show sync and each kept a slot's IMEI of its
  own, found by where they are, and never a person at home under the box's mast; weighed:
  the cell and a likeness of kit or papers (`chaincut.telecom.clue.cell`), so a legitimate
  campaign's room of handsets at a box's mast is not joined to the box;
- `same_place`: people who work together at one place (a den's operators): weighted evidence
  of calls between them, the same hours and the same contacts at one cell
  (`chaincut.telecom.clue.place`), followed from a clue that is no box's SIM and from whom it
  reached that way;
- `same_text`: two numbers the shipped model flags (or boxed SIMs) that sent the same text of
  15 characters or more, word for word, where one side never called nor was called (round
  fifteen): a box's SIM that only ever texted has no cell or device to link it by, but between
  two numbers that call a script shows the same fraud type, not the same gang (scripts are
  bought from the same sellers: the foreign worlds' gangs share them, docs/telecom.md "Round
  fifteen: the clue"), and their own cells, handsets and victims speak for them; also the same
  template (digits and links blanked, `chaincut.telecom.clue.script`) where one side never
  called (an IM account), and a number reached so leads on only that way to others that never
  called: a template is every den's that runs the same fraud, so it never joins two callers;
- `handover`: a box's SIM (one whose long calls reach victims) pitched people in long calls and
  the clue took the conversations over within hours (`chaincut.telecom.clue.handover`): followed
  from a clue that is no box's SIM and from every flagged number or fraud line reached; also
  from line to line (one opened, the other held the conversation: a den without boxes);
- `call_circle`: people who call each other both ways, each from a cell of its own, in the same
  hours and with the same contacts (`chaincut.telecom.clue.place`): a den's operators in its
  other rooms, followed like `same_place`;
- `co_located`: two numbers the model flags or that work victims like a fraud line, neither a
  box's SIM nor roaming a district, that make most of their calls from the same two or more
  quiet cells in overlapping days (`chaincut.telecom.clue.area`): a den's lines, carried by
  operators who work one small area, found when they share no victim;
- `same_beat`: two such numbers that both roam (cold-calling on the walk) through the same
  quiet cells, in the same weeks and hours (`chaincut.telecom.clue.beat`): an area's walking
  callers, whose records hold nothing else, followed from every mover; two dens may share an
  area, so a number reached by its beat (or by the handset of one) leads on only by beat and
  handset, never to a SIM that looks like a box's.

A number is a *suspect* when it is in sync with 3 or more numbers or calls from an IMEI that
carried 3 or more SIMs, and the shipped number model (`chaincut.telecom.model`, which weighs
every indicator: a staffed line or one that has called for weeks scores lower, 30 SIMs on one
IMEI higher) gives it `BOX_SCORE` or more: more likely a fraud number than not; or when it
talked to 2 or more people who later reported fraud, each again and again, while they were at
least `VICTIM_SHARE` (`chaincut.telecom.indicators`) of the people it contacted, or to 3 or more
of them 3 times or more each (a line that also cold-calls strangers), so neither a bank's notice
number nor a friend who messaged two victims once links dens. Only suspects link
through victims, so a victim's friends do not join a den; the clue itself is the exception: a
clue that talked to a victim leads to the suspects who talked to the same victim (its own role
then says `linked`). A box's SIM links through a victim only when it pitched that victim in a
call of 5 minutes or more, or when its box (its sync peers and IMEI mates) shares
`MIN_SHARED_VICTIMS` victims with the other number: a box dials thousands at random and spams
anyone. The links are symmetric, so one search from a clue finds its whole den (every link up
to `MAX_MEMBERS` numbers, then a box's SIMs tied by its own links up to `MAX_BOX_MEMBERS`), and
a second clue already in it joins it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Final, get_args

import numpy as np

from chaincut.markers import english
from chaincut.telecom.clue.area import area_mates
from chaincut.telecom.clue.beat import Beats
from chaincut.telecom.clue.cell import CellWeights
from chaincut.telecom.clue.facts import HOUR_US, ClueIndex
from chaincut.telecom.clue.handover import (
    MAX_CONTACTS,
    MAX_CONTACTS_FLAGGED,
    WINDOW_HOURS,
    handovers,
    line_handovers,
)
from chaincut.telecom.clue.money import MAX_HOPS, MoneyTies
from chaincut.telecom.clue.place import called_between, place_mates
from chaincut.telecom.clue.result import Link, LinkKind, Role
from chaincut.telecom.clue.store import KIND_CALL, KIND_MESSAGE, Array
from chaincut.telecom.clue.template import first_template, open_templates, template_mates
from chaincut.telecom.clue.victim import VictimTies

#: the most numbers one search visits through any link
MAX_MEMBERS: Final = 2_000
#: beyond `MAX_MEMBERS`, a search goes on only along a box's own links (`BOX_LINKS` from a box's
#: SIM: its slots' IMEIs, its sync, its cell, its spam) up to this many: a den of three 256-slot
#: boxes that swap SIMs holds thousands of SIMs tied strongly, and is returned whole
MAX_BOX_MEMBERS: Final = 8_000
#: IMEIs carrying more SIMs than this are not evidence (a default or a forged IMEI)
MAX_SIMS_PER_IMEI: Final = 512
MIN_PEERS: Final = 3
#: the shipped model's score from which a number that looks like a box's SIM is taken for one
BOX_SCORE: Final = 0.5
#: a clue that is no suspect follows its victims only up to this many (a notice number has
#: messaged thousands of people, victims among them)
MAX_CLUE_VICTIMS: Final = 20
MIN_TALKED: Final = 2
#: victims a box must share with a number to be linked to it through victims
MIN_SHARED_VICTIMS: Final = 2
#: contacts with a victim from which a number that is no box's SIM nor fraud line is taken to
#: have worked it (its victims' money then speaks for it: `shared_money`)
MIN_MONEY_CONTACTS: Final = 2
#: people a flagged number (no box's SIM, no fraud line) must have reached to be linked by money
MIN_MONEY_PEOPLE: Final = 2
#: place links reached from the clue before place stays in the rooms found from the clue
MAX_PLACE_HOPS: Final = 2
#: the link kinds in `LinkKind`'s order (an index per kind in the den search's arrays)
KINDS: Final[tuple[LinkKind, ...]] = get_args(LinkKind)
PLACE: Final = KINDS.index("same_place")
TEXT: Final = KINDS.index("same_text")
#: the same template, not word for word: a code of its own in the search, `same_text` outside
NEAR: Final = len(KINDS)
#: the victims' money reached cards registered with one of them (round thirteen, a card
#: dealer's phone): a code of its own in the search, `shared_money` outside
CARD: Final = len(KINDS) + 1
NAMES: Final[tuple[LinkKind, ...]] = (*KINDS, "same_text", "shared_money")
HANDOVER: Final = KINDS.index("handover")
CIRCLE: Final = KINDS.index("call_circle")
#: the links that tie a box's SIMs to one another (followed beyond `MAX_MEMBERS`)
BOX_LINKS: Final = frozenset(
    KINDS.index(k) for k in ("same_device", "in_sync", "same_cell", "same_text")
)
AREA: Final = KINDS.index("co_located")
BEAT: Final = KINDS.index("same_beat")
MONEY: Final = KINDS.index("shared_money")
#: the links a number reached by money leads on by: its own kit (handsets, sync, and since
#: round eleven its box's cell, `same_cell`, weighed by kit and papers: the box's other SIMs,
#: each behind a slot's IMEI of its own, too few calls to show sync; a line reached by money
#: found one SIM of its den's box and stopped there, docs/telecom.md "Round eleven: the clue")
#: and its own victims and money. Not where people work (a room, an area: the training
#: worlds' campaign rooms came in that way, randomised 36) nor its scripts and walks (what dens
#: running the same fraud in one area share; the mule network may serve several)
PAID_LINKS: Final = np.array(
    [KINDS.index(k) for k in ("same_device", "in_sync", "same_cell", "shared_victim", "handover")]
    + [MONEY, CARD],
    np.int64,
)
#: the codes of the money links: a number reached by one leads on by `PAID_LINKS`
MONEY_CODES: Final = np.array([MONEY, CARD], np.int64)
#: the links followed from a number reached by its beat alone
WALK_LINKS: Final = np.array([KINDS.index("same_device"), BEAT], np.int64)
#: a shared text links at most this many numbers from one number (the rest are reached from
#: them): a den's template reaches its SIMs through one another
MAX_TEXT_MATES: Final = 2_000


@dataclass(frozen=True)
class Edge:
    kind: LinkKind
    a: int
    b: int
    key: int  # the IMEI, the cell, the text or the victim's number that links them
    near: bool = False  # `same_text` by template, not word for word
    card: bool = False  # `shared_money` through the cards registered with one of them


@dataclass(frozen=True)
class Found:
    """One search: the numbers it reached (first the clue), how each was first reached, and
    whether it stopped at `MAX_MEMBERS`."""

    members: list[int]
    joined: dict[int, Edge]
    truncated: bool


class DenSearch:
    """Searches one index."""

    def __init__(self, ix: ClueIndex) -> None:
        self.ix = ix
        a = ix.arrays
        looks = (a["num_sync"] >= MIN_PEERS) | (a["num_max_sims"] >= MIN_PEERS)
        # a look is not enough: a call centre's seats are in sync too; the model weighs the rest
        self.boxed = looks & (a["num_score"] >= BOX_SCORE)
        self.looks = looks
        # flagged by the model at its own threshold: may be linked by where it calls from
        self.flagged = a["num_score"] >= float(ix.params.get("score_threshold", 1.0))
        # calls like a box's SIM: it dials out and hardly hears back (a person is called and
        # messaged at least as often as it calls); what `same_cell` needs on both sides
        heard = np.diff(a["in_off"]) + np.diff(a["min_off"])
        self.box_like = looks | (heard <= np.diff(a["out_off"]))
        # may be linked by the texts it sent
        self.texter = self.flagged | self.boxed
        # never called nor was called: an IM account or a texting-only SIM
        self.quiet = (np.diff(a["out_off"]) + np.diff(a["in_off"])) == 0
        self._open = open_templates(ix, self.quiet & self.texter)
        self._talked, self._victims, self._contacts = (
            a["num_talked"],
            a["num_victims"],
            a["num_contacts"],
        )
        self._group_victims: dict[int, set[int]] = {}
        self._neighbours: dict[tuple[int, bool, bool, bool, bool], tuple[Array, Array, Array]] = {}
        self._pitching: dict[int, bool] = {}
        self._pitched: dict[int, set[int]] = {}
        self._senders: dict[int, Array] = {}
        self._at_cell: dict[int, tuple[Array, Array, Array]] = {}
        self.victim_share = float(ix.params["victim_share"])
        self.long_seconds = int(ix.params["long_seconds"])
        self.grooming = float(ix.params.get("grooming", 2.0))
        self.min_worked = int(ix.params.get("min_worked", 3))
        self.grooming_many = float(ix.params.get("grooming_many", 3.0))
        # may be linked by where it moves: flagged or talking to victims like a fraud line, and
        # no box's SIM (a box stays at its cell, found by device and sync)
        self._line = self._lines(np.arange(len(looks)))
        self.mover = (self.flagged | self._line) & ~looks
        self._beats = Beats(ix, self.mover)
        self._cell_weights = CellWeights(ix)
        self._ties = VictimTies(ix)
        self._money = MoneyTies(ix, self.worked_money)

    def worked_money(self, n: int, victim: int) -> bool:
        """Whether the money `victim` paid says something about `n`: `n` talked to the victim
        mostly in the fraud's window, and a box's SIM pitched it in a long call (its box's
        spam and random dials reach other dens' victims)."""
        if not self._ties.worked(n, victim):
            return False
        if self.boxed[n]:
            return self.pitching(n) and victim in self._pitches(n)
        if bool(self.line(np.array([n]))[0]):
            return True
        # any other number worked the victim only in a conversation: one call is a wrong
        # number's or a cold call's (training foreign worlds: a gang member's own phone that
        # rang another gang's victim once; randomised 147: a flagged person's one call)
        talked = self.ix.column("talk", "victim", n) == victim
        return int(talked.sum()) >= MIN_MONEY_CONTACTS

    def line(self, n: Array) -> Array:
        """Whether each number talks to victims like a fraud caller's line: 2+ of them, 40 % or
        more of its contacts, each reached again and again (the indicators' `GROOMING`), or 3+
        of them reached 3 times or more each, whatever else it called (a line that also
        cold-calls strangers)."""
        out: Array = self._line[n]
        return out

    def _lines(self, n: Array) -> Array:
        contacts = np.maximum(self._contacts[n], 1)
        off = self.ix.arrays["talk_off"]
        rows, talked = off[n + 1] - off[n], self._talked[n]
        share = (self._victims[n] >= self.victim_share * contacts) & (talked >= MIN_TALKED)
        out: Array = (share & (rows >= self.grooming * talked)) | (
            (talked >= self.min_worked) & (rows >= self.grooming_many * talked)
        )
        return out

    def suspect(self, n: Array) -> Array:
        out: Array = self.boxed[n] | self.line(n)
        return out

    def role(self, n: int) -> Role:
        if self.boxed[n]:
            return "simbox"
        return "fraud_line" if bool(self.line(np.array([n]))[0]) else "linked"

    def imeis(self, n: int) -> Array:
        imei = self.ix.out(n, "imei")
        return np.unique(imei[imei >= 0])

    def neighbours(
        self,
        n: int,
        *,
        victims: bool = True,
        clue: bool = False,
        place: bool = False,
        area: bool = False,
    ) -> tuple[Array, Array, Array]:
        """(kind codes into `KINDS`, numbers, keys) of every link of `n`. A clue links through
        its victims even when it is no suspect itself (its peers must be); with `place`, also
        to the people it works with at one place (`chaincut.telecom.clue.place`). Remembered:
        one answer asks for a box's SIMs several times (the search, the boxes, their victims)."""
        key = (n, victims, clue, place, area)
        if key not in self._neighbours:
            k, p, keys = self._links(n, victims, clue)
            if place:
                mates = place_mates(self.ix, n)
                kind = np.where(mates.circle, CIRCLE, PLACE).astype(np.int64)
                k = np.concatenate([k, kind])
                p = np.concatenate([p, mates.numbers])
                keys = np.concatenate([keys, mates.cells])
            if area:
                moved = area_mates(self.ix, n, self.mover)
                k = np.concatenate([k, np.full(len(moved.numbers), AREA, np.int64)])
                p = np.concatenate([p, moved.numbers])
                keys = np.concatenate([keys, moved.cells])
                walked = self._beats.mates(n, clue)
                k = np.concatenate([k, np.full(len(walked.numbers), BEAT, np.int64)])
                p = np.concatenate([p, walked.numbers])
                keys = np.concatenate([keys, walked.cells])
            self._neighbours[key] = (k, p, keys)
        return self._neighbours[key]

    def _links(self, n: int, victims: bool, clue: bool) -> tuple[Array, Array, Array]:
        ix = self.ix
        kinds, peers, keys = [], [], []
        for imei in self.imeis(n):
            if ix.sims_on(int(imei)) <= MAX_SIMS_PER_IMEI:
                mates = ix.column("imei", "num", int(imei))
                kinds.append(np.zeros(len(mates), np.int8))
                peers.append(mates)
                keys.append(np.full(len(mates), imei))
        rows = ix.rows("sync", n)
        synced = ix.arrays["sync_peer"][rows]
        boxed = self.boxed[synced]  # in sync with one or two SIMs of a box: a passer-by
        # sync is the same hours at one cell: weighed like the cell (a campaign's room at a
        # box's mast dials in the same office hours)
        boxed &= self._cell_weights.linked(n, synced)
        kinds.append(np.ones(int(boxed.sum()), np.int8))
        peers.append(synced[boxed])
        keys.append(ix.arrays["sync_cell"][rows][boxed])
        # the clue itself need not be flagged: an analyst's lead is a suspect by being one
        if (self.flagged[n] or clue) and self.box_like[n]:
            mates, cells = self._cell_mates(n)
            # the cell is weighed: a campaign's room at a box's mast shares it too
            alike = self._cell_weights.linked(n, mates)
            mates, cells = mates[alike], cells[alike]
            kinds.append(np.full(len(mates), 3, np.int8))
            peers.append(mates)
            keys.append(cells)
        # not from an unflagged clue: people forward spam to warn their friends
        if self.texter[n] and "stxt_off" in ix.arrays:
            mates, texts = self._text_mates(n)
            if not self.quiet[n]:
                # between two callers a script is the fraud type's (foreign 970: three gangs'
                # boxes sent one word for word, 32.9 other gangs' numbers per clue)
                alone = self.quiet[mates]
                mates, texts = mates[alone], texts[alone]
            kinds.append(np.full(len(mates), TEXT, np.int8))
            peers.append(mates)
            keys.append(texts)
            mates, texts = template_mates(ix, n, self.texter, self.quiet, self._open)
            kinds.append(np.full(len(mates), NEAR, np.int8))
            peers.append(mates)
            keys.append(texts)
        if (clue or self.mover[n]) and not self.boxed[n]:
            most = MAX_CONTACTS_FLAGGED if self.mover[n] else None
            taken = handovers(ix, n, self.boxed, self.long_seconds, most)
            # a box whose long calls reach victims, not a reminder gateway's
            ok = np.array([self.pitching(int(m)) for m in taken.numbers], bool)
            kinds.append(np.full(int(ok.sum()), HANDOVER, np.int8))
            peers.append(taken.numbers[ok])
            keys.append(taken.people[ok])
            # a den without boxes hands victims over from line to line
            lines = line_handovers(ix, n, self.mover, most or MAX_CONTACTS)
            kinds.append(np.full(len(lines.numbers), HANDOVER, np.int8))
            peers.append(lines.numbers)
            keys.append(lines.people)
        talked = np.unique(ix.column("talk", "victim", n))
        suspect = bool(self.suspect(np.array([n]))[0])
        if victims and (suspect or (clue and len(talked) <= MAX_CLUE_VICTIMS)):
            vic = ix.arrays["vic_code"]
            for victim in talked:
                # a friend talks on after the report; a den works the days before it (the
                # clue itself is not weighed: a friend given as a clue leads to who worked it)
                if not (clue or self._ties.worked(n, int(victim))):
                    continue
                others = np.unique(ix.column("vtalk", "num", int(np.searchsorted(vic, victim))))
                others = others[self.suspect(others)]
                keep = [
                    m
                    for m in others
                    if self._victim_link(n, int(m), int(victim))
                    and self._ties.worked(int(m), int(victim))
                ]
                others = np.array(keep, np.int64)
                kinds.append(np.full(len(others), 2, np.int8))
                peers.append(others)
                keys.append(np.full(len(others), victim))
        if victims:
            # the money of the victims it worked reached the cards other numbers' victims
            # paid; followed from any number in the den (what it worked is weighed), only to
            # numbers flagged or working victims like a fraud line; and (round thirteen) the
            # cards registered with it, a card dealer's phone: the numbers whose victims paid
            # his cards, weighed the same way
            for code, paid in ((MONEY, self._money.mates(n)), (CARD, self._money.card_mates(n))):
                # a flagged number that ever reached one person only is that person's contact
                # (a relative, a one-off), not a den's number working people
                reached = self._contacts[paid.numbers] >= MIN_MONEY_PEOPLE
                ok = self.suspect(paid.numbers) | (self.flagged[paid.numbers] & reached)
                kinds.append(np.full(int(ok.sum()), code, np.int8))
                peers.append(paid.numbers[ok])
                keys.append(paid.accounts[ok])
            # and from any number whose victims' money went mostly to those cards to the cards'
            # phone: like `mates`, what it worked is weighed; the phone, by its cards
            dealers = self._money.dealers(n)
            kinds.append(np.full(len(dealers.numbers), CARD, np.int8))
            peers.append(dealers.numbers)
            keys.append(dealers.accounts)
        k, p, key = (np.concatenate(x).astype(np.int64) for x in (kinds, peers, keys))
        mine = p != n
        return k[mine], p[mine], key[mine]

    def _text_mates(self, n: int) -> tuple[Array, Array]:
        """(numbers, text codes): the flagged or boxed numbers that sent a text `n` sent."""
        found, where = [], []
        for text in self.ix.column("stxt", "text", n):
            senders = self._text_senders(int(text))
            found.append(senders)
            where.append(np.full(len(senders), text))
        if not found:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found), np.concatenate(where)

    def _text_senders(self, text: int) -> Array:
        """The flagged or boxed numbers that sent shared text `text` (remembered: a den's SIMs
        send the same few texts)."""
        if text not in self._senders:
            senders = self.ix.column("tsnd", "num", text)
            self._senders[text] = senders[self.texter[senders]][:MAX_TEXT_MATES]
        return self._senders[text]

    def _cell_mates(self, n: int) -> tuple[Array, Array]:
        """(numbers, cells): the flagged numbers that make half or more of their calls from a
        cell from which `n` makes half or more of its own, in days overlapping n's there."""
        ix = self.ix
        cells = ix.out(n, "cell")
        total = max(len(cells), 1)
        off = ix.arrays["out_off"]
        found, where = [], []
        for cell in np.unique(cells[cells >= 0]):
            if 2 * int((cells == cell).sum()) < total:
                continue
            rows = ix.rows("cell", int(cell))
            num = ix.arrays["cell_num"][rows]
            mine = num == n
            start = int(ix.arrays["cell_first"][rows][mine][0])
            end = int(ix.arrays["cell_last"][rows][mine][0])
            if cell not in self._at_cell:  # a box's SIMs ask for one cell hundreds of times
                calls = ix.arrays["cell_calls"][rows]
                own = off[num + 1] - off[num]
                keep = self.flagged[num] & self.box_like[num] & (2 * calls >= own)
                self._at_cell[int(cell)] = (
                    num[keep],
                    ix.arrays["cell_first"][rows][keep],
                    ix.arrays["cell_last"][rows][keep],
                )
            num, first, last = self._at_cell[int(cell)]
            ok = (first <= end) & (last >= start)
            found.append(num[ok])
            where.append(np.full(int(ok.sum()), cell))
        if not found:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(found), np.concatenate(where)

    def group_victims(self, n: int) -> set[int]:
        """The victims `n` talked to; for a box's SIM, those its box (its sync peers and IMEI
        mates) pitched in long calls: a box's spam reaches other dens' victims too."""
        if n not in self._group_victims:
            if not self.boxed[n]:
                found = {int(v) for v in self.ix.column("talk", "victim", n)}
            else:
                group = self._box_group(n)
                found = set().union(*(self._pitches(m) for m in group))
            self._group_victims[n] = found
        return self._group_victims[n]

    def _box_group(self, n: int) -> list[int]:
        """`n` and its box: its IMEI mates and its peers in sync (not its cell mates)."""
        kinds, mates, _ = self.neighbours(n, victims=False)
        return [n, *(int(m) for m in np.unique(mates[kinds <= 1]))]

    def _pitches(self, n: int) -> set[int]:
        """The victims `n` talked to in a call of `LONG_SECONDS` or more (a pitch)."""
        if n not in self._pitched:
            ix = self.ix
            calls = ix.column("talk", "kind", n) == KIND_CALL
            long = ix.column("talk", "dur", n) >= self.long_seconds
            self._pitched[n] = {int(v) for v in ix.column("talk", "victim", n)[calls & long]}
        return self._pitched[n]

    def pitching(self, n: int) -> bool:
        """Whether the box of `n` (its sync peers and IMEI mates) pitches victims: of the people
        it talked to for `long_seconds` or more, 40 % or more (`victim_share`) later reported
        fraud, as the `box_victims` indicator asks. An outbound campaign in sync dialling at
        random has long calls too, with a victim among them only by chance."""
        if n not in self._pitching:
            ix, last = self.ix, self.ix.arrays["vic_last"]
            group = self._box_group(n)
            people, victims = set(), set()
            for m in group:
                long = ix.out(m, "dur") >= self.long_seconds
                peer, ts = ix.out(m, "peer")[long], ix.out(m, "ts")[long]
                pos = ix.victim_pos(peer)
                hit = pos >= 0
                hit[hit] = ts[hit] < last[pos[hit]]
                people.update(peer.tolist())
                victims.update(peer[hit].tolist())
            self._pitching[n] = bool(victims) and len(victims) >= self.victim_share * len(people)
        return self._pitching[n]

    def _victim_link(self, n: int, m: int, victim: int) -> bool:
        """A box's SIM links to another number through a victim only when its box pitches
        victims (`pitching`), and then through a victim it pitched in a long call, or when its
        box shares two or more victims with that number: a box makes thousands of random dials
        and its spam reaches anyone, another den's victims included."""
        if not (self.boxed[n] or self.boxed[m]):
            return True
        if not all(self.pitching(x) for x in (n, m) if self.boxed[x]):
            return False
        if all(victim in self._pitches(x) for x in (n, m) if self.boxed[x]):
            return True
        return len(self.group_victims(n) & self.group_victims(m)) >= MIN_SHARED_VICTIMS

    def _narrow(
        self, order: Array, kinds: Array, peers: Array, how: tuple[bool, bool, bool, bool]
    ) -> Array:
        """The links a number reached by its beat, by a template, by money or by a card
        dealer's cards leads on by (`how`: which of the four reached it)."""
        walked, templated, paid, carded = how
        if walked:
            # a beat is an area's, perhaps two dens': from a line reached by its beat (or
            # by the handset of one) only beats and handsets go on, never to a box's SIM
            walk = np.isin(kinds[order], WALK_LINKS) & ~self.looks[peers[order]]
            order = order[walk]
        if templated:
            near = (kinds[order] == NEAR) & self.quiet[peers[order]]
            order = order[near]
        if paid:
            # money ties a number to the gang's mule network, which may serve several dens
            order = order[np.isin(kinds[order], PAID_LINKS)]
        if carded:
            # a dealer sells cards to several dens: his cards tie each of their numbers to his
            # phone, not through it to one another (randomised 940: 288 other dens' numbers
            # per clue)
            order = order[kinds[order] != CARD]
        return order

    def search(self, clue: int) -> Found:
        """Every number linked to `clue`, breadth first, in a fixed order."""
        seen = {clue}
        # the same as `seen`, to drop reached numbers in bulk: a den's shared texts and cells
        # give each member hundreds of links to numbers already reached
        reached = np.zeros(len(self.boxed), bool)
        reached[clue] = True
        # reached by a beat, or by the handset of a number reached so
        walked = np.zeros(len(self.boxed), bool)
        # reached by a template alone: leads on only by templates, to numbers that never called
        templated = np.zeros(len(self.boxed), bool)
        # reached by its victims' money: leads on by its own ties, not by texts or beats
        paid = np.zeros(len(self.boxed), bool)
        # reached by a dealer's cards (or from a number reached so): no card links on
        carded = np.zeros(len(self.boxed), bool)
        # the cells of the place links taken from the clue: the den's rooms
        rooms: set[int] = set()
        hops: dict[int, int] = {}
        members: list[int] = [clue]
        joined: dict[int, Edge] = {}
        queue = deque([clue])
        truncated = False
        while queue:
            n = queue.popleft()
            # people (not a box's SIMs) link by place: from the clue, then from whom it reached
            edge = joined.get(n)
            place = not self.boxed[n] and (
                n == clue or (edge is not None and edge.kind in ("same_place", "call_circle"))
            )
            area = n == clue or bool(self.mover[n])
            kinds, peers, keys = self.neighbours(
                n, clue=n == clue, place=bool(place), area=area and not self.boxed[n]
            )
            order = np.lexsort((keys, kinds, peers))
            fresh = ~reached[peers[order]]
            # a number reached by a template alone is taken again by any other tie, and one
            # reached by money alone by any other tie of a number not reached so itself
            again = templated[peers[order]] & (kinds[order] != NEAR)
            if not paid[n]:
                again |= paid[peers[order]] & ~np.isin(kinds[order], MONEY_CODES)
            order = order[fresh | again]
            if place and n != clue and not self.mover[n] and hops.get(n, 0) >= MAX_PLACE_HOPS:
                # past `MAX_PLACE_HOPS` place links from the clue, from a colleague neither
                # flagged nor working victims, place goes on only in the rooms found from the
                # clue: colleagues of colleagues elsewhere are the city's offices (round nine)
                by_place = np.isin(kinds[order], (PLACE, CIRCLE))
                order = order[~by_place | np.isin(keys[order], list(rooms))]
            order = self._narrow(order, kinds, peers, (walked[n], templated[n], paid[n], carded[n]))
            if len(members) >= MAX_MEMBERS and len(order):  # the second tier, in bulk
                room = bool(self.boxed[n]) and len(members) < MAX_BOX_MEMBERS
                strong = np.isin(kinds[order], list(BOX_LINKS)) & self.boxed[peers[order]] & room
                truncated |= not bool(strong.all())
                order = order[strong]
            for i in order:
                m = int(peers[i])
                if m in seen:
                    if templated[m] and int(kinds[i]) != NEAR:
                        # reached by a template first, and by a stronger tie too: free it
                        templated[m] = False
                        queue.append(m)
                    elif paid[m] and not paid[n] and int(kinds[i]) not in MONEY_CODES:
                        # reached by money first, and by a tie of its den's too: free it
                        paid[m] = carded[m] = False
                        queue.append(m)
                    continue
                if len(members) >= MAX_MEMBERS:
                    # past the first tier only a box's own links, between boxes' SIMs
                    tied = int(kinds[i]) in BOX_LINKS and bool(self.boxed[n] and self.boxed[m])
                    if not tied or len(members) >= MAX_BOX_MEMBERS:
                        truncated = True  # a link left unfollowed
                        continue
                seen.add(m)
                reached[m] = True
                members.append(m)
                kind = int(kinds[i])
                joined[m] = Edge(NAMES[kind], n, m, int(keys[i]), kind == NEAR, kind == CARD)
                templated[m] = kind == NEAR
                walked[m] = walked[n] or int(kinds[i]) == BEAT
                paid[m] = paid[n] or int(kinds[i]) in MONEY_CODES
                carded[m] = carded[n] or kind == CARD
                if n == clue and int(kinds[i]) in (PLACE, CIRCLE):
                    rooms.add(int(keys[i]))
                if int(kinds[i]) in (PLACE, CIRCLE):
                    hops[m] = hops.get(n, 0) + 1
                queue.append(m)
        return Found(members, joined, truncated)

    def link(self, edge: Edge) -> Link:
        """The edge in words, with the records that show it."""
        ix = self.ix
        via, member = ix.number(edge.a), ix.number(edge.b)
        if edge.kind == "same_device":
            imei = ix.name("imei_ids", edge.key)
            ids = [self._first_call(x, edge.key) for x in (edge.a, edge.b)]
            return Link(edge.kind, member, via, f"both called from IMEI {imei}", _ids(ids))
        if edge.kind == "in_sync":
            return self._sync_link(edge, via, member)
        if edge.kind == "same_place":
            cell = ix.name("cell_ids", edge.key)
            seq = called_between(ix, edge.a, edge.b)
            ids = [ix.calls[seq]] if seq is not None else []
            ids += [self._first_at(x, edge.key) for x in (edge.a, edge.b)]
            detail = f"both call mostly from cell {cell} in the same days, and work together"
            return Link(edge.kind, member, via, detail + " (calls, hours, contacts)", _ids(ids))
        if edge.kind == "call_circle":
            return self._circle_link(edge, via, member)
        if edge.kind == "co_located":
            return self._area_link(edge, via, member)
        if edge.kind == "same_beat":
            return self._beat_link(edge, via, member)
        if edge.kind == "handover":
            return self._handover_link(edge, via, member)
        if edge.near:
            ids = [first_template(ix, x, edge.key) for x in (edge.a, edge.b)]
            detail = (
                "both flagged, both sent the same script with other numbers or links filled "
                "in; one of them never made or took a call"
            )
            return Link(edge.kind, member, via, detail, _ids(ids))
        if edge.kind == "same_text":
            text = ix.texts("text")[edge.key]
            ids = [self._first_text(x, edge.key) for x in (edge.a, edge.b)]
            shown = text if len(text) <= 40 else text[:40] + "…"
            detail = f"both flagged, both sent the text «{shown}» word for word"
            return Link(edge.kind, member, via, detail, _ids(ids))
        if edge.kind == "same_cell":
            cell = ix.name("cell_ids", edge.key)
            ids = [self._first_at(x, edge.key) for x in (edge.a, edge.b)]
            detail = f"both flagged, both calling mostly from cell {cell} in the same days"
            return Link(edge.kind, member, via, detail, _ids(ids))
        if edge.card:
            return self._card_link(edge, via, member)
        if edge.kind == "shared_money":
            return self._money_link(edge, via, member)
        victim = ix.number(edge.key)
        ids = [self._talk(x, edge.key) for x in (edge.a, edge.b)]
        detail = f"both talked to or messaged {victim} in the week before their fraud report"
        return Link(edge.kind, member, via, detail, _ids(ids))

    def _money_link(self, edge: Edge, via: str, member: str) -> Link:
        """The accounts both sides' victims paid into (directly or down the chain), the most
        specific first, with each side's first contact with a victim whose money reached the
        most specific one."""
        names, weight = self._money.shared(edge.a, edge.b)
        shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        ids = [self._talk(x, v) for x, v in self._money.witnesses(edge.a, edge.b, edge.key)]
        reached = self._money.victims_at(edge.key)
        detail = (
            f"the victims each worked paid money that reached {_same(len(names), 'account')} "
            f"within {MAX_HOPS} transfers ({shown}; "
            f"{self.ix.name('acct_ids', edge.key)} only {reached} "
            f"{english('victim', 'victims', reached)}' money reached; weight {weight:.2f}): one "
            "gang's cards"
        )
        return Link(edge.kind, member, via, detail, _ids(ids))

    def _card_link(self, edge: Edge, via: str, member: str) -> Link:
        """The cards registered with one side (the dealer's phone) that the victims' money
        reached, with the other side's first contact with a victim whose money reached the
        card that links them."""
        ix, money = self.ix, self._money
        dealer, worker = (
            (edge.a, edge.b) if money.registered(edge.a, edge.key) else (edge.b, edge.a)
        )
        cards, weight = money.cards(dealer)
        cards = cards[np.argsort(money.reached[cards], kind="stable")]
        names = [ix.name("acct_ids", int(c)) for c in cards]
        shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        ids = [self._talk(x, v) for x, v in money.witnesses(worker, worker, edge.key)[:1]]
        detail = (
            f"{ix.number(dealer)} is the registration phone of {len(names)} "
            f"{english('card', 'cards', len(names))} of other people that the victims' money "
            f"reached ({shown}; weight {weight:.2f}); the victims {ix.number(worker)} worked "
            f"paid money that reached {ix.name('acct_ids', edge.key)}, at hop "
            f"{money.nearest_hop(worker, dealer)} of the chain, and no other dealer's cards "
            "sooner: a card dealer's cards"
        )
        return Link(edge.kind, member, via, detail, _ids(ids))

    def _circle_link(self, edge: Edge, via: str, member: str) -> Link:
        ix = self.ix
        there = ix.name("cell_ids", edge.key)
        ids = [self._first_call_to(x, y) for x, y in ((edge.a, edge.b), (edge.b, edge.a))]
        detail = (
            f"they call each other both ways, each from a cell of its own ({there} for this "
            "one), in the same hours and with the same contacts: people who work together"
        )
        return Link(edge.kind, member, via, detail, _ids(ids))

    def _area_link(self, edge: Edge, via: str, member: str) -> Link:
        """The cells both called from in overlapping days, with the first call of each from
        the cell both used most."""
        ix = self.ix
        cells = [set(ix.out(x, "cell").tolist()) for x in (edge.a, edge.b)]
        shared = sorted(cells[0] & cells[1] - {-1})
        names = ", ".join(ix.name("cell_ids", c) for c in shared[:5])
        ids = [self._first_at(x, edge.key) for x in (edge.a, edge.b)]
        detail = (
            f"both flagged or working victims, both make most of their calls from "
            f"{_same(len(shared), 'cell')} ({names}) in the same days: "
            "they move together"
        )
        return Link(edge.kind, member, via, detail, _ids(ids))

    def _beat_link(self, edge: Edge, via: str, member: str) -> Link:
        """The quiet cells both walked in overlapping days, with the first call of each from
        the shared cell the first used most."""
        ix = self.ix
        a, b = (self._beats.of(x) for x in (edge.a, edge.b))
        shared = np.intersect1d(a.cells, b.cells)
        names = ", ".join(ix.name("cell_ids", int(c)) for c in shared[:5])
        ids = [self._first_at(x, edge.key) for x in (edge.a, edge.b)]
        detail = (
            f"both flagged or working victims, both cold-call on the move through "
            f"{_same(len(shared), 'cell')} ({names}"
            f"{', …' if len(shared) > 5 else ''}) in the same "
            "weeks and hours: the same area's walking callers (this den, or a den sharing "
            "its area)"
        )
        return Link(edge.kind, member, via, detail, _ids(ids))

    def _handover_link(self, edge: Edge, via: str, member: str) -> Link:
        ix = self.ix
        person = ix.number(edge.key)
        ids = [self._first_contact(x, edge.key) for x in (edge.a, edge.b)]
        detail = (
            f"one of them pitched {person} in a long call and the other took the conversation "
            f"over within {WINDOW_HOURS} hours (a box's SIM whose long calls reach victims)"
        )
        if not (self.boxed[edge.a] or self.boxed[edge.b]):  # line to line
            detail = (
                f"one of them opened a conversation with {person} and the other, within "
                f"{WINDOW_HOURS} hours, held it (3+ calls and messages): flagged or fraud lines"
            )
        return Link(edge.kind, member, via, detail, _ids(ids))

    def _first_call_to(self, n: int, peer: int) -> str | None:
        hits = np.flatnonzero(self.ix.out(n, "peer") == peer)
        return self.ix.calls[int(self.ix.out(n, "seq")[hits[0]])] if len(hits) else None

    def _first_contact(self, n: int, person: int) -> str | None:
        """The first call or message from `n` to `person`, or from `person` to `n`."""
        ix, best = self.ix, None
        for group, kind, mine in (
            ("out", KIND_CALL, n),
            ("mout", KIND_MESSAGE, n),
            ("out", KIND_CALL, person),
            ("mout", KIND_MESSAGE, person),
        ):
            other = person if mine == n else n
            hits = np.flatnonzero(ix.column(group, "peer", mine) == other)
            if len(hits):
                ts = int(ix.column(group, "ts", mine)[hits[0]])
                if best is None or ts < best[0]:
                    best = (ts, ix.event_id(kind, int(ix.column(group, "seq", mine)[hits[0]])))
        return best[1] if best else None

    def _first_call(self, n: int, imei: int) -> str | None:
        hits = np.flatnonzero(self.ix.out(n, "imei") == imei)
        return self.ix.calls[int(self.ix.out(n, "seq")[hits[0]])] if len(hits) else None

    def _first_text(self, n: int, text: int) -> str | None:
        hits = np.flatnonzero(self.ix.column("stxt", "text", n) == text)
        if not len(hits):
            return None
        return self.ix.msgs[int(self.ix.column("stxt", "seq", n)[hits[0]])]

    def _first_at(self, n: int, cell: int) -> str | None:
        hits = np.flatnonzero(self.ix.out(n, "cell") == cell)
        return self.ix.calls[int(self.ix.out(n, "seq")[hits[0]])] if len(hits) else None

    def _talk(self, n: int, victim: int) -> str | None:
        hits = np.flatnonzero(self.ix.column("talk", "victim", n) == victim)
        if not len(hits):
            return None
        i = int(hits[0])
        kind, seq = self.ix.column("talk", "kind", n)[i], self.ix.column("talk", "seq", n)[i]
        return self.ix.event_id(int(kind), int(seq))

    def _sync_link(self, edge: Edge, via: str, member: str) -> Link:
        ix = self.ix
        hours = []
        for x in (edge.a, edge.b):
            at = ix.out(x, "cell") == edge.key
            hours.append((ix.out(x, "ts")[at] // HOUR_US, ix.out(x, "seq")[at]))
        shared = np.intersect1d(hours[0][0], hours[1][0])
        ids: list[str | None] = []
        for window in shared[:2]:
            for h, seq in hours:
                ids.append(ix.calls[int(seq[np.flatnonzero(h == window)[0]])])
        cell = ix.name("cell_ids", edge.key)
        detail = f"called from cell {cell} in {_same(len(shared), 'hour')}"
        return Link(edge.kind, member, via, detail, _ids(ids))


def _same(n: int, noun: str) -> str:
    """English for `n` of `noun` shared: "the same cell", "the same 3 cells"."""
    return english(f"the same {noun}", f"the same {n} {noun}s", n)


def _ids(ids: list[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in ids if i is not None))
