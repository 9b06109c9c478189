"""Honest accounts that move money like mules (hard negatives, labelled as normal kinds).

| label | who | how their money moves |
|---|---|---|
| `payroll_agent` | a person or agency paying an employer's staff (`payroll_agent_share` of employers) | on payday a lump sum in from the employer, then many salaries out within hours: pass-through and fan-out |
| `trader` | a small trader taking payments on a personal card (`trader_share` of people) | many small inflows from strangers every day, and most of the day's takings out to a supplier in the evening |
| `bystander` | an ordinary person a mule paid for goods, a service or a debt (`bystander_share`) | one payment of victims' money in: innocent |

All are off by default; each draws from its own random stream, so the rest of a world stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chaincut.simulate.clock import Slice
from chaincut.simulate.registry import ACCOUNT_LABELS, Registry, code
from chaincut.simulate.rng import stream
from chaincut.simulate.rows import SETUP_UID, Txns, channel_code
from chaincut.simulate.world import World

I64 = NDArray[np.int64]
HOUR = 3600
SALES_PER_DAY = 12.0  # a trader's sales from strangers a day
SUPPLIER_SHARE = (0.5, 0.9)  # of the day's takings paid to a supplier in the evening
AGENT_UID = SETUP_UID + np.uint64(2 << 40)


@dataclass
class Lookalikes:
    """The look-alike accounts of a world: employer -> its agent's account; the traders."""

    agent_of: dict[int, int] = field(default_factory=dict)
    traders: I64 = field(default_factory=lambda: np.zeros(0, np.int64))


def label_accounts(accounts: Registry, which: I64 | list[int], label: str) -> None:
    """Label accounts still labelled `normal` (a victim's or a mule's label wins)."""
    idx = np.asarray(sorted(set(int(a) for a in which)), np.int64)
    if not len(idx):
        return
    normal = accounts.col["label"][idx] == code(ACCOUNT_LABELS, "normal")
    accounts.set("label", idx[normal], code(ACCOUNT_LABELS, label))


def plan_lookalikes(world: World) -> Lookalikes:
    """Choose payroll agents and traders among ordinary people, and label their accounts."""
    p, eco, acc = world.params, world.economy, world.accounts
    out = Lookalikes()
    normal = acc.col["label"] == code(ACCOUNT_LABELS, "normal")
    if p.payroll_agent_share > 0:
        rng = stream(world.seed, "payroll-agents")
        employers = np.flatnonzero(rng.random(len(eco.employer_acct)) < p.payroll_agent_share)
        people = rng.permutation(len(eco.card_first))
        free = [int(eco.card_first[x]) for x in people if normal[eco.card_first[x]]]
        out.agent_of = {int(e): free[k] for k, e in enumerate(employers[: len(free)])}
        label_accounts(acc, list(out.agent_of.values()), "payroll_agent")
    if p.trader_share > 0:
        rng = stream(world.seed, "traders")
        n = max(1, round(len(eco.card_first) * p.trader_share))
        cards = eco.card_first[rng.choice(len(eco.card_first), size=n, replace=False)]
        cards = cards[normal[cards] & ~np.isin(cards, list(out.agent_of.values()))]
        out.traders = np.sort(cards).astype(np.int64)
        label_accounts(acc, out.traders, "trader")
    return out


