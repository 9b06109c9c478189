"""Console: the early-warning worklist (预警工作单) and the dissuasion outcome form (劝阻结果)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chaincut.services import warnings
from chaincut.services.errors import ServiceError
from chaincut.services.warning_schemas import DissuasionCreate
from chaincut.store.enums import DissuasionChannel, Role
from chaincut.store.errors import StoreError
from chaincut.web.common import form, principal, redirect, render, state_of

router = APIRouter(prefix="/console", include_in_schema=False)
ANALYSTS = (Role.analyst, Role.admin)
#: the form's outcome choice -> (reached, dissuaded, already paid)
OUTCOMES = {
    "not_reached": (False, False, False),
    "reached_continued": (True, False, False),
    "reached_dissuaded": (True, True, False),
    "already_paid": (True, False, True),
}


def _page(request: Request, status: int = 200, error: str | None = None) -> Response:
    who = principal(request, *ANALYSTS)
    try:
        capacity = max(1, min(10_000, int(request.query_params.get("capacity", "100"))))
    except ValueError:
        capacity = 100
    with state_of(request).store.session(readonly=True) as s:
        found = warnings.worklist(s, capacity=capacity)
        figures = warnings.figures(s)
    return render(request, "warnings.html", who, status, warnings=found, figures=figures,
                  capacity=capacity, channels=list(DissuasionChannel), outcomes=list(OUTCOMES),
                  error=error)  # fmt: skip


@router.get("/warnings", response_class=HTMLResponse)
def worklist_page(request: Request) -> Response:
    return _page(request)


@router.post("/warnings/{warning_id}/dissuasions", response_class=HTMLResponse)
async def record_outcome(request: Request, warning_id: int) -> Response:
    who = principal(request, *ANALYSTS)
    data = await form(request)
    state = state_of(request)
    try:
        reached, dissuaded, paid = OUTCOMES[data.get("outcome", "")]
        kept = data.get("money_kept", "").strip()
        body = DissuasionCreate(
            channel=DissuasionChannel(data.get("channel", "")), reached=reached,
            dissuaded=dissuaded, already_paid=paid, note=data.get("note") or None,
            money_kept=Decimal(kept) if kept else None,
            victim_account=data.get("victim_account") or None,
        )  # fmt: skip
        with state.store.session() as s:
            warnings.record_outcome(s, who, state, warning_id, body)
    except KeyError:
        return _page(request, 400, "outcome: choose one")
    except (ValidationError, ValueError, InvalidOperation, ServiceError, StoreError) as exc:
        return _page(request, 400, exc.message if isinstance(exc, ServiceError) else str(exc))
    return redirect("/console/warnings")
