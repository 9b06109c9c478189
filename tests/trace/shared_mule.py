"""Two victims' money meets in one rented card at hop 2 (`SHARED`: a salary account four
years old): the first report's (RA) passes straight through it, the second's (RB, eight days
later) stays. On its own ledger RB's payment looks like one between friends (`verify`); with
RA's stop known, a stop (`stopped_before`). The service and CLI tests of earlier stops use it."""

from __future__ import annotations

import random
from pathlib import Path

from chaincut.settings import Settings
from chaincut.trace import AccountInfo, ReportInfo, Txn, ensure_index
from tests.trace.helpers import HOUR, T0, at, write_lake
from tests.trace.test_bystander import _history

DAY = 24 * HOUR
SHARED = "FRIEND"
LATER = 24 * 8  # hours from the first report's money to the second's


def shared_mule_world(home: Path) -> Settings:
    """A lake in `home` with the two reports, its trace index built."""
    txns = _history(random.Random(7))
    fa = Txn(at(10), "FA", "VA", "A1", 3_000_000, "transfer")
    fb = Txn(at(LATER + 10), "FB", "VB", "B1", 1_000_000, "transfer")
    txns += [
        fa,
        Txn(at(10.3), "a1s", "A1", SHARED, 2_000_000, "transfer"),
        Txn(at(10.4), "a1x", "A1", "X1", 900_000, "transfer"),
        Txn(at(10.8), "sx", SHARED, "X2", 1_950_000, "transfer"),  # passed on in 30 min
        fb,
        Txn(at(LATER + 10.3), "b1s", "B1", SHARED, 150_000, "transfer"),  # kept
        Txn(at(LATER + 10.4), "b1x", "B1", "X3", 800_000, "transfer"),
    ]
    ages = {SHARED: 1500} | {a: 15 for a in ("A1", "B1", "X1", "X2", "X3")}
    accounts = [
        AccountInfo(a, "bank_card", "BANK", "CN", since=T0 - d * DAY, org=False)
        for a, d in ages.items()
    ]
    reports = [
        ReportInfo("RA", at(20), "VA", (fa,)),
        ReportInfo("RB", at(LATER + 20), "VB", (fb,)),
    ]
    settings = write_lake(home, txns, reports, accounts)
    ensure_index(settings)
    return settings
