"""QQ numbers and WeChat ids."""

from __future__ import annotations

import re

from chaincut.model.text import fold

_QQ = re.compile(r"[1-9]\d{4,11}")
_WECHAT = re.compile(r"[a-z][a-z0-9_-]{5,19}")


def normalize_qq(text: str) -> str:
    """A QQ number: 5 to 12 digits, not starting with 0; `ValueError` otherwise."""
    raw = fold(text)
    if not _QQ.fullmatch(raw):
        raise ValueError(f"qq: {text!r} is not a QQ number (5-12 digits)")
    return raw


def normalize_wechat(text: str) -> str:
    """A WeChat id in lower case (WeChat matches ids without case): 6 to 20 letters, digits,
    `_` or `-`, a letter first; `ValueError` otherwise."""
    raw = fold(text).lower()
    if not _WECHAT.fullmatch(raw):
        raise ValueError(
            f"wechat: {text!r} is not a WeChat id (6-20 letters, digits, _ or -, a letter first)"
        )
    return raw
