"""Lures: the links, accounts, phone numbers and chat ids a fraud script asks people to use.

A gang's scripts name the same few things to many people (a download link, an account to pay
into, a QQ or WeChat id to add). When a message to one person names a lure already seen in
messages the text classifier called fraud scripts to other people, the message is part of the
same campaign, whatever the classifier says of its own text; a transfer to an account that fraud
scripts named is a payment into the campaign. `LureBook` keeps, per lure, up to `RECEIVERS_CAP`
people it reached; lures idle for `IDLE_S` are forgotten by `sweep` (docs/warning.md, "State").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from chaincut.warning.state import IDLE_S, add_capped

#: people counted per lure (how widely a campaign's lure spread; more changes little)
RECEIVERS_CAP: Final = 16

_URL = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/[\w./?=&%-]*)?", re.I | re.A)
_ACCOUNT = re.compile(r"(?<![\d+])\d{15,19}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)")
_CHAT = re.compile(r"(?:qq|微信|wechat|vx|im)\s*[号:：]?\s*([a-z0-9_-]{5,20})", re.I)


def lures_in(text: str) -> tuple[str, ...]:
    """The lures a message names, each as `kind:value` (`url:`, `account:`, `phone:`, `chat:`),
    sorted and without repeats."""
    found: set[str] = set()
    for host, path in _URL.findall(text):
        if not host.replace(".", "").isdigit():
            found.add(f"url:{host.lower()}{(path or '').rstrip('/')}")
    found.update(f"account:{a}" for a in _ACCOUNT.findall(text))
    found.update(f"phone:{p}" for p in _PHONE.findall(text))
    found.update(f"chat:{c.lower()}" for c in _CHAT.findall(text))
    return tuple(sorted(found))


@dataclass(slots=True)
class _Lure:
    last_ts: int
    receivers: set[str] = field(default_factory=set)


class LureBook:
    """Lures seen in fraud scripts and the people they reached (bounded; see the module)."""

    def __init__(self) -> None:
        self.lures: dict[str, _Lure] = {}

    def others(self, lures: tuple[str, ...], receiver: str) -> tuple[int, str]:
        """How many other people fraud scripts naming one of `lures` reached, and that lure."""
        best, which = 0, ""
        for lure in lures:
            seen = self.lures.get(lure)
            if seen is not None:
                n = len(seen.receivers - {receiver})
                if n > best:
                    best, which = n, lure
        return best, which

    def add(self, lures: tuple[str, ...], receiver: str, ts: int) -> None:
        """Record that a fraud script naming `lures` reached `receiver` at `ts`."""
        for lure in lures:
            seen = self.lures.get(lure)
            if seen is None:
                seen = self.lures[lure] = _Lure(ts)
            seen.last_ts = ts
            add_capped(seen.receivers, receiver, RECEIVERS_CAP)

    def account_named(self, account: str) -> int:
        """How many people fraud scripts naming `account` reached (0: none seen)."""
        seen = self.lures.get(f"account:{account}")
        return len(seen.receivers) if seen else 0

    def sweep(self, now: int) -> int:
        stale = [k for k, v in self.lures.items() if now - v.last_ts > IDLE_S]
        for key in stale:
            del self.lures[key]
        return len(stale)
