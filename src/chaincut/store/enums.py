"""The store's closed vocabularies. Each is a `StrEnum` whose values are what the database holds."""

from __future__ import annotations

from enum import StrEnum

from chaincut.model.identifier import IdentifierKind

#: what a fraud-list entry names; identifier kinds are domain values (chaincut.model)
ListedKind = IdentifierKind


class Role(StrEnum):
    """Who a user is; the service grants least privilege by role."""

    public = "public"
    bank = "bank"
    telecom = "telecom"
    analyst = "analyst"
    admin = "admin"


class ReportStatus(StrEnum):
    received = "received"
    traced = "traced"
    closed = "closed"


class OrderKind(StrEnum):
    """What a freeze order asks the institution to do.

    `emergency_stop` is 紧急止付 (48 h, renewable once); `freeze` is 冻结 (6 months, renewable);
    `request_subaccount_detail` asks a pooled account or merchant for the sub-account behind the
    traced money instead of freezing it wholesale; `verify` asks the bank to verify an account
    the evidence says was merely paid by a mule (it holds nothing: statistics and money held
    leave it out; the analyst may escalate it to an emergency stop).
    """

    emergency_stop = "emergency_stop"
    freeze = "freeze"
    request_subaccount_detail = "request_subaccount_detail"
    verify = "verify"


#: kinds of order that hold money (the others ask for detail or verification)
HOLDING_KINDS = frozenset({OrderKind.emergency_stop, OrderKind.freeze})


class OrderStatus(StrEnum):
    issued = "issued"
    confirmed = "confirmed"
    renewed = "renewed"
    released = "released"
    expired = "expired"
    #: replaced by its successor (a stop turned into a freeze, a verify order escalated)
    superseded = "superseded"


#: statuses of an order that is still in force (or waiting to be applied)
OPEN_ORDER_STATUSES = frozenset({OrderStatus.issued, OrderStatus.confirmed, OrderStatus.renewed})


class OrderAction(StrEnum):
    """What happened to a freeze order, as written to its history."""

    issued = "issued"
    updated = "updated"
    confirmed = "confirmed"
    renewed = "renewed"
    released = "released"
    expired = "expired"
    superseded = "superseded"


class TracingRule(StrEnum):
    fifo = "fifo"
    libr = "libr"
    prorata = "prorata"


class CaseStatus(StrEnum):
    open = "open"
    closed = "closed"


class SuspectRole(StrEnum):
    """Roles in a fraud group (全链条): 金主 financier, 骨干 core member, 业务员 operator, …"""

    financier = "financier"
    core_member = "core_member"
    operator = "operator"
    logistics = "logistics"
    card_dealer = "card_dealer"
    launderer = "launderer"
    recruiter = "recruiter"
    other = "other"


class SuspectStatus(StrEnum):
    at_large = "at_large"
    arrested = "arrested"
    sentenced = "sentenced"


class WarningStatus(StrEnum):
    open = "open"
    dissuaded = "dissuaded"
    closed = "closed"
    false_alarm = "false_alarm"


class DissuasionChannel(StrEnum):
    call = "call"
    sms = "sms"
    visit = "visit"


class DissuasionOutcome(StrEnum):
    """`stopped`: the person was reached and did not pay; `continued`: reached but paid anyway."""

    stopped = "stopped"
    continued = "continued"
    unreachable = "unreachable"
    already_paid = "already_paid"


class Measure(StrEnum):
    """Joint-punishment measures (联合惩戒)."""

    financial = "financial"
    telecom = "telecom"
    credit = "credit"


class PunishmentBasis(StrEnum):
    """Why a subject is punished; sets the period: 3 years (criminal) or 2 years (police)."""

    criminal = "criminal"
    police_determination = "police_determination"


class AppealStatus(StrEnum):
    none = "none"
    pending = "pending"
    upheld = "upheld"
    rejected = "rejected"


class Action(StrEnum):
    """What a bank or operator asks the punishment registry about."""

    open_account = "open_account"
    open_payment_account = "open_payment_account"
    withdraw_balance = "withdraw_balance"
    new_phone_card = "new_phone_card"
    keep_phone_card = "keep_phone_card"
    credit_application = "credit_application"


class ListSource(StrEnum):
    """Where a fraud-list entry came from."""

    report = "report"  # a victim's report named it (its receiving accounts, the callers)
    analyst = "analyst"  # the police added it by hand
    operator_feed = "operator_feed"  # a telecom operator's feed
    bank_feed = "bank_feed"  # a bank's or payment institution's feed
    lake_label = "lake_label"  # the lake's confirmed labels, copied in


class ListRisk(StrEnum):
    """How strongly an entry marks fraud: `high` when confirmed or direct (a receiving account of
    a fraud transfer), `medium` when only suspected (a number that called a victim)."""

    high = "high"
    medium = "medium"
