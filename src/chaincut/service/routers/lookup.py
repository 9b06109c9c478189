"""`/v1/accounts`, `/v1/numbers`, `/v1/persons`: look-ups of personal data, each one audited
with who, when, what and the purpose given (`X-Purpose` or `?purpose=`), through
`chaincut.services.lookup` and `chaincut.services.clue`.

A number or an account is found however it is written (`130 1482 1479`, `0086…`, `+86…`).
A bank looks up only its own institution's accounts, an operator only numbers, both masked;
analysts and admins see everything unmasked.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from chaincut.service.deps import Analyst, NumberDesk, OrderDesk, Purpose, State, WriteSession
from chaincut.service.errors import body
from chaincut.services import clue, lookup
from chaincut.services.schemas import LookupPublic

router = APIRouter(prefix="/v1", tags=["look-ups"])


def _not_found(what: str, field: str) -> JSONResponse:
    return JSONResponse(body(404, f"{what} not found", field), 404)


@router.get("/accounts/{account_id}", response_model=LookupPublic)
def account(
    account_id: str, s: WriteSession, who: OrderDesk, why: Purpose, state: State
) -> LookupPublic | JSONResponse:
    found = lookup.account(s, who, account_id, why, state)
    return found if found is not None else _not_found(f"account {account_id!r}", "account_id")


@router.get("/numbers/{number}", response_model=LookupPublic)
def number(
    number: str, s: WriteSession, who: NumberDesk, why: Purpose, state: State
) -> LookupPublic | JSONResponse:
    found = lookup.number(s, who, number, why, state)
    return found if found is not None else _not_found(f"number {number!r}", "number")


@router.get("/persons/{person_id}", response_model=LookupPublic)
def person(
    person_id: str, s: WriteSession, who: Analyst, why: Purpose, state: State
) -> LookupPublic | JSONResponse:
    found = lookup.person(s, who, person_id, why, state)
    return found if found is not None else _not_found(f"person {person_id!r}", "person_id")


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
    found = clue.number_clue(s, who, number, why, state)
    return found if found is not None else _not_found(f"number {number!r}", "number")
