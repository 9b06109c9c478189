"""Console pages for the day's work the API alone offered: the top-scored mule accounts (a
bank's fraud team), the SIM-box and fraud numbers (an operator's security team), the number
clue (号码核查), and the fraud list (涉诈名单) with adding and removing entries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.services import clue, fraud_list, lookup, scores
from chaincut.services.errors import ServiceError
from chaincut.services.schemas import FraudEntryCreate
from chaincut.store.enums import ListedKind, ListRisk, Role
from chaincut.store.errors import StoreError
from chaincut.web.common import Forbidden, form, principal, redirect, render, state_of

router = APIRouter(prefix="/console", include_in_schema=False)
POLICE = (Role.analyst, Role.admin)
TOP = 100


def _scored(request: Request, kind: str, roles: tuple[Role, ...]) -> Response:
    who = principal(request, *roles)
    state = state_of(request)
    found: dict[str, Any] | None = None
    try:
        if kind == "accounts":
            found = scores.account_scores(state, who, TOP)
        else:
            found = scores.number_scores(state, who, TOP)
    except ServiceError as exc:
        if exc.status != 503:
            raise
    return render(request, "worklist.html", who, kind=kind, found=found)


@router.get("/worklist/accounts", response_class=HTMLResponse)
def mule_accounts(request: Request) -> Response:
    """The highest-scored accounts (断卡, 跑分) with their reasons; a bank's own only."""
    return _scored(request, "accounts", (Role.bank, *POLICE))


@router.get("/worklist/numbers", response_class=HTMLResponse)
def fraud_numbers(request: Request) -> Response:
    """The highest-scored numbers (fraud lines, SIM-box SIMs) with their reasons."""
    return _scored(request, "numbers", (Role.telecom, *POLICE))


@router.get("/clue", response_class=HTMLResponse)
def clue_page(request: Request, number: str = "", purpose: str = "") -> Response:
    who = principal(request)  # any role: a refused clue is audited before the refusal
    result, error = None, None
    if who.role not in (Role.telecom, *POLICE):
        if number.strip():
            lookup.refused(state_of(request), who, "clue", number, purpose, "refused_role")
        raise Forbidden
    if number.strip():
        if not purpose.strip():
            lookup.refused(state_of(request), who, "clue", number, purpose, "refused_no_purpose")
            error = "purpose_needed"
        else:
            try:
                with state_of(request).store.session() as s:
                    result = clue.number_clue(s, who, number, purpose.strip(), state_of(request))
                error = None if result is not None else "not_found"
            except ServiceError as exc:
                error = "clue_pending" if exc.status == 503 else exc.message
    return render(
        request, "clue.html", who, number=number, purpose=purpose, result=result, error=error
    )


def _list_page(
    request: Request, error: str | None = None, status_code: int = 200, typed: Any = None
) -> Response:
    who = principal(request, Role.bank, Role.telecom, *POLICE)
    state = state_of(request)
    q = request.query_params
    kind = ListedKind(q["kind"]) if q.get("kind") in ListedKind.__members__ else None
    try:
        with state.store.session() as s:
            entries = fraud_list.list_entries(
                s, who, "fraud list page", state.settings, kind=kind,
                value=(q.get("value") or "").strip() or None, limit=200,
            )  # fmt: skip
    except ServiceError as exc:
        entries, error, status_code = [], exc.message, exc.status
    return render(
        request, "fraud_list.html", who, status_code, entries=entries, kinds=list(ListedKind),
        risks=list(ListRisk), chosen=kind, error=error, typed=typed or {},
    )  # fmt: skip


@router.get("/fraud-list", response_class=HTMLResponse)
def fraud_list_page(request: Request) -> Response:
    return _list_page(request)


@router.post("/fraud-list", response_class=HTMLResponse)
async def add_to_list(request: Request) -> Response:
    who = principal(request, Role.bank, Role.telecom, *POLICE)
    data = await form(request)
    state = state_of(request)
    try:
        body = FraudEntryCreate(
            kind=ListedKind(data.get("kind", "")),
            value=data.get("value", "").strip(),
            reason=data.get("reason", "").strip(),
            risk=ListRisk(data.get("risk") or ListRisk.high),
        )
        with state.store.session() as s:
            fraud_list.add_entry(s, who, body, state.settings, state.lake)
    except (ValidationError, ValueError):
        return _list_page(request, "bad_entry", 400, data)
    except (ServiceError, StoreError) as exc:
        message = exc.message if isinstance(exc, ServiceError) else str(exc)
        return _list_page(request, message, 400, data)
    return redirect("/console/fraud-list")


@router.post("/fraud-list/{entry_id}/remove", response_class=HTMLResponse)
async def remove_from_list(request: Request, entry_id: int) -> Response:
    who = principal(request, Role.bank, Role.telecom, *POLICE)
    reason = (await form(request)).get("reason", "").strip()
    if not reason:
        return _list_page(request, "reason_needed", 400)
    try:
        with state_of(request).store.session() as s:
            fraud_list.remove_entry(s, who, entry_id, reason)
    except (ServiceError, StoreError) as exc:
        message = exc.message if isinstance(exc, ServiceError) else str(exc)
        return _list_page(request, message, 400)
    return redirect("/console/fraud-list")
