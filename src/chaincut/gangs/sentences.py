"""The sentences of a gang member's evidence (`Member.evidence`), each written from a
template of `SENTENCES` and its values.

The English stays what `chaincut gangs` and /v1/gangs users read; beside it a member carries
each sentence's code and values (`evidence_codes`, `None` for an identifier: a transaction or
call id, said as it is) for the console to say it in the reader's language from the same
templates (marked with `N_` for the gettext catalogues). A value is text (an id, an amount, a
count: the same in every language) or a list of nested sentences, said one after the other.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from chaincut.markers import N_
from chaincut.model.money import fmt_grouped, to_cents

#: every sentence the gang analysis writes, by code: `%(name)s` fields filled with its values
SENTENCES: dict[str, str] = {
    # money (roles.py)
    "paid_by": N_("paid by %(victims)s victims"),
    "traced": N_("traced money, score %(score)s"),
    "model_links": N_("mule-card model score %(score)s; money with %(cards)s of the chain's cards"),
    "registered_like": N_(
        "registered with %(phone)s, like %(cards)s other cards of several people, the chain's "
        "among them"
    ),
    "sent_abroad": N_("sent ¥%(amount)s abroad to %(to)s, where the reports' traced money exited"),
    "model_paid_by": N_("mule-card model score %(score)s; paid by %(payers)s"),
    "contacted_payer": N_(
        "%(person)s, whom %(line)s (a line that reached reported victims) contacted (%(contact)s)"
    ),
    "holder_of": N_("holder of %(accounts)s"),
    # a listed card's holder's other accounts (cards.py)
    "lends_payment": N_("its holder lends the gang payment account %(account)s"),
    "opened_with": N_(
        "opened at %(institution)s on %(day)s, within a day of the gang's card %(account)s"
    ),
    "opened_before": N_("opened on %(day)s, %(days)s days before the gang's first report"),
    "counterparties": N_("%(n)s counterparties"),
    # a gang's cards not used yet (ahead.py)
    "freeze_ahead": N_("not used by the gang yet: a lead to freeze ahead"),
    "talks_to_line": N_(
        "its holder talks to the gang's line %(phone)s: %(n)s calls or messages, the first "
        "%(contact)s"
    ),
    "talks_to_dealer": N_(
        "its holder talks to the gang's recruiter or card dealer %(phone)s: %(n)s calls or "
        "messages, the first %(contact)s"
    ),
    "talks_to_member": N_(
        "its holder talks to %(phone)s, the number of one of the gang's people: %(n)s calls or "
        "messages, the first %(contact)s"
    ),
    "unused_card": N_("a bank card at %(institution)s opened on %(day)s, %(n)s counterparties"),
    "unused_wallet": N_(
        "a payment account at %(institution)s opened on %(day)s, %(n)s counterparties"
    ),
    "idle_wallets": N_("its holder keeps %(n)s idle payment accounts"),
    "model_score": N_("mule-card model score %(score)s"),
    "holder_of_account": N_("holder of account %(account)s"),
    "received_abroad": N_(
        "received ¥%(amount)s abroad, %(share)s of the gang's cross-border exits; its holder's "
        "number talks to %(numbers)s numbers here"
    ),
    # where the money ends (bosses.py)
    "paid_by_cards": N_("paid across the border by %(cards)s of the gang's cards"),
    "talks_like_boss": N_(
        "a number abroad that talks here to %(shared)s of the people the gang's account holders "
        "abroad talk to, among its %(contacts)s contacts"
    ),
    "visits_den": N_(
        "called from %(cells)s SIM-box sites of the gang and talks to %(bosses)s of its members "
        "abroad"
    ),
    # funding and running (funders.py)
    "funds_members": N_(
        "paid ¥%(amount)s from its holder's accounts to %(people)s of the gang's members "
        "(%(roles)s)"
    ),
    "talks_to_running": N_(
        "its holder's number talks to %(numbers)s of the gang's card holders, lines or victims "
        "(%(phones)s)"
    ),
    "paid_by_bosses": N_("paid by %(people)s, who also hold the gang's money abroad"),
    "paid_by_financier": N_(
        "paid by the gang's financier %(people)s from his own accounts: funds passed down to "
        "run the operation, or pay"
    ),
    "paid_abroad_by_bosses": N_(
        "paid ¥%(amount)s by the gang's members abroad %(people)s from their own accounts; "
        "its number %(phone)s is abroad"
    ),
    "talks_only_to_bosses": N_(
        "its holder's number talks only to the gang's members abroad (%(numbers)s numbers)"
    ),
    # registrations, calls and messages (lines.py)
    "cards_registered": N_("%(cards)s of the gang's cards registered with this phone"),
    "holders_contacted": N_("in contact with %(holders)s mule card holders"),
    "account_row": N_("accounts row %(account)s reg_phone"),
    "cards_registered_by": N_(
        "%(cards)s of the gang's cards registered with this phone, held by %(people)s other people"
    ),
    "dealer_elsewhere": N_(
        "and the cards of %(people)s more people that other reports' money reached"
    ),
    "talks_to_recruiter": N_("in contact with %(phones)s, who recruits the gang's card holders"),
    "fees_from_cards": N_("paid ¥%(amount)s by %(cards)s of the gang's cards"),
    "held_by_dealer": N_("held by card dealer %(person)s"),
    "registered_phone": N_("registered %(phone)s"),
    "wallet_named": N_("named in %(messages)s messages to victims or reports"),
    "report": N_("report %(report)s"),
    "reached": N_("reached %(victims)s victims among %(contacts)s contacts"),
    "reached_handset": N_(
        "reached %(victims)s victims among %(contacts)s contacts; its handset carried "
        "%(numbers)s numbers that reached %(box)s victims"
    ),
    "carried_line": N_("carried operator line %(phone)s; its numbers reached %(victims)s victims"),
    # operators, launderers and logistics (round eight: roles.py, lines.py)
    "runs_scores": N_(
        "a payment account that %(victims)s victims paid directly; its holder lends the gang "
        "%(accounts)s more such accounts"
    ),
    # (round fifteen) where the holder lends no other such account, or is not on record: no
    # "0 more such accounts"
    "paid_directly": N_("a payment account that %(victims)s victims paid directly"),
    # (round twelve: lenders.py)
    "lends_wallets": N_(
        "its holder lends the gang %(n)s payment accounts (%(accounts)s), %(idle)s of them not "
        "used yet, and %(cards)s of its bank cards: score-running"
    ),
    "den_crew": N_(
        "a number abroad that talks to %(bosses)s of the gang's members abroad and to %(crew)s "
        "other numbers abroad that talk to them; reached %(victims)s reported victims"
    ),
    # (round fourteen: funders.py, running.py)
    "funds_bosses_abroad": N_(
        "paid ¥%(amount)s from its holder's accounts abroad to the gang's bosses' accounts "
        "abroad (%(accounts)s), and received none of the gang's money: funding"
    ),
    "runs_operation": N_(
        "a number abroad that talks to %(bosses)s of the gang's bosses (%(financiers)s of its "
        "financiers), to %(home)s of its people here and to %(crew)s of its operators; reached "
        "%(victims)s reported victims"
    ),
    "collects_from_cards": N_(
        "paid by %(cards)s of the gang's cards and paid none of it on, nor out: a commission "
        "collected"
    ),
    # card dealers and financiers, round eight (dealers.py, funders.py)
    "talks_to_hubs": N_(
        "in contact with %(numbers)s numbers here that each call %(least)s or more of the "
        "gang's card holders (%(phones)s)"
    ),
    "talks_mostly_to_bosses": N_(
        "its holder's number talks to %(numbers)s numbers, %(away)s of them the gang's members "
        "abroad"
    ),
}

#: English singulars: per sentence, per count field, (the template's words for many, the words
#: for one), used when the field's value is "1" ("paid by 1 victim", not "1 victims"). Only the
#: English changes: the Chinese templates do not inflect, and the console says English from
#: `Sentence.text`.
SINGULAR: dict[str, dict[str, tuple[str, str]]] = {
    "paid_by": {"victims": ("%(victims)s victims", "%(victims)s victim")},
    "registered_like": {"cards": ("%(cards)s other cards", "%(cards)s other card")},
    "opened_before": {"days": ("%(days)s days", "%(days)s day")},
    "counterparties": {"n": ("%(n)s counterparties", "%(n)s counterparty")},
    "talks_to_line": {"n": ("%(n)s calls or messages", "%(n)s call or message")},
    "talks_to_dealer": {"n": ("%(n)s calls or messages", "%(n)s call or message")},
    "talks_to_member": {"n": ("%(n)s calls or messages", "%(n)s call or message")},
    "unused_card": {"n": ("%(n)s counterparties", "%(n)s counterparty")},
    "unused_wallet": {"n": ("%(n)s counterparties", "%(n)s counterparty")},
    "idle_wallets": {"n": ("%(n)s idle payment accounts", "%(n)s idle payment account")},
    "received_abroad": {"numbers": ("%(numbers)s numbers here", "%(numbers)s number here")},
    "talks_like_boss": {"contacts": ("%(contacts)s contacts", "%(contacts)s contact")},
    "visits_den": {"cells": ("%(cells)s SIM-box sites", "%(cells)s SIM-box site")},
    "talks_only_to_bosses": {"numbers": ("%(numbers)s numbers)", "%(numbers)s number)")},
    "holders_contacted": {
        "holders": ("%(holders)s mule card holders", "%(holders)s mule card holder")
    },
    "cards_registered_by": {"people": ("%(people)s other people", "%(people)s other person")},
    "dealer_elsewhere": {"people": ("%(people)s more people", "%(people)s more person")},
    "wallet_named": {"messages": ("%(messages)s messages", "%(messages)s message")},
    "reached": {
        "victims": ("%(victims)s victims", "%(victims)s victim"),
        "contacts": ("%(contacts)s contacts", "%(contacts)s contact"),
    },
    "reached_handset": {
        "victims": ("%(victims)s victims", "%(victims)s victim"),
        "contacts": ("%(contacts)s contacts", "%(contacts)s contact"),
        "numbers": ("%(numbers)s numbers that", "%(numbers)s number that"),
        "box": ("%(box)s victims", "%(box)s victim"),
    },
    "carried_line": {"victims": ("%(victims)s victims", "%(victims)s victim")},
    "runs_scores": {
        "victims": ("%(victims)s victims", "%(victims)s victim"),
        "accounts": ("%(accounts)s more such accounts", "%(accounts)s more such account"),
    },
    "paid_directly": {"victims": ("%(victims)s victims", "%(victims)s victim")},
    "lends_wallets": {
        "n": ("%(n)s payment accounts", "%(n)s payment account"),
    },
    "den_crew": {
        "crew": (
            "%(crew)s other numbers abroad that talk",
            "%(crew)s other number abroad that talks",
        ),
        "victims": ("%(victims)s reported victims", "%(victims)s reported victim"),
    },
    "runs_operation": {
        "victims": ("%(victims)s reported victims", "%(victims)s reported victim"),
    },
    "talks_to_hubs": {
        "numbers": (
            "%(numbers)s numbers here that each call",
            "%(numbers)s number here that calls",
        ),
    },
    "talks_mostly_to_bosses": {
        "numbers": (
            "%(numbers)s numbers, %(away)s of them",
            "%(numbers)s number, %(away)s of them",
        ),
    },
}


def english(code: str, args: Mapping[str, Value]) -> str:
    """The English template of `code` for these values: a count of 1 in the singular."""
    template = SENTENCES[code]
    for name, (many, one) in SINGULAR.get(code, {}).items():
        if args.get(name) == "1":
            template = template.replace(many, one)
    return template


#: what joins a list of nested sentences, by language (punctuation: no catalogue message)
JOINERS: dict[str, str] = {"en": ", ", "zh-CN": "；"}

Value = str | Sequence["Sentence"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One evidence sentence: its template's code and the values it was written with."""

    code: str
    args: Mapping[str, Value] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The sentence in English (what `Member.evidence` says)."""
        args = readable(self.args)
        return fill(english(self.code, args), args, lambda s: s.text, JOINERS["en"])

    def as_dict(self) -> dict[str, Any]:
        """`{"code", "args"}`, nested sentences as lists of such dicts (JSON)."""
        args = {
            k: v if isinstance(v, str) else [s.as_dict() for s in v] for k, v in self.args.items()
        }
        return {"code": self.code, "args": args}


def readable(args: Mapping[str, Value]) -> dict[str, Value]:
    """`args` as a sentence says them: an amount with thousands separators ("28,432.00", as
    `chaincut gangs` and the warnings write money); the values themselves stay as written in
    `evidence_codes`, for a program to read; role keys ("core_member") said as words."""
    out = dict(args)
    if isinstance(roles := out.get("roles"), str):
        out["roles"] = roles.replace("_", " ")
    amount = out.get("amount")
    if isinstance(amount, str):
        with contextlib.suppress(ValueError):  # not an amount of cents: as written
            out["amount"] = fmt_grouped(to_cents(amount))
    return out


def fill(template: str, args: Mapping[str, Any], nested: Callable[[Any], str], joiner: str) -> str:
    """`template` filled with `args`, each nested sentence of a list said by `nested`."""
    return template % {
        k: v if isinstance(v, str) else joiner.join(nested(s) for s in v) for k, v in args.items()
    }


def said(code: str, **args: Value) -> Sentence:
    """The sentence `code` with its values (a `KeyError` for a code `SENTENCES` lacks)."""
    SENTENCES[code]  # noqa: B018 - an unknown code fails where it is written
    return Sentence(code, args)
