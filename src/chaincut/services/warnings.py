"""Early warning and dissuasion (预警劝阻) as use cases: events in, the worklist, outcomes.

`push_events` takes calls, messages and transactions in the interchange shapes (operators push
calls and messages, banks transactions; analysts and admins anything), runs them through the
service's live warner and puts the warnings they raise on the worklist: one open warning per
subject, raised in score when new evidence comes. `worklist` ranks the open warnings, most
urgent first (their priority: `chaincut.warning.urgency`), up to the day's capacity. `record_outcome` records one attempt (SMS, call, visit):
not reached -> the next channel is suggested; dissuaded -> the warning is closed as dissuaded;
already paid -> a report is filed from the warning's transfers and traced at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chaincut.model.phone import phone_or_none
from chaincut.services.errors import ServiceError
from chaincut.services.schemas import ReportCreate
from chaincut.services.warning_schemas import (
    DissuasionCreate,
    DissuasionResult,
    EventBatch,
    EventProblem,
    EventResult,
    WarningFigures,
    WarningPublic,
)
from chaincut.store import audit, warning
from chaincut.store.enums import (
    DissuasionChannel,
    DissuasionOutcome,
    ListedKind,
    OrderKind,
    OrderStatus,
    Role,
    WarningStatus,
)
from chaincut.store.fraud_list import list_entries
from chaincut.store.tables import Dissuasion, EarlyWarning, FreezeOrder
from chaincut.store.types import utc_now
from chaincut.warning.events import Event, EventError, parse_event
from chaincut.warning.live import Flag
from chaincut.warning.scoring import ACTIONS, Action, default_model
from chaincut.warning.signals import Directory, RaisedWarning
from chaincut.warning.why import why

if TYPE_CHECKING:  # at run time services.context would import the service package first
    from chaincut.services.context import Principal, ServiceState

#: which event kinds each role may push: its own data only
PUSHES: dict[Role, frozenset[str]] = {
    Role.bank: frozenset({"transaction"}),
    Role.telecom: frozenset({"call", "message"}),
    Role.analyst: frozenset({"call", "message", "transaction"}),
    Role.admin: frozenset({"call", "message", "transaction"}),
}
ESCALATION: dict[str, Action] = {"sms": "call", "call": "visit", "visit": "visit"}


#: the phone columns of pushed rows, normalised to E.164 like the directory's numbers
PHONE_FIELDS = ("caller", "callee", "sender", "receiver")


@lru_cache(maxsize=65_536)
def _e164(text: str, region: str) -> str:
    return phone_or_none(text, region) or text


def _number(value: object, region: str) -> str:
    """A phone number as E.164 when it is one (`130 1482 1479` and `+8613014821479` are one
    number); anything else (an IM id, a short code) as written. Cached: the same numbers come
    again and again in a stream, and parsing one costs more than the warner's work on it."""
    return _e164(str(value).strip(), region)


def _directory(state: ServiceState) -> Directory:
    region = state.settings.phone_region
    phones = state.lake.phone_holders()
    return Directory(
        {_number(p, region): i for p, i in phones.items()}, state.lake.account_holders()
    )


def _flags(state: ServiceState) -> list[Flag]:
    with state.store.session(readonly=True) as s:
        found: list[Flag] = []
        for kind in (ListedKind.account, ListedKind.phone):
            for entry in list_entries(s, kind=kind, limit=100_000):
                found.append((kind.value, entry.value, why("listed", reason=entry.reason)))
                # fraud-list numbers are stored as E.164 already (normalised when listed)
        stopped = s.execute(
            select(FreezeOrder.account_id, FreezeOrder.report_id)
            .where(FreezeOrder.kind != OrderKind.request_subaccount_detail)
            .where(FreezeOrder.status.in_((OrderStatus.issued, OrderStatus.confirmed,
                                           OrderStatus.renewed)))
        ).all()  # fmt: skip
        found += [("account", a, why("stopped", report=r)) for a, r in stopped]
        return found


def _mule(state: ServiceState) -> dict[str, float]:
    """The mule model's flagged accounts, when the service has scored the current lake already
    (never starts that computation: it takes seconds, and the events cannot wait)."""
    from chaincut.services.scorecache import lake_key
    from chaincut.warning.mule import flagged_scores

    scored = state.scores.peek("accounts", lake_key(state.settings))
    return flagged_scores(scored) if scored is not None else {}


def push_events(s: Session, who: Principal, state: ServiceState, batch: EventBatch) -> EventResult:
    """Take a batch of events; every good one is used, each bad one comes back with its index
    and field. Warnings raised go on the worklist (commits `s`)."""
    allowed = PUSHES.get(who.role, frozenset())
    for index, item in enumerate(batch.events):
        if item.kind not in allowed:
            raise ServiceError(
                403, f"role {who.role} may not push {item.kind} events (events[{index}])", "kind"
            )
    events: list[Event] = []
    problems: list[EventProblem] = []
    region = state.settings.phone_region
    for index, item in enumerate(batch.events):
        row = item.row
        if item.kind != "transaction":  # transactions name no phone
            row = dict(row)
            for name in PHONE_FIELDS:
                value = row.get(name)
                if isinstance(value, str) and value.strip():
                    row[name] = _e164(value.strip(), region)
        try:
            events.append(parse_event(item.kind, row))
        except EventError as exc:
            problems.append(EventProblem(index=index, field=exc.field, message=exc.reason))
    raised = state.warnings.take(
        events, lambda: _directory(state), lambda: _flags(state), lambda: _mule(state)
    )
    ids = save_warnings(s, raised)
    s.commit()
    return EventResult(accepted=len(events), rejected=problems, warnings=ids)


