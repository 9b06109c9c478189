"""`/v1/scores`: scores as their capabilities land: texts (`chaincut.text`), accounts
(`chaincut.scoring`) and numbers (`chaincut.telecom`), computed once per state of the lake
(`chaincut.services.scorecache`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from chaincut.service.deps import Institution, NumberDesk, OrderDesk, State
from chaincut.services import scores
from chaincut.services.schemas import TextScoreRequest

router = APIRouter(prefix="/v1/scores", tags=["scores"])

#: how many scores a list returns by default, and at most
TOP_DEFAULT = 50
TOP_MAX = 1000
Top = Annotated[int, Query(ge=1, le=TOP_MAX, description="how many of the highest scores")]
_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "the scores are still being computed (the first ask after a start or "
        "an import), or the lake cannot be read; ask again after Retry-After seconds",
        "headers": {
            "Retry-After": {
                "description": "seconds to wait before asking again",
                "schema": {"type": "integer"},
            }
        },
    }
}


@router.post("/text", responses={503: {"description": "no text model in this build"}})
def score_text(body: TextScoreRequest, _who: Institution) -> dict[str, Any]:
    """Is this text a fraud script, of which type, and which phrases say so (话术识别)."""
    return scores.score_text(body.text)


@router.get("/accounts", responses=_UNAVAILABLE)
def account_scores(who: OrderDesk, state: State, top: Top = TOP_DEFAULT) -> dict[str, Any]:
    """The most suspicious accounts (断卡, 跑分), highest score first, with their reasons.
    A bank sees only its own institution's accounts, masked.
    """
    return scores.account_scores(state, who, top)


@router.get("/numbers", responses=_UNAVAILABLE)
def number_scores(who: NumberDesk, state: State, top: Top = TOP_DEFAULT) -> dict[str, Any]:
    """The most suspicious phone numbers (涉诈电话, SIM-box SIMs), highest first, with reasons
    and example call_ids; masked below analyst."""
    return scores.number_scores(state, who, top)
