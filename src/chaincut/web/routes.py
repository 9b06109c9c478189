"""Console pages: sign-in, the dashboard and reports with their money-flow graph."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.services import reports as report_cases
from chaincut.services.context import SESSION_COOKIE, authenticate
from chaincut.services.errors import ServiceError
from chaincut.services.schemas import ReportCreate
from chaincut.services.statistics import statistics
from chaincut.services.views import order_public
from chaincut.services.warnings import figures as warning_figures
from chaincut.store import report
from chaincut.store.enums import Role, TracingRule
from chaincut.store.errors import AuthenticationFailed, StoreError
from chaincut.web.charts import bar_chart
from chaincut.web.common import form, principal, redirect, render, state_of

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
    charts = {
        "by_period": bar_chart([(b.key, b.lost) for b in stats.by_period]),
        "by_type": bar_chart([(b.key, b.lost) for b in stats.by_fraud_type[:12]], horizontal=True),
        "by_region": bar_chart([(b.key, b.lost) for b in stats.by_region[:12]], horizontal=True),
    }
    return render(request, "dashboard.html", who, stats=stats, charts=charts, warned=warned)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request) -> Response:
    who = principal(request, *ANALYSTS)
    with state_of(request).store.session(readonly=True) as s:
        found = report.list_reports(s, limit=200)
    return render(request, "reports.html", who, reports=found, rules=list(TracingRule))


@router.post("/reports", response_class=HTMLResponse)
async def file_report(request: Request) -> Response:
    who = principal(request, *ANALYSTS)
    data = await form(request)
    state = state_of(request)
    try:
        body = ReportCreate(
            report_id=data.get("report_id") or None,
            victim_account=data.get("victim_account", "").strip(),
            fraud_txn_ids=[
                t.strip() for t in data.get("fraud_txn_ids", "").split(";") if t.strip()
            ],
            fraud_type=data.get("fraud_type") or None,
            rule=TracingRule(data.get("rule") or TracingRule.libr),
        )
        with state.store.session() as s:
            filed = report_cases.file_report(body, s, who, state, source="console")
    except (ValidationError, ValueError, ServiceError, StoreError) as exc:
        with state.store.session(readonly=True) as s:
            found = report.list_reports(s, limit=200)
        message = exc.message if isinstance(exc, ServiceError) else str(exc)
        return render(
            request, "reports.html", who, 400, reports=found, rules=list(TracingRule), error=message
        )
    return redirect(f"/console/reports/{filed.report.report_id}")


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str, rule: TracingRule = TracingRule.libr) -> Response:
    who = principal(request, *ANALYSTS)
    traced = report_cases.trace_report(
        state_of(request), who, report_id, rule, "console", action="view_report"
    )
    found, orders, trace = traced.report, traced.orders, traced.trace
    return render(
        request,
        "report.html",
        who,
        report=found,
        orders=[order_public(o, False) for o in orders],
        trace=trace,
        graph_json=json.dumps(trace.graph, ensure_ascii=False),
        rules=list(TracingRule),
        rule=rule,
    )
