"""Console pages of the freeze-order queue: filters, accounts grouped with totals, pages, CSV,
and the lifecycle steps (only the buttons the lifecycle allows; a step that needs a reason or a
legal document's number asks for it, with a confirmation, on its own page)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from chaincut.services import order_queue, orders
from chaincut.services.errors import ServiceError
from chaincut.store.enums import OrderStatus, Role
from chaincut.store.errors import StoreError
from chaincut.web.common import form, principal, redirect, render, state_of

router = APIRouter(prefix="/console", include_in_schema=False)
DESK = (Role.bank, Role.analyst, Role.admin)
#: steps that take input: a reason (release, escalate) or the legal document (freeze)
ASKING = ("release", "freeze", "escalate")
PER_PAGE = 50


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filter(request: Request) -> order_queue.OrderFilter:
    q = request.query_params
    statuses = [OrderStatus(v) for v in q.getlist("status") if v in OrderStatus.__members__]
    return order_queue.OrderFilter(
        status=statuses,
        institution=q.get("institution") or None,
        report_id=q.get("report") or None,
        account_id=(q.get("account") or "").strip() or None,
        issued_from=_date(q.get("from")),
        issued_to=_date(q.get("to")),
    )


def _queue(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    who = principal(request, *DESK)
    f = _filter(request)
    try:
        page = max(1, int(request.query_params.get("page") or 1))
        per_page = min(500, max(1, int(request.query_params.get("per_page") or PER_PAGE)))
    except ValueError:
        page, per_page = 1, PER_PAGE
    with state_of(request).store.session() as s:
        found = order_queue.queue(s, who, f, page=page, per_page=per_page)
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "lang")]
    return render(
        request,
        "orders.html",
        who,
        status_code,
        queue=found,
        chosen=f,
        statuses=list(OrderStatus),
        query=query,
        error=error,
        steps=lambda o: orders.next_steps(o, who.role),
    )


@router.get("/orders", response_class=HTMLResponse)
def orders_page(request: Request) -> Response:
    return _queue(request)


@router.get("/orders.csv")
def orders_csv(request: Request) -> Response:
    """Every order the filters match, as CSV (read in the request: the session stays in one
    thread)."""
    who = principal(request, *DESK)
    with state_of(request).store.session() as s:
        body = "".join(order_queue.export_csv(s, who, _filter(request)))
    return Response(
        "\ufeff" + body,  # a byte-order mark: spreadsheet programs then read the Chinese right
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="freeze-orders.csv"'},
    )


@router.get("/orders/{order_id}/{step}", response_class=HTMLResponse)
def step_page(request: Request, order_id: str, step: str) -> Response:
    """The form a step that needs input asks with: a reason or the document, and a confirmation."""
    who = principal(request, *DESK)
    chosen = orders.parse_step(step)
    if chosen not in ASKING:  # confirm and renew need no form: a button posts them
        return render(request, "error.html", who, 404, message="not_found", detail=step)
    if who.role not in orders.STEP_ROLES[chosen]:
        return render(request, "error.html", who, 403, message="forbidden")
    try:
        with state_of(request).store.session() as s:
            order = orders.get_order(s, who, order_id)
    except (ServiceError, StoreError):
        return render(request, "error.html", who, 404, message="not_found", detail=order_id)
    if chosen not in orders.next_steps(order, who.role):
        return render(request, "error.html", who, 409, message="step_not_allowed")
    back = request.query_params.get("back") or "/console/orders"
    return render(request, "order_step.html", who, order=order, step=chosen, back=back)


@router.post("/orders/{order_id}/{step}", response_class=HTMLResponse)
async def order_step(request: Request, order_id: str, step: str) -> Response:
    who = principal(request, *DESK)
    data = await form(request)
    back = data.get("back") or "/console/orders"
    chosen = orders.parse_step(step)
    if chosen is None or who.role not in orders.STEP_ROLES[chosen]:
        return render(request, "error.html", who, 403, message="forbidden")
    if chosen in ASKING and data.get("confirmed") != "yes":
        return _queue(request, "confirm_needed", 400)
    try:
        with state_of(request).store.session() as s:
            orders.apply_step(
                s, who, order_id, chosen, data.get("note") or None, data.get("document") or None
            )
    except (ServiceError, StoreError) as exc:
        status = exc.status if isinstance(exc, ServiceError) else 409
        return _queue(request, exc.message if isinstance(exc, ServiceError) else str(exc), status)
    return redirect(back if back.startswith("/console/") else "/console/orders")
