"""Does an account that received victims' money belong to the chain, or was it merely paid?

A mule pays ordinary people and shops for goods, services and debts, and the money that may be
the victim's follows those payments. Stopping every such account freezes bystanders' cards for
48 hours or more, so an account the trace reached gets an emergency stop only when the evidence
says it belongs to the chain; otherwise a `verify` order that holds nothing asks the bank to
check it, with the same evidence, for the analyst to escalate.

The evidence is weighted, never a veto: each indicator adds or takes points (a log-odds scale:
0 is undecided) and the account is stopped when the sum reaches `TraceParams.stop_score`.
Every indicator the account shows is written out as a reason an analyst can check against the
ledger. The indicators and their weights:

* the hop (the victim's direct beneficiary is the chain's first card; far hops are where mules
  pay bystanders) and what the rule traces to it (a stop where the rule traces nothing rests on
  "may hold" alone);
* what it did after the money arrived: paid most of it on within `pass_hours` beyond its usual
  pace (pass-through; card purchases at a point of sale are spending, not passing on), to how
  many accounts, how fast; cash, crypto or cross-border exits; or kept it (a payee's sign only
  where a small part of the loss reached it); or paid out many times the victims' sliver of
  its income from money that stays days in it (its own money, not the victims' passed on);
* what it looked like before: transactions and money received in the `established_days`
  before (a card with no history is a new or dormant card, typical of rented ones), how long
  money stayed (days in an ordinary account, hours in a mule's), the account's age;
* the share of its inflow (before and since) that may be the victims', and whether the
  victims' money in days of its usual income: a few days' worth looks like a sale or a debt
  repaid, a month's or more at once like a rented card paid by the chain;
* how soon after the victim paid the money reached it (the chain moves money within hours);
* how its behaviour changed when the victims' money came, from its own rows as of the report:
  no transaction in the weeks before (a dormant card woken up), a sum twice the largest it
  received in the window, or, against, a lump of a size it has been paid before;
* odd amounts (prices: goods or a service);
* an emergency stop already issued on it for another victim's earlier report, more for each
  further one, where the ledger offers them (`earlier_stops`, optional:
  `chaincut.trace.earlier`);
* the mule model's score of the account's whole behaviour where the ledger offers one
  (`mule_score(account_id)`, optional: `trace --all` gives the shipped model's,
  `chaincut.trace.bystander_model`), as bounded log-odds; scored as of the report, its word
  against the account only where the account has a full history to judge (`history_weight`,
  `SHORT_HISTORY_SHARE`: a young or barely used card looks ordinary to any model that day);
* its ties to the chain: money it got in the window before from accounts already stopped, the
  victims' money it paid on to accounts stopped in this trace, and a real part of a split its
  payer paid within minutes beside accounts stopped in this trace (`chaincut.trace.chain`; like
  the relay below, set aside once it kept the money);
* how the victims' money was handed to it: how long its payer had held it (from the victim's
  payment where a payment platform's pooled account passed it on), as the chain relays money
  within minutes (`chaincut.trace.relay`, fitted weights; set aside once it kept the money).

Everything comes from what the trace already read (the account's events after it was loaded)
and one point look-up of the index per account (`Ledger.activity`), never a scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from chaincut.trace.bystander_model import points as model_points
from chaincut.trace.chain import Ties, tie_points
from chaincut.trace.model import MICROS_PER_DAY, AccountInfo, Activity, Micros, TraceParams
from chaincut.trace.money import fmt_yuan
from chaincut.trace.reasons import Reason, said, signed
from chaincut.trace.relay import Relay, relay_points

HOUR = 3_600_000_000
#: exits below this (cents) count only when they are half the victims' money or more
ROUND_FLOOR = 50_000
#: the victims' money is small (a sale) or a lump beside this many days of the account's income
SMALL_DAYS, LUMP_DAYS = 9.0, 30.0
#: from this share of a victim's loss on, keeping the money is no sign of a payee
KEPT_REACH = 0.1
#: channels of spending (card purchases), never counted as money passed on
SPENDING = ("pos",)
#: transactions in the window from which a short dwell makes its other income not ordinary
ORDINARY_TXNS = 5
#: an emergency stop on the account for another victim's earlier report, and for each further
#: one (up to `STOPPED_MORE_MOST` of them) these points more
STOPPED_BEFORE, STOPPED_MORE, STOPPED_MORE_MOST = 3.0, 1.0, 2
#: a payment of this many days of its income that left within a day, before: these points
PASSED_DAYS, PASSED_BEFORE = (5.0, 10.0), (1.0, 2.0)
#: no transaction in this many days before the victims' money (cents: at least this much)
DORMANT_DAYS, DORMANT_FLOOR, DORMANT_POINTS = 14.0, 10_000, 1.5
#: the victims' money this many times the largest payment it received in the window before
ABOVE_TIMES, ABOVE_POINTS = 2.0, 1.5
#: paid out this many times the victims' money soon after, where the victims' money is under
#: this share of what it received and money stays this many days in it: its own money
OWN_TIMES, OWN_SHARE, OWN_DWELL, OWN_POINTS = 5.0, 0.05, 3.0, -1.0
#: the mule model's word against an account counts in full only from this many transactions in
#: the `established_days` before the money came, and this account age (days): any model finds a
#: short history ordinary (docs/tracing.md "Round ten")
MODEL_TXNS, MODEL_AGE = 10, 30.0
#: how much of the word against a short history (`history_weight` below 1) counts, times that
#: weight, where the score is of the lake as of the report: round ten 1 (in proportion); round
#: eleven 0 (set aside), chosen on report-cut training worlds, where near the stop line 67 of
#: the 94 accounts with a short history that the cut scores spoke against were mules and 5 of
#: the 33 with a full one (docs/tracing.md "Round eleven: stops at the report")
SHORT_HISTORY_SHARE = 0.0
#: the share of the victims' money paid on (beyond its usual pace) by the report under which an
#: account watched `pass_hours` kept it, and how it was handed over no longer counts
PASS_SHARE = 0.3


@dataclass(slots=True)
class Tally:
    """What a loaded account received (`inflow`, cents, the loading transfer included) and paid
    (`outs`: ts, cents, counterparty, channel, in time order) from the moment it was loaded."""

    inflow: int = 0
    outs: list[tuple[Micros, int, str, str | None]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Facts:
    """The indicators of one account, as measured (amounts in cents, times in the ledger's)."""

    account_id: str
    hop: int
    traced: int  # what the rule attributes to it (at or above the minimum, else 0)
    tainted_in: int  # money that may be the victims' that reached it
    tainted_amounts: tuple[int, ...]  # the transfers that brought it, largest first
    reach: float  # the largest share of a report's loss it may hold (its claim / the loss)
    inflow_after: int  # all money it received from the first of them to the horizon
    outs: tuple[tuple[Micros, int, str, str | None], ...]  # what it paid from then on
    arrival: Micros
    until: Micros
    age_days: float | None
    prior: Activity  # the `established_days` before the money arrived
    exit_channels: tuple[str, ...]
    mule_score: float | None = None
    lag: Micros | None = None  # from the victim's first transfer to the money reaching it
    stopped_for: tuple[str, ...] = ()  # earlier reports whose trace stopped it
    ties: Ties = Ties()  # money from and to stopped accounts (`chaincut.trace.chain`)
    relay: Relay | None = None  # how its payer handed it the money (`chaincut.trace.relay`)


@dataclass(frozen=True, slots=True)
class Judgement:
    """The weighted evidence (`score`), whether it is enough for a stop, and the reasons (in
    English, and as codes with their values and sign: `chaincut.trace.reasons`)."""

    score: float
    stop: bool
    reasons: tuple[str, ...]
    codes: tuple[dict[str, Any], ...] = ()


def facts_of(
    info: AccountInfo,
    hop: int,
    traced: int,
    tainted: list[int],
    transfers: list[int],
    reach: float,
    tally: Tally,
    arrival: Micros,
    until: Micros,
    prior: Activity,
    params: TraceParams,
    mule_score: float | None = None,
    lag: Micros | None = None,
    stopped_for: tuple[str, ...] = (),
    relay: Relay | None = None,
) -> Facts:
    """Gather the indicators of an account from what the trace read (see the module doc)."""
    age = (arrival - info.since) / MICROS_PER_DAY if info.since is not None else None
    return Facts(
        account_id=info.account_id,
        hop=hop,
        traced=traced,
        tainted_in=sum(tainted),
        tainted_amounts=tuple(sorted(transfers, reverse=True)),
        reach=reach,
        inflow_after=max(tally.inflow, sum(tainted)),
        outs=tuple(tally.outs),
        arrival=arrival,
        until=until,
        age_days=age,
        prior=prior,
        exit_channels=tuple(params.exit_channels),
        mule_score=mule_score,
        lag=lag,
        stopped_for=stopped_for,
        relay=relay,
    )


def _days(d: float) -> Reason:
    if d >= 730:
        return said("years", n=f"{d / 365:.0f}")
    if d >= 60:
        return said("months", n=f"{d / 30.4:.0f}")
    return said("days", n=f"{d:.0f}")


def _span(minutes: float) -> Reason:
    if minutes < 90:
        return said("minutes", n=f"{max(minutes, 1):.0f}")
    if minutes < 48 * 60:
        return said("hours", n=f"{minutes / 60:.1f}")
    return said("days", n=f"{minutes / 1440:.1f}")


#: a payment out: ts, cents, counterparty, channel
Out = tuple[Micros, int, str, str | None]


def judge(f: Facts, params: TraceParams) -> Judgement:
    """Weigh the indicators of `f` (module doc); a stop when the score reaches
    `params.stop_score`. Promises: deterministic, and every indicator that moved the score by
    half a point or more is among the reasons, with its sign."""
    points: list[tuple[float, Reason]] = []
    _position(f, points)
    _speed(f, points)
    share_on = _after_arrival(f, params, points)
    dwell = _before(f, params.established_days, points)
    _origin(f, share_on, dwell, params.established_days, points)
    _own_money(f, params, share_on, points)
    _amounts(f, points)
    if f.stopped_for:
        # the chain uses a rented card again and again; a stop on it for another victim's
        # report is evidence the analyst can check (that report and its order)
        listed = ", ".join(f.stopped_for[-3:]) + (" …" if len(f.stopped_for) > 3 else "")
        # a card stopped for several victims' reports is the chain's working card: a bystander
        # stopped by mistake once is not paid by the chain again and again
        more = STOPPED_MORE * min(len(f.stopped_for) - 1, STOPPED_MORE_MOST)
        points.append((STOPPED_BEFORE + more, said("stopped_before", n=str(len(f.stopped_for)),
            reports=listed)))  # fmt: skip
    # paid as a part of a split counts only while how it was handed the money does (a payee
    # that kept what it was paid is judged on that: round fifteen)
    ties = f.ties if relay_counts(f, params) else replace(f.ties, split=None)
    points.extend(tie_points(ties, f.tainted_in, params.established_days))
    if f.relay is not None and relay_counts(f, params):
        points.extend(relay_points(f.relay, _span(f.relay.wait / 60_000_000)))
    if f.mule_score is not None:
        _model(f, params, points)
    score = round(sum(w for w, _ in points), 2)
    ordered = sorted(points, key=lambda p: -abs(p[0]))
    reasons = tuple(f"{'+' if w > 0 else '-'} {why.text}" for w, why in ordered if w)
    codes = tuple(signed(w, why) for w, why in ordered if w)
    return Judgement(score, score >= params.stop_score, reasons, codes)


def relay_counts(f: Facts, params: TraceParams) -> bool:
    """Whether how the victims' money was handed to `f`'s account (`chaincut.trace.relay`)
    still counts: not once it was watched `pass_hours` and by the report had paid on less than
    `PASS_SHARE` of that money beyond its usual pace. What it did with the money then speaks
    for it (a payee keeps what it was paid; a relay that waited a day still passed it on)."""
    watched = f.until - f.arrival
    if watched < params.pass_hours * HOUR:
        return True
    paid = sum(o[1] for o in f.outs if o[3] not in SPENDING)
    window = params.established_days
    usual = f.prior.inflow_cents * watched / (window * MICROS_PER_DAY) if window else 0.0
    return paid - usual >= PASS_SHARE * max(f.tainted_in, 1)


def history_weight(f: Facts) -> float:
    """How much of the mule model's word against `f`'s account counts, in [0, 1]: its
    transactions in the window before the money came over `MODEL_TXNS`, times its age over
    `MODEL_AGE` days where the age is known, each at most 1."""
    seen = min(1.0, f.prior.txns / MODEL_TXNS) if MODEL_TXNS else 1.0
    if f.age_days is not None and MODEL_AGE:
        seen *= min(1.0, max(0.0, f.age_days) / MODEL_AGE)
    return seen


def _model(f: Facts, params: TraceParams, points: list[tuple[float, Reason]]) -> None:
    """The mule model's score of the account's behaviour (`chaincut.trace.bystander_model`):
    rented cards are scored on how they moved money for months, which one report's rows hide.
    Its word for the account counts as it is; its word against only as far as the account has
    a history to judge (`history_weight`) where the score is of the lake as of the report
    (`params.mule_history`): a card opened days ago, or one that had barely been used before
    the chain's money came, looks ordinary to any model of that day (round eleven: set aside,
    `SHORT_HISTORY_SHARE`). A whole-lake score has seen the account's later months, so its word
    counts in full."""
    score = f.mule_score if f.mule_score is not None else 0.5
    w, shown = model_points(score), f"{score:.2f}"
    if w > 0:
        points.append((w, said("model_mule", score=shown)))
        return
    seen = history_weight(f) if params.mule_history else 1.0
    window = params.established_days
    if seen >= 1.0:
        points.append((w, said("model_ordinary", score=shown)))
        return
    # a mule the chain has just begun to use looks ordinary as of the report, whatever its
    # score later: the word against a short history counts `SHORT_HISTORY_SHARE` of its weight
    share = seen * SHORT_HISTORY_SHARE
    if share > 0.0:
        points.append((w * share, said("model_short", score=shown, txns=str(f.prior.txns),
            window=f"{window:g}", share=f"{share:.0%}")))  # fmt: skip


def _position(f: Facts, points: list[tuple[float, Reason]]) -> None:
    """Where it sits in the chain and what the rule traces to it."""
    hop_w = {1: 4.0, 2: 1.5, 3: 0.5, 4: 0.0}.get(f.hop, -1.0)
    if f.hop == 1:
        points.append((hop_w, said("hop_direct")))
    elif hop_w:
        points.append((hop_w, said("hop_far", hop=str(f.hop))))
    if f.traced:
        # weak: a mule's payee holds traced money as much as the next mule does
        points.append((0.5, said("traced", amount=fmt_yuan(f.traced))))
    else:
        points.append((-1.5, said("traced_none")))


def _speed(f: Facts, points: list[tuple[float, Reason]]) -> None:
    """How soon after the victim paid the money reached it: the chain moves a victim's money on
    within hours (PRODUCT.md); a mule pays for goods and debts when it spends, days later."""
    if f.lag is None or f.hop < 2:
        return
    hours = f.lag / HOUR
    span = _span(60 * hours)
    if hours <= 3:
        points.append((1.0, said("reached_fast", span=span)))
    elif hours <= 12:
        points.append((0.5, said("reached", span=span)))
    elif hours >= 72:
        points.append((-0.5, said("reached_slow", span=span)))


def _after_arrival(f: Facts, params: TraceParams, points: list[tuple[float, Reason]]) -> float:
    """What it did after the money arrived; returns the share of it passed on."""
    window = params.established_days
    end = f.arrival + int(params.pass_hours * HOUR)
    # purchases at a point of sale are spending, not money passed on to another account
    soon = [o for o in f.outs if o[0] <= end and o[3] not in SPENDING]
    paid = sum(o[1] for o in soon)
    usual = f.prior.inflow_cents * params.pass_hours / (24 * window) if window else 0.0
    excess = max(0.0, paid - usual)
    base = max(f.tainted_in, 1)
    # forwarding means something only for money beyond a couple of its usual days: a person
    # who spends ¥80 more than usual in a day has not passed ¥80 of a victim's money on
    share_on = min(1.0, excess / base) if f.tainted_in >= 2 * usual else 0.0
    observed_h = (f.until - f.arrival) / HOUR
    if share_on >= 0.3:
        _forwarded(f, params, soon, share_on, points)
    elif observed_h >= params.pass_hours and f.reach < KEPT_REACH:
        # a payee keeps what it was paid; a card holding a large part of a victim's loss is
        # where the stop finds the money, not a sign that it is ordinary
        points.append((-1.0, said("kept", span=_span(60 * observed_h))))
    exits = sum(o[1] for o in soon if o[3] in f.exit_channels)
    if exits >= min(base // 2, ROUND_FLOOR):
        points.append((2.0, said("exits", amount=fmt_yuan(exits))))
    return share_on


def _forwarded(
    f: Facts,
    params: TraceParams,
    soon: list[Out],
    share_on: float,
    points: list[tuple[float, Reason]],
) -> None:
    """How much it passed on, how fast and to how many accounts."""
    paid = sum(o[1] for o in soon)
    base = max(f.tainted_in, 1)
    cum, when = 0, None
    for ts, cents, _, _ in soon:
        cum += cents
        if cum >= min(paid, 0.8 * base):
            when = (ts - f.arrival) / 60_000_000
            break
    to = len({o[2] for o in soon})
    passes = share_on >= 0.7
    code = ("passed_through" if passes else "forwarded") + ("_one" if to == 1 else "")
    span = _span(when if when is not None else params.pass_hours * 60)
    text = said(code, share=f"{share_on:.0%}", amount=fmt_yuan(f.tainted_in), span=span,
                accounts=str(to))  # fmt: skip
    points.append((2.5 if passes else 1.0, text))
    if passes and when is not None and when <= 120:
        # a rented card passes the money on within the hour; spending is spread over days
        points.append((1.5, said("left_fast", span=_span(when))))
    if to >= 3 and passes:
        points.append((0.5, said("split", accounts=str(to))))


def _own_money(
    f: Facts, params: TraceParams, share_on: float, points: list[tuple[float, Reason]]
) -> None:
    """Paid out far more than the victims' money soon after it came, in an account where money
    stays for days and the victims' money is a sliver of what it received: the payments (a
    cash withdrawal, a bill) are its own money, not the victims' passed on. A relay passes on
    about what it got; a pooling mule's money stays hours, not days."""
    pr = f.prior
    if share_on < 0.3 or not pr.inflow_cents or pr.dwell_days() < OWN_DWELL:
        return
    total_in = pr.inflow_cents + f.inflow_after
    if f.tainted_in >= OWN_SHARE * total_in:
        return
    end = f.arrival + int(params.pass_hours * HOUR)
    paid = sum(o[1] for o in f.outs if o[0] <= end and o[3] not in SPENDING)
    if paid >= OWN_TIMES * max(f.tainted_in, 1):
        points.append((OWN_POINTS, said("own_money", amount=fmt_yuan(paid),
            times=f"{paid / max(f.tainted_in, 1):.1f}", tainted=fmt_yuan(f.tainted_in))))  # fmt: skip


def _before(f: Facts, window: float, points: list[tuple[float, Reason]]) -> float | None:
    """What it looked like before the money came; returns its usual dwell in days (or None)."""
    pr = f.prior
    # how long money stayed, from any income in the window: a cash deposit kept for weeks is a
    # person's savings even where it is the only one (5+ transactions were asked before, which
    # left bystanders with 1-4 of them judged on the hop and the speed alone)
    dwell = pr.dwell_days() if pr.inflow_cents else None
    if pr.txns <= 2 and pr.inflow_cents < f.tainted_in:
        # weak: a ledger that starts recently shows few transactions for any account
        points.append((0.5, said("no_history", txns=str(pr.txns), window=f"{window:g}")))
    elif dwell is not None:
        # money passes through a mule within hours; a person or a shop keeps it for days
        w = max(-1.5, min(1.5, 1.5 - 0.75 * dwell))
        kept = said("hours", n=f"{dwell * 24:.0f}") if dwell < 2 else said("days", n=f"{dwell:.1f}")
        code = "dwell_mule" if w > 0 else "dwell_ordinary"
        points.append((w, said(code, txns=str(pr.txns), window=f"{window:g}", kept=kept)))
    _passed_before(f, window, points)
    _woken(f, window, points)
    if f.age_days is not None:
        if f.age_days < 30:
            points.append((1.0, said("age", age=_days(f.age_days))))
        elif f.age_days < 90:
            points.append((0.5, said("age", age=_days(f.age_days))))
        elif f.age_days >= 365:
            points.append((-1.0, said("age", age=_days(f.age_days))))
    # its other income counts as not ordinary (`_origin`) only on 5+ transactions: one or two
    # payments that left within days say little about a person's money
    return dwell if pr.txns >= ORDINARY_TXNS else None


def _passed_before(f: Facts, window: float, points: list[tuple[float, Reason]]) -> None:
    """A payment in its history, many days of its income at once, that left within a day: the
    chain has passed money through it before (a rented card is used again and again)."""
    pr = f.prior
    # days of income mean something only beside other income (5+ transactions)
    if not pr.passed_cents or not pr.inflow_cents or pr.txns < 5:
        return
    days = pr.passed_cents * window / pr.inflow_cents
    w = PASSED_BEFORE[1] if days >= PASSED_DAYS[1] else PASSED_BEFORE[0]
    if days >= PASSED_DAYS[0]:
        points.append((w, said("passed_before", amount=fmt_yuan(pr.passed_cents),
            days=f"{days:.0f}", window=f"{window:g}")))  # fmt: skip


def _woken(f: Facts, window: float, points: list[tuple[float, Reason]]) -> None:
    """How its behaviour changed when the victims' money came, from its own rows as of the
    report: a card that had been still for weeks, or that had never received a sum this
    large, woken by the chain (a rented card changes hands and is put to work at once)."""
    pr = f.prior
    idle = window if not pr.txns else None
    if pr.last_ts is not None:
        idle = (f.arrival - pr.last_ts) / MICROS_PER_DAY
    # a few yuan reaching a dormant account say nothing of who holds it
    if idle is not None and idle >= DORMANT_DAYS and f.tainted_in >= DORMANT_FLOOR:
        points.append((DORMANT_POINTS, said("dormant", days=f"{idle:.0f}",
            amount=fmt_yuan(f.tainted_in))))  # fmt: skip
    if pr.largest_cents and f.tainted_in >= ABOVE_TIMES * pr.largest_cents:
        points.append((ABOVE_POINTS, said("above_largest", amount=fmt_yuan(f.tainted_in),
            times=f"{f.tainted_in / pr.largest_cents:.1f}", largest=fmt_yuan(pr.largest_cents),
            window=f"{window:g}")))  # fmt: skip


def _origin(
    f: Facts,
    share_on: float,
    dwell: float | None,
    window: float,
    points: list[tuple[float, Reason]],
) -> None:
    """How much of what it received, and of the victim's loss, is the victims' money."""
    pr = f.prior
    # its other income counts as ordinary where money stayed days (or at least a day, when it
    # got only a sliver of the loss), and never once it passed the victims' money straight on
    ordinary = share_on < 0.7 and (
        dwell is None or dwell >= 3.0 or (f.reach < 0.03 and dwell >= 1.0)
    )
    total_in = pr.inflow_cents + f.inflow_after
    share = f.tainted_in / total_in if total_in else 1.0
    of = {"amount": fmt_yuan(f.tainted_in), "total": fmt_yuan(total_in)}
    if share >= 0.8:
        points.append((2.0, said("share", share=f"{share:.0%}", **of)))
    elif share >= 0.5:
        points.append((1.0, said("share", share=f"{share:.0%}", **of)))
    elif share < 0.25:
        w = -3.0 if share < 0.03 else -2.0 if share < 0.1 else -1.5
        # full weight even where much of a small loss reached it: PRODUCT.md, a salary account
        # that merely received one tainted payment is never frozen
        points.append(
            (
                w if ordinary else w / 3,
                said("share", share=f"{share:.1%}", **of),
            )
        )
    # the victims' money in days of its usual income (the `established_days` before)
    days = f.tainted_in * window / pr.inflow_cents if pr.inflow_cents else None
    if ordinary and f.reach < 0.2 and days is not None and days <= SMALL_DAYS:
        points.append((-1.5, said("sale", amount=fmt_yuan(f.tainted_in), days=f"{days:.1f}")))
    elif days is not None and days >= LUMP_DAYS and pr.txns >= 5:
        # a person's card paid a month of its income at once by a stranger's payer
        points.append((1.0, said("lump", amount=fmt_yuan(f.tainted_in), days=f"{days:.0f}",
            income=fmt_yuan(pr.inflow_cents), window=f"{window:g}")))  # fmt: skip
        if pr.largest_cents >= f.tainted_in:
            # a saver who sells a car or gets a deposit back has been paid such sums before
            points.append((-1.0, said("not_new", largest=fmt_yuan(pr.largest_cents),
                window=f"{window:g}")))  # fmt: skip
    if f.reach >= 0.1:
        # the bulk of a victim's money reaching one account is the chain's own evidence; a
        # payee for goods gets a small part of what the mule moved
        w = 3.0 if f.reach >= 0.5 else 2.0 if f.reach >= 0.3 else 1.0
        points.append((w, said("reach", share=f"{f.reach:.0%}")))
    elif f.reach < 0.02:
        points.append((-1.0, said("reach_small", share=f"{f.reach:.1%}")))


def _amounts(f: Facts, points: list[tuple[float, Reason]]) -> None:
    """Odd amounts are prices, a shop's; round ones say nothing (a chain moves round sums, but
    people pay rent, debts and gifts in them too: the landlord of `tests/trace/test_kernel.py`)."""
    amounts = f.tainted_amounts
    if amounts and all(a % 1_000 for a in amounts):
        listed = ", ".join(fmt_yuan(a) for a in amounts[:3])
        points.append((-0.5, said("odd_amounts", amounts=listed)))
