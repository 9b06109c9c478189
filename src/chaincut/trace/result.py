"""What a trace returns: flows, holdings, orders, exits and per-report totals (pure values).

Money is integer cents keyed by report id. For every report the totals conserve money exactly:
frozen + exited + hubs + returned + unaccounted == loss (see `Totals.check`). Beside the rule's
attribution (`taint`, `held`, an order's `amount_cents`), each carries the bound of what may be
the report's money (`possible`, `claim`, `claim_cents`): the amount an emergency stop holds.
It is not conserved (the same money may be claimed in several accounts while it is not known
which one holds it) and never below the attribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from chaincut.trace.model import Micros, ReportInfo, Rule


class Outcome(StrEnum):
    """Where a transfer carrying traced money took it."""

    moved = "moved"  # into an account already followed
    loaded = "loaded"  # into an account now followed
    exit = "exit"  # out of reach: cash, crypto OTC, cross-border, a foreign account
    hub = "hub"  # a pooled account, exchange, merchant or busy account: ask for sub-account
    through_hub = "through_hub"  # into a hub that paid the same amount on soon after
    established = "established"  # paid to an established account (salary, landlord)
    returned = "returned"  # back to a victim
    beyond_hops = "beyond_hops"  # further than max_hops
    below_min = "below_min"  # too small to follow


class OrderKind(StrEnum):
    """The store's order kinds that a trace issues (紧急止付 first; a freeze follows later)."""

    emergency_stop = "emergency_stop"
    request_subaccount_detail = "request_subaccount_detail"
    #: holds nothing: the evidence says the account looks like a bona-fide recipient (a shop or
    #: a person a mule paid); the bank is asked to verify it, the analyst may escalate to a stop
    verify = "verify"


@dataclass(frozen=True, slots=True)
class Flow:
    """One transfer that carried (or may have carried) traced money: the part the rule
    attributes per report (`taint`), and the most of it that may be the report's (`possible`)."""

    txn_id: str
    ts: Micros
    src: str
    dst: str
    channel: str | None
    cents: int
    taint: dict[str, int]
    hop: int
    outcome: Outcome
    possible: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Holding:
    """An account followed by the trace: the traced money it holds at the end (`held`, by the
    rule), what is frozen of it (`frozen`, capped by the balance) and, per report, the most of
    the balance that may be the report's money (`claim`)."""

    account_id: str
    institution: str | None
    kind: str | None
    hop: int
    loaded_ts: Micros
    balance_cents: int
    held: dict[str, int]
    frozen: dict[str, int]
    claim: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Order:
    """An order for one report: freeze (emergency stop), request sub-account detail, or verify
    with the bank (holds nothing: a likely bona-fide recipient, see `chaincut.trace.bystander`).

    `amount_cents` is the report's money the rule attributes to the account (what a freeze and
    restitution go by); `claim_cents` what the emergency stop holds: the most of the account's
    balance that may be the report's money (>= the amount, <= the balance). For a sub-account
    detail request both are the traced amount that reached the hub. A verify order carries the
    amount and claim a stop would have held. `score` is the weighted evidence that the account
    belongs to the chain (>= the threshold: a stop; None where it was not judged) and `reasons`
    the evidence in words, for and against.
    """

    report_id: str
    account_id: str
    institution: str | None
    kind: OrderKind
    amount_cents: int
    hop: int
    rule: Rule
    evidence: list[list[str]]
    reason: str
    claim_cents: int = 0
    score: float | None = None
    reasons: tuple[str, ...] = ()
    #: `reason` and `reasons` as codes and values (`chaincut.trace.reasons`), for a reader in
    #: another language; the English fields are what they say
    reason_code: dict[str, Any] | None = None
    reason_codes: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class ExitRecord:
    """Traced money of one report that left through an exit in one transfer."""

    report_id: str
    txn_id: str
    ts: Micros
    src: str
    dst: str
    channel: str | None
    amount_cents: int
    hop: int
    reason: str


@dataclass
class Totals:
    """Where one report's loss went, in cents."""

    loss: int = 0
    frozen: int = 0
    exited: int = 0
    hubs: int = 0
    returned: int = 0
    over_balance: int = 0
    beyond_hops: int = 0
    below_min: int = 0
    #: what the report's emergency stops hold (not part of the conservation)
    claimed: int = 0
    #: what its verify orders would hold were they stops (held: nothing; not conserved either)
    verify: int = 0

    @property
    def unaccounted(self) -> int:
        """Traced but neither freezable nor out: above the balance, too far or too small."""
        return self.over_balance + self.beyond_hops + self.below_min

    def check(self) -> bool:
        """True when the parts add up to the loss exactly."""
        parts = self.frozen + self.exited + self.hubs + self.returned + self.unaccounted
        return parts == self.loss


@dataclass(frozen=True)
class TraceResult:
    """Everything a trace of one report (or of several at once) found.

    `orders` are what gets issued: an emergency stop per account holding traced money whose
    evidence says it belongs to the chain (else a verify order), and a sub-account detail request
    per hub, all at or above the minimum amount; `hubs` lists every
    hub or established account reached, whatever the amount.
    """

    rule: Rule
    until: Micros
    reports: dict[str, ReportInfo]
    flows: list[Flow]
    holdings: list[Holding]
    orders: list[Order]
    exits: list[ExitRecord]
    hubs: list[Order]
    totals: dict[str, Totals]
    min_cents: int = 0
    events: int = 0
    accounts_loaded: int = 0
    notes: list[str] = field(default_factory=list)

    def orders_for(self, report_id: str, kind: OrderKind | None = None) -> list[Order]:
        """The report's orders, optionally of one kind, largest first."""
        return [
            o for o in self.orders if o.report_id == report_id and (kind is None or o.kind == kind)
        ]

    def exits_for(self, report_id: str) -> list[ExitRecord]:
        return [e for e in self.exits if e.report_id == report_id]

    def hubs_for(self, report_id: str) -> list[Order]:
        """Every hub or established account the report's money reached (orders or not)."""
        return [h for h in self.hubs if h.report_id == report_id]
