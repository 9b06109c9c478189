"""The public self-check (capability 10): a number, link, account or message in; a risk level,
the reasons and advice out. Never returns personal data: only what is known about the thing
asked about, in general words.

Sources, strongest first: open freeze orders, the managed fraud list (`chaincut.store.fraud_list`:
numbers, links and domains, accounts, QQ and WeChat ids), the fraud labels of the lake
(accounts and numbers), the joint-punishment registry, account and number scores already
computed for the current lake (`medium`: a model's suspicion, not a finding), the fraud-text
classifier (`chaincut.text`, when it is installed) with the numbers and links a message holds,
and plain rules for links. The answer has the highest risk found and the reasons for it (and
for any other medium or high finding); never the reason text of a list entry, which may name
people.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Sequence
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chaincut.model.identifier import normalize, normalize_or_none
from chaincut.model.phone import DEFAULT_REGION, lake_forms, phone_or_none
from chaincut.service.lakeview import LakeView
from chaincut.services.context import ServiceState
from chaincut.services.errors import ServiceError
from chaincut.services.phrases import PHRASES, Phrase, phrase
from chaincut.services.schemas import SelfCheckResult
from chaincut.services.scorecache import indexed, lake_key
from chaincut.store import fraud_list, identifiers
from chaincut.store.enums import OPEN_ORDER_STATUSES, ListedKind, ListRisk, ListSource
from chaincut.store.tables import FraudListEntry, FreezeOrder, Punishment

log = logging.getLogger(__name__)
Risk = Literal["high", "medium", "low", "unknown"]

ADVICE = [phrase("advice_general"), phrase("advice_paid")]
_HIGH_ADVICE = phrase("advice_stop")
_SUSPICIOUS_TLDS = (".top", ".xyz", ".vip", ".cc", ".tk", ".ml", ".ga", ".buzz", ".icu", ".loan")
_URL_WORDS = re.compile(
    r"(refund|verify|secure|loan|invest|bonus|kefu|tuikuan|daikuan|login)", re.I
)


def check(kind: str, value: str, session: Session, state: ServiceState) -> SelfCheckResult:
    """The self-check's answer for `value` of `kind` (phone, url, account, message, qq, wechat).

    Never raises for odd input: what cannot be read as its kind is answered `unknown`.
    """
    value = value.strip()
    found: list[Finding]
    if kind == "url":
        found = _url(value) + _listed_link(session, value)
    elif kind == "message":
        found = _message(value) + _message_contents(session, state.lake, value)
    elif kind in ("qq", "wechat"):
        found = _listed(session, ListedKind(kind), value)
        if not found:
            found = [("unknown", phrase("unknown", noun=kind))]
    elif kind == "phone" and phone_or_none(value, state.settings.phone_region) is None:
        found = [("unknown", phrase("not_a_phone"))]
    else:
        found = _subject(kind, value, session, state)
    risk: Risk = max((r for r, _ in found), key=_RANK.__getitem__, default="unknown")
    said = {p.text: p for r, p in found if r == risk or r in _SERIOUS}  # each reason once
    return _result(risk, list(said.values()))


Finding = tuple[Risk, Phrase]
_RANK: dict[Risk, int] = {"unknown": 0, "low": 1, "medium": 2, "high": 3}
_SERIOUS = ("high", "medium")
#: the fraud list's sources as the public reads them (`phrases.WORDS`: source:…); never the
#: internal names of who added an entry
_SOURCE_WORDS = {
    ListSource.report: "victim",
    ListSource.analyst: "police",
    ListSource.operator_feed: "operator",
    ListSource.bank_feed: "bank",
    ListSource.lake_label: "case",
}
#: score labels said in words (`chaincut.services.phrases.WORDS`: what:…), the rest by kind
_LABEL_WORDS = ("runner", "simbox", "fraud")


def _listed(session: Session, kind: ListedKind, value: str) -> list[Finding]:
    """What the fraud list says about `value` (in force now); nothing for unreadable input."""
    try:
        normal = normalize(kind, value)
    except ValueError:
        return []
    return _entries(fraud_list.matches(session, kind, [normal]), kind.value)


def _entries(entries: Sequence[FraudListEntry], noun: str) -> list[Finding]:
    out: list[Finding] = []
    for entry in entries:
        if entry.risk is ListRisk.high:
            out.append(("high", phrase("listed", noun=noun, source=_SOURCE_WORDS[entry.source])))
        else:
            out.append(("medium", phrase("contacted_victim", noun=noun)))
    return out


def _listed_link(session: Session, value: str) -> list[Finding]:
    try:
        key = identifiers.url(value)
    except ValueError:
        return []
    host = key.split("/", 1)[0]
    found = _entries(fraud_list.matches(session, ListedKind.url, [key]), "url")
    parents = list(identifiers.parent_domains(host)) if "." in host else []
    return found + _entries(fraud_list.matches(session, ListedKind.domain, parents), "domain")


def _subject(kind: str, value: str, session: Session, state: ServiceState) -> list[Finding]:
    """An account or phone number: orders, the fraud list, the lake, the registry, scores."""
    # one normal form for every way of writing it: the lake and the store hold E.164 numbers
    # and accounts without separators
    normal = normalize_or_none(kind, value, state.settings.phone_region)
    subject = normal or re.sub(r"[\s-]", "", value)
    found: list[Finding] = []
    if kind == "account":
        open_orders = session.scalar(
            select(func.count())
            .select_from(FreezeOrder)
            .where(FreezeOrder.account_id == subject)
            .where(FreezeOrder.status.in_(list(OPEN_ORDER_STATUSES)))
        )
        if open_orders:
            found.append(("high", phrase("under_order")))
    found += _listed(session, ListedKind(kind), subject)
    forms = _lake_forms(kind, subject, state.settings.phone_region)
    listing, known = state.lake.standing(kind, forms)
    if listing:
        found.append(("high", phrase("confirmed_fraud", noun=kind, nouns=kind)))
    punished = session.scalar(
        select(func.count())
        .select_from(Punishment)
        .where(Punishment.subject_id.in_(forms))
        .where(Punishment.removed_at.is_(None))
    )
    if punished:
        found.append(("high", phrase("punished", noun=kind)))
    found += _scored(kind, forms, state)
    if not found:
        found.append(
            ("low", phrase("no_record", noun=kind))
            if known
            else ("unknown", phrase("unknown", noun=kind))
        )
    return found


def _lake_forms(kind: str, subject: str, region: str = DEFAULT_REGION) -> list[str]:
    """How the lake may write `subject`: as given, and a number in E.164 and national forms."""
    forms = [subject]
    if kind == "phone":
        forms += [f for f in lake_forms(subject, region) if f not in forms]
    return forms


def _scored(kind: str, forms: Sequence[str], state: ServiceState) -> list[Finding]:
    """Findings from scores already computed for the current lake (never computes them)."""
    name = "accounts" if kind == "account" else "numbers"
    key = lake_key(state.settings)
    scored = state.scores.peek(name, key)
    if scored is None:
        return []
    index = indexed(state.scores, name, state.settings, scored)
    for form in forms:
        hit = index.get(form)
        if hit is not None and hit.flagged:
            what = hit.label if hit.label in _LABEL_WORDS else (
                "mule" if kind == "account" else "fraud_line")  # fmt: skip
            return [("medium", phrase("scored", what=what))]
    return []


_IN_TEXT_PHONE = re.compile(r"(?<![\d])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![\d])")
_IN_TEXT_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'，。！？、]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>\"'，。！？、]*",
    re.I,
)


def _message_contents(session: Session, lake: LakeView, text: str) -> list[Finding]:
    """The numbers and links a message holds, checked against the fraud list and the lake."""
    found: list[Finding] = []
    for number in dict.fromkeys(m[0] for m in _IN_TEXT_PHONE.finditer(text[:5000])):
        hits = _listed(session, ListedKind.phone, number)
        subject = re.sub(r"[\s-]", "", number)
        if hits or lake.standing("phone", _lake_forms("phone", subject))[0]:
            found.append(("high", phrase("message_number")))
    for link in dict.fromkeys(m[0] for m in _IN_TEXT_LINK.finditer(text[:5000])):
        if _listed_link(session, link):
            found.append(("high", phrase("message_link")))
        elif _url(link)[0][0] == "high":
            found.append(("medium", phrase("message_link_signs")))
    return found


def _result(risk: Risk, reasons: list[Phrase]) -> SelfCheckResult:
    advice = ([_HIGH_ADVICE] if risk == "high" else []) + ADVICE
    return SelfCheckResult(
        risk=risk,
        reasons=[r.text for r in reasons],
        advice=[a.text for a in advice],
        reason_codes=reasons,
        advice_codes=advice,
    )


def _url(value: str) -> list[Finding]:
    try:
        parts = urlsplit(value if "://" in value else f"http://{value}")
        host = (parts.hostname or "").lower()
    except ValueError:  # "http://[::1/a": not a link at all
        return [("unknown", phrase("not_a_link"))]
    if not host:
        return [("unknown", phrase("not_a_link"))]
    reasons: list[Phrase] = []
    try:
        ipaddress.ip_address(host)
        reasons.append(phrase("link_ip"))
    except ValueError:
        pass
    if host.startswith("xn--") or ".xn--" in host:
        reasons.append(phrase("link_punycode"))
    if host.endswith(_SUSPICIOUS_TLDS):
        reasons.append(phrase("link_tld"))
    if parts.scheme == "http":
        reasons.append(phrase("link_http"))
    if _URL_WORDS.search(value):
        reasons.append(phrase("link_words"))
    if "@" in parts.netloc:
        reasons.append(phrase("link_at"))
    risk: Risk = "high" if len(reasons) >= 3 else "medium" if reasons else "low"
    return [(risk, r) for r in reasons or [phrase("link_clean")]]


def classify_text(text: str) -> tuple[Any | None, str | None]:
    """The text classifier's verdict, or None and why it is unavailable."""
    try:
        from chaincut.text import classify
    except ImportError:
        return None, PHRASES["text_not_installed"]
    try:
        return classify(text), None
    except Exception as exc:  # a missing or broken model must not break the service
        log.warning("text classifier unavailable: %s", exc)
        return None, PHRASES["text_unavailable"]


