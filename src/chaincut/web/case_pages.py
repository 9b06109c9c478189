"""Console forms that change supervised cases (挂牌督办: create, edit, attach a report) and the
punishment registry (联合惩戒: add a measure, record and decide an appeal, remove one). The
pages showing them are in `chaincut.web.pages`; a refused form comes back with the message and
what was typed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.services import cases, registry
from chaincut.services.errors import ServiceError
from chaincut.services.schemas import CaseCreate, CaseUpdate, PunishmentCreate, SuspectUpdate
from chaincut.store.enums import (
    Action,
    CaseStatus,
    Measure,
    PunishmentBasis,
    Role,
    SuspectStatus,
)
from chaincut.store.errors import StoreError
from chaincut.web.common import form, principal, redirect, render, state_of
from chaincut.web.pages import render_case

router = APIRouter(prefix="/console", include_in_schema=False)
POLICE = (Role.analyst, Role.admin)
_NUMBERS = ("amount_involved", "amount_frozen", "amount_seized", "amount_returned",
            "financiers_caught", "financiers_at_large", "core_members_caught",
            "core_members_at_large")  # fmt: skip


def _message(exc: Exception) -> str:
    if isinstance(exc, ServiceError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "bad_form"
    return str(exc)


def _given(data: dict[str, str], *names: str) -> dict[str, Any]:
    return {n: data[n].strip() for n in names if data.get(n, "").strip()}


@router.post("/cases", response_class=HTMLResponse)
async def create_case(request: Request) -> Response:
    who = principal(request, *POLICE)
    data = await form(request)
    try:
        body = CaseCreate(
            **_given(data, "case_id", "name", "batch", "den_location", "amount_involved"),
            fraud_methods=[
                m.strip() for m in data.get("fraud_methods", "").split(",") if m.strip()
            ],
        )
        with state_of(request).store.session() as s:
            cases.create_case(s, who, body)
    except (ValidationError, ValueError, ServiceError, StoreError) as exc:
        with state_of(request).store.session(readonly=True) as s:
            found = cases.list_cases(s)
        return render(request, "cases.html", who, 400, cases=found, error=_message(exc), typed=data)
    return redirect(f"/console/cases/{body.case_id}")


@router.post("/cases/{case_id}", response_class=HTMLResponse)
async def edit_case(request: Request, case_id: str) -> Response:
    who = principal(request, *POLICE)
    data = await form(request)
    try:
        body = CaseUpdate(
            **_given(data, "name", "batch", "den_location", "note", *_NUMBERS),
            status=CaseStatus(data["status"]) if data.get("status") else None,
        )
        with state_of(request).store.session() as s:
            cases.update_case(s, who, case_id, body)
            if data.get("report_id", "").strip():
                cases.attach_report(s, who, case_id, data["report_id"].strip())
    except (ValidationError, ValueError, ServiceError, StoreError) as exc:
        return render_case(request, who, case_id, 400, _message(exc))
    return redirect(f"/console/cases/{case_id}")


@router.post("/cases/{case_id}/suspects/{suspect_id}", response_class=HTMLResponse)
async def suspect_status(request: Request, case_id: str, suspect_id: int) -> Response:
    """Record a suspect's arrest (or sentence, or release), as `PATCH
    /v1/cases/{id}/suspects/{suspect}`: the case's counts follow."""
    who = principal(request, *POLICE)
    data = await form(request)
    try:
        status = SuspectStatus(data.get("status", ""))
        arrested = datetime.now(UTC) if status is not SuspectStatus.at_large else None
        body = SuspectUpdate(status=status, arrested_at=arrested,
                             sentence=data.get("sentence", "").strip() or None)  # fmt: skip
        with state_of(request).store.session() as s:
            cases.update_suspect(s, who, case_id, suspect_id, body)
    except (ValidationError, ValueError, ServiceError, StoreError) as exc:
        return render_case(request, who, case_id, 400, _message(exc))
    return redirect(f"/console/cases/{case_id}")


def _registry(request: Request, who: Any, error: str, status_code: int = 400) -> Response:
    with state_of(request).store.session(readonly=True) as s:
        measures = registry.list_measures(s)
    return render(
        request, "registry.html", who, status_code, measures=measures, actions=list(Action),
        measure_kinds=list(Measure), bases=list(PunishmentBasis), error=error,
    )  # fmt: skip


@router.post("/registry", response_class=HTMLResponse)
async def add_measure(request: Request) -> Response:
    who = principal(request, *POLICE)
    data = await form(request)
    try:
        start = datetime.fromisoformat(data.get("start") or "").replace(tzinfo=UTC)
        body = PunishmentCreate(
            **_given(data, "subject_id", "subject_name", "retained_phone"),
            measure=Measure(data.get("measure", "")),
            basis=PunishmentBasis(data.get("basis", "")),
            start=start,
        )
        with state_of(request).store.session() as s:
            purpose = data.get("purpose", "").strip() or "registry"
            registry.add_measure(s, who, body, purpose, state_of(request))
    except (ValidationError, ValueError, ServiceError, StoreError) as exc:
        return _registry(request, who, _message(exc))
    return redirect("/console/registry")


@router.post("/registry/{punishment_id}/{step}", response_class=HTMLResponse)
async def registry_step(request: Request, punishment_id: int, step: str) -> Response:
    """`appeal` (the subject's note), `uphold` / `reject` (the decision), `remove` (a reason)."""
    who = principal(request, *POLICE)
    text = (await form(request)).get("note", "").strip()
    if step in ("appeal", "remove") and not text:
        return _registry(request, who, "reason_needed")
    try:
        with state_of(request).store.session() as s:
            if step == "appeal":
                registry.appeal(s, who, punishment_id, text)
            elif step in ("uphold", "reject"):
                registry.decide(s, who, punishment_id, step == "uphold")
            elif step == "remove":
                registry.remove(s, who, punishment_id, text)
            else:
                return render(request, "error.html", who, 404, message="not_found")
    except (ValueError, ServiceError, StoreError) as exc:
        return _registry(request, who, _message(exc))
    return redirect("/console/registry")
