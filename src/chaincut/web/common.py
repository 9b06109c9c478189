"""What every console page shares: templates, the signed-in user, the language, form parsing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context

from chaincut.model.money import fmt_yuan, to_cents
from chaincut.services.context import SESSION_COOKIE, Principal, ServiceState, authenticate
from chaincut.store.enums import Role
from chaincut.store.errors import AuthenticationFailed
from chaincut.web.case_notes import case_note
from chaincut.web.features_zh import feature_zh
from chaincut.web.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalogue, translate
from chaincut.web.phrasing import (
    indicator,
    listed_reason,
    member_evidence,
    order_reasons,
    say,
    signal_why,
)
from chaincut.web.vocabulary import SYSTEM_PURPOSES

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "chaincut_lang"


@pass_context
def _gettext(context: Context, message: str) -> str:
    return catalogue(context.get("lang", DEFAULT_LANGUAGE)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return catalogue(context.get("lang", DEFAULT_LANGUAGE)).ngettext(singular, plural, n)


@pass_context
def _pgettext(context: Context, msgctxt: str, message: str) -> str:
    return catalogue(context.get("lang", DEFAULT_LANGUAGE)).pgettext(msgctxt, message)


def _environment() -> Environment:
    """The templates' Jinja environment with the i18n extension (`_()`, `pgettext()`,
    `{% trans %}`): one environment for every request, the catalogue chosen per render by
    the page's `lang` (new-style gettext: variables by name, autoescaped)."""
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext
    )
    return env


#: a Han character: a name written in Chinese
_HAN = re.compile(r"[\u3400-\u9fff]")


def written_in(text: str | None) -> str:
    """The language a person's name is written in, for its `lang` attribute (a screen reader
    says 张三 in Chinese on an English page, and John Smith in English on a Chinese one)."""
    return "zh-CN" if _HAN.search(text or "") else "en"


def yuan(amount: object) -> str:
    """An amount for the page ("¥26,990.00", as `chaincut gangs` prints it: round thirteen's
    new-user run read "¥26990.00" on the gang page beside it); nothing for no amount, and
    anything not an amount of cents as it is."""
    if amount is None:
        return ""
    try:
        return fmt_yuan(to_cents(str(amount)))
    except ValueError:
        return f"¥{amount}"


templates = Jinja2Templates(env=_environment())
templates.env.filters["yuan"] = yuan
templates.env.globals["system_purposes"] = SYSTEM_PURPOSES
templates.env.globals["written_in"] = written_in
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
            "say": lambda phrase: say(phrase, lang),
            "order_reasons": lambda detail: order_reasons(detail, lang),
            "signal_why": lambda signal: signal_why(signal, lang),
            "member_evidence": lambda member: member_evidence(member, lang),
            "note": lambda text: case_note(text, lang),
            "indicator": lambda reason, kind: indicator(reason, kind, lang),
            "listed_reason": lambda source, reason: listed_reason(source, reason, lang),
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
