"""What endpoints depend on, as `Annotated` types: the state, sessions, the caller, the purpose.

    def endpoint(s: WriteSession, who: Analyst, purpose: Purpose) -> ...

Authentication is a bearer token (`Authorization: Bearer cc_...`) checked against the store.
The API takes nothing else: the console's session cookie is not accepted here, so a page (or a
script slipped into one) cannot make the API act with the cookie a browser sends by itself, and
the API needs no CSRF token (docs/security.md). Roles grant least privilege:
`require(Role.analyst, Role.admin)` makes a dependency that refuses everyone else with 403;
a refusal of a signed-in user, and a look-up without a purpose, are audited.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Annotated, TypeVar
from urllib.parse import unquote

import anyio
from fastapi import Depends, Header, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from chaincut.service.errors import ApiError
from chaincut.services.context import SESSION_COOKIE, Principal, ServiceState, authenticate
from chaincut.store import audit
from chaincut.store.enums import Role
from chaincut.store.errors import AuthenticationFailed, StoreBusy

T = TypeVar("T")
log = logging.getLogger(__name__)


def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.chaincut
    return state


State = Annotated[ServiceState, Depends(get_state)]


#: threads that end sessions (commit or roll back, give the connection back). Their own pool:
#: when every request thread waits for the store's writer lock, the holder's commit must still
#: find a thread, or nobody moves until the lock times out.
_ENDERS: list[anyio.CapacityLimiter] = []


def _enders() -> anyio.CapacityLimiter:
    if not _ENDERS:
        _ENDERS.append(anyio.CapacityLimiter(8))
    return _ENDERS[0]


@asynccontextmanager
async def _ended(scope: AbstractContextManager[Session]) -> AsyncIterator[None]:
    """End `scope` (commit, or roll back on an exception) on one of the enders' threads."""
    try:
        yield
    except BaseException as exc:
        await anyio.to_thread.run_sync(
            scope.__exit__, type(exc), exc, exc.__traceback__, limiter=_enders()
        )
        raise
    await anyio.to_thread.run_sync(scope.__exit__, None, None, None, limiter=_enders())


async def _write_session(state: State) -> AsyncIterator[Session]:
    scope = state.store.session()
    s = scope.__enter__()  # a Session object only: the database is reached on first use
    async with _ended(scope):
        yield s


async def _read_session(state: State) -> AsyncIterator[Session]:
    scope = state.store.session(readonly=True)
    s = scope.__enter__()
    async with _ended(scope):
        yield s


def commit_now(s: Session) -> None:
    """Commit in the endpoint's own thread, before the response is built.

    FastAPI builds a sync endpoint's response on the request threads' pool and only then ends
    the `WriteSession`; when every thread of that pool waits for the store's writer lock, the
    holder's response could never be built and nobody would move until the lock timed out.
    The writing endpoints (filing, the order steps, look-ups, cases, the punishment registry,
    the fraud list) commit here, so the lock is given back before anything else is waited for.
    """
    s.commit()


