"""Scores as their capabilities land: texts (`chaincut.text`), accounts (`chaincut.scoring`)
and numbers (`chaincut.telecom`), computed once per state of the lake
(`chaincut.services.scorecache`), masked below analyst."""

from __future__ import annotations

from typing import Any

from chaincut.services import scorecache
from chaincut.services.carriers import holds_number
from chaincut.services.context import Principal, ServiceState
from chaincut.services.errors import ServiceError
from chaincut.services.masking import masked
from chaincut.services.selfcheck import classify_text
from chaincut.store.enums import Role


def score_text(text: str) -> dict[str, Any]:
    """Is this text a fraud script, of which type, and which phrases say so (话术识别); a 503
    `ServiceError` when no text model is available."""
    verdict, why = classify_text(text)
    if verdict is None:
        raise ServiceError(503, why or "text scoring is unavailable")
    result: dict[str, Any] = verdict.to_dict()
    return result


def account_scores(state: ServiceState, who: Principal, top: int) -> dict[str, Any]:
    """The `top` most suspicious accounts (断卡, 跑分), highest score first, with their
    reasons; a bank sees only its own institution's accounts, in full (it holds them and acts
    on them: masking by need)."""
    scores = scorecache.waited(
        state.scores, "accounts", state.settings, state.lake.gate, state.score_wait_s
    )
    if who.role is Role.bank:
        inst = who.institution
        scores = scores.among(state.lake.institution_accounts(inst) if inst else set())
    items = []
    for sc in scores[:top]:
        item = sc.to_dict()
        item["account_id"] = masked(item["account_id"], who.mask and who.role is not Role.bank)
        items.append(item)
    return {
        "kind": "account",
        "scored": len(scores),
        "flagged": scores.flagged_count(),
        "items": items,
    }


def number_scores(state: ServiceState, who: Principal, top: int) -> dict[str, Any]:
    """The `top` most suspicious numbers (涉诈电话, SIM-box SIMs), highest first, with reasons
    and example call_ids; masked below analyst, except an operator's own numbers (its number
    blocks, `chaincut.services.carriers`), which it holds and acts on: masking by need."""
    numbers = scorecache.waited(
        state.scores, "numbers", state.settings, state.lake.gate, state.score_wait_s
    )
    out: dict[str, Any] = numbers.to_dict(top)
    if who.mask:
        region = state.settings.phone_region
        for item in out["items"]:
            own = who.role is Role.telecom and holds_number(who.institution, item["number"], region)
            item["number"] = masked(item["number"], not own)
    return out
