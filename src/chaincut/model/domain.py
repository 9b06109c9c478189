"""Host names, domains and links, with registrable domains from the Public Suffix List.

The list is the copy the `publicsuffixlist` package ships (no network). A link's key is its
host and path (`evil.top/refund`): the scheme, port, query and fragment do not make a link more
or less the same page, and fraud links vary their query per victim. Hosts are in lower case
and IDNA (punycode) form.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import cache
from urllib.parse import urlsplit

from publicsuffixlist import PublicSuffixList

from chaincut.model.text import fold

_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list bundled with the package: read once, offline


def host(text: str) -> str:
    """A host name in lower case and IDNA form; `ValueError` when it is not one."""
    name = fold(text).rstrip(".").lower()
    try:
        encoded = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"domain: {text!r} is not a valid host name") from exc
    labels = encoded.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"domain: {text!r} is not a host name like example.com")
    return encoded


def registrable_domain(name: str) -> str | None:
    """The domain a registrant holds (`a.b.example.com.cn` → `example.com.cn`), or None for a
    bare public suffix (`com.cn`)."""
    found: str | None = _suffixes().privatesuffix(name.lower())
    return found


def domain(text: str) -> str:
    """The host of `text` (a host name or a link) in normal form."""
    folded = fold(text)
    if "://" in folded:
        try:
            folded = urlsplit(folded).hostname or ""
        except ValueError as exc:
            raise ValueError(f"domain: {text!r} is not a link") from exc
    return host(folded.split("/", 1)[0].split(":", 1)[0])


def url(text: str) -> str:
    """A link's key: host (normal form) and path without a trailing `/`."""
    folded = fold(text)
    try:
        parts = urlsplit(folded if "://" in folded else f"http://{folded}")
        name = parts.hostname
    except ValueError as exc:
        raise ValueError(f"url: {text!r} is not a link") from exc
    if not name:
        raise ValueError(f"url: {text!r} has no host name")
    try:
        normal_host = host(name)
    except ValueError:
        try:
            normal_host = str(ipaddress.ip_address(name))
        except ValueError:
            raise ValueError(f"url: {text!r} has no valid host name") from None
    return normal_host + parts.path.rstrip("/")


def parent_domains(name: str) -> Iterator[str]:
    """`a.b.example.com` → itself, `b.example.com`, `example.com`: never a public suffix
    (`com`, `com.cn`) alone."""
    labels = name.split(".")
    floor = registrable_domain(name)
    for i in range(len(labels) - 1):
        parent = ".".join(labels[i:])
        yield parent
        if parent == floor:
            return
