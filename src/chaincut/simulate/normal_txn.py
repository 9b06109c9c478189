"""Normal economic life, vectorised per chunk: shopping, bills, transfers among friends, top-ups,
cash withdrawals, a little cross-border and crypto, and the salaries and opening balances.

Balances never go negative: every account that pays starts with an opening deposit (the day
before the window) at least as large as all it will pay, and each chunk drops a payment that
would exceed what is left of its account's spending budget.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from chaincut.simulate.catalog import BANKS
from chaincut.simulate.clock import Slice
from chaincut.simulate.rng import lognormal_cents, pick_weighted, round_cents, stream
from chaincut.simulate.rows import SETUP_UID, Txns, channel_code, chunk_uids
from chaincut.simulate.world import World

I64 = NDArray[np.int64]

KINDS = ("pos", "online", "friend", "bill", "topup", "atm", "cross_border", "crypto")
SHARES = np.array([0.34, 0.24, 0.15, 0.07, 0.10, 0.035, 0.003, 0.002])
PROBS = SHARES / SHARES.sum()
BILL_WEIGHTS = np.array([0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.07, 0.03])
BILL_CDF = np.cumsum(BILL_WEIGHTS) / BILL_WEIGHTS.sum()
MEAN_CNY = 260.0  # mean amount of the mixture above, for budgets
POOLED_RESERVE_CENTS = 50_000_000_00


def spending_budgets(world: World, n_normal: int) -> I64:
    """Per account: the most its ordinary spending may take over the window, in cents."""
    pop, eco = world.population, world.economy
    rng = stream(world.seed, "budgets")
    weight = pop.txn_tickets.weights / pop.txn_tickets.weights.sum()
    expected = weight * n_normal * MEAN_CNY * 100
    budget = np.zeros(world.accounts.size, dtype=np.int64)
    savings = rng.lognormal(np.log(3000), 1.0, pop.n) * 100
    primary = (expected * rng.uniform(3, 6, pop.n) + savings).astype(np.int64)
    budget[eco.card_first] = primary
    extra = eco.card_n > 1
    budget[eco.card_first[extra] + 1] = (expected[extra] * 1.5 + savings[extra]).astype(np.int64)
    has_pay = eco.pay_n > 0
    budget[eco.pay_first[has_pay]] = (
        expected[has_pay] * rng.uniform(2, 4, int(has_pay.sum()))
    ).astype(np.int64)
    two = eco.pay_n > 1
    budget[eco.pay_first[two] + 1] = (expected[two] * 0.8).astype(np.int64)
    budget = (budget // 100) * 100
    return budget


def opening_deposits(world: World, budget: I64, salaries: Txns) -> Txns:
    """Opening balances, as cash deposits on the day before the window (one per paying account)."""
    rng = stream(world.seed, "deposits")
    eco, acc = world.economy, world.accounts
    amount = budget.copy()
    for account, cents in world.extra_outflow.items():
        amount[account] += cents
    employer_pay = np.zeros(acc.size, dtype=np.int64)
    np.add.at(employer_pay, salaries.src, salaries.cents)
    amount += employer_pay + (employer_pay > 0) * 1_000_000_00
    amount[eco.pooled] += POOLED_RESERVE_CENTS
    # round up to whole yuan and a little more: balances are never exactly the spending
    amount = np.where(amount > 0, (amount // 10_000 + 1) * 10_000, 0)
    who = np.flatnonzero(amount > 0)
    inst_bank = _bank_of_institution(world)
    bank = inst_bank[acc.col["institution"][who]]
    bank = np.where(bank >= 0, bank, rng.integers(0, len(BANKS), len(who)))
    atm = eco.atms[bank, rng.integers(0, eco.atms.shape[1], len(who))]
    ts = world.start_ts - 86_400 + rng.integers(0, 20 * 3600, len(who))
    ts = np.maximum(ts, acc.col["opened"][who] + 60)
    return Txns(
        ts=ts.astype(np.int64),
        src=atm,
        dst=who.astype(np.int64),
        cents=amount[who],
        channel=np.full(len(who), channel_code("transfer"), np.uint8),
        uid=SETUP_UID + np.arange(len(who), dtype=np.uint64),
    ).sorted()


def salary_rows(world: World) -> Txns:
    """Monthly salaries on each employer's payday, mid-morning."""
    rng = stream(world.seed, "salaries")
    pop, eco = world.population, world.economy
    who = np.flatnonzero(pop.employer >= 0)
    emp = pop.employer[who]
    day = eco.payday[emp] - 1
    day = np.where(day < world.params.days, day, world.params.days - 1)
    ts = world.start_ts + day * 86_400 + 9 * 3600 + rng.integers(0, 3 * 3600, len(who))
    base = SETUP_UID + np.uint64(1 << 40)
    return Txns(
        ts=ts.astype(np.int64),
        src=eco.employer_acct[emp],
        dst=eco.card_first[who],
        cents=eco.salary[who],
        channel=np.full(len(who), channel_code("transfer"), np.uint8),
        uid=base + np.arange(len(who), dtype=np.uint64),
    ).sorted()


