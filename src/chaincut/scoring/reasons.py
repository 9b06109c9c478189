"""What a score says: the account's score, its guessed role and the reasons an analyst checks.

Reasons are of two kinds: the features that pushed the score up most (their SHAP values from
LightGBM's `pred_contrib`, in log-odds) and the typology patterns the account matched, each with
example transactions. `AccountScores` holds a whole lake's scores as columns (millions of
accounts fit) and makes each `AccountScore` when it is read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, overload

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from chaincut.lake.jobs.account_patterns import PATTERNS
from chaincut.scoring.features import DESCRIPTIONS, FloatArray, StrArray

TOP_FEATURES = 3

#: What a missing value of these features means, in words an analyst can check: they are shares
#: of the larger of the money received and sent in the lake's currency, so they have no value
#: when the account received and sent none in it (its money moved in other currencies only, or
#: not at all). The trees learnt what that fact is worth; the reason says the fact.
MISSING_TEXT: Final[Mapping[str, str]] = {
    "flow_balance": "no money received or sent in the lake's currency (other currencies only)",
    "pt_flow_share": "no money received or sent in the lake's currency (other currencies only)",
}


@dataclass(frozen=True)
class Contribution:
    """A feature's value for the account and how much it raised the score (log-odds).

    `source` is, for a rank within the ledger (`rank_*`), the value of what it ranks (the
    account's count or amount), so the reason can say both."""

    feature: str
    value: float
    contribution: float
    source: float | None = None

    @property
    def description(self) -> str:
        return DESCRIPTIONS.get(self.feature, self.feature)

    @property
    def text(self) -> str:
        """The reason in words an analyst can check against the account's statement."""
        return feature_text(self.feature, self.value, self.source)

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "description": self.description,
            "value": None if np.isnan(self.value) else round(self.value, 4),
            "contribution": round(self.contribution, 4),
            "text": self.text,
        }


def feature_text(feature: str, value: float, source: float | None = None) -> str:
    """`feature` = `value` as a sentence: shares in per cent, delays in minutes or hours, ranks
    as the account's own figure and its percentile among the ledger's accounts (mid-rank)."""
    if np.isnan(value):
        if feature in MISSING_TEXT:
            return MISSING_TEXT[feature]
        return f"{DESCRIPTIONS.get(feature, feature)}: unknown"
    if feature.startswith("rank_"):
        base = feature.removeprefix("rank_")
        own = "" if source is None or np.isnan(source) else f"{_number(base, source)}, "
        return f"{DESCRIPTIONS.get(base, base)}: {own}percentile {_centile(value)} of the ledger"
    description = DESCRIPTIONS.get(feature, feature).removesuffix(" (hours)")
    return f"{description}: {_number(feature, value)}"


def _number(feature: str, value: float) -> str:
    if feature.endswith("_share"):
        return _percent(value)
    if feature.endswith("_h"):
        return f"{value * 60:.0f} min" if value < 2 else f"{value:.1f} h"
    if feature.endswith("_d"):
        return f"{value:.1f} days"
    if "amount" in feature:
        return f"{value:,.2f}"
    return f"{value:.4g}"


def _centile(share: float) -> str:
    return f"{100 * share:.0f}" if share < 0.99 else f"{100 * share:.1f}"


def _percent(share: float) -> str:
    return f"{100 * share:.1f} %" if share < 0.999 else f"{100 * share:.2f} %"


#: what a matched pattern means, in the detectors' default thresholds (`PatternParams`)
PATTERN_TEXT: Final[dict[str, str]] = {
    "fan_in": "fan-in: paid by at least 5 distinct accounts within one day",
    "fan_out": "fan-out: paid at least 5 distinct accounts within one day",
    "gather_scatter": "gather-scatter: at least 3 payers, then at least 3 payees, within one day",
    "pass_through": "pass-through: money out within 1 h of money in, keeping at most 20 %",
    "cycle": "cycle: money came back to where it started within 7 days",
    "scatter_gather": "scatter-gather: split over at least 2 accounts that paid one target "
    "within 2 days",
    "bipartite": "bipartite: pays (or is paid by) at least 2 of the same accounts as another",
    "stack": "stack: shares at least 2 payers and 2 payees with another account (a parallel card)",
}


@dataclass(frozen=True)
class PatternMatch:
    """A typology the account matched: how many transactions show it, and the first few."""

    pattern: str
    matches: int
    txn_ids: tuple[str, ...]

    @property
    def text(self) -> str:
        """The pattern in words, how many transactions show it and the first ones."""
        meaning = PATTERN_TEXT.get(self.pattern, self.pattern)
        return f"{meaning} ({self.matches} transactions; e.g. {', '.join(self.txn_ids)})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "matches": self.matches,
            "txn_ids": list(self.txn_ids),
            "text": self.text,
        }


@dataclass(frozen=True)
class AccountScore:
    account_id: str
    score: float
    label: str  # mule_l1, mule_l2, mule_l3, runner or normal
    flagged: bool  # score at or above the model's threshold
    features: tuple[Contribution, ...]
    patterns: tuple[PatternMatch, ...]

    def reasons(self) -> list[str]:
        """The reasons in words, strongest first: features, then patterns with examples."""
        out = [f"{c.text} (+{c.contribution:.2f})" for c in self.features]
        out.extend(p.text for p in self.patterns)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "score": round(self.score, 6),
            "label": self.label,
            "flagged": self.flagged,
            "features": [c.to_dict() for c in self.features],
            "patterns": [p.to_dict() for p in self.patterns],
        }


def pattern_matches(rows: pa.Table) -> dict[str, tuple[PatternMatch, ...]]:
    """The rows of `account_patterns`, per account, patterns in `PATTERNS` order."""
    index = PatternIndex(rows)
    return {a: index.get(a) for a in index.accounts}


