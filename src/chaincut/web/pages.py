"""Console pages: the freeze-order queue, look-ups, cases, the registry, audit, self-check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.service import selfcheck
from chaincut.service.deps import ServiceState, client_key
from chaincut.service.errors import ApiError
from chaincut.service.routers import lookup, orders, punishment
from chaincut.service.schemas import PunishmentQuestion
from chaincut.service.views import audit_public, case_public, punishment_public
from chaincut.store import audit, case
from chaincut.store import punishment as registry
from chaincut.store.enums import Action, Role
from chaincut.store.errors import StoreError
from chaincut.web.common import form, principal, redirect, render, state_of

router = APIRouter(prefix="/console", include_in_schema=False)
ANALYSTS = (Role.analyst, Role.admin)


def _queue(request: Request, state: ServiceState, error: str | None = None) -> Response:
    who = principal(request, Role.bank, *ANALYSTS)
    with state.store.session() as s:
        found = orders.list_orders(s, who, None, None, 500, 0)
    return render(request, "orders.html", who, 400 if error else 200, orders=found, error=error)


@router.get("/orders", response_class=HTMLResponse)
def orders_page(request: Request) -> Response:
    return _queue(request, state_of(request))


@router.post("/orders/{order_id}/{step}", response_class=HTMLResponse)
async def order_step(request: Request, order_id: str, step: str) -> Response:
    who = principal(request, Role.bank, *ANALYSTS)
    state = state_of(request)
    back = (await form(request)).get("back") or "/console/orders"
    actions = {"confirm": orders.confirm, "renew": orders.renew, "release": orders.release}
    if step not in actions or (step != "confirm" and who.role is Role.bank):
        return render(request, "error.html", who, 403, message="forbidden")
    try:
        with state.store.session() as s:
            actions[step](order_id, s, who, None)
    except (ApiError, StoreError) as exc:
        return _queue(request, state, exc.message if isinstance(exc, ApiError) else str(exc))
    return redirect(back if back.startswith("/console/") else "/console/orders")


@router.get("/lookup", response_class=HTMLResponse)
def lookup_page(request: Request, kind: str = "", value: str = "", purpose: str = "") -> Response:
    who = principal(request, Role.bank, Role.telecom, *ANALYSTS)
    state = state_of(request)
    result = None
    error = None
    if kind and value:
        if not purpose.strip():
            error = "purpose"
        else:
            calls = {"account": lookup.account, "phone": lookup.number, "person": lookup.person}
            allowed = {
                "account": (Role.bank, *ANALYSTS),
                "phone": (Role.telecom, *ANALYSTS),
                "person": ANALYSTS,
            }
            if kind not in calls or who.role not in allowed[kind]:
                return render(request, "error.html", who, 403, message="forbidden")
            with state.store.session() as s:
                answer = calls[kind](value, s, who, purpose.strip(), state)
            result = answer if not isinstance(answer, Response) else None
            error = None if result is not None else "not_found"
    return render(
        request,
        "lookup.html",
        who,
        kind=kind,
        value=value,
        purpose=purpose,
        result=result,
        error=error,
    )


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request) -> Response:
    who = principal(request, *ANALYSTS)
    with state_of(request).store.session(readonly=True) as s:
        found = [case_public(c) for c in case.list_cases(s)]
    return render(request, "cases.html", who, cases=found)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str) -> Response:
    who = principal(request, *ANALYSTS)
    with state_of(request).store.session(readonly=True) as s:
        found = case_public(case.get_case(s, case_id))
    return render(request, "case.html", who, case=found)


@router.get("/registry", response_class=HTMLResponse)
def registry_page(request: Request) -> Response:
    who = principal(request, Role.bank, Role.telecom, *ANALYSTS)
    measures = []
    if who.role in ANALYSTS:
        with state_of(request).store.session(readonly=True) as s:
            measures = [punishment_public(p, False) for p in registry.list_punishments(s)]
    return render(request, "registry.html", who, measures=measures, actions=list(Action))


@router.post("/registry/check", response_class=HTMLResponse)
async def registry_check(request: Request) -> Response:
    who = principal(request, Role.bank, Role.telecom, *ANALYSTS)
    data = await form(request)
    try:
        question = PunishmentQuestion(
            subject_id=data.get("subject_id", "").strip(),
            action=Action(data.get("action", "")),
            phone=data.get("phone") or None,
        )
    except (ValidationError, ValueError):
        return render(
            request, "registry.html", who, 400, measures=[], actions=list(Action), error="check"
        )
    with state_of(request).store.session() as s:
        answer = punishment.check(question, s, who)
    return render(
        request,
        "registry.html",
        who,
        measures=[],
        actions=list(Action),
        answer=answer,
        question=question,
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, actor: str | None = None) -> Response:
    who = principal(request, Role.admin)
    with state_of(request).store.session(readonly=True) as s:
        entries = [audit_public(e) for e in audit.query(s, actor=actor or None, limit=300)]
    return render(request, "audit.html", who, entries=entries)


@router.get("/self-check", response_class=HTMLResponse)
def self_check_page(request: Request, kind: str = "", value: str = "") -> Response:
    state = state_of(request)
    result = None
    if kind in ("phone", "url", "account", "message", "qq", "wechat") and value.strip():
        if state.limiter.allow(client_key(request, None)):
            return render(request, "error.html", None, 429, message="429")
        with state.store.session(readonly=True) as s:
            result = selfcheck.check(kind, value[:5000], s, state)
    return render(request, "self_check.html", None, kind=kind, value=value, result=result)
