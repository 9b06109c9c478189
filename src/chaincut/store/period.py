"""Calendar arithmetic for legal periods (6 months, 2 or 3 years), with no dependency.

A period that starts on a day the target month lacks ends on that month's last day
(31 August + 6 months = 28 or 29 February), as courts and banks count it.
"""

from __future__ import annotations

import calendar
from datetime import datetime


def add_months(start: datetime, months: int) -> datetime:
    """`start` moved by whole calendar months, the day clamped to the target month's length."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def add_years(start: datetime, years: int) -> datetime:
    """`start` moved by whole calendar years (29 February becomes 28 February)."""
    return add_months(start, 12 * years)
