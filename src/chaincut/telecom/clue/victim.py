"""How much one shared victim says: the `shared_victim` link of the den search, weighed
(round nine).

Two suspects that both talked to one person in the week before that person reported fraud are
linked: the box that pitched and the line that chatted. But a victim's friend can look like a
fraud line too (several friends scammed, the model flags it; training world 53: one innocent
person per clue, reached through two victims of two dens). What tells them apart is *when* they
talked: a den works a victim in the days before the report and goes silent after it (a call or
two that rang out the next day at most), while a friend's talk goes on for weeks, before the
week of the fraud and after the report. So each side's tie to the victim weighs the share of
its calls and messages with that person (both ways) that fall in the fraud's window: from
`BEFORE_DAYS` before the first report (the lake's `RECENT_DAYS`) to `AFTER_HOURS` after the
last. A victim links two numbers when both shares reach `MIN_WORKED_SHARE`; the clue itself is
not weighed (an analyst may give a friend's number: it leads to who worked its friend).
"""

from __future__ import annotations

from typing import Final

import numpy as np

from chaincut.telecom.clue.facts import DAY_US, HOUR_US, ClueIndex

#: the days before the first report that count as the fraud's (the lake's `RECENT_DAYS`)
BEFORE_DAYS: Final = 7
#: a den may ring a victim again for a day or two after the report, unanswered
AFTER_HOURS: Final = 72
#: the share of a number's talk with the victim that must fall in the fraud's window
MIN_WORKED_SHARE: Final = 0.75
GROUPS: Final = ("out", "mout", "in", "min")


class VictimTies:
    """The weight of each number's tie to a victim, remembered per (number, victim)."""

    def __init__(self, ix: ClueIndex) -> None:
        self.ix = ix
        self._share: dict[tuple[int, int], float] = {}

    def worked_share(self, n: int, victim: int) -> float:
        """The share of the calls and messages between `n` and `victim` (a number code of a
        victim) that fall from `BEFORE_DAYS` before its first report to `AFTER_HOURS` after
        its last; 1.0 when they have none (the index's victim contacts hold the tie)."""
        key = (n, victim)
        if key not in self._share:
            ix, a = self.ix, self.ix.arrays
            pos = int(np.searchsorted(a["vic_code"], victim))
            start = int(a["vic_first"][pos]) - BEFORE_DAYS * DAY_US
            end = int(a["vic_last"][pos]) + AFTER_HOURS * HOUR_US
            inside = total = 0
            for group in GROUPS:
                ts = ix.column(group, "ts", n)[ix.column(group, "peer", n) == victim]
                inside += int(((ts >= start) & (ts <= end)).sum())
                total += len(ts)
            self._share[key] = inside / total if total else 1.0
        return self._share[key]

    def worked(self, n: int, victim: int) -> bool:
        """Whether `n` talked to `victim` like the fraud did: mostly in the fraud's window."""
        return self.worked_share(n, victim) >= MIN_WORKED_SHARE