class PatternIndex:
    """The rows of `account_patterns`, sorted by account, pattern (`PATTERNS` order) and rank,
    for looking up one account's matches without a Python object per row."""

    def __init__(self, rows: pa.Table) -> None:
        order = pc.index_in(rows.column("pattern"), value_set=pa.array(PATTERNS))
        rows = rows.append_column("order", order)
        keys = [("account_id", "ascending"), ("order", "ascending"), ("rank", "ascending")]
        self._rows = rows.take(pc.sort_indices(rows, sort_keys=keys))
        ids = np.asarray(self._rows.column("account_id").to_numpy(zero_copy_only=False), str)
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if len(ids) else np.zeros(0, int)
        #: the accounts with patterns, sorted, and where their rows start (and end)
        self.accounts: StrArray = ids[starts]
        self._bounds = np.r_[starts, len(ids)]

    def get(self, account: str) -> tuple[PatternMatch, ...]:
        """The patterns `account` matched (none when it matched none)."""
        at = int(np.searchsorted(self.accounts, account))
        if at >= len(self.accounts) or self.accounts[at] != account:
            return ()
        return self._matches(at)

    def _matches(self, at: int) -> tuple[PatternMatch, ...]:
        lo, hi = int(self._bounds[at]), int(self._bounds[at + 1])
        rows = self._rows.slice(lo, hi - lo).select(["pattern", "matches", "txn_id"]).to_pylist()
        found: dict[str, list[str]] = defaultdict(list)
        matches: dict[str, int] = {}
        for r in rows:
            found[str(r["pattern"])].append(str(r["txn_id"]))
            matches[str(r["pattern"])] = int(r["matches"])
        return tuple(PatternMatch(p, matches[p], tuple(found[p])) for p in found)

    def items(self) -> Iterator[tuple[str, tuple[PatternMatch, ...]]]:
        """Every account with patterns and its matches, in account order."""
        for at, account in enumerate(self.accounts):
            yield str(account), self._matches(at)


@dataclass(frozen=True)
class AccountScores(Sequence[AccountScore]):
    """The scores of every account of a lake, highest first (ties by account id), as columns.

    Indexing and iterating give `AccountScore`s, made when asked for; `table()` gives the flat
    table of every account without making one each.
    """

    ids: StrArray  # account ids, sorted
    values: FloatArray  # their scores
    flagged: npt.NDArray[np.bool_]
    labels: npt.NDArray[np.object_]  # role guesses
    explained: Mapping[int, tuple[Contribution, ...]]  # by position in `ids`
    patterns: PatternIndex
    order: npt.NDArray[np.intp]  # positions in `ids`, best score first

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, i: int) -> AccountScore: ...

    @overload
    def __getitem__(self, i: slice) -> list[AccountScore]: ...

    def __getitem__(self, i: int | slice) -> AccountScore | list[AccountScore]:
        if isinstance(i, slice):
            return [self._score(int(j)) for j in self.order[i]]
        return self._score(int(self.order[i]))

    def __iter__(self) -> Iterator[AccountScore]:
        for j in self.order:
            yield self._score(int(j))

    def flagged_count(self) -> int:
        """How many of these accounts are flagged (counted on the column, no score is made)."""
        return int(self.flagged[self.order].sum())

    def among(self, accounts: Collection[str]) -> AccountScores:
        """The scores of only `accounts` (e.g. one bank's), in the same order; the columns are
        shared, only the order is filtered."""
        wanted = [str(a) for a in accounts]
        if not wanted:
            return replace(self, order=self.order[:0])
        keep = np.isin(self.ids[self.order].astype(str), np.asarray(wanted, dtype=str))
        return replace(self, order=self.order[keep])

    def _score(self, j: int) -> AccountScore:
        account = str(self.ids[j])
        return AccountScore(
            account_id=account,
            score=float(self.values[j]),
            label=str(self.labels[j]),
            flagged=bool(self.flagged[j]),
            features=self.explained.get(j, ()),
            patterns=self.patterns.get(account),
        )

    def table(self) -> pa.Table:
        """account_id, score (6 places), label, flagged, reasons (one string), best first."""
        reasons = np.full(len(self.ids), "", dtype=object)
        texts: dict[int, list[str]] = defaultdict(list)
        for j, features in self.explained.items():
            texts[j] = AccountScore("", 0.0, "", False, features, ()).reasons()
        at = np.searchsorted(self.ids, self.patterns.accounts)
        for j, (account, found) in zip(at, self.patterns.items(), strict=True):
            if j < len(self.ids) and self.ids[j] == account:
                texts[int(j)] += AccountScore("", 0.0, "", False, (), found).reasons()
        for j, lines in texts.items():
            reasons[j] = "; ".join(lines)
        o = self.order
        return pa.table(
            {
                "account_id": pa.array(self.ids[o], pa.string()),
                "score": pa.array([round(v, 6) for v in self.values[o].tolist()], pa.float64()),
                "label": pa.array(self.labels[o], pa.string()),
                "flagged": pa.array(self.flagged[o], pa.bool_()),
                "reasons": pa.array(reasons[o], pa.string()),
            }
        )


def scores_table(scores: Sequence[AccountScore]) -> pa.Table:
    """The scores as a flat table: account_id, score, label, flagged, reasons (one string)."""
    if isinstance(scores, AccountScores):
        return scores.table()
    columns: Mapping[str, list[Any]] = {
        "account_id": [s.account_id for s in scores],
        "score": [round(s.score, 6) for s in scores],
        "label": [s.label for s in scores],
        "flagged": [s.flagged for s in scores],
        "reasons": ["; ".join(s.reasons()) for s in scores],
    }
    return pa.table(dict(columns))
