"""Account, number and device scores of the lake, computed once per state of the lake file and
kept on the app (`ServiceState.scores`).

Scoring a whole lake takes seconds, so the scores are computed on first use and kept until the
lake changes (its size and modification time, and those of its WAL); concurrent requests wait
for one computation rather than each starting their own. The public self-check only `peek`s:
it uses scores already computed and never starts a computation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from chaincut.service.errors import ApiError
from chaincut.service.lakeview import LakeGate
from chaincut.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")


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

    def peek(self, name: str, key: tuple[int, ...]) -> Any | None:
        """The value of `name` if it was computed for `key`, else None (computes nothing)."""
        with self._lock:
            held = self._values.get(name)
        return held[1] if held is not None and held[0] == key else None

    def clear(self) -> None:
        """Forget every value (after an import through the service)."""
        with self._lock:
            self._values.clear()


def ready(
    cache: ScoreCache,
    name: str,
    settings: Settings,
    gate: LakeGate,
    wait_s: float = 10.0,
) -> Any | None:
    """The scores `name` (accounts, numbers or devices) if they are or become ready within
    `wait_s`; else None, while they go on being computed in the background for the next ask."""
    compute = {"accounts": account_scores, "numbers": number_scores, "devices": device_scores}
    key = lake_key(settings)
    held = cache.peek(name, key)
    if held is not None:
        return held

    def run() -> None:
        try:
            compute[name](cache, settings, gate)
        except Exception as exc:  # a lake that cannot be scored answers without scores
            log.warning("%s scores unavailable: %s", name, exc)

    worker = threading.Thread(target=run, name=f"score-{name}", daemon=True)
    worker.start()
    worker.join(wait_s)
    return cache.peek(name, key)


def indexed(cache: ScoreCache, name: str, settings: Settings, values: Any) -> dict[str, Any]:
    """`by_id` of scores `name`, built once per state of the lake."""
    return cache.get(f"{name}:by-id", lake_key(settings), lambda: by_id(name, values))


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


def _from_lake(settings: Settings, gate: LakeGate, run: Callable[[Any], T]) -> T:
    from chaincut.lake.engine import EngineError, get_engine

    if not settings.lake_path.exists():
        raise ApiError(503, f"no lake at {settings.lake_path}: import data first")
    try:
        with gate.reading(), get_engine(settings) as engine:
            return run(engine)
    except EngineError as exc:
        raise ApiError(503, f"cannot score the lake: {exc}") from exc


def account_scores(cache: ScoreCache, settings: Settings, gate: LakeGate) -> Sequence[Any]:
    """Every account's `AccountScore`, most suspicious first (raises a 503 `ApiError`)."""

    def compute() -> Sequence[Any]:
        from chaincut.scoring import score_accounts

        return _from_lake(settings, gate, score_accounts)

    return cache.get("accounts", lake_key(settings), compute)


def number_scores(cache: ScoreCache, settings: Settings, gate: LakeGate) -> Any:
    """The numbers' `ScoreList`, most suspicious first (raises a 503 `ApiError`)."""

    def compute() -> Any:
        from chaincut.telecom.scoring import score_numbers

        return _from_lake(settings, gate, score_numbers)

    return cache.get("numbers", lake_key(settings), compute)


def device_scores(cache: ScoreCache, settings: Settings, gate: LakeGate) -> Any:
    """The devices' (IMEIs') `ScoreList` by the SIM-box indicators (raises a 503 `ApiError`)."""

    def compute() -> Any:
        from chaincut.telecom.scoring import score_devices

        return _from_lake(settings, gate, score_devices)

    return cache.get("devices", lake_key(settings), compute)


def by_id(name: str, values: Any) -> dict[str, Any]:
    """Scores of a list (accounts) or a `ScoreList` (numbers, devices) keyed by their id."""
    if name == "accounts":
        return {s.account_id: s for s in values}
    return {s.id: s for s in values.items}
