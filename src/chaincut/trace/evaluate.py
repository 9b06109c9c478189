"""Quality of stop-payment tracing against a simulated world's ground truth.

`truth/holdings.csv` (report_id, account_id, amount) says how much of each report's money sat
in each account at report time; the lake's `labels` say which accounts are mules. Measured over
`chaincut trace --all` (each report at its own time), on what the emergency stops hold (each
order's claim):

- amount recall: of the victims' money in mule accounts at report time, the share stopped
  (per report and account, stopped money counts up to the true holding);
- account recall: of the (report, mule account) holdings of at least the minimum amount, the
  share that got an emergency stop;
- innocent share: of all stopped money, the share in accounts not labelled as mules (or
  runners, or gang members);
- over-claim: stopped money beyond the true holding, as a share of all stopped money (money of
  other victims or of the mule itself);
- and the same amount recall, innocent share and over-claim for the rule's attribution (each
  order's amount: what a freeze and restitution go by), as `traced_*`;
- harm per person: the accounts stopped (distinct, over all reports), how many of them are
  innocent and their share (`innocent_account_share`), and the verify-with-the-bank orders
  (distinct accounts) that went to innocent accounts and to mules.
"""

from __future__ import annotations

import csv
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rich.table import Table

from chaincut.lake.engine import get_engine
from chaincut.lake.readers import events
from chaincut.settings import Settings
from chaincut.trace.api import trace_all
from chaincut.trace.model import TraceParams
from chaincut.trace.money import fmt, fmt_yuan, to_cents

GUILTY_PREFIXES = ("mule", "runner", "member", "foreign_den")


def is_mule(label: str | None) -> bool:
    """Labels of accounts that hold fraud money knowingly (mules, runners, gang members)."""
    return bool(label) and str(label).startswith(GUILTY_PREFIXES)


def _share(part: int, whole: int, empty: float) -> float:
    return part / whole if whole else empty


@dataclass(frozen=True)
class Evaluation:
    rule: str
    reports: int
    truth_cents: int
    frozen_cents: int
    matched_cents: int
    innocent_cents: int
    accounts_true: int
    accounts_hit: int
    conserved: int
    seconds: float
    traced_cents: int = 0
    traced_matched_cents: int = 0
    traced_innocent_cents: int = 0
    accounts_stopped: int = 0
    innocent_accounts_stopped: int = 0
    verify_orders: int = 0
    verify_innocent: int = 0
    verify_mules: int = 0

    @property
    def innocent_account_share(self) -> float:
        """Of the distinct accounts stopped, the share not labelled mule (harm per person)."""
        return _share(self.innocent_accounts_stopped, self.accounts_stopped, 0.0)

    @property
    def amount_recall(self) -> float:
        return _share(self.matched_cents, self.truth_cents, 1.0)

    @property
    def account_recall(self) -> float:
        return _share(self.accounts_hit, self.accounts_true, 1.0)

    @property
    def innocent_share(self) -> float:
        return _share(self.innocent_cents, self.frozen_cents, 0.0)

    @property
    def over_claim(self) -> float:
        return 1 - _share(self.matched_cents, self.frozen_cents, 1.0)

    def traced(self) -> dict[str, float]:
        """Amount recall, innocent share and over-claim of the rule's attribution."""
        return {
            "traced_amount_recall": _share(self.traced_matched_cents, self.truth_cents, 1.0),
            "traced_innocent_share": _share(self.traced_innocent_cents, self.traced_cents, 0.0),
            "traced_over_claim": 1 - _share(self.traced_matched_cents, self.traced_cents, 1.0),
        }

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self)
        for key in [k for k in out if k.endswith("_cents")]:
            out[key.replace("_cents", "")] = fmt(out.pop(key))
        out |= {
            "amount_recall": round(self.amount_recall, 4),
            "account_recall": round(self.account_recall, 4),
            "innocent_share": round(self.innocent_share, 4),
            "over_claim": round(self.over_claim, 4),
            "innocent_account_share": round(self.innocent_account_share, 4),
        }
        out |= {k: round(v, 4) for k, v in self.traced().items()}
        return out


def read_holdings(truth: Path) -> dict[tuple[str, str], int]:
    """(report_id, account_id) -> cents from truth/holdings.csv (or a truth folder's parent)."""
    path = (
        truth / "holdings.csv"
        if (truth / "holdings.csv").exists()
        else truth / "truth" / "holdings.csv"
    )
    out: dict[tuple[str, str], int] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["report_id"], row["account_id"])
            out[key] = out.get(key, 0) + to_cents(row["amount"])
    return out


def account_labels(settings: Settings) -> dict[str, str]:
    """account_id -> label from the lake's labels table (evaluation only)."""
    with get_engine(settings) as engine:
        return events.labels_of_kind(engine, "account")


