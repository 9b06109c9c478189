"""Look up a subject (an account, a phone number, a person), each look-up audited with who,
when, what and the purpose given.

Every identifier is normalised first (`chaincut.model`): `13014821479`, `130 1482 1479`,
`0086 130 1482 1479` and `+8613014821479` are one number, `6217 0046 7904 3769 455` one
account. A bank looks up only its own institution's accounts, in full (it holds them: masking
by need); an operator only numbers: the number it typed in full, and the holders and handsets
(IMEIs) in full only when its number blocks hold the number (`chaincut.services.carriers`),
masked otherwise; analysts and admins see everything unmasked. A subject that is not found (or
not the caller's to see) is `None`, and the refused look-up is audited all the same; so is one
refused before it starts (`refused`).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.model.identifier import IdentifierKind, normalize_or_none
from chaincut.model.phone import lake_forms
from chaincut.services import scorecache
from chaincut.services.carriers import holds_number
from chaincut.services.context import Principal, ServiceState
from chaincut.services.masking import masked
from chaincut.services.phrases import phrase
from chaincut.services.schemas import LookupPublic
from chaincut.services.views import order_public
from chaincut.store import audit, freeze_order
from chaincut.store.enums import Role
from chaincut.store.errors import StoreBusy
from chaincut.store.tables import EarlyWarning

log = logging.getLogger(__name__)


def normal_account(value: str) -> str:
    """An account id as the lake keeps it (separators dropped); as given when it is not one."""
    return normalize_or_none(IdentifierKind.account, value) or value.strip()


def _mask_facts(facts: dict[str, Any], keys: tuple[str, ...], mask: bool) -> dict[str, Any]:
    out = dict(facts)
    for key in keys:
        value = out.get(key)
        if isinstance(value, list):
            out[key] = [masked(str(v), mask) for v in value]
        elif isinstance(value, str):
            out[key] = masked(value, mask)
    return out


def _warnings(s: Session, kind: str, subject: str) -> list[dict[str, Any]]:
    found = s.scalars(
        select(EarlyWarning)
        .where(EarlyWarning.subject_kind == kind)
        .where(EarlyWarning.subject_id == subject)
        .order_by(EarlyWarning.created_at.desc())
        .limit(20)
    )
    return [
        {"warning_id": w.warning_id, "score": w.score, "status": w.status.value,
         "fraud_type": w.fraud_type, "created_at": w.created_at.isoformat()}
        for w in found
    ]  # fmt: skip


def account(
    s: Session, who: Principal, account_id: str, purpose: str, state: ServiceState
) -> LookupPublic | None:
    """An account's facts, scores, orders and listing; None when unknown or, for a bank,
    another institution's. Audited; commits `s`."""
    lake = state.lake
    # the id as the lake holds it: a card number however it is typed, and an id whose
    # separators belong to it (a merchant's `CO-00001`, a pool's `POOL-ALIPAY`) as written
    as_given = account_id.strip()
    facts = lake.account(as_given)
    account_id = as_given if facts is not None else normal_account(account_id)
    if facts is None and account_id != as_given:
        facts = lake.account(account_id)
    if facts is None or (who.role is Role.bank and facts.get("institution") != who.institution):
        audit.record(
            s, who.username, "lookup_account", "account", account_id, purpose, {"found": False}
        )
        s.commit()
        return None
    # masking by need: the bank that holds the account sees it (and its holder) in full
    mask = who.mask and not (who.role is Role.bank and facts.get("institution") == who.institution)
    # the lake first: the store's write (the audit entry) holds its writer lock to the end
    scores = account_score(state, account_id, mask)
    listing = lake.listed("account", account_id)
    audit.record(s, who.username, "lookup_account", "account", account_id, purpose, {"found": True})
    orders = freeze_order.list_orders(s, account_id=account_id)
    reasons = [phrase("lake_label", label=listing)] if listing and not who.mask else []
    reasons += [
        phrase("order", kind=o.kind.value, order=o.order_id, status=o.status.value, amount=o.amount)
        for o in orders
    ]
    s.commit()
    return LookupPublic(
        kind="account",
        id=masked(account_id, mask) or "",
        facts=_mask_facts(facts, ("holder_id",), mask),
        orders=[order_public(o, mask) for o in orders],
        reasons=[r.text for r in reasons],
        reason_codes=reasons,
        scores=scores,
    )


