"""The public self-check (capability 10): a number, link, account or message in; a risk level,
the reasons and advice out. Never returns personal data: only what is known about the thing
asked about, in general words.

Sources, strongest first: open freeze orders and the fraud listings of the lake (accounts and
numbers), the joint-punishment registry, the fraud-text classifier (`chaincut.text`, when it is
installed), and plain rules for links.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chaincut.service.lakeview import LakeView
from chaincut.service.schemas import SelfCheckResult
from chaincut.store.enums import OPEN_ORDER_STATUSES
from chaincut.store.tables import FreezeOrder, Punishment

log = logging.getLogger(__name__)
Risk = Literal["high", "medium", "low", "unknown"]

ADVICE = [
    "Do not click unknown links, do not trust strange calls, do not give personal data, "
    "verify every transfer. (陌生链接不点击，陌生来电不轻信，个人信息不透露，转账汇款多核实)",
    "If you have paid already, call 110 or the anti-fraud hotline 96110 at once.",
]
_HIGH_ADVICE = (
    "Stop: do not pay or transfer anything; police and banks never ask for a 'safe account'."
)
_SUSPICIOUS_TLDS = (".top", ".xyz", ".vip", ".cc", ".tk", ".ml", ".ga", ".buzz", ".icu", ".loan")
_URL_WORDS = re.compile(
    r"(refund|verify|secure|loan|invest|bonus|kefu|tuikuan|daikuan|login)", re.I
)
_PHONE = re.compile(r"[+\d][\d\s-]{4,19}")


def check(kind: str, value: str, session: Session, lake: LakeView) -> SelfCheckResult:
    value = value.strip()
    if kind == "url":
        return _result(*_url(value))
    if kind == "message":
        return _result(*_message(value))
    subject = re.sub(r"[\s-]", "", value)
    if kind == "phone" and not _PHONE.fullmatch(value):
        return _result("unknown", ["this does not look like a phone number"])
    reasons: list[str] = []
    risk: Risk = "unknown"
    if kind == "account":
        open_orders = session.scalar(
            select(func.count())
            .select_from(FreezeOrder)
            .where(FreezeOrder.account_id == subject)
            .where(FreezeOrder.status.in_(list(OPEN_ORDER_STATUSES)))
        )
        if open_orders:
            risk = "high"
            reasons.append("this account is under a stop-payment or freeze order in a fraud case")
    listing, known = lake.standing(kind, subject)
    if listing:
        risk = "high"
        reasons.append(f"this {kind} is on the list of confirmed fraud {kind}s")
    punished = session.scalar(
        select(func.count())
        .select_from(Punishment)
        .where(Punishment.subject_id == subject)
        .where(Punishment.removed_at.is_(None))
    )
    if punished:
        risk = "high"
        reasons.append(f"this {kind} belongs to the joint-punishment registry")
    if not reasons:
        risk = "low" if known else "unknown"
        reasons.append(
            f"no fraud record for this {kind}" if known else f"we know nothing about this {kind}"
        )
    return _result(risk, reasons)


def _result(risk: Risk, reasons: list[str]) -> SelfCheckResult:
    advice = ([_HIGH_ADVICE] if risk == "high" else []) + ADVICE
    return SelfCheckResult(risk=risk, reasons=reasons, advice=advice)


def _url(value: str) -> tuple[Risk, list[str]]:
    parts = urlsplit(value if "://" in value else f"http://{value}")
    host = (parts.hostname or "").lower()
    if not host:
        return "unknown", ["this does not look like a link"]
    reasons: list[str] = []
    try:
        ipaddress.ip_address(host)
        reasons.append("the link points at a bare IP address, not a registered name")
    except ValueError:
        pass
    if host.startswith("xn--") or ".xn--" in host:
        reasons.append("the name uses look-alike (punycode) characters")
    if host.endswith(_SUSPICIOUS_TLDS):
        reasons.append("the domain ending is one that fraud sites often use")
    if parts.scheme == "http":
        reasons.append("the link is not encrypted (http)")
    if _URL_WORDS.search(value):
        reasons.append("the link uses words common in refund, loan or log-in scams")
    if "@" in parts.netloc:
        reasons.append("the link hides its real address behind an '@'")
    risk: Risk = "high" if len(reasons) >= 3 else "medium" if reasons else "low"
    return risk, reasons or ["no warning sign in the link itself; it may still be fraud"]


def classify_text(text: str) -> tuple[Any | None, str | None]:
    """The text classifier's verdict, or None and why it is unavailable."""
    try:
        from chaincut.text import classify
    except ImportError:
        return None, "message checking is not installed in this build"
    try:
        return classify(text), None
    except Exception as exc:  # a missing or broken model must not break the service
        log.warning("text classifier unavailable: %s", exc)
        return None, "message checking is unavailable right now"


def _message(text: str) -> tuple[Risk, list[str]]:
    verdict, why = classify_text(text)
    if verdict is None:
        return "unknown", [why or "message checking is unavailable"]
    fraud = bool(getattr(verdict, "fraud", False))
    fraud_type = getattr(verdict, "fraud_type", None)
    phrases = [str(p) for p in getattr(verdict, "phrases", ())][:5]
    if not fraud:
        return "low", ["the message does not read like a known fraud script"]
    reasons = [f"the message reads like a fraud script ({fraud_type or 'fraud'})"]
    if phrases:
        reasons.append("tell-tale phrases: " + "; ".join(phrases))
    return "high", reasons
