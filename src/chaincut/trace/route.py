"""Where traced money goes when it reaches an account the trace does not follow yet.

The order of the checks is the policy: an exit channel first (the money is gone whatever the
destination), then a victim's own account (the traced reports' victims, and the victim of any
report filed by the trace's horizon), exit destinations (cash, a foreign account), hubs
(merchants, exchanges, pooled and busy accounts: never frozen wholesale), the hop bound, the
minimum amount, money paid back to an account that paid the payer as much shortly before (a
refund or a scam's rebate: most likely to a victim), and (only with `established_route`, off by
default) established accounts that merely got paid; anything else is loaded. Whether a loaded
account is stopped is decided on its evidence at the end (`chaincut.trace.bystander`).
"""

from __future__ import annotations

from dataclasses import dataclass

from chaincut.trace.ledger import Ledger
from chaincut.trace.model import MICROS_PER_DAY, AccountInfo, Micros, TraceParams, Txn
from chaincut.trace.result import Outcome


@dataclass(frozen=True, slots=True)
class Verdict:
    """An outcome with the reason an analyst reads."""

    outcome: Outcome
    reason: str


class Router:
    """Decides the outcome of traced money reaching an account that is not loaded."""

    def __init__(
        self,
        ledger: Ledger,
        params: TraceParams,
        victims: set[str],
        min_cents: int,
        until: Micros,
    ) -> None:
        self.ledger = ledger
        self.params = params
        self.victims = victims
        self.min_cents = min_cents
        self.until = until
        self.busy_over = ledger.busy_threshold(
            params.busy_quantile, params.busy_factor, params.busy_floor
        )
        self.reasons: dict[str, str] = {}

    def route(self, txn: Txn, taint_cents: int, hop: int) -> Outcome:
        """The outcome for `taint_cents` of traced money reaching `txn.dst` at `hop`."""
        verdict = self.verdict(txn, taint_cents, hop)
        self.reasons.setdefault(txn.dst, verdict.reason)
        return verdict.outcome

    def verdict(self, txn: Txn, taint_cents: int, hop: int) -> Verdict:
        """The first check of the policy (module doc) that decides, else `loaded`."""
        p = self.params
        if txn.channel in p.exit_channels:
            return Verdict(Outcome.exit, f"exit channel {txn.channel}")
        if txn.dst in self.victims:
            return Verdict(Outcome.returned, "a victim's account")
        if self.ledger.reported_victim(txn.dst, self.until):
            return Verdict(Outcome.returned, "the account of a victim who reported by then")
        info = self.ledger.account(txn.dst)
        by_kind = self._by_kind(info)
        if by_kind is not None:
            return by_kind
        if hop > p.max_hops:
            return Verdict(Outcome.beyond_hops, f"beyond {p.max_hops} hops")
        if taint_cents < self.min_cents:
            return Verdict(Outcome.below_min, "below the minimum amount")
        if hop >= 2 and p.rebate_days > 0:
            paid_back = self._paid_back(txn)
            if paid_back is not None:
                return paid_back
        if p.established_route and hop >= 2 and info.since is not None:
            established = self._established(txn, info.since, taint_cents)
            if established is not None:
                return established
        return Verdict(Outcome.loaded, "followed")

    def _by_kind(self, info: AccountInfo) -> Verdict | None:
        """Exits and hubs, by what the account is."""
        p = self.params
        if info.kind in p.exit_kinds:
            return Verdict(Outcome.exit, f"exit account ({info.kind})")
        if info.country and info.country != p.home_country:
            return Verdict(Outcome.exit, f"foreign account ({info.country})")
        if info.kind in p.hub_kinds:
            return Verdict(Outcome.hub, f"{info.kind} account: never frozen wholesale")
        if info.org and info.kind in p.pooled_kinds:
            return Verdict(Outcome.hub, f"pooled {info.kind} account of an organisation")
        if info.degree > self.busy_over:
            return Verdict(
                Outcome.hub,
                f"busy account: {info.degree} counterparties (> {self.busy_over})",
            )
        return None

    def _paid_back(self, txn: Txn) -> Verdict | None:
        """`returned` when the payee paid the payer at least as much shortly before."""
        p = self.params
        since = txn.ts - int(min(p.rebate_days, p.established_days) * MICROS_PER_DAY)
        paid = self.ledger.paid(txn.dst, txn.src, since, txn.key)
        if paid < txn.cents:
            return None
        return Verdict(
            Outcome.returned,
            f"paid back: the account paid {txn.src} {paid / 100:.2f} in the "
            f"{p.rebate_days:g} days before (a refund or a rebate, most likely to a "
            "victim)",
        )

    def _established(self, txn: Txn, opened: Micros, taint_cents: int) -> Verdict | None:
        """`established` for an old, busy account beside which the traced payment is small."""
        p = self.params
        age = txn.ts - opened
        if age < p.established_age_days * MICROS_PER_DAY:
            return None
        seen = self.ledger.activity(txn.dst, txn.ts - p.established_micros, txn.key)
        if not (
            seen.txns >= p.established_min_txns
            and seen.inflow_cents >= p.established_ratio * taint_cents
            and seen.area >= p.established_dwell_days * MICROS_PER_DAY * seen.inflow_cents
        ):
            return None
        return Verdict(
            Outcome.established,
            f"established account: open {age // MICROS_PER_DAY} days, "
            f"{seen.txns} transactions and {seen.inflow_cents / 100:.2f} received "
            f"in the {p.established_days:g} days before, money kept "
            f"{seen.dwell_days():.1f} days on average; the traced payment is "
            "small beside them",
        )
