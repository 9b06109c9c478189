"""The demo's early-warning step: replay the lake into the worklist and work its top.

A few outcomes are recorded on the highest-scored warnings (one dissuaded, one not reached by
SMS, one reached but still paying, ...) so that the console's 劝阻 figures are not zero. Money
kept for a dissuaded person is what the world's ground truth says they went on to lose (a
demo is a replay: nobody was really stopped).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from chaincut.lake.engine import get_engine
from chaincut.services.warning_worklist import last_updated, not_stored
from chaincut.services.warnings import save_warnings
from chaincut.settings import Settings
from chaincut.store import Store, audit, warning
from chaincut.store.enums import DissuasionChannel, DissuasionOutcome, WarningStatus
from chaincut.store.tables import Dissuasion, EarlyWarning
from chaincut.warning.replay import directory, replay

#: (channel, outcome) recorded on the top warnings, in rank order
PLAN = (
    (DissuasionChannel.call, DissuasionOutcome.stopped),
    (DissuasionChannel.sms, DissuasionOutcome.unreachable),
    (DissuasionChannel.call, DissuasionOutcome.stopped),
    (DissuasionChannel.call, DissuasionOutcome.continued),
    (DissuasionChannel.visit, DissuasionOutcome.stopped),
    (DissuasionChannel.sms, DissuasionOutcome.unreachable),
)
ACTOR = "demo"


def _losses(settings: Settings) -> dict[str, Decimal]:
    """Person -> what the world's truth says they lost (paid into mule or runner accounts)."""
    with get_engine(settings) as engine:
        book = directory(engine)
        labels = engine.table("labels")
        chain = engine.execute(
            labels.filter(
                (labels.entity_kind == "account")
                & (labels.label.startswith("mule") | labels.label.startswith("runner"))
            ).select("entity_id"),
            label="demo chain accounts",
        )["entity_id"].to_pylist()
        t = engine.table("transactions")
        paid = engine.execute(
            t.filter(t.dst_account.isin(chain)).select("src_account", "amount"),
            label="demo losses",
        )
    out: dict[str, Decimal] = {}
    for src, amount in zip(paid["src_account"].to_pylist(), paid["amount"].to_pylist(),
                           strict=True):  # fmt: skip
        person = book.account_holder.get(src)
        if person:
            out[person] = out.get(person, Decimal("0.00")) + amount
    return out


def raise_and_work(settings: Settings, store: Store) -> dict[str, int]:
    """Put the lake's warnings on the worklist and record outcomes on its top; counts."""
    with get_engine(settings) as engine:
        raised = list(replay(engine))
    losses = _losses(settings)
    with store.session() as s:
        # a second demo on the same home re-raises the same warnings: those the store holds
        # already (or that staff worked since) are left out, as `warn --replay --worklist` does
        subjects = {(w.subject_kind, w.subject_id) for w in raised}
        save_warnings(s, not_stored(raised, last_updated(s, subjects)))
        s.flush()
        on_worklist = s.scalar(
            select(func.count())
            .select_from(EarlyWarning)
            .where(EarlyWarning.status == WarningStatus.open)
        )
        done = s.scalar(
            select(func.count()).select_from(Dissuasion).where(Dissuasion.actor == ACTOR)
        )
        top = [] if done else warning.worklist(s, limit=len(PLAN))  # worked by an earlier run
        for w, (channel, outcome) in zip(top, PLAN, strict=False):
            kept = losses.get(w.subject_id) if outcome is DissuasionOutcome.stopped else None
            warning.record_dissuasion(s, w.warning_id, channel, outcome, actor=ACTOR,
                                      note="demo", money_kept=kept)  # fmt: skip
            audit.record(s, ACTOR, "dissuasion", "warning", str(w.warning_id), None, {
                "channel": channel.value, "outcome": outcome.value, "report_id": None,
                "money_kept": str(kept) if kept else None,
            })  # fmt: skip
        s.commit()
    return {"raised": len(raised), "on_worklist": on_worklist or 0, "worked": len(top)}
