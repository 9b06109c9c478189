"""A ledger that also offers the bank's mule score of each account to the stop-or-verify judge.

The judge (`chaincut.trace.bystander`) weighs the score's log-odds, bounded
(`chaincut.trace.bystander_model.points`), where the ledger offers a mule score,
`mule_score(account_id)`. The trace index and the in-memory ledger do not: `trace --all`
scores the lake once with the shipped mule model and wraps the index with those scores. A bank
that keeps its accounts' scores as of now (the score cache of the service, its own model)
wraps its ledger with them:

    from chaincut.trace import ScoredLedger, trace_one
    result = trace_one(ScoredLedger(index, scores), "R1", TraceParams())

Accounts missing from `scores` get no score (the judge weighs its other evidence only).
`stops` (account id -> sorted (report time, report id)) are the emergency stops already issued
for other reports, which the judge weighs in later reports (`chaincut.trace.earlier`).
"""

from __future__ import annotations

from collections.abc import Mapping

from chaincut.trace.earlier import StopsByAccount, earlier, earlier_times
from chaincut.trace.ledger import Ledger, Loaded
from chaincut.trace.model import AccountInfo, Activity, EventKey, Micros, ReportInfo, Txn


def check_scores(scores: Mapping[str, float]) -> None:
    """Raise ValueError where a score lies outside [0, 1] (a `ScoredLedger`'s are checked
    when it is made, unless `checked`: the caller checked them once for many ledgers)."""
    bad = [a for a, s in scores.items() if not 0.0 <= float(s) <= 1.0]
    if bad:
        raise ValueError(f"mule scores must lie in [0, 1]; account {bad[0]!r} has {scores[bad[0]]}")


class ScoredLedger:
    """`ledger` with `mule_score` and `earlier_stops`; every other look-up is the wrapped
    ledger's own."""

    def __init__(
        self,
        ledger: Ledger,
        scores: Mapping[str, float],
        *,
        stops: StopsByAccount | None = None,
        checked: bool = False,
    ) -> None:
        if not checked:
            check_scores(scores)
        self.ledger = ledger
        self.scores = scores
        self.stops: StopsByAccount = stops or {}

    def mule_score(self, account_id: str) -> float | None:
        """The account's mule score in [0, 1], or None where the bank has none."""
        score = self.scores.get(account_id)
        return None if score is None else float(score)

    def earlier_stops(self, account_id: str, before: tuple[Micros, str]) -> tuple[str, ...]:
        """The reports filed before `before` (time, report id) that stopped the account."""
        return earlier(self.stops, account_id, before)

    def earlier_stop_times(self, account_id: str, before: tuple[Micros, str]) -> tuple[Micros, ...]:
        """The times of those reports (`earlier_stops`), in the same order."""
        return earlier_times(self.stops, account_id, before)

    def report(self, report_id: str) -> ReportInfo:
        return self.ledger.report(report_id)

    def account(self, account_id: str) -> AccountInfo:
        return self.ledger.account(account_id)

    def load(self, account_id: str, after: EventKey, until_ts: Micros) -> Loaded:
        return self.ledger.load(account_id, after, until_ts)

    def activity(self, account_id: str, since_ts: Micros, before: EventKey) -> Activity:
        return self.ledger.activity(account_id, since_ts, before)

    def balance_at(self, account_id: str, ts: Micros) -> int:
        return self.ledger.balance_at(account_id, ts)

    def outflows(
        self, account_id: str, after: EventKey, until_ts: Micros, lo: int, hi: int
    ) -> list[Txn]:
        return self.ledger.outflows(account_id, after, until_ts, lo, hi)

    def busy_threshold(self, quantile: float, factor: float, floor: int) -> int:
        return self.ledger.busy_threshold(quantile, factor, floor)

    def paid(self, payer: str, payee: str, since_ts: Micros, before: EventKey) -> int:
        return self.ledger.paid(payer, payee, since_ts, before)

    def reported_victim(self, account_id: str, until_ts: Micros) -> bool:
        return self.ledger.reported_victim(account_id, until_ts)
