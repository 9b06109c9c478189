"""The words of the trace's orders: why an account is stopped or only to be verified
(`Order.reason`) and the evidence for and against it (`Order.reasons`,
`chaincut.trace.bystander`), each written from a template of `REASONS` and its values.

The English stays what API users read; beside it an order carries each reason's code and
values (`Reason.as_dict`: `{"code", "args", "sign"}`) for the console to say it in the
reader's language from the same templates (marked with `N_` for the gettext catalogues). A
value is text (an amount, a count, a share: the same in every language) or a nested reason
(`{"code", "args"}`: a span of time, whose unit is a word).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from chaincut.markers import N_

#: every reason the trace writes, by code: `%(name)s` fields filled with its values
REASONS: dict[str, str] = {
    # spans of time (nested in the reasons below)
    "minutes": N_("%(n)s min"),
    "hours": N_("%(n)s h"),
    "days": N_("%(n)s days"),
    "months": N_("%(n)s months"),
    "years": N_("%(n)s years"),
    # why an order (Order.reason)
    "holds": N_("holds traced money"),
    "may_hold": N_("may hold the victim's money (the rule traces it elsewhere)"),
    "bona_fide": N_(
        "looks like a bona-fide recipient (evidence %(score)s < %(threshold)s): verify with "
        "the bank; nothing is held"
    ),
    # the evidence (Order.reasons)
    "hop_direct": N_("hop 1: the victim paid it directly"),
    "hop_far": N_("hop %(hop)s from the victim"),
    "traced": N_("the rule traces %(amount)s of the victim's money to it"),
    "traced_none": N_("the rule traces none of the victim's money to it (it may hold some)"),
    "reached_fast": N_("reached it %(span)s after the victim paid, as the chain moves money"),
    "reached": N_("reached it %(span)s after the victim paid"),
    "reached_slow": N_("reached it %(span)s after the victim paid, as a mule's spending does"),
    "kept": N_("kept the money: paid out nothing beyond its usual pace in %(span)s"),
    "exits": N_("took %(amount)s out through cash, crypto or cross-border exits"),
    "forwarded": N_("forwarded %(share)s of %(amount)s within %(span)s to %(accounts)s accounts"),
    "passed_through": N_(
        "forwarded %(share)s of %(amount)s within %(span)s to %(accounts)s accounts (pass-through)"
    ),
    "forwarded_one": N_("forwarded %(share)s of %(amount)s within %(span)s to 1 account"),
    "passed_through_one": N_(
        "forwarded %(share)s of %(amount)s within %(span)s to 1 account (pass-through)"
    ),
    "own_money": N_(
        "paid out %(amount)s soon after, %(times)s times the victims' money (%(tainted)s): "
        "money it already held"
    ),
    "left_fast": N_("most of it left within %(span)s of arriving"),
    "split": N_("split over %(accounts)s accounts"),
    "no_history": N_("%(txns)s transactions in the %(window)s days before (a new or dormant card)"),
    "dwell_mule": N_(
        "%(txns)s transactions in the %(window)s days before; money it received stayed "
        "%(kept)s on average, as in a pass-through account"
    ),
    "dwell_ordinary": N_(
        "%(txns)s transactions in the %(window)s days before; money it received stayed "
        "%(kept)s on average, as in an ordinary account"
    ),
    "age": N_("account %(age)s old"),
    "share": N_(
        "the victims' money is %(share)s of what it received (%(amount)s of %(total)s received)"
    ),  # fmt: skip
    "sale": N_(
        "received %(amount)s, %(days)s days of its usual income: looks like a sale or a debt repaid"
    ),
    "lump": N_(
        "received %(amount)s at once: %(days)s days of its usual income (%(income)s in "
        "%(window)s days)"
    ),
    "not_new": N_(
        "in the %(window)s days before, it received %(largest)s at once: a sum this size is "
        "not new to it"
    ),
    "dormant": N_(
        "no transaction in the %(days)s days before %(amount)s of the victims' money woke it "
        "(a dormant card put to work)"
    ),
    "above_largest": N_(
        "the victims' money (%(amount)s) is %(times)s times the largest payment it received "
        "in the %(window)s days before (%(largest)s)"
    ),
    "reach": N_("received %(share)s of the victim's loss"),
    "reach_small": N_(
        "received %(share)s of the victim's loss: a small part of what the payer moved"
    ),
    "odd_amounts": N_("odd amounts, as for goods or a service (%(amounts)s)"),
    "model_mule": N_(
        "the mule model scores its history so far %(score)s: it moved money as the chain's cards do"
    ),
    "model_ordinary": N_(
        "the mule model scores its history so far %(score)s: it moved money as ordinary accounts do"
    ),
    "model_short": N_(
        "the mule model scores its history so far %(score)s, but that history is short "
        "(%(txns)s transactions in the %(window)s days before, or a young account): "
        "weighed at %(share)s"
    ),
    "passed_before": N_(
        "in the %(window)s days before, received %(amount)s at once (%(days)s days of its "
        "income) and paid it on within a day (a pass-through)"
    ),
    "stopped_before": N_(
        "already stopped for %(n)s earlier report(s) of other victims (%(reports)s)"
    ),
    "funded_by_chain": N_(
        "in the %(window)s days before, %(share)s of what it received (%(amount)s of "
        "%(total)s) came from accounts stopped as the chain's (%(accounts)s)"
    ),
    "paid_to_chain": N_("paid %(amount)s on to accounts this trace stops (%(accounts)s)"),
    "split_with_chain": N_(
        "%(payer)s paid it %(part)s of %(total)s it paid out within %(minutes)s min (transfer "
        "%(txn)s), beside accounts this trace stops (%(accounts)s), as the chain splits a "
        "victim's money"
    ),
    "relayed": N_(
        "%(payer)s paid it the victims' money %(span)s after receiving it (transfer "
        "%(txn)s), as the chain relays it"
    ),
    "relayed_victim": N_(
        "%(payer)s paid it the victims' money %(span)s after the victim paid (transfer "
        "%(txn)s), as the chain relays it"
    ),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: its template's code and the values it was written with."""

    code: str
    args: Mapping[str, str | Reason] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The reason in English (what `Order.reason`/`reasons` say)."""
        return fill(REASONS[self.code], self.args, lambda r: r.text)

    def as_dict(self) -> dict[str, Any]:
        """`{"code", "args"}`, a nested reason as such a dict (JSON)."""
        args = {k: v.as_dict() if isinstance(v, Reason) else v for k, v in self.args.items()}
        return {"code": self.code, "args": args}


def fill(template: str, args: Mapping[str, Any], nested: Any) -> str:
    """`template` filled with `args`, a nested value said by `nested(value)`."""
    return template % {k: v if isinstance(v, str) else nested(v) for k, v in args.items()}


def said(code: str, **args: str | Reason) -> Reason:
    """The reason `code` with its values (a `KeyError` for a code `REASONS` lacks)."""
    REASONS[code]  # noqa: B018 - an unknown code fails where it is written
    return Reason(code, args)


def signed(weight: float, reason: Reason) -> dict[str, Any]:
    """An evidence reason as an order carries it: its code, values and sign."""
    return {**reason.as_dict(), "sign": "+" if weight > 0 else "-"}
