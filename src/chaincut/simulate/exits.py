"""What a mule does when its move comes: pass the money on (split over next-level cards, maybe
through a pooled account, after a little spending) or, at the last level, take it out of the
system (ATM cash within daily limits, crypto OTC and cross-border transfers in batches).
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

from chaincut.simulate.catalog import BANKS
from chaincut.simulate.dens import EXIT_METHODS, Den
from chaincut.simulate.rows import channel_code

if TYPE_CHECKING:
    from chaincut.simulate.laundering import Engine

SUB = 1 << 40  # slots from here are sub-accounts of pooled accounts
MIN_MOVE = 100_00
TRACK, EXIT, SPENT = 0, 1, 2
DAY = 86_400
YUAN_100 = 100_00


def split(r: random.Random, total: int, k: int) -> list[int]:
    """k positive parts summing to total; all but the last rounded to 100 yuan when large."""
    if k <= 1 or total < k * 2 * YUAN_100:
        return [total]
    weights = [r.uniform(0.5, 1.5) for _ in range(k)]
    s = sum(weights)
    parts = [int(total * wt / s) // YUAN_100 * YUAN_100 for wt in weights[:-1]]
    parts.append(total - sum(parts))
    return parts if min(parts) > 0 else [total]


def split_forward(e: Engine, ts: int, slot: int, den: Den, avail: int) -> None:
    r, p, eco = e.r, e.p, e.w.economy
    layer = e.layer[slot]
    if r.random() < p.merchant_spend_probability:
        shop = int(eco.offline_merchants[r.randrange(len(eco.offline_merchants))])
        amount = min(avail // 8, int(r.lognormvariate(math.log(150_00), 0.8)))
        if amount >= 100:
            e.move(ts, slot, -1, shop, amount, "pos", SPENT)
    pay_bystander(e, ts, slot)
    dealers = den.member_accounts.get("card_dealer", [])
    if layer == 1 and dealers and r.random() < 0.05:
        e.move(ts, slot, -1, r.choice(dealers), r.randint(2, 20) * YUAN_100, "transfer", SPENT)
    avail = e.lots.available(slot, ts)
    keep = avail * 15 // 1000 if layer == -1 else avail * r.randint(0, 8) // 100
    total = avail - keep
    level = 1 if layer == -1 else layer + 1  # runners pass straight to level 2
    nxt = den.layers[level] if level < len(den.layers) else []
    if not nxt:
        exit_step(e, ts, slot, den)
        return
    k = min(len(nxt), r.randint(*p.split_factor))
    t = ts + 10
    for dest, part in zip(r.sample(nxt, k), split(r, total, k), strict=False):
        t += r.randint(20, 180)
        if layer == 0 and r.random() < p.pooled_share:
            pooled = r.choice(e.pooled)
            sub = e.new_sub(pooled, dest)
            e.push(t, "send", slot, sub, pooled, part, channel_code("payment"), TRACK)
        else:
            e.push(t, "send", slot, dest, dest, part, channel_code("transfer"), TRACK)


def pay_bystander(e: Engine, ts: int, slot: int) -> None:
    """Now and then (`bystander_share` of moves) a mule pays an ordinary person for goods, a
    service or a debt: an innocent bystander who receives victims' money (labelled `bystander`)."""
    r, p = e.r, e.p
    if p.bystander_share <= 0 or r.random() >= p.bystander_share:
        return
    eco = e.w.economy
    person = r.randrange(len(eco.card_first))
    wallet = int(eco.pay_first[person]) if eco.pay_n[person] > 0 else -1
    use_wallet = wallet >= 0 and r.random() < 0.5
    dest = wallet if use_wallet else int(eco.card_first[person])
    amount = min(e.lots.available(slot, ts) // 4, int(r.lognormvariate(math.log(800_00), 0.9)))
    if amount < 10_00:
        return
    if r.random() < 0.4:  # debts and services are often whole yuan
        amount = amount // 100 * 100
    channel = "payment" if use_wallet else "transfer"
    if e.move(ts + r.randint(30, 600), slot, -1, dest, amount, channel, SPENT) >= 0:
        e.bystanders.add(dest)


def _atm_for(e: Engine, slot: int) -> int:
    eco, w = e.w.economy, e.w
    inst = w.institutions.names[int(w.accounts.col["institution"][slot])]
    codes = [b.code for b in BANKS]
    bank = codes.index(inst) if inst in codes else e.r.randrange(len(codes))
    return int(eco.atms[bank, e.r.randrange(eco.atms.shape[1])])


def exit_step(e: Engine, ts: int, slot: int, den: Den) -> None:
    r, p = e.r, e.p
    method = den.exit_method.get(slot) or EXIT_METHODS[_weighted(r, p.exit_mix)]
    is_card = e.w.accounts.col["kind"][slot] == 0
    if method == "atm" and not is_card:
        method = "crypto_otc"
    pay_bystander(e, ts, slot)
    avail = e.lots.available(slot, ts)
    if method == "atm":
        atm, taken, t = _atm_for(e, slot), 0, ts
        daily, most = p.atm_daily_cny * 100, p.atm_max_cny * 100
        while avail - taken >= YUAN_100 and taken < daily:
            amount = min(most, avail - taken, daily - taken) // YUAN_100 * YUAN_100
            if amount < YUAN_100:
                break
            e.push(t, "send", slot, -1, atm, amount, channel_code("atm_withdrawal"), EXIT)
            taken += amount
            t += r.randint(40, 240)
        if avail - taken >= MIN_MOVE:
            _again(e, slot, ts + DAY + r.randint(-7200, 7200))
        else:
            e.waiting_since.pop(slot, None)
        return
    since = e.waiting_since.get(slot, ts)
    if avail < p.exit_batch_cny * 100 and ts - since < p.exit_wait_hours * 3600:
        _again(e, slot, ts + r.randint(4, 10) * 3600)
        return
    t = ts
    launderers = den.member_accounts.get("launderer", [])
    if launderers and r.random() < 0.3:
        fee = avail // 100
        e.push(t, "send", slot, -1, r.choice(launderers), fee, channel_code("transfer"), SPENT)
        avail -= fee
        t += r.randint(30, 300)
    amount = avail // YUAN_100 * YUAN_100
    if method == "crypto_otc":
        dest, channel = r.choice(den.exchanges), "crypto_otc"
    else:
        dest, channel = r.choice(den.foreign), "cross_border"
    for part in split(r, amount, 1 + amount // (200_000 * 100)):
        e.push(t, "send", slot, -1, dest, part, channel_code(channel), EXIT)
        t += r.randint(60, 600)
    e.waiting_since.pop(slot, None)


def _again(e: Engine, slot: int, ts: int) -> None:
    e.pending.add(slot)
    e.push(ts, "forward", slot)


def _weighted(r: random.Random, weights: tuple[float, ...]) -> int:
    x, acc = r.random(), 0.0
    for i, wt in enumerate(weights):
        acc += wt
        if x < acc:
            return i
    return len(weights) - 1
