"""`/v1/scores`: scores as their capabilities land: texts (`chaincut.text`), accounts
(`chaincut.scoring`) and numbers (`chaincut.telecom`), computed once per state of the lake
(`chaincut.service.scorecache`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from chaincut.service import scorecache
from chaincut.service.deps import Institution, NumberDesk, OrderDesk, State
from chaincut.service.errors import ApiError
from chaincut.service.masking import masked
from chaincut.service.schemas import TextScoreRequest
from chaincut.service.scorecache import ScoreCache
from chaincut.service.selfcheck import classify_text
from chaincut.store.enums import Role

router = APIRouter(prefix="/v1/scores", tags=["scores"])

__all__ = ["ScoreCache", "router"]
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
def score_text(body: TextScoreRequest, who: Institution) -> dict[str, Any]:
    """Is this text a fraud script, of which type, and which phrases say so (话术识别)."""
    verdict, why = classify_text(body.text)
    if verdict is None:
        raise ApiError(503, why or "text scoring is unavailable")
    result: dict[str, Any] = verdict.to_dict()
    return result


@router.get("/accounts", responses=_UNAVAILABLE)
def account_scores(who: OrderDesk, state: State, top: Top = TOP_DEFAULT) -> dict[str, Any]:
    """The most suspicious accounts (断卡, 跑分), highest score first, with their reasons.

    A bank sees only its own institution's accounts, masked.
    """
    scores = scorecache.waited(
        state.scores, "accounts", state.settings, state.lake.gate, state.score_wait_s
    )
    if who.role is Role.bank:
        own = {
            str(r[0])
            for r in state.lake.rows(
                "SELECT account_id FROM accounts WHERE institution = ?", [who.institution]
            )
        }
        scores = scores.among(own)
    items = []
    for sc in scores[:top]:
        item = sc.to_dict()
        item["account_id"] = masked(item["account_id"], who.mask)
        items.append(item)
    return {
        "kind": "account",
        "scored": len(scores),
        "flagged": scores.flagged_count(),
        "items": items,
    }


@router.get("/numbers", responses=_UNAVAILABLE)
def number_scores(who: NumberDesk, state: State, top: Top = TOP_DEFAULT) -> dict[str, Any]:
    """The most suspicious phone numbers (涉诈电话, SIM-box SIMs), highest first, with reasons
    and example call_ids; masked below analyst."""
    numbers = scorecache.waited(
        state.scores, "numbers", state.settings, state.lake.gate, state.score_wait_s
    )
    out: dict[str, Any] = numbers.to_dict(top)
    if who.mask:
        for item in out["items"]:
            item["number"] = masked(item["number"], True)
    return out
