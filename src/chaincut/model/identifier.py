"""Identifier kinds and their one normal form, so that one number, link or id always compares
equal however it was written (the fraud list, the look-ups, the self-check and the
institution checks all go through `normalize`).

- phone: E.164 (`chaincut.model.phone`), read in the configured region.
- url: host and path; domain: a host name, matching its sub-domains (`chaincut.model.domain`).
- account: bank or payment account without separators (`chaincut.model.card`).
- qq, wechat: `chaincut.model.messenger`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from chaincut.model import card, domain, messenger, phone

MAX_LENGTH = 255


class IdentifierKind(StrEnum):
    """What an identifier names: a number (E.164), a link, a whole domain, a bank or payment
    account, or a QQ or WeChat id."""

    phone = "phone"
    url = "url"
    domain = "domain"
    account = "account"
    qq = "qq"
    wechat = "wechat"


def normalize(kind: IdentifierKind | str, value: str, region: str = phone.DEFAULT_REGION) -> str:
    """`value` in the normal form of `kind`; `ValueError` naming the kind and what is wrong."""
    kind = IdentifierKind(kind)
    if not value.strip():
        raise ValueError(f"{kind}: empty value")
    out = (
        phone.normalize_phone(value, region)
        if kind is IdentifierKind.phone
        else (_NORMALIZERS[kind](value))
    )
    if len(out) > MAX_LENGTH:
        raise ValueError(f"{kind}: longer than {MAX_LENGTH} characters")
    return out


def normalize_or_none(
    kind: IdentifierKind | str, value: str, region: str = phone.DEFAULT_REGION
) -> str | None:
    """`normalize(kind, value, region)`, or None when `value` is not one."""
    try:
        return normalize(kind, value, region)
    except ValueError:
        return None


_NORMALIZERS: dict[IdentifierKind, Callable[[str], str]] = {
    IdentifierKind.url: domain.url,
    IdentifierKind.domain: domain.domain,
    IdentifierKind.account: card.normalize_account,
    IdentifierKind.qq: messenger.normalize_qq,
    IdentifierKind.wechat: messenger.normalize_wechat,
}
