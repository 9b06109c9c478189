"""Indicators in a text: the identifiers that link a message to the lake's numbers and accounts.

Phone numbers (E.164 where they have one), URLs, e-mail addresses, bank card numbers (Luhn-
checked), payment accounts (Alipay), WeChat and QQ ids, QQ/WeChat groups, app names and crypto
wallet addresses. Matching runs on the folded text (same length as the original), so full-width
digits and look-alike letters are found and every indicator keeps its exact original span.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Protocol

from chaincut.model.card import luhn_ok as luhn_ok  # re-exported: part of this module's API
from chaincut.model.phone import phone_or_none
from chaincut.text.charmap import CHINESE_DIGITS
from chaincut.text.normalize import (
    CARD_PATTERN,
    EMAIL_PATTERN,
    FOREIGN_PATTERN,
    HOTLINE_PATTERN,
    LANDLINE_PATTERN,
    MOBILE_PATTERN,
    URL_PATTERN,
    fold,
)

KINDS = (
    "phone", "url", "email", "bank_card", "payment_account", "wechat", "qq", "qq_group",
    "wechat_group", "app", "crypto_wallet",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Indicator:
    """One identifier found in a text: `value` is normalised, `text` is as written."""

    kind: str
    value: str
    text: str
    start: int
    end: int
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class _Add(Protocol):
    def __call__(self, kind: str, value: str, start: int, end: int, detail: str = "") -> None: ...


_DIGITS = re.compile(r"\d")
_SEPARATORS = re.compile(r"[\s()\-+]")
_PHONES = [
    (re.compile(MOBILE_PATTERN), "mobile"),
    (re.compile(LANDLINE_PATTERN), "landline"),
    (re.compile(HOTLINE_PATTERN), "hotline"),
    (re.compile(FOREIGN_PATTERN), "international"),
    (re.compile(r"(?<![\d.])(?:95\d{3,4}|100(?:86|10|00)|12[1-3]\d{2})(?![\d.])"), "service"),
]
_URL = re.compile(URL_PATTERN)
_EMAIL = re.compile(EMAIL_PATTERN)
_CARD = re.compile(CARD_PATTERN)
_CARD_WORDS = re.compile(r"(?:卡号|银行卡|储蓄卡|信用卡|账号|账户|帐号|卡)[^\d]{0,6}$")
_CN_DIGITS = re.compile(f"[{''.join(CHINESE_DIGITS)}]{{7,}}")
_ALIPAY = re.compile(
    rf"支付宝(?:账号|账户|帐号|号)?[:：\s]*({EMAIL_PATTERN}|(?:\+?86)?1[3-9]\d(?:[ -]?\d){{8}})"
)
_WECHAT = re.compile(
    r"(?:微信|vx|wx|加v|\+v)(?:号|id)?[:：\s]*(wxid_[a-z0-9_]{4,30}|[a-z][-_a-z0-9]{5,19}|1[3-9]\d{9})"
)
_QQ_GROUP = re.compile(r"(?:qq群|q群|群号|扣扣群|qq交流群)(?:号)?[:：\s]*(\d{5,11})")
_QQ = re.compile(r"(?:qq|扣扣)(?!群)(?:号)?[:：\s]*(\d{5,11})")
_WECHAT_GROUP = re.compile(r"(?:微信群|群聊)(?:名)?[:：\s]*[“\"「『]([^”\"」』]{1,30})[”\"」』]")
_APP_NAMED = re.compile(
    r"(?:下载|安装|注册|登录|打开|使用)(?:一个|一款|一下)?[“\"「『《]?"
    r"([a-z0-9\u4e00-\u9fff]{2,12}?)[”\"」』》]?(?:app|软件|客户端|平台)"
)
_APP_KNOWN = re.compile(
    r"向日葵|todesk|teamviewer|anydesk|腾讯会议|zoom|钉钉|飞书|telegram|蝙蝠聊天|易信|whatsapp|"
    r"skype|potato|屏幕共享|云闪付|u钱包"
)
_ACCOUNT_WORDS = re.compile(
    r"微信|vx|wx|加v|\+v|qq|扣扣|群|下载|安装|注册|登录|打开|使用|向日葵|todesk|teamviewer|anydesk|"
    r"zoom|telegram|whatsapp|skype|potato|易信|钉钉|飞书|云闪付|钱包|屏幕共享"
)
_CRYPTO = re.compile(
    r"(?<![0-9A-Za-z])(?:T[1-9A-HJ-NP-Za-km-z]{33}|0x[0-9a-fA-F]{40})(?![0-9A-Za-z])"
)


def _id_number(digits: str) -> bool:
    """A mainland resident ID number (18 digits, valid birth month and checksum)."""
    if len(digits) != 18 or not 1 <= int(digits[10:12]) <= 12:
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11]
    return check == digits[17]


def e164(raw: str, kind: str) -> str:
    """A phone number as E.164 (+86...) where it has one (`chaincut.model.phone`); service
    numbers stay as digits."""
    raw = fold(raw)
    digits = "".join(_DIGITS.findall(raw))
    if kind == "service":
        return digits
    normal = phone_or_none(raw)
    if normal is not None:
        return normal
    if raw.lstrip().startswith(("+", "00")) and kind == "international":
        return "+" + (digits[2:] if raw.lstrip().startswith("00") else digits)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return "+86" + digits.lstrip("0")


def extract_indicators(text: str) -> tuple[Indicator, ...]:
    """Every indicator in `text`, in order of position, each found once."""
    folded = fold(text)
    found: list[Indicator] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int, detail: str = "") -> None:
        if any(s <= start and end <= e for s, e in taken):
            return
        found.append(Indicator(kind, value, text[start:end], start, end, detail))
        taken.append((start, end))

    has_digit = _DIGITS.search(folded) is not None
    if has_digit or "." in folded:
        _links(text, folded, add)
    if _ACCOUNT_WORDS.search(folded):
        _accounts(folded, add)
    if has_digit:
        _numbers(folded, add)
    for m in _CN_DIGITS.finditer(folded):
        digits = "".join(CHINESE_DIGITS[c] for c in m.group())
        if re.fullmatch(r"1[3-9]\d{9}", digits):
            add("phone", "+86" + digits, m.start(), m.end(), "mobile, spelled out")
    return tuple(sorted(found, key=lambda i: (i.start, i.kind)))


def _links(text: str, folded: str, add: _Add) -> None:
    for m in _URL.finditer(folded):
        raw = text[m.start() : m.end()]
        url = raw if "://" in raw else "http://" + raw
        scheme, _, rest = url.partition("://")
        host, slash, path = rest.partition("/")
        scheme = scheme.lower().replace("hxxp", "http")
        add("url", f"{scheme}://{host.lower()}{slash}{path}", m.start(), m.end())
    for m in _EMAIL.finditer(folded):
        add("email", m.group(), m.start(), m.end())
    for m in _ALIPAY.finditer(folded):
        value = m.group(1)
        value = value if "@" in value else e164(value, "mobile")
        add("payment_account", f"alipay:{value}", m.start(1), m.end(1), "alipay")
    for m in _CRYPTO.finditer(text):
        add(
            "crypto_wallet", m.group(), m.start(), m.end(), "tron" if m.group()[0] == "T" else "eth"
        )


def _numbers(folded: str, add: _Add) -> None:
    for pattern, kind in _PHONES:
        for m in pattern.finditer(folded):
            add("phone", e164(m.group(), kind), m.start(), m.end(), kind)
    for m in _CARD.finditer(folded):
        digits = "".join(_DIGITS.findall(m.group()))
        keyword = bool(_CARD_WORDS.search(folded[max(0, m.start() - 12) : m.start()]))
        if _id_number(digits) or not 12 <= len(digits) <= 19:
            continue
        if len(digits) >= 16 and luhn_ok(digits):
            add("bank_card", digits, m.start(), m.end(), "luhn ok")
        elif keyword:
            add("bank_card", digits, m.start(), m.end(), "account number, luhn not ok")


def _accounts(folded: str, add: _Add) -> None:
    for pattern, kind in ((_QQ_GROUP, "qq_group"), (_QQ, "qq"), (_WECHAT_GROUP, "wechat_group")):
        for m in pattern.finditer(folded):
            add(kind, m.group(1), m.start(1), m.end(1))
    for m in _WECHAT.finditer(folded):
        value = m.group(1)
        value = e164(value, "mobile") if value.isdigit() else value
        add("wechat", value, m.start(1), m.end(1))
    seen: set[str] = set()
    for pattern in (_APP_NAMED, _APP_KNOWN):
        for m in pattern.finditer(folded):
            group = 1 if pattern.groups else 0
            name = m.group(group)
            if name not in seen:
                seen.add(name)
                add("app", name, m.start(group), m.end(group))