#: a session committed when the endpoint returns, before the response goes out
WriteSession = Annotated[Session, Depends(_write_session, scope="function")]
ReadSession = Annotated[Session, Depends(_read_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="an API token: `chaincut users token NAME`")


def optional_principal(
    request: Request,
    state: State,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    token = credentials.credentials if credentials else None
    if not token:
        if request.cookies.get(SESSION_COOKIE):
            raise ApiError(
                401,
                "the API takes bearer tokens only, not the console's cookie: send "
                "'Authorization: Bearer <token>'",
                "Authorization",
                _CHALLENGE,
            )
        return None
    try:
        return authenticate(state, token)
    except AuthenticationFailed as exc:
        raise ApiError(
            401, f"{exc}; ask an administrator for a token", "Authorization", _CHALLENGE
        ) from exc


_CHALLENGE = {"WWW-Authenticate": "Bearer"}
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


def current_principal(principal: MaybePrincipal) -> Principal:
    if principal is None:
        raise ApiError(
            401, "sign in: send 'Authorization: Bearer <token>'", "Authorization", _CHALLENGE
        )
    return principal


Caller = Annotated[Principal, Depends(current_principal)]


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency admitting only callers with one of `roles` (403 for the others)."""
    allowed = frozenset(roles)

    def check(principal: Caller, request: Request, state: State) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            audit_refusal(state, principal, request, "refused_role", f"needs: {names}")
            raise ApiError(403, f"role {principal.role} may not do this; it needs: {names}")
        return principal

    return check


def audit_refusal(
    state: ServiceState, who: Principal, request: Request, action: str, reason: str
) -> None:
    """Record that `who` was refused `request` (in a session of its own: the request's work
    is rolled back, the refusal stays). A busy store does not turn the refusal into a 503."""
    subject = f"{request.method} {request.url.path}"[:128]
    try:
        with state.store.session() as s:
            audit.record(s, who.username, action, "request", subject, None, {"reason": reason})
    except StoreBusy:
        log.warning("refusal of %s not audited: the store is busy", who.username)


Analyst = Annotated[Principal, Depends(require(Role.analyst, Role.admin))]
Admin = Annotated[Principal, Depends(require(Role.admin))]
#: banks, operators and the police: who may ask the punishment registry
Institution = Annotated[
    Principal, Depends(require(Role.bank, Role.telecom, Role.analyst, Role.admin))
]
#: who works freeze orders: the police, and banks for their own institution
OrderDesk = Annotated[Principal, Depends(require(Role.bank, Role.analyst, Role.admin))]
#: who may look up phone numbers: operators and the police
NumberDesk = Annotated[Principal, Depends(require(Role.telecom, Role.analyst, Role.admin))]


def header_text(raw: str) -> str:
    """A header's value as the client meant it: HTTP hands headers over as Latin-1, so UTF-8
    bytes (`核查` sent raw) are decoded again, and `%XX` escapes (`%E6%A0%B8%E6%9F%A5`, the
    portable way to send non-ASCII in a header) are undone."""
    try:
        text = raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        text = raw
    return unquote(text, errors="strict") if "%" in text else text


def _unquoted(text: str) -> str:
    try:
        return header_text(text)
    except UnicodeDecodeError:  # %-escapes that are not UTF-8: keep them as written
        return text


def purpose(
    who: Caller,
    request: Request,
    state: State,
    x_purpose: Annotated[
        str | None,
        Header(
            description="why personal data is looked up (audited); UTF-8, or percent-encoded "
            "UTF-8 (`%E6%A0%B8%E6%9F%A5` for 核查)"
        ),
    ] = None,
    purpose: Annotated[
        str | None, Query(max_length=255, description="same as the X-Purpose header")
    ] = None,
) -> str:
    """The purpose of a look-up of personal data, from `X-Purpose` or `?purpose=`; required
    (a look-up without one is refused, and the refusal audited)."""
    given = (_unquoted(x_purpose) if x_purpose else purpose or "").strip()
    if not given:
        audit_refusal(state, who, request, "refused_no_purpose", "no purpose given")
        raise ApiError(
            400,
            "say why you look this up: send the X-Purpose header or ?purpose= (it is audited)",
            "purpose",
        )
    return given[:255]


Purpose = Annotated[str, Depends(purpose)]


#: the largest row number or offset a request may give (every database's 32-bit integer)
MAX_OFFSET = 2**31 - 1
#: a row number in a path (bounded, so no input overflows a database integer)
RowId = Annotated[int, Path(ge=1, le=MAX_OFFSET)]


def committed(s: Session, value: T) -> T:
    """`value` (a response built while `s` was open), returned after `commit_now(s)`: the
    writing endpoints commit in their own thread, before FastAPI serialises the answer."""
    commit_now(s)
    return value
