"""The foreign world's state: its tables as rows, its labels, identifiers and the clock.

Everything here is plain Python: rows are tuples appended in the order they happen, times are
whole seconds after `START` (naive UTC), money is integer cents (formatted as 2-dp decimals only
when written).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

START = datetime(2026, 3, 2)  # a Monday; naive = UTC
DAY = 86_400
HOUR = 3_600
CST = 8 * HOUR  # China Standard Time: people live by it, the ledger is in UTC

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华飞玉红建国志宏文斌辉鹏晨宇浩然欣怡子涵梓轩雨桐"
BANKS = ("ICBC", "CCB", "ABC", "BOC", "BOCOM", "CMB", "PSBC", "CITIC", "Rural Credit Coop")
REGIONS = ("110101", "310104", "440106", "330102", "510107", "420102", "350203", "450102")
MOBILE_PREFIXES = tuple(
    [
        "130",
        "133",
        "135",
        "136",
        "138",
        "139",
        "150",
        "152",
        "158",
        "166",
        "177",
        "180",
        "181",
        "186",
        "187",
        "188",
        "189",
        "191",
        "198",
        "199",
    ]
)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


@dataclass
class World:
    """The rows of every table, written to as the world is built, and the labels."""

    seed: int
    days: int
    rng: np.random.Generator
    persons: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    accounts: list[tuple[str, str, str, str, str, str, str, str]] = field(default_factory=list)
    transactions: list[tuple[str, int, str, str, int, str]] = field(default_factory=list)
    calls: list[tuple[int, str, str, int, str, str]] = field(default_factory=list)
    messages: list[tuple[str, int, str, str, str, str]] = field(default_factory=list)
    reports: list[tuple[str, int, str, str, str, str, str]] = field(default_factory=list)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    holdings: list[tuple[str, str, int]] = field(default_factory=list)
    # rows the members' roles add (chaincut.foreign.roles): kept apart, with ids of their own and
    # written after the others, so that every other row keeps its id and bytes for a given seed
    extra_transactions: list[tuple[str, int, str, str, int, str]] = field(default_factory=list)
    extra_calls: list[tuple[int, str, str, int, str, str]] = field(default_factory=list)
    dropped_calls: set[int] = field(default_factory=set)  # indices of w.calls the roles replace
    sims_of: dict[str, list[str]] = field(default_factory=dict)  # person -> SIMs in their name
    truth: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    _used: set[str] = field(default_factory=set)
    _counters: dict[str, int] = field(default_factory=dict)

    # -- identifiers ------------------------------------------------------------------------
    def next_id(self, prefix: str, width: int = 7) -> str:
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        return f"{prefix}{n:0{width}d}"

    def unique(self, make: Any) -> str:
        """A value from `make()` not handed out before (phones, cards, IMEIs share one pool)."""
        while True:
            value = str(make())
            if value not in self._used:
                self._used.add(value)
                return value

    def digits(self, n: int) -> str:
        return "".join(str(d) for d in self.rng.integers(0, 10, n))

    def phone(self, foreign: str | None = None) -> str:
        """A mobile number in E.164: +86 1xx xxxx xxxx, or one of a den's foreign country."""
        if foreign:
            code = {"KH": "855", "MM": "95", "PH": "63", "LA": "856", "AE": "971"}[foreign]
            return self.unique(lambda: f"+{code}{self.digits(9)}")
        return self.unique(lambda: f"+86{self.pick(MOBILE_PREFIXES)}{self.digits(8)}")

    def imei(self) -> str:
        """A 15-digit IMEI with a valid Luhn check digit."""

        def make() -> str:
            body = "86" + self.digits(12)
            total = 0
            for i, ch in enumerate(body):
                d = int(ch) * (2 if i % 2 else 1)
                total += d - 9 if d > 9 else d
            return body + str((10 - total % 10) % 10)

        return self.unique(make)

    def card(self) -> str:
        return self.unique(lambda: "62" + self.digits(17))

    # -- rows ---------------------------------------------------------------------------------
    def add_person(
        self, label: str, phone: str | None = None, age: tuple[int, int] = (18, 75)
    ) -> str:
        """A person with a Chinese name, a valid 18-digit resident ID and a phone; returns the id."""
        pid = self.next_id("FP")
        rng = self.rng
        name = SURNAMES[int(rng.integers(len(SURNAMES)))] + "".join(
            GIVEN[int(i)] for i in rng.integers(0, len(GIVEN), int(rng.integers(1, 3)))
        )
        born = START - timedelta(days=int(rng.integers(age[0] * 365, age[1] * 365)))
        body = f"{REGIONS[int(rng.integers(len(REGIONS)))]}{born:%Y%m%d}{self.digits(3)}"
        check = ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]
        number = phone if phone is not None else self.phone()
        self.persons.append((pid, name, body + check, f"{born:%Y-%m-%d}", number))
        self.sims_of[pid] = [number]
        self.labels[(pid, "person")] = label
        return pid

    def add_account(
        self,
        holder: str,
        kind: str,
        label: str,
        *,
        account_id: str | None = None,
        institution: str | None = None,
        opened_days_ago: int | None = None,
        country: str = "CN",
        reg: tuple[str, str] = ("", ""),
    ) -> str:
        """An account; `reg` is the (phone, address) it was registered with (extra columns)."""
        aid = account_id or self.card()
        inst = institution or BANKS[int(self.rng.integers(len(BANKS)))]
        ago = opened_days_ago if opened_days_ago is not None else int(self.rng.integers(60, 4000))
        opened = (START - timedelta(days=ago, seconds=int(self.rng.integers(DAY)))).isoformat()
        self.accounts.append((aid, holder, kind, inst, opened, country, reg[0], reg[1]))
        self.labels[(aid, "account")] = label
        return aid

    def add_message(
        self, t: int, sender: str, receiver: str, text: str, channel: str, label: str
    ) -> str:
        mid = self.next_id("FM", 8)
        self.messages.append((mid, t, sender, receiver, text, channel))
        self.labels[(mid, "message")] = label
        return mid

    def label(self, entity: str, kind: str, label: str) -> None:
        self.labels[(entity, kind)] = label

    def draw(self, low: float, high: float, name: str) -> float:
        """A world parameter drawn uniformly from [low, high] and recorded in the truth."""
        value = float(self.rng.uniform(low, high))
        self.params[name] = round(value, 4)
        return value

    def pick(self, seq: list[str] | tuple[str, ...]) -> str:
        return seq[int(self.rng.integers(len(seq)))]


def iso(t: int) -> str:
    """Seconds after START as an ISO-8601 timestamp (naive UTC)."""
    return (START + timedelta(seconds=int(t))).isoformat()


def yuan(cents: int) -> str:
    """Integer cents as an exact 2-dp decimal string."""
    return f"{cents // 100}.{cents % 100:02d}"