def evaluate_home(
    settings: Settings, truth: Path, params: TraceParams, mule_asof: str = "lake"
) -> Evaluation:
    """Trace every report in `settings.home` (the judge weighing the mule model's scores as of
    `mule_asof`: `trace_all`) and score it against `truth` (see module doc)."""
    holdings = read_holdings(truth)
    labels = account_labels(settings)
    started = time.perf_counter()
    stopped: dict[tuple[str, str], int] = {}
    traced: dict[tuple[str, str], int] = {}
    verified: set[tuple[str, str]] = set()
    reports = conserved = 0
    for obj in trace_all(settings, params, mule_asof=mule_asof):
        reports += 1
        t = obj["totals"]
        parts = ("frozen", "exited", "hubs", "returned", "unaccounted")
        conserved += sum(to_cents(t[k]) for k in parts) == to_cents(t["loss"])
        for o in obj["freeze"]:
            key = (obj["report_id"], o["account_id"])
            stopped[key] = stopped.get(key, 0) + to_cents(o["claim"])
            traced[key] = traced.get(key, 0) + to_cents(o["amount"])
        verified.update((obj["report_id"], o["account_id"]) for o in obj.get("verify", ()))
    seconds = time.perf_counter() - started
    min_cents = params.min_amount_cents
    mule_truth = {k: c for k, c in holdings.items() if is_mule(labels.get(k[1]))}
    true_accounts = [k for k, c in mule_truth.items() if c >= min_cents]

    def matched(amounts: dict[tuple[str, str], int]) -> int:
        return sum(min(c, mule_truth.get(k, 0)) for k, c in amounts.items())

    def innocent(amounts: dict[tuple[str, str], int]) -> int:
        return sum(c for k, c in amounts.items() if not is_mule(labels.get(k[1])))

    return Evaluation(
        rule=params.rule.value,
        reports=reports,
        truth_cents=sum(mule_truth.values()),
        frozen_cents=sum(stopped.values()),
        matched_cents=matched(stopped),
        innocent_cents=innocent(stopped),
        accounts_true=len(true_accounts),
        accounts_hit=sum(1 for k in true_accounts if stopped.get(k, 0) > 0),
        conserved=conserved,
        seconds=round(seconds, 3),
        traced_cents=sum(traced.values()),
        traced_matched_cents=matched(traced),
        traced_innocent_cents=innocent(traced),
        **_harm(stopped, verified, labels),
    )


def _harm(
    stopped: dict[tuple[str, str], int], verified: set[tuple[str, str]], labels: dict[str, str]
) -> dict[str, int]:
    """Distinct accounts stopped and verified, and how many of them are innocent or mules."""
    accounts = {a for _, a in stopped}
    asked = {a for _, a in verified}
    return {
        "accounts_stopped": len(accounts),
        "innocent_accounts_stopped": sum(1 for a in accounts if not is_mule(labels.get(a))),
        "verify_orders": len(verified),
        "verify_innocent": sum(1 for a in asked if not is_mule(labels.get(a))),
        "verify_mules": sum(1 for a in asked if is_mule(labels.get(a))),
    }


def evaluation_table(e: Evaluation) -> Table:
    """The evaluation as a Rich table."""
    table = Table(title=f"stop-payment quality (rule {e.rule}, {e.reports} reports)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("amount recall (mule money at report time that is stopped)", f"{e.amount_recall:.2%}"),
        ("account recall", f"{e.account_recall:.2%} ({e.accounts_hit}/{e.accounts_true})"),
        ("innocent share of stopped money", f"{e.innocent_share:.2%}"),
        (
            "innocent accounts stopped (distinct)",
            f"{e.innocent_accounts_stopped}/{e.accounts_stopped} ({e.innocent_account_share:.2%})",
        ),
        (
            "verify orders (report, account): to innocent / to mule accounts (distinct)",
            f"{e.verify_orders}: {e.verify_innocent} / {e.verify_mules}",
        ),
        ("over-claim (stopped beyond the true holding)", f"{e.over_claim:.2%}"),
        ("amount recall of the rule's attribution", f"{e.traced()['traced_amount_recall']:.2%}"),
        ("over-claim of the rule's attribution", f"{e.traced()['traced_over_claim']:.2%}"),
        ("money in mule accounts (truth)", fmt_yuan(e.truth_cents)),
        ("stopped (emergency stops' claims)", fmt_yuan(e.frozen_cents)),
        ("traced by the rule (orders' amounts)", fmt_yuan(e.traced_cents)),
        ("reports conserving money to the cent", f"{e.conserved}/{e.reports}"),
        ("seconds for --all", f"{e.seconds:.2f}"),
    ]
    for what, value in rows:
        table.add_row(what, value)
    return table
