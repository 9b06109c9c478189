"""What every console page shares: templates, the signed-in user, the language, form parsing."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from chaincut.services.context import SESSION_COOKIE, Principal, ServiceState, authenticate
from chaincut.store.enums import Role
from chaincut.store.errors import AuthenticationFailed
from chaincut.web.features_zh import feature_zh
from chaincut.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, translate

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "chaincut_lang"
templates = Jinja2Templates(directory=str(HERE / "templates"))
MAX_FORM_BYTES = 64 * 1024


class SignInNeeded(Exception):
    """Raised by a page that needs a signed-in user; answered with a redirect."""


class Forbidden(Exception):
    """Raised by a page the user's role may not see; answered with a 403 page."""


def state_of(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.chaincut
    return state


def client_of(request: Request) -> str:
    """Who a rate limit counts an anonymous page against: the client address, keyed as the
    API keys it, so the console and the API share one limit per client."""
    return f"ip:{request.client.host if request.client else 'unknown'}"


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def principal(request: Request, *roles: Role) -> Principal:
    """The signed-in user (from the session cookie), if their role is one of `roles`."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInNeeded
    try:
        who = authenticate(state_of(request), token)
    except AuthenticationFailed as exc:
        raise SignInNeeded from exc
    if roles and who.role not in roles:
        raise Forbidden
    return who


async def form(request: Request) -> dict[str, str]:
    """An url-encoded form body as a dict of first values (no multipart needed)."""
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return {}
    parsed = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


def render(
    request: Request,
    name: str,
    who: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = language(request)
    response = templates.TemplateResponse(
        request,
        name,
        {
            "who": who,
            "lang": lang,
            "other_lang": "en" if lang == "zh-CN" else "zh-CN",
            "t": lambda key: translate(key, lang),
            "feature": lambda f: (
                (feature_zh(f["feature"]) or f["description"])
                if lang == "zh-CN"
                else f["description"]
            ),
            "totals_known": MESSAGES,
            "Role": Role,
            **context,
        },
        status_code=status_code,
    )
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", max_age=365 * 86400)
    return response


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
