"""Console pages: look-ups, cases, the registry, audit, self-check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.services import (
    audit_log,
    cases,
    gang_network,
    gangs,
    lookup,
    orders,
    registry,
    selfcheck,
)
from chaincut.services.context import Principal
from chaincut.services.errors import ServiceError
from chaincut.services.schemas import PunishmentQuestion
from chaincut.store.enums import Action, Measure, PunishmentBasis, Role
from chaincut.store.errors import StoreError
from chaincut.web.common import (
    Forbidden,
    client_of,
    form,
    principal,
    render,
    state_of,
)

router = APIRouter(prefix="/console", include_in_schema=False)
ANALYSTS = (Role.analyst, Role.admin)


@router.get("/lookup", response_class=HTMLResponse)
def lookup_page(request: Request, kind: str = "", value: str = "", purpose: str = "") -> Response:
    who = principal(request)  # any role: a refused look-up is audited before the refusal
    state = state_of(request)
    result = None
    error = None
    asked = bool(kind and value)
    if who.role not in (Role.bank, Role.telecom, *ANALYSTS):
        if asked:
            lookup.refused(state, who, kind[:16], value, purpose, "refused_role")
        raise Forbidden
    if asked:
        if not purpose.strip():
            lookup.refused(state, who, kind[:16], value, purpose, "refused_no_purpose")
            error = "purpose"
        else:
            calls = {"account": lookup.account, "phone": lookup.number, "person": lookup.person}
            allowed = {
                "account": (Role.bank, *ANALYSTS),
                "phone": (Role.telecom, *ANALYSTS),
                "person": ANALYSTS,
            }
            if kind not in calls or who.role not in allowed[kind]:
                lookup.refused(state, who, kind[:16], value, purpose, "refused_role")
                return render(request, "error.html", who, 403, message="forbidden")
            with state.store.session() as s:
                result = calls[kind](s, who, value, purpose.strip(), state)
            error = None if result is not None else "not_found"
    # the gangs the subject is a member of, for whoever may open a gang's page
    member_gangs = []
    if result is not None and who.role in ANALYSTS:
        member_gangs = gang_network.gangs_of(state, kind, result.id)
    return render(
        request,
        "lookup.html",
        who,
        kind=kind,
        value=value,
        purpose=purpose,
        result=result,
        error=error,
        member_gangs=member_gangs,
        steps=lambda o: orders.next_steps(o, who.role),
    )


@router.get("/cases", response_class=HTMLResponse)
def cases_page(request: Request) -> Response:
    who = principal(request, *ANALYSTS)
    with state_of(request).store.session(readonly=True) as s:
        found = cases.list_cases(s)
    return render(request, "cases.html", who, cases=found)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: str) -> Response:
    return render_case(request, principal(request, *ANALYSTS), case_id)


def render_case(
    request: Request, who: Principal, case_id: str, status_code: int = 200,
    error: str | None = None,
) -> Response:  # fmt: skip
    """Case `case_id`'s page (its suspects named: `cases.view_case`), with `error` where a form
    was refused; a 404 page when there is no such case."""
    try:
        state = state_of(request)
        with state.store.session() as s:
            found = cases.view_case(state, s, who, case_id)
            followed = gangs.gangs_of_case(s, case_id)
    except (ServiceError, StoreError):
        return render(request, "error.html", who, 404, message="not_found", detail=case_id)
    return render(request, "case.html", who, status_code, case=found, gangs=followed, error=error)


@router.get("/registry", response_class=HTMLResponse)
def registry_page(request: Request) -> Response:
    who = principal(request, Role.bank, Role.telecom, *ANALYSTS)
    measures = []
    if who.role in ANALYSTS:
        with state_of(request).store.session(readonly=True) as s:
            measures = registry.list_measures(s)
    return render(
        request, "registry.html", who, measures=measures, actions=list(Action),
        measure_kinds=list(Measure), bases=list(PunishmentBasis),
    )  # fmt: skip


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
        answer = registry.check(s, who, question, state_of(request))
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
        entries = audit_log.query(s, actor=actor or None, limit=300)
    return render(request, "audit.html", who, entries=entries)


@router.get("/self-check", response_class=HTMLResponse)
def self_check_page(request: Request, kind: str = "", value: str = "") -> Response:
    state = state_of(request)
    result = None
    if kind in ("phone", "url", "account", "message", "qq", "wechat") and value.strip():
        try:
            with state.store.session(readonly=True) as s:
                result = selfcheck.self_check(kind, value[:5000], s, state, client_of(request))
        except ServiceError as exc:
            if exc.status != 429:
                raise
            return render(request, "error.html", None, 429, message="429")
    return render(request, "self_check.html", None, kind=kind, value=value, result=result)
