"""`/v1/accounts`, `/v1/numbers`, `/v1/persons`: look-ups of personal data, each one audited
with who, when, what and the purpose given (`X-Purpose` or `?purpose=`).

A bank looks up only its own institution's accounts, an operator only numbers, both masked;
analysts and admins see everything unmasked.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import select

from chaincut.service import scorecache
from chaincut.service.deps import (
    Analyst,
    NumberDesk,
    OrderDesk,
    Purpose,
    ServiceState,
    State,
    WriteSession,
    commit_now,
)
from chaincut.service.errors import body
from chaincut.service.masking import mask_identifier, masked
from chaincut.service.schemas import LookupPublic
from chaincut.service.views import order_public
from chaincut.store import audit, freeze_order
from chaincut.store.enums import Role
from chaincut.store.tables import EarlyWarning

router = APIRouter(prefix="/v1", tags=["look-ups"])


def _mask_facts(facts: dict[str, Any], keys: tuple[str, ...], mask: bool) -> dict[str, Any]:
    out = dict(facts)
    for key in keys:
        value = out.get(key)
        if isinstance(value, list):
            out[key] = [masked(str(v), mask) for v in value]
        elif isinstance(value, str):
            out[key] = masked(value, mask)
    return out


def _not_found(what: str, field: str) -> JSONResponse:
    # returned, not raised: raising would roll back the audit entry of the failed look-up
    return JSONResponse(body(404, f"{what} not found", field), 404)


def _warnings(s: WriteSession, kind: str, subject: str) -> list[dict[str, Any]]:
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


@router.get("/accounts/{account_id}", response_model=LookupPublic)
def account(
    account_id: str, s: WriteSession, who: OrderDesk, why: Purpose, state: State
) -> LookupPublic | JSONResponse:
    lake = state.lake
    facts = lake.account(account_id)
    if facts is None or (who.role is Role.bank and facts.get("institution") != who.institution):
        audit.record(
            s, who.username, "lookup_account", "account", account_id, why, {"found": False}
        )
        return _not_found(f"account {account_id!r}", "account_id")
    # the lake first: the store's write (the audit entry) holds its writer lock to the end
    scores = account_score(state, account_id, who.mask)
    listing = lake.listed("account", account_id)
    audit.record(s, who.username, "lookup_account", "account", account_id, why, {"found": True})
    orders = freeze_order.list_orders(s, account_id=account_id)
    reasons = [f"listed as {listing}"] if listing and not who.mask else []
    reasons += [f"{o.kind} order {o.order_id}: {o.status}, {o.amount}" for o in orders]
    commit_now(s)
    return LookupPublic(
        kind="account",
        id=masked(account_id, who.mask) or "",
        facts=_mask_facts(facts, ("holder_id",), who.mask),
        orders=[order_public(o, who.mask) for o in orders],
        reasons=reasons,
        scores=scores,
    )


@router.get("/numbers/{number}", response_model=LookupPublic)
def number(
    number: str, s: WriteSession, who: NumberDesk, why: Purpose, state: State
) -> LookupPublic | JSONResponse:
    lake = state.lake
    facts = lake.number(number)
    # the lake first: the store's write (the audit entry) holds its writer lock to the end
    scores = number_score(state, number, who.mask) if facts is not None else None
    listing = lake.listed("phone", number)
    audit.record(
        s, who.username, "lookup_number", "phone", number, why, {"found": facts is not None}
    )
    if facts is None:
        return _not_found(f"number {number!r}", "number")
    reasons = [f"listed as {listing}"] if listing else []
    if facts["calls_out"] and not facts["calls_in"] and facts["distinct_callees"] >= 20:
        reasons.append("outbound only, to many distinct callees (SIM-box pattern)")
    commit_now(s)
    return LookupPublic(
        kind="phone",
        id=masked(number, who.mask) or "",
        facts=_mask_facts(facts, ("holders",), who.mask),
        warnings=_warnings(s, "phone", number),
        reasons=reasons,
        scores=scores,
    )


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
    imeis = [str(r[0]) for r in state.lake.rows(
        "SELECT DISTINCT imei FROM calls WHERE caller = ? AND imei IS NOT NULL ORDER BY 1 LIMIT 20",
        [number],
    )]  # fmt: skip
    used = []
    for imei in imeis:
        device = devices.get(imei)
        if device is not None:
            shown = device.to_dict("device")
            shown["imei"] = masked(imei, mask)
            used.append(shown)
    used.sort(key=lambda d: -d["score"])
    return {"number": item, "devices": used}


@router.get("/persons/{person_id}", response_model=LookupPublic)
def person(
    person_id: str, s: WriteSession, who: Analyst, why: Purpose, state: State
) -> LookupPublic | JSONResponse:
    facts = state.lake.person(person_id)
    audit.record(
        s, who.username, "lookup_person", "person", person_id, why, {"found": facts is not None}
    )
    if facts is None:
        return _not_found(f"person {person_id!r}", "person_id")
    return LookupPublic(
        kind="person", id=person_id, facts=facts, warnings=_warnings(s, "person", person_id)
    )


#: keys of a clue's dict that hold phone numbers, and those that hold personal data
_CLUE_PHONES = frozenset({"number", "victim", "via", "clues", "sims", "reached_by"})
_CLUE_PERSONAL = frozenset({"name", "id_number", "person_id", "holders"})
_DIGITS = re.compile(r"\+?\d{7,}")


def _mask_clue(value: Any, asked: str, key: str | None = None) -> Any:
    """A clue's dict with holders, id numbers and every number but `asked` masked."""
    if isinstance(value, dict):
        return {k: _mask_clue(v, asked, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_clue(v, asked, key) for v in value]
    if not isinstance(value, str):
        return value
    if key in _CLUE_PHONES:
        return value if value == asked else mask_identifier(value)
    if key in _CLUE_PERSONAL:
        return mask_identifier(value)
    if key == "detail":  # link details name the numbers they join
        return _DIGITS.sub(lambda m: m[0] if m[0] == asked else mask_identifier(m[0]), value)
    return value


@router.get(
    "/numbers/{number}/clue",
    response_model=None,
    responses={
        503: {
            "description": "the clue index is being built (the first ask after a start or an "
            "import), or the lake cannot be read; ask again after Retry-After seconds",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        }
    },
)
def number_clue(
    number: str, s: WriteSession, who: NumberDesk, why: Purpose, state: State
) -> dict[str, Any] | JSONResponse:
    """Number-clue verification (号码核查): the number's facts and its candidate dens."""
    from chaincut.telecom.verify import ClueUnavailable, clue

    try:
        _clue_index(state)
        with state.lake.gate.reading():
            result = clue(state.settings, [number])
    except ClueUnavailable as exc:
        audit.record(s, who.username, "clue_number", "phone", number, why, {"found": False})
        retry = {"Retry-After": str(scorecache.RETRY_AFTER_S)}
        return JSONResponse(body(503, str(exc)), 503, headers=retry)
    found = bool(result.numbers) and result.numbers[0].known
    audit.record(s, who.username, "clue_number", "phone", number, why, {"found": found})
    if not found:
        return _not_found(f"number {number!r}", "number")
    out: dict[str, Any] = result.to_dict()
    return _mask_clue(out, number) if who.mask else out


def _clue_index(state: ServiceState) -> None:
    """Bring the clue index up to date in the background, waiting `score_wait_s` at most;
    raises `ClueUnavailable` when it cannot be built or is still being built."""
    from chaincut.telecom.clue.fresh import ensure_clue_index
    from chaincut.telecom.verify import ClueUnavailable

    def build() -> None:
        with state.lake.gate.reading():
            ensure_clue_index(state.settings)

    key = scorecache.lake_key(state.settings)
    worker = state.scores.background("clue-index", key, build)
    worker.join(state.score_wait_s)
    if worker.is_alive():
        raise ClueUnavailable(
            "the clue index of this lake is being built; ask again in a few seconds"
        )
    failed = state.scores.failure("clue-index", key)
    if failed is not None:
        raise ClueUnavailable(str(failed)) from failed
