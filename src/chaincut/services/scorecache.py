"""Account, number and device scores of the lake, computed once per state of the lake file and
kept on the app (`ServiceState.scores`).

Scoring a whole lake takes seconds, so the scores are computed on first use and kept until the
lake changes (its size and modification time, and those of its WAL); concurrent requests wait
for one computation rather than each starting their own. The public self-check only `peek`s:
it uses scores already computed and never starts a computation.

A request never waits longer than the app's `score_wait_s` (5 s): the computation goes on in
the background (one per kind at a time, `ScoreCache.background`) and the request answers
without the scores (look-ups: `scores` null) or with a 503 and `Retry-After`
(`GET /v1/scores/...`, `waited`). On a loaded machine a first computation took longer than an
HTTP client's read timeout (10 s), which is what made the first request after a start fail.
Opening the lake is retried for `OPEN_RETRY_S` while it fails for a reason that passes (a writer
holds its lock, another connection of this process is closing); what still fails is the 503 of
the request that waited, and the next request tries again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from chaincut.services.errors import ServiceError
from chaincut.settings import Settings

if TYPE_CHECKING:  # annotations only: importing chaincut.service here would import the app
    from chaincut.service.lakeview import LakeGate

log = logging.getLogger(__name__)
T = TypeVar("T")

#: how long a score computation retries opening a lake that is busy, and the answer's pause
OPEN_RETRY_S = 30.0
RETRY_AFTER_S = 5
#: words of DuckDB's errors that pass by themselves: a writer's lock, a connection closing
_TRANSIENT = ("lock", "different configuration", "file handle conflict", "already attached")


class ScoreCache:
    """Values computed from the lake, kept until the lake file changes (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._values: dict[str, tuple[tuple[int, ...], Any]] = {}
        self._running: dict[str, tuple[tuple[int, ...], threading.Thread]] = {}
        self._failed: dict[str, tuple[tuple[int, ...], Exception]] = {}

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
            self._failed.clear()

    def background(
        self, name: str, key: tuple[int, ...], compute: Callable[[], object]
    ) -> threading.Thread:
        """The thread running `compute` (which stores `name`) for `key`, started unless one runs
        (one for an older state of the lake does not count: its result would not be kept)."""
        with self._lock:
            running = self._running.get(name)
            if running is not None and running[0] == key and running[1].is_alive():
                return running[1]
            self._failed.pop(name, None)
            worker = threading.Thread(
                target=self._run, args=(name, key, compute), name=f"score-{name}", daemon=True
            )
            self._running[name] = (key, worker)
            worker.start()
            return worker

    def _run(self, name: str, key: tuple[int, ...], compute: Callable[[], object]) -> None:
        try:
            compute()
        except Exception as exc:  # kept for the request that waits; the next one tries again
            log.warning("%s unavailable: %s", name, exc)
            with self._lock:
                self._failed[name] = (key, exc)

    def failure(self, name: str, key: tuple[int, ...]) -> Exception | None:
        """Why the last background computation of `name` for `key` failed, if it did."""
        with self._lock:
            held = self._failed.get(name)
        return held[1] if held is not None and held[0] == key else None


def ready(
    cache: ScoreCache,
    name: str,
    settings: Settings,
    gate: LakeGate,
    wait_s: float = 5.0,
) -> Any | None:
    """The scores `name` (accounts, numbers or devices) if they are or become ready within
    `wait_s`; else None, while they go on being computed in the background for the next ask."""
    return ready_many(cache, (name,), settings, gate, wait_s)[name]


def ready_many(
    cache: ScoreCache,
    names: tuple[str, ...],
    settings: Settings,
    gate: LakeGate,
    wait_s: float = 5.0,
) -> dict[str, Any | None]:
    """`ready` for several scores at once: all are started, then waited for `wait_s` in all."""
    key = lake_key(settings)
    workers = []
    for name in names:
        if cache.peek(name, key) is None:
            compute = partial(_COMPUTE[name], cache, settings, gate)
            workers.append(cache.background(name, key, compute))
    deadline = time.monotonic() + wait_s
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    return {name: cache.peek(name, key) for name in names}


def waited(cache: ScoreCache, name: str, settings: Settings, gate: LakeGate, wait_s: float) -> Any:
    """The scores `name`, waited for at most `wait_s`; else a 503 `ServiceError` with
    `Retry-After`: the computation's own error, or that it is still running."""
    found = ready(cache, name, settings, gate, wait_s)
    if found is not None:
        return found
    failed = cache.failure(name, lake_key(settings))
    if isinstance(failed, ServiceError):
        raise failed
    if failed is not None:
        raise ServiceError(503, f"cannot score the lake: {failed}", headers=_retry_after())
    raise ServiceError(
        503,
        f"the {name} scores of this lake are being computed; ask again in a few seconds",
        headers=_retry_after(),
    )


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


def _from_lake(
    settings: Settings,
    gate: LakeGate,
    run: Callable[[Any], T],
    retry_s: float | None = None,
) -> T:
    """`run(engine)` on the lake; a busy lake is retried for `retry_s` (`OPEN_RETRY_S` as it is
    when called), then (or on any other engine error) a 503 `ServiceError` with `Retry-After`."""
    from chaincut.lake.engine import EngineError, get_engine

    if not settings.lake_path.exists():
        raise ServiceError(
            503, f"no lake at {settings.lake_path}: import data first", headers=_retry_after()
        )
    deadline = time.monotonic() + (OPEN_RETRY_S if retry_s is None else retry_s)
    pause = 0.05
    while True:
        try:
            with gate.reading(), get_engine(settings) as engine:
                return run(engine)
        except EngineError as exc:
            if not transient(exc) or time.monotonic() + pause > deadline:
                raise ServiceError(
                    503, f"cannot score the lake: {exc}", headers=_retry_after()
                ) from exc
            log.info("the lake is busy (%s); retrying in %.2f s", exc, pause)
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def transient(exc: BaseException) -> bool:
    """Whether an engine error is one that passes by itself (see `_TRANSIENT`)."""
    text = " ".join(str(e) for e in (exc, exc.__cause__) if e is not None).lower()
    return any(word in text for word in _TRANSIENT)


def _retry_after() -> dict[str, str]:
    return {"Retry-After": str(RETRY_AFTER_S)}


def account_scores(cache: ScoreCache, settings: Settings, gate: LakeGate) -> Sequence[Any]:
    """Every account's `AccountScore`, most suspicious first (raises a 503 `ServiceError`)."""

    def compute() -> Sequence[Any]:
        from chaincut.scoring import score_accounts

        return _from_lake(settings, gate, score_accounts)

    return cache.get("accounts", lake_key(settings), compute)


def number_scores(cache: ScoreCache, settings: Settings, gate: LakeGate) -> Any:
    """The numbers' `ScoreList`, most suspicious first (raises a 503 `ServiceError`)."""

    def compute() -> Any:
        from chaincut.telecom.scoring import score_numbers

        return _from_lake(settings, gate, score_numbers)

    return cache.get("numbers", lake_key(settings), compute)


def device_scores(cache: ScoreCache, settings: Settings, gate: LakeGate) -> Any:
    """The devices' (IMEIs') `ScoreList` by the SIM-box indicators (raises a 503 `ServiceError`)."""

    def compute() -> Any:
        from chaincut.telecom.scoring import score_devices

        return _from_lake(settings, gate, score_devices)

    return cache.get("devices", lake_key(settings), compute)


_COMPUTE: dict[str, Callable[[ScoreCache, Settings, LakeGate], Any]] = {
    "accounts": account_scores,
    "numbers": number_scores,
    "devices": device_scores,
}


def by_id(name: str, values: Any) -> dict[str, Any]:
    """Scores of a list (accounts) or a `ScoreList` (numbers, devices) keyed by their id."""
    if name == "accounts":
        return {s.account_id: s for s in values}
    return {s.id: s for s in values.items}
