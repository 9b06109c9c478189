"""The FastAPI application factory: `create_app(settings)` wires the store, the trace, the
routers of the `/v1` API, the error shape and the console.

    uvicorn --factory chaincut.service:create_app     # settings from CHAINCUT_* variables
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

import chaincut
from chaincut.service import errors
from chaincut.service.guard import Guard
from chaincut.service.lakeview import LakeView
from chaincut.service.routers import (
    audit,
    cases,
    events,
    fraud_list,
    gangs,
    imports,
    lookup,
    orders,
    public,
    punishment,
    reports,
    scores,
    warnings,
)
from chaincut.services.context import ServiceState
from chaincut.services.ratelimit import RateLimiter
from chaincut.services.schemas import ErrorBody
from chaincut.services.tracing import Tracer
from chaincut.settings import Settings, load_settings
from chaincut.store import Store, open_store

log = logging.getLogger(__name__)

#: the self-check's default limit per client: 1 a second on average, bursts of 20
SELF_CHECK_RATE = 1.0
SELF_CHECK_BURST = 20

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "bad input; `field` names it"),
        (401, "not signed in, or an unknown token"),
        (403, "your role may not do this"),
        (404, "no such record (or not yours to see)"),
        (409, "conflicts with the record's state"),
        (413, "the request body is too large"),
        (422, "the request does not match the schema; `field` names the first error"),
        (503, "the store or the lake is busy; try again (see Retry-After)"),
    )
}


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    self_check_rate: float = SELF_CHECK_RATE,
    self_check_burst: int = SELF_CHECK_BURST,
    console: bool = True,
    import_max_bytes: int = imports.MAX_BYTES,
) -> FastAPI:
    """The chaincut service for `settings` (default: from the environment).

    `store` defaults to `open_store(settings.resolved_store_url)`, opened when the app starts
    and closed when it stops; a store passed in stays the caller's to close.
    `import_max_bytes` bounds one upload to `/v1/imports` (all its files together).
    """
    settings = settings or load_settings()
    owned = store is None
    opened = store if store is not None else open_store(settings.resolved_store_url)
    lake = LakeView(settings)
    state = ServiceState(
        settings=settings,
        store=opened,
        limiter=RateLimiter(self_check_rate, self_check_burst),
        tracer=Tracer(settings, lake),
        lake=lake,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            state.lake.close()
            if owned:
                opened.close()

    app = FastAPI(
        title="chaincut",
        version=chaincut.__version__,
        summary="Anti telecom-fraud service: reports, stop-payment, registry, cases, self-check.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.chaincut = state
    app.state.chaincut_import_max_bytes = import_max_bytes
    errors.install(app)
    routers = (
        public,
        reports,
        orders,
        punishment,
        cases,
        gangs,
        lookup,
        scores,
        fraud_list,
        imports,
        audit,
        events,
        warnings,
    )
    for module in routers:
        app.include_router(module.router)
    if console:
        from chaincut.web import mount_console

        mount_console(app)
    app.add_middleware(Guard)  # last: the outermost, before anything reads the request
    return app
