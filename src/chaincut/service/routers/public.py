"""`/v1/self-check`, `/v1/statistics` and `/v1/me`: what the public and every user may see."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from chaincut.service.deps import Caller, ReadSession, State
from chaincut.services import selfcheck
from chaincut.services.schemas import (
    ErrorBody,
    Me,
    SelfCheckRequest,
    SelfCheckResult,
    Statistics,
)
from chaincut.services.statistics import statistics

router = APIRouter(prefix="/v1", tags=["public"])


@router.get("/me", response_model=Me)
def me(who: Caller) -> Me:
    return Me(username=who.username, role=who.role, institution=who.institution, masked=who.mask)


@router.post(
    "/self-check",
    response_model=SelfCheckResult,
    responses={429: {"model": ErrorBody, "description": "too many checks from this client"}},
)
def self_check(body: SelfCheckRequest, s: ReadSession, state: State) -> SelfCheckResult:
    """Check a number, link, account or message before paying; open to everyone, rate-limited
    per client (counted before the body is read, by `chaincut.service.guard`: invalid requests
    count too).

    The answer never holds personal data: a risk level, the reasons in general words, advice.
    """
    return selfcheck.check(body.kind, body.value, s, state)


@router.get("/statistics", response_model=Statistics)
def get_statistics(
    s: ReadSession,
    _who: Caller,
    state: State,
    period: Annotated[Literal["month", "day"], Query()] = "month",
) -> Statistics:
    """Cases, victims, money lost, intercepted and returned, dissuasions and punishments."""
    return statistics(s, state.lake, period=period)
