"""Every route of an app, walked from `app.routes` (FastAPI's included routers opened up), so
a route added anywhere is seen by the tests that use this."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.routing import Mount


def walk(routes: Any) -> Iterator[tuple[str, str, Any]]:
    """(method, path, route) for every route and method; mounts (static files) are skipped."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:  # FastAPI >= 0.16x keeps included routers as one entry
            for context in contexts():
                yield from _methods(context.path, context.original_route)
        elif isinstance(route, Mount):
            continue
        else:
            yield from _methods(route.path, route)


def _methods(path: str, route: Any) -> Iterator[tuple[str, str, Any]]:
    for method in sorted(getattr(route, "methods", None) or ()):
        if method != "HEAD":
            yield method, path, route
