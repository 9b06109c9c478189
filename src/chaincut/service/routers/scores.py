"""`/v1/scores`: scores as their capabilities land; texts first (`chaincut.text`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from chaincut.service.deps import Institution
from chaincut.service.errors import ApiError
from chaincut.service.schemas import TextScoreRequest
from chaincut.service.selfcheck import classify_text

router = APIRouter(prefix="/v1/scores", tags=["scores"])


@router.post("/text", responses={503: {"description": "no text model in this build"}})
def score_text(body: TextScoreRequest, who: Institution) -> dict[str, Any]:
    """Is this text a fraud script, of which type, and which phrases say so (话术识别)."""
    verdict, why = classify_text(body.text)
    if verdict is None:
        raise ApiError(503, why or "text scoring is unavailable")
    result: dict[str, Any] = verdict.to_dict()
    return result