def number(
    s: Session, who: Principal, number: str, purpose: str, state: ServiceState
) -> LookupPublic | None:
    """A number's facts, scores, warnings and listing, whichever way it is written; None when
    the lake does not know it. Audited; commits `s`."""
    lake = state.lake
    # imported data keeps numbers as written: try the E.164 form, then the national ones
    forms = lake_forms(number, state.settings.phone_region)
    number, facts = number.strip(), None  # audited as asked when the lake does not know it
    for form in forms:
        facts = lake.number(form)
        if facts is not None:
            number = form
            break
    # masking by need: the operator whose number blocks hold the number sees its holders and
    # the handsets it called from in full (its own subscriber, on its own network)
    mask = who.mask and not (
        who.role is Role.telecom
        and holds_number(who.institution, number, state.settings.phone_region)
    )
    # the lake first: the store's write (the audit entry) holds its writer lock to the end
    scores = number_score(state, number, mask) if facts is not None else None
    if scores is not None and scores.get("number"):
        scores["number"]["number"] = number  # the number the caller typed is no secret to it
    listing = lake.listed("phone", number)
    audit.record(
        s, who.username, "lookup_number", "phone", number, purpose, {"found": facts is not None}
    )
    if facts is None:
        s.commit()
        return None
    reasons = [phrase("lake_label", label=listing)] if listing else []
    if facts["calls_out"] and not facts["calls_in"] and facts["distinct_callees"] >= 20:
        reasons.append(phrase("simbox_pattern"))
    warnings = _warnings(s, "phone", number)
    s.commit()
    return LookupPublic(
        kind="phone",
        id=number,  # as typed (normalised): masking it hides nothing from who typed it
        facts=_mask_facts(facts, ("holders",), mask),
        warnings=warnings,
        reasons=[r.text for r in reasons],
        reason_codes=reasons,
        scores=scores,
    )


def person(
    s: Session, who: Principal, person_id: str, purpose: str, state: ServiceState
) -> LookupPublic | None:
    """A person's facts and warnings (analysts only); None when unknown. Audited; commits."""
    person_id = person_id.strip()
    facts = state.lake.person(person_id)
    audit.record(
        s, who.username, "lookup_person", "person", person_id, purpose,
        {"found": facts is not None},
    )  # fmt: skip
    if facts is None:
        s.commit()
        return None
    warnings = _warnings(s, "person", person_id)
    s.commit()
    return LookupPublic(kind="person", id=person_id, facts=facts, warnings=warnings)


def refused(
    state: ServiceState, who: Principal, kind: str, value: str, purpose: str, action: str
) -> None:
    """Record that `who` was refused a look-up of `value` (`kind`: account, phone, person,
    clue) before it started: `action` is `refused_role` or `refused_no_purpose`, as the API
    records its refusals, with the subject named (the console knows it; the API, the request).
    A busy store does not turn the refusal into an error: it is logged instead."""
    subject = {"clue": "phone"}.get(kind, kind)
    try:
        with state.store.session() as s:
            audit.record(
                s, who.username, action, subject, value.strip()[:128],
                purpose.strip()[:255] or None, {"found": False, "asked": kind},
            )  # fmt: skip
    except StoreBusy:
        log.warning("refused look-up by %s not audited: the store is busy", who.username)


def _scores(state: ServiceState, *names: str) -> list[dict[str, Any] | None]:
    """`by_id` of each of the scores `names`, or None for those not ready within the wait."""
    found = scorecache.ready_many(
        state.scores, names, state.settings, state.lake.gate, state.score_wait_s
    )
    return [
        None if found[n] is None else scorecache.indexed(state.scores, n, state.settings, found[n])
        for n in names
    ]


def account_score(state: ServiceState, account_id: str, mask: bool) -> dict[str, Any] | None:
    """`{"account": score with features and patterns (example txn_ids) or None}`; None while
    the lake's scores are not ready."""
    (index,) = _scores(state, "accounts")
    if index is None:
        return None
    hit = index.get(account_id)
    item = hit.to_dict() if hit is not None else None
    if item is not None:
        item["account_id"] = masked(item["account_id"], mask)
    return {"account": item}


def number_score(state: ServiceState, number: str, mask: bool) -> dict[str, Any] | None:
    """`{"number": score with reasons and example call_ids or None, "devices": the SIM-box
    scores of the handsets (IMEIs) the number called from}`; None while not ready."""
    numbers, devices = _scores(state, "numbers", "devices")
    if numbers is None or devices is None:
        return None
    hit = numbers.get(number)
    item = hit.to_dict("number") if hit is not None else None
    if item is not None:
        item["number"] = masked(item["number"], mask)
    used = []
    for imei in state.lake.devices_of(number):
        device = devices.get(imei)
        if device is not None:
            shown = device.to_dict("device")
            shown["imei"] = masked(imei, mask)
            used.append(shown)
    used.sort(key=lambda d: -d["score"])
    return {"number": item, "devices": used}