def via_agents(world: World, looks: Lookalikes, salaries: Txns) -> Txns:
    """Salaries of employers that pay through an agent: the employer pays the agent the total
    an hour or a few before payday's transfers, and the agent pays each salary."""
    if not looks.agent_of or not len(salaries):
        return salaries
    rng = stream(world.seed, "payroll-lumps")
    src = salaries.src.copy()
    lumps: list[tuple[int, int, int, int]] = []
    for employer, agent in looks.agent_of.items():
        account = int(world.economy.employer_acct[employer])
        mine = np.flatnonzero(salaries.src == account)
        if not len(mine):
            continue
        first = int(salaries.ts[mine].min())
        ts = max(world.start_ts, first - int(rng.integers(1 * HOUR, 4 * HOUR)))
        lumps.append((ts, account, agent, int(salaries.cents[mine].sum())))
        src[mine] = agent
    n = len(lumps)
    paid = Txns(salaries.ts, src, salaries.dst, salaries.cents, salaries.channel, salaries.uid)
    lump = Txns(
        ts=np.array([x[0] for x in lumps], np.int64),
        src=np.array([x[1] for x in lumps], np.int64),
        dst=np.array([x[2] for x in lumps], np.int64),
        cents=np.array([x[3] for x in lumps], np.int64),
        channel=np.full(n, channel_code("transfer"), np.uint8),
        uid=AGENT_UID + np.arange(n, dtype=np.uint64),
    )
    return Txns.concat([lump, paid]).sorted()


def trader_sales(world: World, looks: Lookalikes, part: Slice, rows: Txns, next_uid: int) -> Txns:
    """Turn some of the slice's shop payments into sales of small traders (same payer, same
    amount, paid to the trader's card), and add each trader's evening payment to a supplier.
    New rows take uids from `next_uid` (the chunk's namespace)."""
    traders = looks.traders
    if not len(traders) or not len(rows):
        return rows
    rng = stream(world.seed, "trader-sales", part.index)
    eco = world.economy
    days = max((part.hi_ts - part.lo_ts) / 86_400, 1 / 24)
    shop = np.flatnonzero(
        (rows.channel == channel_code("pos")) & np.isin(rows.dst, eco.offline_merchants)
    )
    want = min(len(shop), int(rng.poisson(len(traders) * SALES_PER_DAY * days)))
    sale = np.sort(rng.choice(shop, size=want, replace=False))
    dst, channel = rows.dst.copy(), rows.channel.copy()
    dst[sale] = traders[rng.integers(0, len(traders), want)]
    channel[sale] = channel_code("transfer")
    # the day's takings (local day), paid on to a supplier an hour or two after the last sale
    local_day = (rows.ts[sale] + 8 * HOUR) // 86_400
    key = dst[sale] * 100_000 + local_day
    order = np.lexsort((rows.ts[sale], key))
    k, ts, cents = key[order], rows.ts[sale][order], rows.cents[sale][order]
    last = np.r_[k[1:] != k[:-1], True] if len(k) else np.zeros(0, bool)
    group = np.cumsum(np.r_[True, k[1:] != k[:-1]]) - 1 if len(k) else np.zeros(0, np.int64)
    total = np.bincount(group, weights=cents).astype(np.int64) if len(k) else np.zeros(0, np.int64)
    share = rng.uniform(*SUPPLIER_SHARE, len(total))
    pay = (total * share).astype(np.int64) // 100 * 100
    pay_ts = ts[last] + rng.integers(HOUR, 2 * HOUR, len(total))
    ok = (pay >= 100_00) & (pay_ts < part.hi_ts)
    m = int(ok.sum())
    supplier = eco.online_merchants[rng.integers(0, len(eco.online_merchants), m)]
    out = Txns(rows.ts, rows.src, dst, rows.cents, channel, rows.uid)
    extra = Txns(
        ts=pay_ts[ok].astype(np.int64),
        src=(k[last][ok] // 100_000).astype(np.int64),
        dst=supplier.astype(np.int64),
        cents=pay[ok],
        channel=np.full(m, channel_code("transfer"), np.uint8),
        uid=_uids(part.index, next_uid, m),
    )
    return Txns.concat([out, extra])


def _uids(chunk: int, first: int, n: int) -> NDArray[np.uint64]:
    base = (np.uint64(chunk + 1) << np.uint64(32)) + np.uint64(first)
    out: NDArray[np.uint64] = base + np.arange(n, dtype=np.uint64)
    return out
