"""Console pages: sign-in, the dashboard and reports with their money-flow graph."""

from __future__ import annotations

import json
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.model.schema import CHANNELS
from chaincut.services import reports as report_cases
from chaincut.services.context import SESSION_COOKIE, authenticate
from chaincut.services.errors import ServiceError
from chaincut.services.orders import next_steps
from chaincut.services.phrases import phrase
from chaincut.services.schemas import ReportCreate
from chaincut.services.statistics import statistics
from chaincut.services.views import order_public
from chaincut.services.warnings import figures as warning_figures
from chaincut.store import report
from chaincut.store.enums import OrderKind, OrderStatus, Role, TracingRule
from chaincut.store.errors import AlreadyExists, AuthenticationFailed, NotFound, StoreError
from chaincut.web.charts import bar_chart
from chaincut.web.common import form, language, principal, redirect, render, state_of
from chaincut.web.i18n import translate
from chaincut.web.phrasing import say

router = APIRouter(prefix="/console", include_in_schema=False)
ANALYSTS = (Role.analyst, Role.admin)


@router.get("", response_class=HTMLResponse)
def home(request: Request) -> Response:
    who = principal(request)
    return redirect("/console/dashboard" if who.role is not Role.public else "/console/self-check")


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    return render(request, "sign_in.html", None)


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    token = (await form(request)).get("token", "").strip()
    try:
        authenticate(state_of(request), token)
    except AuthenticationFailed:
        return render(request, "sign_in.html", None, 401, error="bad_token")
    response = redirect("/console")
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600)
    return response


@router.post("/sign-out")
def sign_out() -> Response:
    response = redirect("/console/sign-in")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request) -> Response:
    who = principal(request, Role.bank, Role.telecom, Role.analyst, Role.admin)
    state = state_of(request)
    with state.store.session(readonly=True) as s:
        stats = statistics(s, state.lake)
        warned = warning_figures(s)
    lang = language(request)

    def region(key: str) -> str:
        return translate("region_unknown", lang) if key == "unknown" else key

    charts = {
        "by_period": bar_chart([(b.key, b.lost) for b in stats.by_period], lang=lang),
        "by_type": bar_chart(
            [(translate(f"type_{b.key}", lang), b.lost) for b in stats.by_fraud_type[:12]],
            horizontal=True,
            lang=lang,
        ),
        "by_region": bar_chart(
            [(region(b.key), b.lost) for b in stats.by_region[:12]], horizontal=True, lang=lang
        ),
    }
    return render(request, "dashboard.html", who, stats=stats, charts=charts, warned=warned)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request) -> Response:
    who = principal(request, *ANALYSTS)
    state = state_of(request)
    with state.store.session(readonly=True) as s:
        found = report.list_reports(s, limit=200)
        imported = report_cases.unfiled_reports(state, s)
    return render(
        request, "reports.html", who, reports=found, imported=imported, rules=list(TracingRule)
    )


@router.post("/reports", response_class=HTMLResponse)
async def file_report(request: Request) -> Response:
    who = principal(request, *ANALYSTS)
    data = await form(request)
    state = state_of(request)
    try:
        body = ReportCreate(
            report_id=data.get("report_id", "").strip() or None,
            victim_account=data.get("victim_account", "").strip(),
            fraud_txn_ids=[
                t.strip() for t in data.get("fraud_txn_ids", "").split(";") if t.strip()
            ],
            fraud_type=data.get("fraud_type") or None,
            # an imported report keeps its own time
            filed_at=datetime.fromisoformat(data["filed_at"]) if data.get("filed_at") else None,
            rule=TracingRule(data.get("rule") or TracingRule.libr),
            on_duplicate="join" if data.get("on_duplicate") == "join" else "refuse",
        )
        with state.store.session() as s:
            filed = report_cases.file_report(body, s, who, state, source="console")
    except (ValidationError, ValueError, ServiceError, StoreError) as exc:
        with state.store.session(readonly=True) as s:
            found = report.list_reports(s, limit=200)
            imported = report_cases.unfiled_reports(state, s)
        return render(
            request,
            "reports.html",
            who,
            409 if isinstance(exc, ServiceError) and exc.status == 409 else 400,
            reports=found,
            imported=imported,
            rules=list(TracingRule),
            error=_filing_error(exc, language(request)),
            filed=data,  # the form keeps what was typed
        )
    return redirect(f"/console/reports/{filed.report.report_id}")


def _graph_words(lang: str) -> dict[str, str]:
    """The hover text's words in `lang`: order kinds and statuses, node roles, channels."""
    keys = [
        "hop",
        *(f"kind_{k.value}" for k in OrderKind),
        *(f"status_{s.value}" for s in OrderStatus),
    ]
    keys += [
        f"node_{r}"
        for r in ("victim", "account", "frozen", "exit", "hub", "established", "returned")
    ]
    keys += [f"channel_{c}" for c in CHANNELS]
    return {key: translate(key, lang) for key in keys}


def _filing_error(exc: Exception, lang: str) -> str:
    """What the analyst reads when a filing is refused: never a raw validation dump."""
    if isinstance(exc, ServiceError):
        return say(exc.phrase, lang) if exc.phrase is not None else exc.message
    if isinstance(exc, ValidationError):
        fields = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        return translate("bad_report_id" if "report_id" in fields else "bad_filing", lang)
    if isinstance(exc, AlreadyExists):
        return say(phrase("filing_report_exists", report=exc.key), lang)
    return str(exc)


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str, rule: TracingRule = TracingRule.libr) -> Response:
    who = principal(request, *ANALYSTS)
    try:
        traced = report_cases.trace_report(
            state_of(request), who, report_id, rule, "console", action="view_report"
        )
    except NotFound:
        return render(request, "error.html", who, 404, message="unknown_report", detail=report_id)
    found, orders, trace = traced.report, traced.orders, traced.trace
    return render(
        request,
        "report.html",
        who,
        report=found,
        orders=[order_public(o, False) for o in orders],
        steps=lambda o: next_steps(o, who.role),
        trace=trace,
        graph_json=json.dumps(trace.graph, ensure_ascii=False),
        graph_words=json.dumps(_graph_words(language(request)), ensure_ascii=False),
        rules=list(TracingRule),
        rule=rule,
        filed=traced.filed,
    )