def save_warnings(s: Session, raised: list[RaisedWarning]) -> list[int]:
    """Put raised warnings on the worklist: a subject's open warning is raised in score (its
    signals replaced by the newer, fuller set) rather than copied. Returns the warning ids."""
    # per subject: its first warning of the batch (when it opens one) and its highest, the
    # first of equals (what raising the open warning one warning at a time would leave)
    first: dict[tuple[str, str], RaisedWarning] = {}
    best: dict[tuple[str, str], RaisedWarning] = {}
    #: the latest: its priority and urgency say the subject's moment now
    latest: dict[tuple[str, str], RaisedWarning] = {}
    for w in raised:
        key = (w.subject_kind, w.subject_id)
        first.setdefault(key, w)
        latest[key] = w
        if key not in best or w.score > best[key].score:
            best[key] = w
    # the subjects' open warnings, looked up once per batch (not once per warning)
    found: dict[tuple[str, str], EarlyWarning] = {}
    for chunk in _chunks(sorted({i for _, i in best}), 500):
        for row in s.scalars(
            select(EarlyWarning)
            .where(EarlyWarning.subject_id.in_(chunk))
            .where(EarlyWarning.status == WarningStatus.open)
            .order_by(EarlyWarning.warning_id)
        ):
            found.setdefault((row.subject_kind, row.subject_id), row)
    touched: list[EarlyWarning] = []
    for key, w in best.items():
        existing = found.get(key)
        now = latest[key]
        if existing is None:
            at = datetime.fromtimestamp(first[key].raised_at, UTC)
            existing = warning.create_warning(s, w.subject_kind, w.subject_id, w.score,
                                              [x.record() for x in w.signals],
                                              fraud_type=w.fraud_type, now=at, flush=False,
                                              priority=now.rank, urgent=_urgent(now))  # fmt: skip
            # a later warning's priority is kept too: the row was updated then
            moved = now.raised_at if now.priority is not None else w.raised_at
            existing.updated_at = datetime.fromtimestamp(max(w.raised_at, moved), UTC)
        else:
            if w.score > existing.score:
                existing.score, existing.signals = w.score, [x.record() for x in w.signals]
                existing.fraud_type = w.fraud_type
                existing.updated_at = datetime.fromtimestamp(w.raised_at, UTC)
            urgent = _urgent(now)
            if now.priority is not None and (now.priority, urgent) != (
                existing.priority,
                existing.urgent,
            ):
                # a newer moment: its urgency, higher or lower (already paid: lower)
                existing.priority, existing.urgent = now.priority, urgent
                existing.updated_at = datetime.fromtimestamp(now.raised_at, UTC)
        touched.append(existing)
    s.flush()  # the new warnings in one INSERT, the raised ones in one UPDATE
    return sorted({w.warning_id for w in touched})


def _urgent(w: RaisedWarning) -> dict[str, object] | None:
    """Why `w` is urgent as the worklist keeps it (`{"why", "why_code"}`), or None."""
    if w.urgent is None:
        return None
    return {"why": w.urgent.text, "why_code": w.urgent.as_list()}


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def report_filed(
    s: Session,
    state: ServiceState,
    report_id: str,
    filed_at: datetime,
    orders: list[FreezeOrder],
    fraud_type: str | None,
) -> list[int]:
    """A report's stopped accounts go to the live warner, which warns the others who paid them
    in the last two weeks (the reverse trace); the warnings go on the worklist (not committed)."""
    now = int(filed_at.timestamp())
    raised: list[RaisedWarning] = []
    for account in sorted(
        {o.account_id for o in orders if o.kind is not OrderKind.request_subaccount_detail}
    ):
        raised += state.warnings.flag_account(account, why("stopped", report=report_id), now,
                                              fraud_type)  # fmt: skip
    return save_warnings(s, raised)


def _attempts_failed(w: EarlyWarning) -> int:
    bad = (DissuasionOutcome.unreachable, DissuasionOutcome.continued)
    return sum(1 for d in w.dissuasions if d.outcome in bad)