def _bank_of_institution(world: World) -> I64:
    names = world.institutions.names
    codes = [b.code for b in BANKS]
    return np.array([codes.index(n) if n in codes else -1 for n in names], dtype=np.int64)


def normal_txns(world: World, part: Slice, n: int, remaining: I64) -> Txns:
    """About n normal transactions inside the slice; `remaining` budgets are updated in place."""
    rng = stream(world.seed, "normal-txn", part.index)
    pop, eco = world.population, world.economy
    ts = world.txn_clock.sample(rng, n, part)
    person = pop.txn_tickets.draw(rng, n)
    kind = rng.choice(len(KINDS), size=n, p=PROBS).astype(np.int8)
    has_pay = eco.pay_n[person] > 0
    kind[(kind == 4) & ~has_pay] = 0  # a top-up needs a wallet
    src = np.empty(n, dtype=np.int64)
    dst = np.empty(n, dtype=np.int64)
    cents = np.empty(n, dtype=np.int64)
    channel = np.empty(n, dtype=np.uint8)
    via = np.zeros(n, dtype=bool)  # paid by card through an aggregator's pooled account
    bank_of = _bank_of_institution(world)
    institution = world.accounts.col["institution"]
    for k, name in enumerate(KINDS):
        idx = np.flatnonzero(kind == k)
        m = len(idx)
        if m == 0:
            continue
        who = person[idx]
        wallet = has_pay[idx]
        card = eco.card_first[who]
        other = rng.random(m) < 0.15
        card[other] += (rng.random(int(other.sum())) * eco.card_n[who[other]]).astype(np.int64)
        pay = eco.pay_first[who] + (rng.random(m) * eco.pay_n[who]).astype(np.int64)
        if name == "pos":
            s, d = card, eco.offline_merchants[pick_weighted(rng, eco.offline_cdf, m)]
            c, chan = lognormal_cents(rng, 45, 0.9, m), "pos"
            via[idx] = rng.random(m) < 0.2
        elif name == "online":
            s = np.where(wallet, pay, card)
            d = eco.online_merchants[pick_weighted(rng, eco.online_cdf, m)]
            c, chan = lognormal_cents(rng, 80, 1.0, m), "payment"
            via[idx] = ~wallet
        elif name == "friend":
            use_pay = wallet & (rng.random(m) < 0.6)
            friend = _friends(world, rng, who)
            s = np.where(use_pay, pay, card)
            d = np.where(
                use_pay & (eco.pay_n[friend] > 0), eco.pay_first[friend], eco.card_first[friend]
            )
            c = lognormal_cents(rng, 200, 1.0, m)
            c, chan = np.where(rng.random(m) < 0.6, round_cents(c, 10), c), "transfer"
        elif name == "bill":
            s = np.where(wallet, pay, card)
            d = eco.billers[pick_weighted(rng, BILL_CDF, m)]
            c, chan = lognormal_cents(rng, 150, 0.7, m), "payment"
        elif name == "topup":
            s, d = card, eco.pay_first[who]
            c, chan = round_cents(lognormal_cents(rng, 500, 0.8, m), 100), "transfer"
        elif name == "atm":
            bank = np.maximum(bank_of[institution[card]], 0)
            s, d = card, eco.atms[bank, rng.integers(0, eco.atms.shape[1], m)]
            c = np.minimum(round_cents(lognormal_cents(rng, 800, 0.7, m), 100), 2_000_000)
            chan = "atm_withdrawal"
        elif name == "cross_border":
            s, d = card, eco.foreign[rng.integers(0, len(eco.foreign), m)]
            c, chan = round_cents(lognormal_cents(rng, 8000, 0.8, m), 100), "cross_border"
        else:  # crypto
            s = np.where(wallet & (rng.random(m) < 0.3), pay, card)
            d = eco.exchanges[rng.integers(0, len(eco.exchanges), m)]
            c, chan = round_cents(lognormal_cents(rng, 3000, 1.0, m), 100), "crypto_otc"
        src[idx], dst[idx], cents[idx], channel[idx] = s, d, c, channel_code(chan)

    keep = _within_budget(ts, src, cents, remaining)
    ts, src, dst, cents, channel, via = (
        ts[keep],
        src[keep],
        dst[keep],
        cents[keep],
        channel[keep],
        via[keep],
    )
    aggregators = eco.pooled[-3:]
    nv = int(via.sum())
    pooled = aggregators[rng.integers(0, len(aggregators), nv)]
    relay_ts = np.minimum(ts[via] + rng.integers(1, 90, nv), part.hi_ts - 1)
    relay_dst = dst[via]
    dst[via] = pooled
    channel[via] = channel_code("payment")
    total = len(ts) + nv
    return Txns(
        ts=np.concatenate([ts, relay_ts]),
        src=np.concatenate([src, pooled]),
        dst=np.concatenate([dst, relay_dst]),
        cents=np.concatenate([cents, cents[via]]),
        channel=np.concatenate([channel, np.full(nv, channel_code("payment"), np.uint8)]),
        uid=chunk_uids(part.index, total),
    )


