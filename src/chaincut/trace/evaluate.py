"""Quality of stop-payment tracing against a simulated world's ground truth.

`truth/holdings.csv` (report_id, account_id, amount) says how much of each report's money sat
in each account at report time; the lake's `labels` say which accounts are mules. Measured over
`chaincut trace --all` (each report at its own time):

- amount recall: of the victims' money in mule accounts at report time, the share frozen
  (per report and account, frozen money counts up to the true holding);
- account recall: of the (report, mule account) holdings of at least the minimum amount, the
  share that got a freeze order;
- innocent share: of all frozen money, the share in accounts not labelled as mules (or runners,
  or gang members);
- over-claim: frozen money beyond the true holding, as a share of all frozen money (money of
  other victims or of the mule itself).
"""

from __future__ import annotations

import csv
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
from rich.table import Table

from chaincut.settings import Settings
from chaincut.trace.api import trace_all
from chaincut.trace.model import TraceParams
from chaincut.trace.money import fmt, to_cents

GUILTY_PREFIXES = ("mule", "runner", "member", "foreign_den")


def is_mule(label: str | None) -> bool:
    """Labels of accounts that hold fraud money knowingly (mules, runners, gang members)."""
    return bool(label) and str(label).startswith(GUILTY_PREFIXES)


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

    @property
    def amount_recall(self) -> float:
        return self.matched_cents / self.truth_cents if self.truth_cents else 1.0

    @property
    def account_recall(self) -> float:
        return self.accounts_hit / self.accounts_true if self.accounts_true else 1.0

    @property
    def innocent_share(self) -> float:
        return self.innocent_cents / self.frozen_cents if self.frozen_cents else 0.0

    @property
    def over_claim(self) -> float:
        return 1 - self.matched_cents / self.frozen_cents if self.frozen_cents else 0.0

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = asdict(self)
        for key in ("truth_cents", "frozen_cents", "matched_cents", "innocent_cents"):
            out[key.replace("_cents", "")] = fmt(out.pop(key))
        out |= {
            "amount_recall": round(self.amount_recall, 4),
            "account_recall": round(self.account_recall, 4),
            "innocent_share": round(self.innocent_share, 4),
            "over_claim": round(self.over_claim, 4),
        }
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
    con = duckdb.connect(str(settings.lake_path), read_only=True)
    try:
        rows = con.execute(
            "SELECT entity_id, any_value(label) FROM labels WHERE entity_kind = 'account' "
            "GROUP BY entity_id"
        ).fetchall()
    finally:
        con.close()
    return {str(a): str(b) for a, b in rows}


def evaluate_home(settings: Settings, truth: Path, params: TraceParams) -> Evaluation:
    """Trace every report in `settings.home` and score it against `truth` (see module doc)."""
    holdings = read_holdings(truth)
    labels = account_labels(settings)
    started = time.perf_counter()
    frozen: dict[tuple[str, str], int] = {}
    reports = conserved = 0
    for obj in trace_all(settings, params):
        reports += 1
        t = obj["totals"]
        parts = ("frozen", "exited", "hubs", "returned", "unaccounted")
        conserved += sum(to_cents(t[k]) for k in parts) == to_cents(t["loss"])
        for o in obj["freeze"]:
            key = (obj["report_id"], o["account_id"])
            frozen[key] = frozen.get(key, 0) + to_cents(o["amount"])
    seconds = time.perf_counter() - started
    min_cents = params.min_amount_cents
    mule_truth = {k: c for k, c in holdings.items() if is_mule(labels.get(k[1]))}
    true_accounts = [k for k, c in mule_truth.items() if c >= min_cents]
    return Evaluation(
        rule=params.rule.value,
        reports=reports,
        truth_cents=sum(mule_truth.values()),
        frozen_cents=sum(frozen.values()),
        matched_cents=sum(min(c, mule_truth.get(k, 0)) for k, c in frozen.items()),
        innocent_cents=sum(c for k, c in frozen.items() if not is_mule(labels.get(k[1]))),
        accounts_true=len(true_accounts),
        accounts_hit=sum(1 for k in true_accounts if frozen.get(k, 0) > 0),
        conserved=conserved,
        seconds=round(seconds, 3),
    )


def evaluation_table(e: Evaluation) -> Table:
    """The evaluation as a Rich table."""
    table = Table(title=f"stop-payment quality (rule {e.rule}, {e.reports} reports)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("amount recall (mule money at report time that is frozen)", f"{e.amount_recall:.2%}"),
        ("account recall", f"{e.account_recall:.2%} ({e.accounts_hit}/{e.accounts_true})"),
        ("innocent share of frozen money", f"{e.innocent_share:.2%}"),
        ("over-claim (frozen beyond the true holding)", f"{e.over_claim:.2%}"),
        ("money in mule accounts (truth)", f"¥{fmt(e.truth_cents)}"),
        ("frozen", f"¥{fmt(e.frozen_cents)}"),
        ("reports conserving money to the cent", f"{e.conserved}/{e.reports}"),
        ("seconds for --all", f"{e.seconds:.2f}"),
    ]
    for what, value in rows:
        table.add_row(what, value)
    return table
