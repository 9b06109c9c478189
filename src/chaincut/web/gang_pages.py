"""Console pages for the gangs behind the reports (全链条打击, docs/gangs.md): the list, one
gang's network (drawn by the same library as the money flow), its members' roles and evidence,
its timeline and cases, and "open a supervised case" (挂牌督办). Analysts and admins only;
every view audited through `chaincut.services.gangs`, as the API's."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.services import gang_network, gangs
from chaincut.services.errors import ServiceError
from chaincut.services.schemas import CaseCreate
from chaincut.store.enums import Role
from chaincut.store.errors import StoreError
from chaincut.store.tables import Report
from chaincut.web.common import form, language, principal, redirect, render, state_of
from chaincut.web.i18n import translate
from chaincut.web.phrasing import member_evidence

router = APIRouter(prefix="/console", include_in_schema=False)
POLICE = (Role.analyst, Role.admin)
#: what the page calls the analysis missing: a 503 of the service, answered with what to do
_NOT_RUN = 503


def _words(lang: str) -> dict[str, str]:
    """The network's hover words in `lang`: member kinds, roles and link reasons."""
    keys = [f"gang_kind_{k}" for k in gang_network.KINDS]
    keys += [f"gang_role_{r}" for r in gang_network.ROLES]
    keys += [f"gang_link_{why}" for why in ("money", "evidence", "den")]
    return {key.removeprefix("gang_"): translate(key, lang) for key in keys}


def _hover_evidence(picture: dict[str, Any], gang: dict[str, Any], lang: str) -> None:
    """The network's members say their evidence in `lang`, as the members' table does."""
    said = {(m["kind"], m["id"]): [e.text for e in member_evidence(m, lang)]
            for m in gang["members"]}  # fmt: skip
    for node in picture["nodes"]:
        if (node.get("kind"), node.get("label")) in said:
            node["evidence"] = said[node["kind"], node["label"]]


def _escaped(value: Any) -> str:
    """JSON for a `<script type="application/json">` element: nothing in it can close the tag."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@router.get("/gangs", response_class=HTMLResponse)
def gangs_page(request: Request) -> Response:
    """Every gang of the last `chaincut gangs` run, most reports first; before any run, a page
    that says to run it."""
    who = principal(request, *POLICE)
    state = state_of(request)
    try:
        with state.store.session() as s:
            found = gangs.list_gangs(state, s, who)
    except ServiceError as exc:
        if exc.status != _NOT_RUN:
            raise
        return render(request, "gangs.html", who, 503, gangs=[], not_run=True)
    return render(request, "gangs.html", who, gangs=found, not_run=False)


def _gang_page(
    request: Request, gang_id: str, status_code: int = 200, error: str | None = None,
    typed: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    who = principal(request, *POLICE)
    state = state_of(request)
    try:
        with state.store.session() as s:
            found = gangs.get_gang(state, s, who, gang_id)
        # the lake's reads outside the writing session: its lock is held for milliseconds
        with state.store.session(readonly=True) as s:
            with state.lake.gate.reading():
                money = gang_network.money_links(state, s, found)
            events = gang_network.timeline(s, found, money.report_times)
            filed = {r for r in found["reports"] if s.get(Report, r) is not None}
    except ServiceError as exc:
        if exc.status == _NOT_RUN:
            return render(request, "gangs.html", who, 503, gangs=[], not_run=True)
        if exc.status == 404:
            return render(request, "error.html", who, 404, message="unknown_gang", detail=gang_id)
        raise
    picture = gang_network.network(found, money)
    _hover_evidence(picture, found, language(request))
    return render(
        request, "gang.html", who, status_code, gang=found, timeline=events, filed=filed,
        nodes=len(picture["nodes"]), gang_json=_escaped(picture),
        graph_words=_escaped(_words(language(request))), error=error, typed=typed or {},
    )  # fmt: skip


@router.get("/gangs/{gang_id}", response_class=HTMLResponse)
def gang_page(request: Request, gang_id: str) -> Response:
    """One gang: its network, members with roles and evidence, timeline, cases."""
    return _gang_page(request, gang_id)


@router.post("/gangs/{gang_id}/case", response_class=HTMLResponse)
async def open_case(request: Request, gang_id: str) -> Response:
    """Open a supervised case (挂牌督办) from the gang, as `POST /v1/gangs/{id}/case`; on
    success the case's page, else the gang page again with the form as typed."""
    who = principal(request, *POLICE)
    data = await form(request)
    state = state_of(request)
    try:
        body = CaseCreate(
            case_id=data.get("case_id", "").strip(),
            name=data.get("name", "").strip(),
            den_location=data.get("den_location", "").strip() or None,
        )
        with state.store.session() as s:
            created = gangs.open_case(state, s, who, gang_id, body)
    except (ValidationError, ValueError):
        return _gang_page(request, gang_id, 400, "bad_case", data)
    except (ServiceError, StoreError) as exc:
        if isinstance(exc, ServiceError) and exc.status in (404, _NOT_RUN):
            return _gang_page(request, gang_id)
        message = exc.message if isinstance(exc, ServiceError) else str(exc)
        return _gang_page(request, gang_id, 409, message, data)
    return redirect(f"/console/cases/{created.case_id}")


@router.get("/reports/{report_id}/gang", response_class=HTMLResponse)
def report_gang(request: Request, report_id: str) -> Response:
    """The gang a report belongs to (joining it incrementally when filed since the last run):
    its page, or a page saying the report is in no gang."""
    who = principal(request, *POLICE)
    state = state_of(request)
    try:
        with state.store.session() as s:
            found = gangs.report_gang(state, s, who, report_id)
    except ServiceError as exc:
        if exc.status == _NOT_RUN:
            return render(request, "gangs.html", who, 503, gangs=[], not_run=True)
        if exc.status == 404:
            return render(request, "error.html", who, 404, message="no_gang", detail=report_id)
        raise
    return redirect(f"/console/gangs/{found['gang_id']}")
