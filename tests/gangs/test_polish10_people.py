"""Record linkage keeps Splink's advice to itself: a gangs run on a city of persons printed
"You are using the default value for `max_pairs`" on every run (the cap on the u sample is a
chosen million, not an oversight)."""

from __future__ import annotations

import logging

import pytest

from chaincut.gangs.people import resolve


def test_resolving_many_persons_prints_no_splink_warning(caplog: pytest.LogCaptureFixture) -> None:
    # 2,000 persons: the u sample reaches its cap of a million pairs, as in every real world
    rows = [
        {
            "person_id": f"P{i:05d}",
            "name": f"Person {i % 700}",
            "id_number": f"1101011990{i:08d}",
            "birth_date": f"1990-01-{1 + i % 28:02d}",
            "phone": f"+86138{i:08d}",
        }
        for i in range(2_000)
    ]
    rows.append({**rows[0], "person_id": "Q00000"})  # one person under two ids
    with caplog.at_level(logging.WARNING):
        links = resolve(rows, seed=1)
    assert [(k.a, k.b) for k in links] == [("P00000", "Q00000")]
    assert not [r for r in caplog.records if r.name.startswith("splink")], caplog.text
