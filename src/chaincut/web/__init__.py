"""The analyst console: server-rendered pages (zh-CN and en) over the same domain as the API.

`mount_console(app)` adds the pages under `/console` and the static assets (the graphs'
script with the Cytoscape.js library it draws with, and the style sheet, shipped in the
package: the console works offline).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from chaincut.web.case_pages import router as case_pages_router
from chaincut.web.common import HERE, Forbidden, SignInNeeded, render
from chaincut.web.gang_pages import router as gang_pages_router
from chaincut.web.order_pages import router as order_pages_router
from chaincut.web.pages import router as pages_router
from chaincut.web.routes import router as routes_router
from chaincut.web.warnings import router as warnings_router
from chaincut.web.work_pages import router as work_pages_router

#: the console runs no inline script and loads nothing from elsewhere: a value that slipped
#: through escaping still cannot run (the page's data travels as application/json, read by the
#: shipped script)
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
CONSOLE_PATHS = ("/console", "/static")


def mount_console(app: FastAPI) -> None:
    @app.middleware("http")
    async def _console_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if request.url.path.startswith(CONSOLE_PATHS):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(routes_router)
    app.include_router(pages_router)
    app.include_router(order_pages_router)
    app.include_router(work_pages_router)
    app.include_router(case_pages_router)
    app.include_router(gang_pages_router)
    app.include_router(warnings_router)

    @app.exception_handler(SignInNeeded)
    async def _sign_in(_: Request, __: SignInNeeded) -> Response:
        return RedirectResponse("/console/sign-in", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, __: Forbidden) -> HTMLResponse:
        return render(request, "error.html", None, 403, message="forbidden")

    @app.get("/", include_in_schema=False)
    def _root() -> Response:
        return RedirectResponse("/console", status_code=307)
