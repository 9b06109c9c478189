"""The money side of fraud as a discrete-event simulation, in time order.

Victims pay level-1 cards or runners' accounts; mules forward after a delay (sometimes holding
the money for days), split over several next-level cards, sometimes through a payment platform's
pooled account; they spend a little at merchants; the last level exits through crypto OTC desks,
ATM cash (daily limits) and cross-border transfers, in batches. Every movement takes lots from
the `LotBook`, so the ground truth is exact to the cent, and nothing leaves before it arrived.
"""

from __future__ import annotations

import heapq
import random

import numpy as np

from chaincut.model.schema import CHANNELS
from chaincut.simulate.dens import Den
from chaincut.simulate.exits import EXIT, MIN_MOVE, SPENT, SUB, TRACK, exit_step, split_forward
from chaincut.simulate.lots import CLEAN, LotBook, Outflow, Provenance
from chaincut.simulate.params import SimParams
from chaincut.simulate.rows import FRAUD_UID, RowList, Txns, channel_code
from chaincut.simulate.victims import Victim
from chaincut.simulate.world import World


class Engine:
    def __init__(
        self, world: World, dens: list[Den], victims: list[Victim], params: SimParams
    ) -> None:
        self.w, self.dens, self.victims, self.p = world, dens, victims, params
        self.r = random.Random(f"{world.seed}:laundering")
        self.rows = RowList(5)  # ts, src, dst, cents, channel
        self.lots = LotBook(params.lot_policy, random.Random(f"{world.seed}:lots"))
        self.prov = Provenance(len(victims))
        self.heap: list[tuple[int, int, int, str, tuple[int, ...]]] = []
        self.seq = 0
        self.pending: set[int] = set()
        self.waiting_since: dict[int, int] = {}
        self.sub_account: dict[int, int] = {}
        self.sub_target: dict[int, int] = {}
        self.den_of: dict[int, Den] = {}
        self.layer: dict[int, int] = {}  # slot -> mule level (0-based), -1 runner
        self.pooled = [int(a) for a in world.economy.pooled]
        self.bystanders: set[int] = set()  # ordinary accounts a mule paid (innocent)
        for den in dens:
            for k, accounts in enumerate(den.layers):
                for a in accounts:
                    self.den_of[a], self.layer[a] = den, k
            for a in den.runners:
                self.den_of[a], self.layer[a] = den, -1

    # -- plumbing ---------------------------------------------------------------------------
    def push(self, ts: int, kind: str, *args: int, prio: int = 0) -> None:
        if ts < self.w.end_ts:
            self.seq += 1
            heapq.heappush(self.heap, (ts, prio, self.seq, kind, args))

    def account(self, slot: int) -> int:
        return self.sub_account[slot] if slot >= SUB else slot

    def txn(self, ts: int, src: int, dst: int, cents: int, channel: str) -> int:
        return FRAUD_UID + self.rows.append(ts, src, dst, cents, channel_code(channel))

    def move(
        self,
        ts: int,
        src: int,
        dst_slot: int,
        dst_acct: int,
        cents: int,
        channel: str,
        outcome: int,
    ) -> int:
        """Transfer from a tracked slot, by lots; returns the transaction uid (-1: nothing)."""
        cents = min(cents, self.lots.available(src, ts))
        if cents < 100:
            return -1
        uid = self.txn(ts, self.account(src), dst_acct, cents, channel)
        for origin, part in self.lots.take(src, cents, ts):
            if origin != CLEAN:
                self.prov.leave(origin, self.account(src), part)
                if outcome == TRACK:
                    self.prov.arrive(origin, dst_acct, part)
                else:
                    rec = Outflow(origin, uid, self.account(src), channel_code(channel), part)
                    self.prov.out(outcome == EXIT, rec)
            if outcome == TRACK:
                self.lots.add(dst_slot, origin, part, ts)
        if outcome == TRACK:
            self.schedule(dst_slot, ts)
        return uid

    def schedule(self, slot: int, ts: int) -> None:
        """Plan the slot's next move after money arrived (one pending move per slot)."""
        if slot in self.pending:
            return
        self.pending.add(slot)
        self.waiting_since.setdefault(slot, ts)
        if slot >= SUB:
            delay = self.r.uniform(60, 900)
        elif self.layer[slot] == -1:
            delay = self.r.uniform(60, 600)
        else:
            k = min(self.layer[slot], len(self.p.forward_delay_min) - 1)
            delay = self.r.lognormvariate(np.log(self.p.forward_delay_min[k] * 60), 0.7)
            if self.r.random() < self.p.hold_probability:
                delay += self.r.uniform(*self.p.hold_hours) * 3600
        self.push(ts + max(60, int(delay)), "forward", slot)

    # -- the run ----------------------------------------------------------------------------
    def run(self) -> Txns:
        self.fund_cards()
        for v in self.victims:
            for k, ts in enumerate(v.pay_ts):
                self.push(ts, "pay", v.index, k)
            if v.reported:
                self.push(v.report_ts, "report", v.index, prio=1)
        while self.heap:
            ts, _, _, kind, args = heapq.heappop(self.heap)
            if kind == "pay":
                self.pay(ts, *args)
            elif kind == "forward":
                self.pending.discard(args[0])
                self.forward(ts, args[0])
            elif kind == "send":
                self.move(ts, args[0], args[1], args[2], args[3], CHANNELS[args[4]], args[5])
            elif kind == "report":
                self.prov.close(args[0])
            elif kind == "clean":
                self.clean(ts, *args)
        r = self.rows
        return Txns(
            ts=r.array(0), src=r.array(1), dst=r.array(2), cents=r.array(3),
            channel=r.array(4, np.uint8),
            uid=FRAUD_UID + np.arange(len(r), dtype=np.uint64),
        )  # fmt: skip

    def fund_cards(self) -> None:
        """Each mule puts a little of their own money on the card first (and now and then more)."""
        eco = self.w.economy
        for den in self.dens:
            for slot, ready in den.active_from.items():
                owner = den.owner[slot]
                funder = int(eco.card_first[owner])
                opened = int(self.w.accounts.col["opened"][slot])
                ts = max(
                    opened + 600, self.w.start_ts + 600, ready - self.r.randint(3600, 10 * 3600)
                )
                self.push(ts, "clean", slot, funder, self.r.randint(10, 800) * 100)
                if self.r.random() < 0.3:
                    later = ts + self.r.randint(1, self.p.days - 2) * 86_400
                    self.push(later, "clean", slot, funder, self.r.randint(50, 3000) * 100)

    def clean(self, ts: int, slot: int, funder: int, cents: int) -> None:
        self.txn(ts, funder, slot, cents, "transfer")
        self.w.add_outflow(funder, cents)
        self.lots.add(slot, CLEAN, cents, ts)

    def pay(self, ts: int, victim: int, k: int) -> None:
        v = self.victims[victim]
        den = self.dens[v.den]
        entry = den.entry_at(self.r, ts, self.p.runner_entry_share)
        cents = v.pay_cents[k]
        share = self.p.victim_platform_share
        if share > 0 and self.r.random() < share:
            # paid through a payment platform: its pooled account passes it on to the mule
            pooled = self.r.choice(self.pooled)
            sub = self.new_sub(pooled, entry)
            v.txn_uids.append(self.txn(ts, v.account, pooled, cents, "payment"))
            v.entries.append(pooled)
            self.lots.add(sub, victim, cents, ts)
            self.prov.arrive(victim, pooled, cents)
            self.schedule(sub, ts)
        else:
            v.txn_uids.append(self.txn(ts, v.account, entry, cents, "transfer"))
            v.entries.append(entry)
            self.lots.add(entry, victim, cents, ts)
            self.prov.arrive(victim, entry, cents)
            self.schedule(entry, ts)
        if k == 0 and v.fraud_type == "order_brushing" and self.r.random() < 0.6:
            rebate = max(100, cents * self.r.randint(5, 12) // 100)
            self.push(
                ts + self.r.randint(300, 1200),
                "send",
                entry,
                -1,
                v.account,
                rebate,
                channel_code("transfer"),
                SPENT,
            )

    def new_sub(self, pooled: int, target: int) -> int:
        """A sub-account of a pooled account, earmarked for one onward payment."""
        sub = SUB + len(self.sub_account)
        self.sub_account[sub], self.sub_target[sub] = pooled, target
        return sub

    def forward(self, ts: int, slot: int) -> None:
        if slot >= SUB:
            self.move(
                ts, slot, self.sub_target[slot], self.sub_target[slot], 10**15, "transfer", TRACK
            )
            return
        avail = self.lots.available(slot, ts)
        if avail < MIN_MOVE:
            return
        den, layer = self.den_of[slot], self.layer[slot]
        last = layer == len(den.layers) - 1
        early = layer >= 1 and self.r.random() < self.p.early_exit_share
        if last or early:
            exit_step(self, ts, slot, den)
        else:
            split_forward(self, ts, slot, den, avail)
            self.waiting_since.pop(slot, None)
