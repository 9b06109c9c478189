"""Where the victims' money went: the `shared_money` link of the den search (round ten).

A den's numbers that nothing in the phone records ties together (an IM account that only
messaged the people it hooked, a texting-only SIM) still share what the fraud is for: the
money. Every victim who reported paid a den's first-level card, and the den's mules moved it
on through the next levels within hours. Two victims whose money reached the same card were
worked by one gang, whichever of its numbers talked to them. So two numbers are linked when
the money of the victims each one worked reached the same accounts, weighted by how specific
those accounts are: a card two victims' money reached says much more than one ten reached.

The chain (`chaincut.telecom.clue.chain`, written at build time) is followed from each
report's own fraud transfers up to `MAX_HOPS` transfers forward, never through shared
infrastructure (merchants, exchanges, a payment institution's pooled account, a busy hub): those
link nothing. The index holds, per victim number (its position among the victims, `vpos`), the accounts its
reports' money reached (`vacc_*`: `acct hop`), per account the victims whose money reached it
(`accv_*`: `victim hop`, positions) and the accounts' ids (`acct_ids`); written by
`chaincut.telecom.clue.build`. This module reads the index with numpy only.

**The dealer's phone (round thirteen).** A card dealer (卡商) opens the cards he sells with a
number he controls, so the cards of several other people carry his number as their
registration phone (`accounts.reg_phone`; the gangs analysis's `dealers` weighs the same
evidence). A number registered on reached cards of `MIN_CARD_HOLDERS` or more other people
(a card reached only at the last hop counting half) is linked to the numbers that worked the
victims whose money reached those cards (`card_mates`), and they to it (`dealers`). On the
training worlds the dealer is a gang's member in touch with its operators abroad, whose
phones and IM accounts share nothing else in the records with its boxes: the money of the
victims the boxes pitched went to the cards he registered. A person's own cards, or the cards
registered with the phone of their holder, weigh nothing (the index keeps the holder; a number's
own registrants are left out); no innocent number on the training worlds carried another
person's reached card (docs/telecom.md "Round thirteen: the clue").

**The nearest dealer (round fourteen).** A number's victims count for a dealer only where their
money reached his cards in no more transfers than it reached any other dealer's
(`nearest_share`): a victim pays a card of the gang that worked it, and the launderers further
down the chain mix gangs' money, so one gang's money meets the other's dealer's cards a
transfer or two later (foreign 946: the money of a box's one traced victim reached two of its
own gang's dealers' cards at the second hop and the other gang's dealer's at the third, and
the box's 65 SIMs came into the other gang's clues; docs/telecom.md "Round fourteen: the
clue").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np

from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.store import Array

#: transfers followed from a victim's own payment (the first is the card the victim paid;
#: `chaincut.telecom.clue.chain` follows them at build time)
MAX_HOPS: Final = 3
#: the weight from which two numbers are linked by their victims' money: one card that
#: only their victims' money reached, or several shared cards each a few victims reached
MIN_MONEY: Final = 1.0
#: how much an account reached only at the last hop weighs (simulator training worlds: the
#: money of two dens' victims met at the third hop, a shared launderer)
LAST_HOP_WEIGHT: Final = 0.5
#: the share of each side's traced victims whose money reached the shared accounts: a line
#: that worked five victims of its own gang and one another gang also worked (whose money went
#: to that gang) is not that gang's
MIN_SHARE: Final = 0.6
#: the weight of other people's reached cards registered with one number from which it is
#: taken for their dealer's: two people's cards (a family registers with one phone at most a
#: child's card, and its money is no victims')
MIN_CARD_HOLDERS: Final = 2.0


@dataclass(frozen=True)
class MoneyMates:
    """Numbers linked to one number by its victims' money: each with the most specific shared
    account (a code into `acct_ids`) and the weight of all shared accounts."""

    numbers: Array
    accounts: Array
    weights: Array


class MoneyTies:
    """The `shared_money` links of one index. `worked(n, victim)` says whether `n` worked that
    victim (talked to it in the fraud's window, and for a box's SIM pitched it): a victim's
    friend or a box's random dial does not make its money the number's."""

    def __init__(self, ix: ClueIndex, worked: Callable[[int, int], bool]) -> None:
        self.ix = ix
        self.worked = worked
        a = ix.arrays
        self.present = "vacc_off" in a
        self._shares: dict[tuple[int, bytes], float] = {}
        self._victims: dict[int, Array] = {}
        self._cards: dict[int, tuple[Array, float]] = {}
        self._card_mates: dict[int, MoneyMates] = {}
        self.cards_present = self.present and "ncard_off" in a
        if self.present:
            # how many victims' money reached each account: a card two reached is specific
            self.reached = np.diff(a["accv_off"])
            # the fewest transfers from a victim at which the money reached it
            hops = a["accv_hop"]
            starts = a["accv_off"][:-1][self.reached > 0]
            self.hop = np.full(len(self.reached), MAX_HOPS, np.int8)
            if len(hops):
                self.hop[self.reached > 0] = np.minimum.reduceat(hops, starts)

    def victims(self, n: int) -> Array:
        """Victim positions of the victims `n` worked whose money the index traced."""
        if n not in self._victims:
            talked = np.unique(self.ix.column("talk", "victim", n))
            mine = [int(v) for v in talked if self.worked(n, int(v))]
            pos = self.ix.victim_pos(np.array(mine, np.int64))
            pos = np.unique(pos[pos >= 0])
            off = self.ix.arrays["vacc_off"]
            self._victims[n] = pos[off[pos + 1] > off[pos]]  # those with money traced
        return self._victims[n]

    def accounts(self, positions: Array) -> Array:
        a = self.ix.arrays
        off = a["vacc_off"]
        parts = [a["vacc_acct"][off[p] : off[p + 1]] for p in positions]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int32)

    def weight(self, accounts: Array) -> float:
        """The specificity of shared accounts: 1 / (victims whose money reached it - 1) each,
        half that for an account reached only at the last hop (a launderer further down the
        chain may serve several dens)."""
        each = 1.0 / np.maximum(self.reached[accounts] - 1, 1)
        each = np.where(self.hop[accounts] >= MAX_HOPS, LAST_HOP_WEIGHT * each, each)
        return float(np.sum(each))

    def mates(self, n: int) -> MoneyMates:
        """Every number that worked other victims whose money reached an account the money
        of `n`'s victims reached, with weight `MIN_MONEY` or more."""
        empty = np.zeros(0, np.int64)
        if not self.present:
            return MoneyMates(empty, empty, np.zeros(0))
        ix, a = self.ix, self.ix.arrays
        mine = self.victims(n)
        if not len(mine):
            return MoneyMates(empty, empty, np.zeros(0))
        accounts = self.accounts(mine)
        if not len(accounts):
            return MoneyMates(empty, empty, np.zeros(0))
        off = a["accv_off"]
        others = np.unique(
            np.concatenate([a["accv_victim"][off[c] : off[c + 1]] for c in accounts])
        )
        others = others[~np.isin(others, mine)]
        codes = a["vic_code"]
        found: dict[int, set[int]] = {}
        for p in others.tolist():
            talkers = np.unique(ix.column("vtalk", "num", int(p)))
            for m in talkers.tolist():
                if m != n and self.worked(int(m), int(codes[p])):
                    found.setdefault(int(m), set()).add(int(p))
        numbers, keys, weights = [], [], []
        for m, theirs in sorted(found.items()):
            shared = np.intersect1d(accounts, self.accounts(np.array(sorted(theirs))))
            w = self.weight(shared) if len(shared) else 0.0
            if w >= MIN_MONEY and min(self.share(x, shared) for x in (n, m)) >= MIN_SHARE:
                numbers.append(m)
                keys.append(int(shared[np.argmin(self.reached[shared])]))
                weights.append(w)
        return MoneyMates(np.array(numbers, np.int64), np.array(keys, np.int64), np.array(weights))

    def shared(self, n: int, m: int) -> tuple[list[str], float]:
        """The accounts both `n`'s and `m`'s victims' money reached (most specific first), and
        their weight."""
        mine, theirs = self.accounts(self.victims(n)), self.accounts(self.victims(m))
        both = np.intersect1d(mine, theirs)
        both = both[np.argsort(self.reached[both], kind="stable")]
        names = [self.ix.name("acct_ids", int(c)) for c in both]
        return names, self.weight(both) if len(both) else 0.0

    def share(self, n: int, accounts: Array) -> float:
        """The share of `n`'s traced victims whose money reached one of `accounts`."""
        key = (n, accounts.tobytes())
        if key not in self._shares:
            a = self.ix.arrays
            off, acct = a["vacc_off"], a["vacc_acct"]
            mine = self.victims(n)
            hit = sum(bool(np.isin(acct[off[p] : off[p + 1]], accounts).any()) for p in mine)
            self._shares[key] = hit / len(mine) if len(mine) else 0.0
        return self._shares[key]

    def card_hop(self, position: int, dealer: int) -> int:
        """The fewest transfers from victim `position`'s payment at which its money reached
        a card registered with `dealer` (`MAX_HOPS` + 1 when it reached none)."""
        a = self.ix.arrays
        lo, hi = a["vacc_off"][position], a["vacc_off"][position + 1]
        hit = np.isin(a["vacc_acct"][lo:hi], self.cards(dealer)[0])
        return int(a["vacc_hop"][lo:hi][hit].min()) if hit.any() else MAX_HOPS + 1

    def rival_hop(self, position: int, dealer: int, worker: int) -> int:
        """The fewest transfers from victim `position`'s payment at which its money reached a
        card of any other dealer's phone (`MIN_CARD_HOLDERS` people's reached cards), `worker`
        left out: `MAX_HOPS` + 1 when none."""
        a = self.ix.arrays
        lo, hi = a["vacc_off"][position], a["vacc_off"][position + 1]
        off, nums = a["acard_off"], a["acard_num"]
        best = MAX_HOPS + 1
        for acct, hop in zip(
            a["vacc_acct"][lo:hi].tolist(), a["vacc_hop"][lo:hi].tolist(), strict=True
        ):
            if hop >= best:
                continue
            for d in nums[off[acct] : off[acct + 1]].tolist():
                if d not in (dealer, worker) and self.cards(int(d))[1] >= MIN_CARD_HOLDERS:
                    best = int(hop)
                    break
        return best

    def nearest_share(self, worker: int, dealer: int) -> float:
        """The share of `worker`'s traced victims whose money reached `dealer`'s cards in no
        more transfers than it reached any other dealer's (round fourteen): a victim pays the
        card of the gang that worked it, and its money meets another gang's dealer's cards
        only further down, where launderers mix gangs' money."""
        mine = self.victims(worker)
        if not len(mine):
            return 0.0
        hit = 0
        for p in mine.tolist():
            hop = self.card_hop(p, dealer)
            hit += hop <= MAX_HOPS and hop <= self.rival_hop(p, dealer, worker)
        return hit / len(mine)

    def nearest_hop(self, worker: int, dealer: int) -> int:
        """The fewest hops at which the money of `worker`'s traced victims reached `dealer`'s
        cards (`MAX_HOPS` + 1 when it reached none)."""
        return min((self.card_hop(p, dealer) for p in self.victims(worker)), default=MAX_HOPS + 1)

    def victims_at(self, account: int) -> int:
        """How many victims' money reached `account`."""
        return int(self.reached[account])

    def witnesses(self, n: int, m: int, account: int) -> list[tuple[int, int]]:
        """(number, victim's number code): for `n` and `m`, a victim each worked whose money
        reached `account`."""
        a, out = self.ix.arrays, []
        for x in (n, m):
            for p in self.victims(x):
                acct = a["vacc_acct"][a["vacc_off"][p] : a["vacc_off"][p + 1]]
                if account in acct:
                    out.append((x, int(a["vic_code"][p])))
                    break
        return out

    def cards(self, n: int) -> tuple[Array, float]:
        """The reached cards registered with `n` held by people other than `n`'s own
        registrants (codes into `acct_ids`), and their weight: one per such holder, half for a
        holder whose cards the money reached only at the last hop."""
        if n not in self._cards:
            empty = (np.zeros(0, np.int64), 0.0)
            if not self.cards_present:
                return empty
            ix = self.ix
            accounts = ix.column("ncard", "acct", n).astype(np.int64)
            if not len(accounts):
                self._cards[n] = empty
                return empty
            holders = ix.column("ncard", "holder", n)
            rows = ix.rows("hold", n)
            own = {ix.hold[0][i] for i in range(rows.start, rows.stop)}
            keep = np.array([ix.name("cardh_ids", int(h)) not in own for h in holders], bool)
            accounts, holders = accounts[keep], holders[keep]
            best: dict[int, float] = {}
            for acct, holder in zip(accounts.tolist(), holders.tolist(), strict=True):
                each = LAST_HOP_WEIGHT if self.hop[acct] >= MAX_HOPS else 1.0
                best[holder] = max(best.get(holder, 0.0), each)
            self._cards[n] = (np.unique(accounts), float(sum(best.values())))
        return self._cards[n]

    def card_mates(self, n: int) -> MoneyMates:
        """The numbers that worked victims whose money reached the cards registered with `n`,
        when those are `MIN_CARD_HOLDERS` people's or more: each with the card it reached that
        the fewest victims' money reached, and the cards' weight. Like `mates`, a number's
        victims must have paid into those cards `MIN_SHARE` of the time, each no later than
        into any other dealer's (`nearest_share`)."""
        if n not in self._card_mates:
            empty = np.zeros(0, np.int64)
            accounts, weight = self.cards(n)
            found: dict[int, int] = {}
            if weight >= MIN_CARD_HOLDERS:
                a = self.ix.arrays
                off, codes = a["accv_off"], a["vic_code"]
                for acct in accounts[np.argsort(self.reached[accounts], kind="stable")]:
                    for p in np.unique(a["accv_victim"][off[acct] : off[acct + 1]]).tolist():
                        for m in np.unique(self.ix.column("vtalk", "num", int(p))).tolist():
                            if m != n and m not in found and self.worked(int(m), int(codes[p])):
                                found[int(m)] = int(acct)
            numbers = [m for m in sorted(found) if self.nearest_share(m, n) >= MIN_SHARE]
            self._card_mates[n] = MoneyMates(
                np.array(numbers, np.int64) if numbers else empty,
                np.array([found[m] for m in numbers], np.int64) if numbers else empty,
                np.full(len(numbers), weight),
            )
        return self._card_mates[n]

    def dealers(self, n: int) -> MoneyMates:
        """The numbers whose registered cards the money of `n`'s victims reached, where `n` is
        one of their `card_mates`: the other side of that link."""
        empty = np.zeros(0, np.int64)
        if not self.cards_present:
            return MoneyMates(empty, empty, np.zeros(0))
        a = self.ix.arrays
        off = a["acard_off"]
        numbers, keys, weights = [], [], []
        for acct in self.accounts(self.victims(n)).tolist():
            for d in np.unique(a["acard_num"][off[acct] : off[acct + 1]]).tolist():
                if d == n or d in numbers:
                    continue
                mates = self.card_mates(int(d))
                hit = np.flatnonzero(mates.numbers == n)
                if len(hit):
                    numbers.append(int(d))
                    keys.append(int(mates.accounts[hit[0]]))
                    weights.append(float(mates.weights[hit[0]]))
        return MoneyMates(np.array(numbers, np.int64), np.array(keys, np.int64), np.array(weights))

    def registered(self, n: int, account: int) -> bool:
        """Whether `account` was registered with `n` (one of its `cards`)."""
        return bool(np.isin(account, self.cards(n)[0]))