def warning_public(w: EarlyWarning) -> WarningPublic:
    model = default_model()
    last = w.dissuasions[-1] if w.dissuasions else None
    action = model.action(w.score, _attempts_failed(w))
    if last is not None and last.outcome is DissuasionOutcome.unreachable:
        action = max(action, ESCALATION[last.channel.value], key=ACTIONS.index)
    return WarningPublic(
        warning_id=w.warning_id, subject_kind=w.subject_kind, subject_id=w.subject_id,
        raised_at=w.created_at, updated_at=w.updated_at, score=round(w.score, 4),
        priority=round(w.priority if w.priority is not None else w.score, 4),
        urgent=w.urgent,
        fraud_type=w.fraud_type, action=action, status=w.status, assigned_to=w.assigned_to,
        signals=list(w.signals), attempts=len(w.dissuasions),
    )  # fmt: skip


def worklist(
    s: Session,
    *,
    capacity: int,
    status: WarningStatus | None = WarningStatus.open,
    assigned_to: str | None = None,
    offset: int = 0,
) -> list[WarningPublic]:
    """The worklist: warnings most urgent first (their priority), at most `capacity` (the
    day's capacity)."""
    found = warning.worklist(s, status=status, assigned_to=assigned_to, limit=capacity,
                             offset=offset)  # fmt: skip
    return [warning_public(w) for w in found]


def assign(s: Session, who: Principal, warning_id: int, username: str | None) -> WarningPublic:
    """Give a warning to an analyst (or take it back with None); audited, commits."""
    found = warning.assign(s, warning_id, username)
    audit.record(s, who.username, "assign_warning", "warning", str(warning_id), None,
                 {"assigned_to": username})  # fmt: skip
    s.commit()
    return warning_public(found)


def record_outcome(
    s: Session, who: Principal, state: ServiceState, warning_id: int, body: DissuasionCreate
) -> DissuasionResult:
    """Record one attempt to dissuade; see the module docstring for what each outcome does."""
    found = warning.get_warning(s, warning_id)
    if found.status is not WarningStatus.open:
        raise ServiceError(409, f"warning {warning_id} is {found.status.value}, not open")
    if not body.reached:
        outcome = DissuasionOutcome.unreachable
    elif body.already_paid:
        outcome = DissuasionOutcome.already_paid
    else:
        outcome = DissuasionOutcome.stopped if body.dissuaded else DissuasionOutcome.continued
    report_id: str | None = None
    if outcome is DissuasionOutcome.already_paid:
        txns = body.fraud_txn_ids or [x["id"] for x in found.signals if x.get("kind") == "transfer"]
        account = body.victim_account or (
            found.subject_id if found.subject_kind == "account" else None
        )
        if not txns or not account:
            raise ServiceError(400, "already paid: give victim_account and fraud_txn_ids "
                               "(the warning does not name them)", "victim_account")  # fmt: skip
        victim = found.subject_id if found.subject_kind == "person" else None
        # imported here: services.reports pulls in the service package, which imports this
        from chaincut.services import reports

        filed = reports.file_report(
            ReportCreate(victim_account=account, fraud_txn_ids=txns, victim_id=victim,
                         fraud_type=found.fraud_type,
                         narrative=f"filed from warning {warning_id} during dissuasion"),
            s, who, state, source="dissuasion",
        )  # fmt: skip
        report_id = filed.report.report_id
        found = warning.get_warning(s, warning_id)
    kept = body.money_kept if outcome is DissuasionOutcome.stopped else None
    dissuasion = warning.record_dissuasion(s, warning_id, body.channel, outcome,
                                           actor=who.username, note=body.note,
                                           money_kept=kept)  # fmt: skip
    if outcome is DissuasionOutcome.already_paid:
        warning.close_warning(s, warning_id, WarningStatus.closed)
    audit.record(s, who.username, "dissuasion", "warning", str(warning_id), None, {
        "channel": body.channel.value, "outcome": outcome.value, "report_id": report_id,
        "money_kept": str(kept) if kept is not None else None,
    })  # fmt: skip
    s.commit()
    result = warning_public(warning.get_warning(s, warning_id))
    next_channel = ESCALATION[body.channel.value] if outcome in (
        DissuasionOutcome.unreachable, DissuasionOutcome.continued) else None  # fmt: skip
    return DissuasionResult(
        dissuasion_id=dissuasion.id, outcome=outcome.value, warning=result,
        next_channel=DissuasionChannel(next_channel) if next_channel else None,
        report_id=report_id,
    )  # fmt: skip


def figures(s: Session) -> WarningFigures:
    """The dashboard's 劝阻 figures: warnings, attempts, reached, dissuaded, money kept."""
    outcomes = dict(
        s.execute(select(Dissuasion.outcome, func.count()).group_by(Dissuasion.outcome)).all()
    )
    kept = s.scalar(select(func.sum(Dissuasion.money_kept))) or Decimal("0.00")
    reached = sum(n for o, n in outcomes.items() if o is not DissuasionOutcome.unreachable)
    return WarningFigures(
        warnings=s.scalar(select(func.count()).select_from(EarlyWarning)) or 0,
        attempts=sum(outcomes.values()),
        reached=reached,
        dissuaded=outcomes.get(DissuasionOutcome.stopped, 0),
        already_paid=outcomes.get(DissuasionOutcome.already_paid, 0),
        money_kept=kept.quantize(Decimal("0.01")),
        as_of=utc_now(),
    )
