"""`/v1/scores`: scores as their capabilities land: texts (`chaincut.text`), accounts
(`chaincut.scoring`) and numbers (`chaincut.telecom`).

Scoring a whole lake takes seconds, so the account and number scores are computed once per
state of the lake file (its size and modification time, and those of its WAL) and kept on the
app; concurrent requests wait for one computation rather than each starting their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request

from chaincut.service.deps import Institution, NumberDesk, OrderDesk, State
from chaincut.service.errors import ApiError
from chaincut.service.masking import masked
from chaincut.service.schemas import TextScoreRequest
from chaincut.service.selfcheck import classify_text
from chaincut.settings import Settings
from chaincut.store.enums import Role

router = APIRouter(prefix="/v1/scores", tags=["scores"])

T = TypeVar("T")
#: how many scores a list returns by default, and at most
TOP_DEFAULT = 50
TOP_MAX = 1000
Top = Annotated[int, Query(ge=1, le=TOP_MAX, description="how many of the highest scores")]
_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"description": "the lake cannot be read (none yet, or an import runs)"}
}


class ScoreCache:
    """Values computed from the lake, kept until the lake file changes (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._values: dict[str, tuple[tuple[int, ...], Any]] = {}

    def get(self, name: str, key: tuple[int, ...], compute: Callable[[], T]) -> T:
        with self._lock:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            held = self._values.get(name)
            if held is not None and held[0] == key:
                value: T = held[1]
                return value
            value = compute()
            self._values[name] = (key, value)
            return value


_CREATE = threading.Lock()


def score_cache(request: Request) -> ScoreCache:
    """The app's cache of lake scores (made on first use)."""
    state = request.app.state
    with _CREATE:
        cache = getattr(state, "chaincut_scores", None)
        if cache is None:
            cache = state.chaincut_scores = ScoreCache()
    assert isinstance(cache, ScoreCache)
    return cache


def lake_key(settings: Settings) -> tuple[int, ...]:
    """The state of the lake's files: changes with every import."""
    out: list[int] = []
    for path in (
        settings.lake_path,
        settings.lake_path.with_name(settings.lake_path.name + ".wal"),
    ):
        try:
            st = path.stat()
        except OSError:
            out += [0, 0]
        else:
            out += [st.st_size, st.st_mtime_ns]
    return tuple(out)


def _from_lake(settings: Settings, run: Callable[[Any], T]) -> T:
    from chaincut.lake.engine import EngineError, get_engine

    if not settings.lake_path.exists():
        raise ApiError(503, f"no lake at {settings.lake_path}: import data first")
    try:
        with get_engine(settings) as engine:
            return run(engine)
    except EngineError as exc:
        raise ApiError(503, f"cannot score the lake: {exc}") from exc


def _account_scores(settings: Settings) -> Sequence[Any]:
    from chaincut.scoring import score_accounts

    return _from_lake(settings, score_accounts)


def _number_scores(settings: Settings) -> Any:
    from chaincut.telecom.scoring import score_numbers

    return _from_lake(settings, score_numbers)


@router.post("/text", responses={503: {"description": "no text model in this build"}})
def score_text(body: TextScoreRequest, who: Institution) -> dict[str, Any]:
    """Is this text a fraud script, of which type, and which phrases say so (话术识别)."""
    verdict, why = classify_text(body.text)
    if verdict is None:
        raise ApiError(503, why or "text scoring is unavailable")
    result: dict[str, Any] = verdict.to_dict()
    return result


@router.get("/accounts", responses=_UNAVAILABLE)
def account_scores(
    request: Request, who: OrderDesk, state: State, top: Top = TOP_DEFAULT
) -> dict[str, Any]:
    """The most suspicious accounts (断卡, 跑分), highest score first, with their reasons.

    A bank sees only its own institution's accounts, masked.
    """
    settings = state.settings
    scores = score_cache(request).get(
        "accounts", lake_key(settings), lambda: _account_scores(settings)
    )
    if who.role is Role.bank:
        own = {
            str(r[0])
            for r in state.lake.rows(
                "SELECT account_id FROM accounts WHERE institution = ?", [who.institution]
            )
        }
        scores = [sc for sc in scores if sc.account_id in own]
    items = []
    for sc in scores[:top]:
        item = sc.to_dict()
        item["account_id"] = masked(item["account_id"], who.mask)
        items.append(item)
    return {
        "kind": "account",
        "scored": len(scores),
        "flagged": sum(1 for sc in scores if sc.flagged),
        "items": items,
    }


@router.get("/numbers", responses=_UNAVAILABLE)
def number_scores(
    request: Request, who: NumberDesk, state: State, top: Top = TOP_DEFAULT
) -> dict[str, Any]:
    """The most suspicious phone numbers (涉诈电话, SIM-box SIMs), highest first, with reasons
    and example call_ids; masked below analyst."""
    settings = state.settings
    scores = score_cache(request).get(
        "numbers", lake_key(settings), lambda: _number_scores(settings)
    )
    out: dict[str, Any] = scores.to_dict(top)
    if who.mask:
        for item in out["items"]:
            item["number"] = masked(item["number"], True)
    return out
