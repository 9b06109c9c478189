"""The role x endpoint matrix: every route of the app (walked from `app.routes`, the console's
pages included), asked by every role, with no token, a revoked token and an expired one.

`ACCESS` says who may use each route. A route that is not in it fails the test the day it
lands, until someone decides who may use it; a route in it that the app lost fails too.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.security.conftest import Secured
from tests.security.routes import walk
from tests.service.world import FRAUD_NUMBER, MULE1

P, B, T, A, D = "public", "bank", "telecom", "analyst", "admin"
ROLES = (P, B, T, A, D)
EVERYONE = frozenset(ROLES)
ANALYSTS = frozenset({A, D})
INSTITUTIONS = frozenset({B, T, A, D})  # banks, operators, the police
ORDER_DESK = frozenset({B, A, D})  # who works freeze orders and accounts
NUMBER_DESK = frozenset({T, A, D})  # who looks up phone numbers
OPEN = None  # no sign-in needed

ACCESS: dict[tuple[str, str], frozenset[str] | None] = {
    ("GET", "/"): OPEN,
    ("GET", "/openapi.json"): OPEN,
    ("GET", "/docs"): OPEN,
    ("GET", "/docs/oauth2-redirect"): OPEN,
    ("GET", "/redoc"): OPEN,
    ("GET", "/v1/me"): EVERYONE,
    ("POST", "/v1/self-check"): OPEN,
    ("GET", "/v1/statistics"): EVERYONE,
    ("POST", "/v1/reports"): ANALYSTS,
    ("GET", "/v1/reports"): ANALYSTS,
    ("GET", "/v1/reports/{report_id}"): ANALYSTS,
    ("GET", "/v1/reports/{report_id}/trace"): ANALYSTS,
    ("GET", "/v1/freeze-orders"): ORDER_DESK,
    ("GET", "/v1/freeze-orders/{order_id}"): ORDER_DESK,
    ("POST", "/v1/freeze-orders/{order_id}/confirm"): ORDER_DESK,
    ("POST", "/v1/freeze-orders/{order_id}/renew"): ANALYSTS,
    ("POST", "/v1/freeze-orders/{order_id}/release"): ANALYSTS,
    ("POST", "/v1/freeze-orders/{order_id}/freeze"): ANALYSTS,
    ("POST", "/v1/freeze-orders/{order_id}/escalate"): ANALYSTS,
    ("POST", "/v1/punishment/check"): INSTITUTIONS,
    ("GET", "/v1/punishment/measures"): ANALYSTS,
    ("POST", "/v1/punishment/measures"): ANALYSTS,
    ("GET", "/v1/punishment/measures/{punishment_id}"): ANALYSTS,
    ("POST", "/v1/punishment/measures/{punishment_id}/appeal"): ANALYSTS,
    ("POST", "/v1/punishment/measures/{punishment_id}/appeal/decision"): ANALYSTS,
    ("POST", "/v1/punishment/measures/{punishment_id}/removal"): ANALYSTS,
    ("GET", "/v1/cases"): ANALYSTS,
    ("POST", "/v1/cases"): ANALYSTS,
    ("GET", "/v1/cases/{case_id}"): ANALYSTS,
    ("PATCH", "/v1/cases/{case_id}"): ANALYSTS,
    ("POST", "/v1/cases/{case_id}/reports/{report_id}"): ANALYSTS,
    ("POST", "/v1/cases/{case_id}/events"): ANALYSTS,
    ("POST", "/v1/cases/{case_id}/suspects"): ANALYSTS,
    ("PATCH", "/v1/cases/{case_id}/suspects/{suspect_id}"): ANALYSTS,
    ("GET", "/v1/gangs"): ANALYSTS,
    ("GET", "/v1/gangs/{gang_id}"): ANALYSTS,
    ("POST", "/v1/gangs/{gang_id}/case"): ANALYSTS,
    ("GET", "/v1/reports/{report_id}/gang"): ANALYSTS,
    ("POST", "/v1/person-judgements"): ANALYSTS,
    ("GET", "/v1/accounts/{account_id}"): ORDER_DESK,
    ("GET", "/v1/numbers/{number}"): NUMBER_DESK,
    ("GET", "/v1/numbers/{number}/clue"): NUMBER_DESK,
    ("GET", "/v1/persons/{person_id}"): ANALYSTS,
    ("POST", "/v1/scores/text"): INSTITUTIONS,
    ("GET", "/v1/scores/accounts"): ORDER_DESK,
    ("GET", "/v1/scores/numbers"): NUMBER_DESK,
    ("POST", "/v1/fraud-list"): INSTITUTIONS,
    ("POST", "/v1/fraud-list/batch"): INSTITUTIONS,
    ("GET", "/v1/fraud-list"): INSTITUTIONS,
    ("GET", "/v1/fraud-list/{entry_id}"): INSTITUTIONS,
    ("POST", "/v1/fraud-list/{entry_id}/removal"): INSTITUTIONS,
    ("POST", "/v1/imports"): ANALYSTS,
    ("GET", "/v1/audit"): frozenset({D}),
    # early warning: operators push calls and messages, banks transactions (the kinds a role
    # may push are checked inside: tests/warning), the police work the worklist
    ("POST", "/v1/events"): INSTITUTIONS,
    ("GET", "/v1/warnings"): ANALYSTS,
    ("GET", "/v1/warnings/figures"): ANALYSTS,
    ("POST", "/v1/warnings/{warning_id}/assignment"): ANALYSTS,
    ("POST", "/v1/warnings/{warning_id}/dissuasions"): ANALYSTS,
    # the console (its session cookie; a refusal of sign-in is a redirect to the sign-in page)
    ("GET", "/console"): EVERYONE,
    ("GET", "/console/sign-in"): OPEN,
    ("POST", "/console/sign-in"): OPEN,
    ("POST", "/console/sign-out"): OPEN,
    ("GET", "/console/self-check"): OPEN,
    ("GET", "/console/dashboard"): INSTITUTIONS,
    ("GET", "/console/reports"): ANALYSTS,
    ("POST", "/console/reports"): ANALYSTS,
    ("GET", "/console/reports/{report_id}"): ANALYSTS,
    ("GET", "/console/orders"): ORDER_DESK,
    ("POST", "/console/orders/{order_id}/{step}"): ORDER_DESK,
    ("GET", "/console/orders/{order_id}/{step}"): ORDER_DESK,
    ("GET", "/console/orders.csv"): ORDER_DESK,
    ("GET", "/console/worklist/accounts"): ORDER_DESK,
    ("GET", "/console/worklist/numbers"): NUMBER_DESK,
    ("GET", "/console/clue"): NUMBER_DESK,
    ("GET", "/console/fraud-list"): INSTITUTIONS,
    ("POST", "/console/fraud-list"): INSTITUTIONS,
    ("POST", "/console/fraud-list/{entry_id}/remove"): INSTITUTIONS,
    ("POST", "/console/cases"): ANALYSTS,
    ("POST", "/console/cases/{case_id}"): ANALYSTS,
    ("POST", "/console/cases/{case_id}/suspects/{suspect_id}"): ANALYSTS,
    ("POST", "/console/registry"): ANALYSTS,
    ("POST", "/console/registry/{punishment_id}/{step}"): ANALYSTS,
    ("GET", "/console/lookup"): INSTITUTIONS,
    ("GET", "/console/cases"): ANALYSTS,
    ("GET", "/console/cases/{case_id}"): ANALYSTS,
    ("GET", "/console/registry"): INSTITUTIONS,
    ("POST", "/console/registry/check"): INSTITUTIONS,
    ("GET", "/console/audit"): frozenset({D}),
    ("GET", "/console/warnings"): ANALYSTS,
    ("GET", "/console/gangs"): ANALYSTS,
    ("GET", "/console/gangs/{gang_id}"): ANALYSTS,
    ("POST", "/console/gangs/{gang_id}/case"): ANALYSTS,
    ("GET", "/console/reports/{report_id}/gang"): ANALYSTS,
    ("POST", "/console/warnings/{warning_id}/dissuasions"): ANALYSTS,
}

#: a value for each path parameter (a bank user is CCB's: MULE1 is a CCB account)
SAMPLES = {
    "account_id": MULE1,
    "number": FRAUD_NUMBER,
    "person_id": "P1",
    "report_id": "R-none",
    "order_id": "O-none",
    "case_id": "K-none",
    "gang_id": "GANG-none",
    "entry_id": "1",
    "punishment_id": "1",
    "suspect_id": "1",
    "step": "confirm",
    "warning_id": "1",
}
_PARAM = re.compile(r"\{(\w+)\}")


def _url(path: str) -> str:
    missing = [p for p in _PARAM.findall(path) if p not in SAMPLES]
    assert not missing, f"add a sample value for {missing} (route {path}) to SAMPLES"
    return _PARAM.sub(lambda m: SAMPLES[m[1]], path)


def _ask(secured: Secured, method: str, path: str, who: str | None) -> httpx.Response:
    console = path.startswith("/console")
    headers: dict[str, str] = {"X-Purpose": "matrix"}
    if who is not None:
        token = secured.tokens[who]
        if console:
            headers["Cookie"] = f"chaincut_token={token}"
        else:
            headers["Authorization"] = f"Bearer {token}"
    kw: dict[str, Any] = {}
    if method in ("POST", "PATCH", "PUT"):
        kw = {"data": {}} if console else {"json": {}}
    response: httpx.Response = secured.client.request(
        method, _url(path), headers=headers, follow_redirects=False, **kw
    )
    return response


def _signed_out(r: httpx.Response, console: bool) -> bool:
    if console:
        return r.status_code == 303 and r.headers.get("location") == "/console/sign-in"
    return r.status_code == 401 and r.json()["error"]["field"] == "Authorization"


def _verdict(r: httpx.Response, console: bool, expect: str) -> str | None:
    """Why `r` is wrong when `expect` is 'signed_out', 'forbidden' or 'allowed', else None."""
    if r.status_code >= 500 and not (r.status_code == 503 and "retry-after" in r.headers):
        return f"server error {r.status_code}"
    if expect == "signed_out":
        return None if _signed_out(r, console) else f"{r.status_code}, not sent to sign in"
    if expect == "forbidden":
        return None if r.status_code == 403 else f"{r.status_code}, not 403"
    if _signed_out(r, console) or r.status_code == 403:
        return f"{r.status_code}: refused a caller it admits"
    return None


def test_the_table_names_every_route(secured: Secured) -> None:
    routes = {(m, p) for m, p, _ in walk(secured.client.app.routes)}  # type: ignore[attr-defined]
    unknown = sorted(routes - set(ACCESS))
    gone = sorted(set(ACCESS) - routes)
    assert unknown == [], f"new routes: say who may use them in ACCESS: {unknown}"
    assert gone == [], f"routes no longer in the app: {gone}"


def test_every_route_answers_every_caller_as_the_table_says(secured: Secured) -> None:
    failures: list[str] = []
    for method, path, _ in walk(secured.client.app.routes):  # type: ignore[attr-defined]
        allowed = ACCESS.get((method, path), frozenset())
        console = path.startswith("/console")
        callers: list[tuple[str | None, str]] = [
            (who, "signed_out" if allowed is not OPEN else "any")
            for who in (None, "revoked", "expired")
        ]
        callers += [
            (role, "any" if allowed is OPEN else "allowed" if role in allowed else "forbidden")
            for role in ROLES
        ]
        for who, expect in callers:
            r = _ask(secured, method, path, who)
            if expect == "any":  # open to all (a bad token may be refused, never a 5xx/403)
                bad = r.status_code >= 500 or r.status_code == 403
                wrong = f"{r.status_code} on an open route" if bad else None
            else:
                wrong = _verdict(r, console, expect)
            if wrong:
                failures.append(f"{method} {path} as {who or 'nobody'}: {wrong}: {r.text[:120]}")
    assert failures == [], "\n".join(failures)
