"""The analyst console: server-rendered pages (zh-CN and en) over the same domain as the API.

`mount_console(app)` adds the pages under `/console` and the static assets (the money-flow
graph's script and the style sheet, shipped in the package: the console works offline).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from chaincut.web.common import HERE, Forbidden, SignInNeeded, render
from chaincut.web.pages import router as pages_router
from chaincut.web.routes import router as routes_router


def mount_console(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(routes_router)
    app.include_router(pages_router)

    @app.exception_handler(SignInNeeded)
    async def _sign_in(_: Request, __: SignInNeeded) -> Response:
        return RedirectResponse("/console/sign-in", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, __: Forbidden) -> HTMLResponse:
        return render(request, "error.html", None, 403, message="forbidden")

    @app.get("/", include_in_schema=False)
    def _root() -> Response:
        return RedirectResponse("/console", status_code=307)
