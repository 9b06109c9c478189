"""Console pages: sign-in, the dashboard and reports with their money-flow graph."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.service.deps import SESSION_COOKIE, authenticate
from chaincut.service.errors import ApiError
from chaincut.service.routers import reports as report_api
from chaincut.service.schemas import ReportCreate
from chaincut.service.statistics import statistics
from chaincut.service.tracing import FiledReport
from chaincut.service.views import order_public
from chaincut.store import audit, freeze_order, report
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
    charts = {
        "by_period": bar_chart([(b.key, b.lost) for b in stats.by_period]),
        "by_type": bar_chart([(b.key, b.lost) for b in stats.by_fraud_type[:12]], horizontal=True),
        "by_region": bar_chart([(b.key, b.lost) for b in stats.by_region[:12]], horizontal=True),
    }
    return render(request, "dashboard.html", who, stats=stats, charts=charts)


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
            filed = report_api.file_report(body, s, who, state)
    except (ValidationError, ValueError, ApiError, StoreError) as exc:
        with state.store.session(readonly=True) as s:
            found = report.list_reports(s, limit=200)
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        return render(
            request, "reports.html", who, 400, reports=found, rules=list(TracingRule), error=message
        )
    return redirect(f"/console/reports/{filed.report.report_id}")


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str, rule: TracingRule = TracingRule.libr) -> Response:
    who = principal(request, *ANALYSTS)
    state = state_of(request)
    with state.store.session(readonly=True) as s:
        found = report.get_report(s, report_id)
        orders = freeze_order.list_orders(s, report_id=report_id)
    with state.lake.gate.reading():  # traced before the audit write takes the store's writer lock
        outcome = state.tracer.trace(
            FiledReport(report_id, found.filed_at, found.victim_account, found.fraud_txn_ids), rule
        )
    with state.store.session() as s:
        audit.record(s, who.username, "view_report", "report", report_id, "console")
    trace = report_api.trace_public(outcome, orders, False)
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
