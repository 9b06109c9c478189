"""Normal forms of the identifiers the fraud list holds, so that one number, link or id always
compares equal however it was written.

- phone: E.164 (`+8613800005678`). Spaces, dashes, dots and brackets are dropped; `00` becomes
  `+`; an 11-digit Chinese mobile number (`1…`) gets `+86`, a landline with its trunk `0` (`010
  1234 5678`) `+86` without the `0`, and a service or SMS-gateway number (`95588`, `10086`,
  `1069…`, 5 to 13 digits) `+86` too, as the interchange data writes them without a country
  code.
- url: host and path only (`evil.top/refund`): the scheme, port, query and fragment do not make
  a link more or less the same page, and fraud links vary their query per victim. The host is in
  lower case and IDNA (punycode) form.
- domain: a host name in lower case and IDNA form; it matches its sub-domains too.
- account: bank or payment account, spaces and dashes dropped.
- qq: 5 to 12 digits. wechat: 6 to 20 letters, digits, `_` or `-`, starting with a letter, in
  lower case (WeChat ids are matched without case).

Every function raises `ValueError` with a message that names the kind and says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from chaincut.store.enums import ListedKind

_PHONE_NOISE = re.compile(r"[\s\-.()\u3000]")
_ACCOUNT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@]{3,63}")
_QQ = re.compile(r"[1-9]\d{4,11}")
_WECHAT = re.compile(r"[a-z][a-z0-9_-]{5,19}")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
MAX_LENGTH = 255


def normalize(kind: ListedKind | str, value: str) -> str:
    """`value` in the normal form of `kind` (see the module doc); `ValueError` if it is not one."""
    kind = ListedKind(kind)
    text = value.strip()
    if not text:
        raise ValueError(f"{kind}: empty value")
    out = _NORMALIZERS[kind](text)
    if len(out) > MAX_LENGTH:
        raise ValueError(f"{kind}: longer than {MAX_LENGTH} characters")
    return out


def phone(text: str) -> str:
    raw = _PHONE_NOISE.sub("", text)
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("+"):
        digits = raw[1:]
        if not digits.isdigit() or not 7 <= len(digits) <= 15 or digits[0] == "0":
            raise ValueError(f"phone: {text!r} is not an international number (+ and 7-15 digits)")
        return raw
    if not raw.isdigit():
        raise ValueError(f"phone: {text!r} holds characters other than digits")
    if len(raw) == 13 and raw.startswith("861"):
        return "+" + raw
    if raw.startswith("0"):
        if not 10 <= len(raw) <= 12:
            raise ValueError(f"phone: {text!r} is not a landline number (0, area code, number)")
        return "+86" + raw[1:]
    if 5 <= len(raw) <= 13:  # mobiles (11 digits), service (95588) and SMS (1069…) numbers
        return "+86" + raw
    raise ValueError(f"phone: {text!r} has too few or too many digits for a number")


def host(text: str) -> str:
    """A host name in lower case and IDNA form."""
    name = text.strip().rstrip(".").lower()
    try:
        encoded = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"domain: {text!r} is not a valid host name") from exc
    labels = encoded.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"domain: {text!r} is not a host name like example.com")
    return encoded


def domain(text: str) -> str:
    given = text if "://" not in text else (urlsplit(text).hostname or "")
    return host(given.split("/", 1)[0].split(":", 1)[0])


def url(text: str) -> str:
    parts = urlsplit(text if "://" in text else f"http://{text}")
    try:
        name = parts.hostname
    except ValueError as exc:
        raise ValueError(f"url: {text!r} is not a link") from exc
    if not name:
        raise ValueError(f"url: {text!r} has no host name")
    try:
        normal_host = host(name)
    except ValueError:
        if not re.fullmatch(r"[0-9.]+|\[?[0-9a-f:]+\]?", name):
            raise ValueError(f"url: {text!r} has no valid host name") from None
        normal_host = name
    return normal_host + parts.path.rstrip("/")


def account(text: str) -> str:
    raw = re.sub(r"[\s-]", "", text)
    if not _ACCOUNT.fullmatch(raw):
        raise ValueError(
            f"account: {text!r} is not an account number (4-64 letters, digits, _ . : @)"
        )
    return raw


def qq(text: str) -> str:
    raw = text.strip()
    if not _QQ.fullmatch(raw):
        raise ValueError(f"qq: {text!r} is not a QQ number (5-12 digits)")
    return raw


def wechat(text: str) -> str:
    raw = text.strip().lower()
    if not _WECHAT.fullmatch(raw):
        raise ValueError(
            f"wechat: {text!r} is not a WeChat id (6-20 letters, digits, _ or -, a letter first)"
        )
    return raw


_NORMALIZERS = {
    ListedKind.phone: phone,
    ListedKind.url: url,
    ListedKind.domain: domain,
    ListedKind.account: account,
    ListedKind.qq: qq,
    ListedKind.wechat: wechat,
}


def parent_domains(name: str) -> Iterator[str]:
    """`a.b.example.com` → itself, `b.example.com`, `example.com` (never the bare suffix)."""
    labels = name.split(".")
    for i in range(len(labels) - 1):
        yield ".".join(labels[i:])
