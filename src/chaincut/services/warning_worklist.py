"""`chaincut warn --replay --worklist`: the replay's warnings onto the store's worklist.

The warnings go through the live path's writer (`chaincut.services.warnings.save_warnings`), so
the rows are the ones `POST /v1/events` would leave: one open warning per subject, raised in
score with the fuller evidence when a higher-scored warning comes. A replay re-raises warnings
the store may already hold, so before that a warning is dropped when the store has a warning
about the same subject (open, dissuaded or closed) last updated after the moment it was
raised: the store already holds that evidence, or staff worked the warning since. Running the
same replay twice therefore adds nothing, and replaying after importing newer data adds only
what the newer events raise. Everything is written in one transaction: an error part-way
leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chaincut.services.warnings import save_warnings
from chaincut.store import Store
from chaincut.store.enums import WarningStatus
from chaincut.store.tables import EarlyWarning
from chaincut.store.types import as_utc
from chaincut.store.warning import get_warning
from chaincut.warning.signals import RaisedWarning

#: subject ids per IN (...) query: well under SQLite's and PostgreSQL's parameter limits
CHUNK = 500

Subject = tuple[str, str]


@dataclass(frozen=True)
class Stored:
    """What storing a replay did: `warnings` replayed, about `subjects` people, phones or
    accounts; per subject, its open warning `added`, `updated` (raised in score), or left
    `unchanged` (the store held that evidence already, or staff have worked the warning)."""

    warnings: int
    subjects: int
    added: int
    updated: int

    @property
    def unchanged(self) -> int:
        return self.subjects - self.added - self.updated

    def to_json(self) -> dict[str, int]:
        return {"warnings": self.warnings, "subjects": self.subjects, "added": self.added,
                "updated": self.updated, "unchanged": self.unchanged}  # fmt: skip


def last_updated(s: Session, subjects: set[Subject]) -> dict[Subject, int]:
    """Subject -> the latest `updated_at` (epoch seconds) of its stored warnings, any status."""
    out: dict[Subject, int] = {}
    ids = sorted({i for _, i in subjects})
    for at in range(0, len(ids), CHUNK):
        rows = s.execute(
            select(EarlyWarning.subject_kind, EarlyWarning.subject_id,
                   func.max(EarlyWarning.updated_at))
            .where(EarlyWarning.subject_id.in_(ids[at : at + CHUNK]))
            .group_by(EarlyWarning.subject_kind, EarlyWarning.subject_id)
        ).all()  # fmt: skip
        for kind, subject, updated in rows:
            out[(kind, subject)] = int(as_utc(updated).timestamp())
    return out


def not_stored(
    raised: Sequence[RaisedWarning], last_updated: dict[Subject, int]
) -> list[RaisedWarning]:
    """The warnings of `raised` not raised before their subject's stored warnings last changed
    (one raised in that same second may still raise the open warning's score)."""
    return [
        w for w in raised
        if w.raised_at >= last_updated.get((w.subject_kind, w.subject_id), w.raised_at)
    ]  # fmt: skip


def _open_scores(s: Session, subjects: set[Subject]) -> dict[int, float]:
    """warning_id -> score of the subjects' open warnings (loaded into the session)."""
    ids = sorted({i for _, i in subjects})
    out: dict[int, float] = {}
    for at in range(0, len(ids), CHUNK):
        for row in s.scalars(
            select(EarlyWarning)
            .where(EarlyWarning.subject_id.in_(ids[at : at + CHUNK]))
            .where(EarlyWarning.status == WarningStatus.open)
        ):
            if (row.subject_kind, row.subject_id) in subjects:
                out[row.warning_id] = row.score
    return out


def store_replay(store: Store, raised: Sequence[RaisedWarning]) -> Stored:
    """Put the replay's `raised` warnings on `store`'s worklist as the live path would, skipping
    those the store already holds (module docstring); one transaction, committed at the end."""
    with store.session() as s:
        subjects = {(w.subject_kind, w.subject_id) for w in raised}
        fresh = not_stored(raised, last_updated(s, subjects))
        before = _open_scores(s, {(w.subject_kind, w.subject_id) for w in fresh})
        ids = save_warnings(s, fresh)
        updated = sum(1 for i in ids if i in before and get_warning(s, i).score > before[i])
        added = sum(1 for i in ids if i not in before)
    return Stored(warnings=len(raised), subjects=len(subjects), added=added, updated=updated)