def _friends(world: World, rng: np.random.Generator, who: I64) -> I64:
    pop = world.population
    deg = pop.contact_ptr[who + 1] - pop.contact_ptr[who]
    slot = np.minimum(
        pop.contact_ptr[who] + (rng.random(len(who)) * deg).astype(np.int64), len(pop.contacts) - 1
    )
    out: I64 = np.where(deg > 0, pop.contacts[slot], rng.integers(0, pop.n, len(who))).astype(
        np.int64
    )
    return out


def _within_budget(ts: I64, src: I64, cents: I64, remaining: I64) -> NDArray[np.bool_]:
    """Keep each account's payments, in time order, while their running sum fits its budget.

    Most accounts stay well within budget; only rows of accounts that would not are sorted.
    """
    total = np.bincount(src, weights=cents, minlength=len(remaining))  # exact below 2**53
    over = total > remaining
    keep = np.ones(len(src), dtype=bool)
    if over.any():
        rows = np.flatnonzero(over[src])
        order = rows[np.lexsort((ts[rows], src[rows]))]
        s, c = src[order], cents[order]
        first = np.r_[True, s[1:] != s[:-1]]
        running = np.cumsum(c)
        group = np.cumsum(first) - 1
        running -= (running - c)[first][group]
        keep[order] = running <= remaining[s]
        total = np.bincount(src[keep], weights=cents[keep], minlength=len(remaining))
    remaining -= total.astype(np.int64)
    return keep
