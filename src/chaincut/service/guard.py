"""The service's outer guard, an ASGI middleware that runs before any request is parsed.

- Size: a URL longer than `MAX_URL_BYTES` is refused (414) and a body larger than its path's
  limit (413: `BODY_LIMITS`, else `DEFAULT_BODY_BYTES`; uploads to `/v1/imports` have their own)
  is refused by its `Content-Length` or as soon as the bytes read pass the limit, so no
  request costs more than its limit to turn away.
- Rate: a rate-limited path (the public self-check) is counted here, before the body is read:
  malformed JSON, unknown fields and oversize bodies count like good requests. The client is
  the signed-in user when the request carries a valid bearer token, else its address (the
  connection's peer, or the forwarded client of a trusted proxy only: docs/security.md).
- Cross-site forms: a state-changing request to the console (`/console`) that a browser marks
  as coming from another site (`Sec-Fetch-Site`, else an `Origin` that is not this host) is
  refused (403). With the session cookie's `SameSite=Strict` this is the console's CSRF
  protection; the API takes no cookie at all.
- Errors: an exception that nothing else handled becomes the one error shape's 500 here, and
  is not raised further, so the server keeps the connection open (uvicorn closes a connection
  whose application raised).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from chaincut.service.errors import body
from chaincut.services import selfcheck
from chaincut.services.context import ServiceState, authenticate
from chaincut.services.errors import ServiceError
from chaincut.store.errors import AuthenticationFailed, StoreBusy

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: the longest path and query string a request may have
MAX_URL_BYTES = 8 * 1024
#: the largest body of a request to a path not in `BODY_LIMITS`
DEFAULT_BODY_BYTES = 1 << 20
#: per path prefix (the first that matches): the self-check takes one value of at most 5,000
#: characters; a fraud-list feed up to 10,000 entries; uploads are bounded by the imports
#: router itself (None: no limit here)
BODY_LIMITS: tuple[tuple[str, int | None], ...] = (
    ("/v1/self-check", 64 * 1024),
    ("/v1/fraud-list/batch", 8 << 20),
    ("/v1/imports", None),
)
#: paths counted against the per-client rate limit
RATE_LIMITED = ("/v1/self-check",)
#: methods that change state, which a cross-site page must not send to the console
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CONSOLE_PREFIX = "/console"


def body_limit(path: str) -> int | None:
    """The largest body a request to `path` may send (None: checked by its router)."""
    for prefix, limit in BODY_LIMITS:
        if path == prefix or path.startswith(prefix + "/"):
            return limit
    return DEFAULT_BODY_BYTES


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


async def _answer(send: Send, status: int, payload: dict[str, Any], extra: dict[str, str]) -> None:
    raw = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": raw})


def cross_site(method: str, headers: dict[str, str]) -> bool:
    """Whether a browser says this state-changing request comes from another site."""
    if method not in UNSAFE_METHODS:
        return False
    site = headers.get("sec-fetch-site")
    if site is not None:  # set by the browser; a page cannot forge it
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:  # not a browser, or an old one (the cookie is SameSite=Strict)
        return False
    host = headers.get("host", "")
    return origin == "null" or origin.split("://", 1)[-1].rstrip("/") != host


class Guard:
    """The middleware described in the module docstring, around `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        limit = body_limit(scope["path"])
        reader = _Bounded(receive, limit)

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if reader.over:  # whatever the app made of a cut-off body: a 413
                    await _answer(send, 413, body(413, reader.message), {"Connection": "close"})
                    return
            if not reader.over:
                await send(message)

        try:
            refusal = await self._refusal(scope)
            if refusal is not None:
                status, message, field, extra = refusal
                await _answer(send, status, body(status, message, field), extra)
                return
            await self.app(scope, reader.receive if limit else receive, tracked)
        except Exception as exc:  # the last resort: a bug, answered in the one shape
            if started:
                raise
            if isinstance(exc, RecursionError):  # JSON nested deeper than Python reads
                await _answer(send, 400, body(400, "the body is nested too deeply"), {})
                return
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            await _answer(send, 500, body(500, "internal error; see the server log"), {})

    async def _refusal(self, scope: Scope) -> tuple[int, str, str | None, dict[str, str]] | None:
        """Why `scope` is refused before it reaches the app, or None."""
        path: str = scope["path"]
        url_bytes = len(scope.get("raw_path") or path.encode()) + len(scope["query_string"])
        if url_bytes > MAX_URL_BYTES:
            return 414, f"the URL is longer than {MAX_URL_BYTES:,} bytes", None, {}
        headers = _headers(scope)
        limit = body_limit(path)
        length = headers.get("content-length", "")
        if limit and length.isdigit() and int(length) > limit:
            message = f"the request body is larger than {limit:,} bytes; send less"
            return 413, message, None, {"Connection": "close"}
        if path.startswith(CONSOLE_PREFIX) and cross_site(scope["method"], headers):
            return 403, "a form of another site may not act on the console", None, {}
        if path in RATE_LIMITED:
            try:
                await self._admit(scope, headers)
            except ServiceError as exc:
                return exc.status, exc.message, exc.field, exc.headers or {}
        return None

    async def _admit(self, scope: Scope, headers: dict[str, str]) -> None:
        state: ServiceState = scope["app"].state.chaincut
        client = scope.get("client")
        key = f"ip:{client[0] if client else 'unknown'}"
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            try:
                who = await anyio.to_thread.run_sync(authenticate, state, token.strip())
                key = f"user:{who.username}"
            except (AuthenticationFailed, StoreBusy):
                pass  # counted against the address; the app answers the bad token
        selfcheck.admit(state, key)


class _Bounded:
    """A body reader that stops at `limit` bytes: past it, the app is told the client left
    (it stops reading and answers something), and the guard answers 413 instead. Raising
    from `receive` would not do: middleware that reads in a task group wraps the error."""

    def __init__(self, receive: Receive, limit: int | None) -> None:
        self._receive = receive
        self.limit = limit or 0
        self.seen = 0
        self.over = False
        self.message = f"the request body is larger than {self.limit:,} bytes; send less"

    async def receive(self) -> Message:
        if self.over:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                self.over = True
                return {"type": "http.disconnect"}
        return message
