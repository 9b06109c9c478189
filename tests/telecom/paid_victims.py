"""Rows of victims each worked by a line and paying one transfer (the clue's money tests)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from chaincut.settings import Settings
from tests.lake.conftest import ts, write_lake

Rows = dict[str, list[tuple[Any, ...]]]


def paid_victims(victims: list[tuple[str, str, str, str, str]]) -> Rows:
    """The rows of every table (no messages) of victims given as
    (phone, the line that worked it, the account it paid, the amount, when on 4 March, HH:MM):
    the line calls its victim for 5 minutes on each of the 3 days before it pays; the victim
    reports the payment on 5 March."""
    tables = ("persons", "accounts", "transactions", "calls", "messages", "reports")
    rows: Rows = {t: [] for t in tables}
    for k, (phone, line, to, amount, when) in enumerate(victims, 1):
        person = (f"pv{k}", "受害人", f"11010119900101{k:04d}", date(1990, 1, 1), phone)
        rows["persons"].append(person)
        rows["accounts"].append((f"acv{k}", f"pv{k}", "bank_card", "ICBC", None, "CN", None))
        paid = ts(f"2024-03-04 {when}:00")
        rows["transactions"].append((f"t{k}", paid, f"acv{k}", to, Decimal(amount), "CNY"))
        rows["reports"].append(
            (f"r{k}", ts("2024-03-05 10:00:00"), f"pv{k}", f"acv{k}", [f"t{k}"], "刷单", "")
        )
        for j in range(3):  # the line works its victim in the days before
            called = ts(f"2024-03-0{2 + j} 1{k}:00:00")
            rows["calls"].append((f"{line}-{k}-{j}", called, line, phone, 300, line[-2:], line))
    return rows


def carded_victims(
    victims: dict[str, tuple[str, str]],
    cards: dict[str, tuple[str, str]],
    phones: dict[str, str | None],
) -> Rows:
    """`paid_victims` of victims given as {phone: (the line that worked it, the card it paid)}
    (each paying 3000.00 at its own hour), with the cards given as {card: (its holder, the phone
    it was registered with)} and their holders and other people as {person: their phone}."""
    rows = paid_victims([(v, line, card, "3000.00", f"1{k}:00") for k, (v, (line, card)) in
                         enumerate(victims.items(), 1)])  # fmt: skip
    rows["persons"] += [
        (p, "持卡人", f"1101011980010100{k:02d}", date(1980, 1, 1), phone)
        for k, (p, phone) in enumerate(phones.items())
    ]
    rows["accounts"] += [
        (c, holder, "bank_card", "ABC", None, "CN", json.dumps({"reg_phone": phone}))
        for c, (holder, phone) in cards.items()
    ]
    return rows


def lake_of(factory: pytest.TempPathFactory, name: str, rows: Rows) -> Settings:
    """The settings of a new home whose lake holds `rows`."""
    settings = Settings(home=factory.mktemp(name) / "home")
    write_lake(settings, rows)
    return settings