def _message(text: str) -> list[Finding]:
    verdict, why = classify_text(text)
    if verdict is None:
        code = next((c for c, text in PHRASES.items() if text == why), "text_unavailable")
        return [("unknown", phrase(code))]
    fraud = bool(getattr(verdict, "fraud", False))
    fraud_type = getattr(verdict, "fraud_type", None)
    phrases = [str(p) for p in getattr(verdict, "phrases", ())][:5]
    if not fraud:
        return [("low", phrase("text_clean"))]
    found: list[Finding] = [("high", phrase("text_fraud", fraud_type=fraud_type or "fraud"))]
    if phrases:
        found.append(("high", phrase("text_phrases", phrases="; ".join(phrases))))
    return found


def admit(state: ServiceState, client: str) -> None:
    """Count one self-check request of `client` (valid or not) against its rate limit; a
    `ServiceError` 429 with `Retry-After` when the client has asked too often."""
    wait = state.limiter.allow(client)
    if wait:
        raise ServiceError(
            429,
            f"too many checks; try again in {wait:.0f} s",
            None,
            {"Retry-After": str(max(1, round(wait)))},
        )


def self_check(
    kind: str, value: str, session: Session, state: ServiceState, client: str
) -> SelfCheckResult:
    """`check`, counted against `client`'s rate limit first (`admit`)."""
    admit(state, client)
    return check(kind, value, session, state)
