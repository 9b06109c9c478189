"""The joint-punishment registry (联合惩戒) and the allow/deny check banks and operators ask.

Measures are financial, telecom or credit. The period runs from `start`: 3 years when the
subject was held criminally liable, 2 years after a determination by city-level police or above
(Ministry of Public Security draft measures, November 2023). Basic needs are carved out: the
balance of a payment account may still be withdrawn, and one phone card not involved in fraud is
kept. A pending appeal does not suspend a measure; an upheld appeal removes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.markers import N_
from chaincut.store import fraud_list
from chaincut.store.enums import Action, AppealStatus, ListedKind, Measure, PunishmentBasis
from chaincut.store.errors import IllegalTransition, NotFound
from chaincut.store.identifiers import normalize
from chaincut.store.period import add_years
from chaincut.store.tables import Punishment
from chaincut.store.types import as_utc, utc_now

PERIOD_YEARS: dict[PunishmentBasis, int] = {
    PunishmentBasis.criminal: 3,
    PunishmentBasis.police_determination: 2,
}

#: which measure restricts each action
ACTION_MEASURE: dict[Action, Measure] = {
    Action.open_account: Measure.financial,
    Action.open_payment_account: Measure.financial,
    Action.withdraw_balance: Measure.financial,
    Action.new_phone_card: Measure.telecom,
    Action.keep_phone_card: Measure.telecom,
    Action.credit_application: Measure.credit,
}

#: the check's reasons by code (English templates; a client says them in its language from the
#: code and `Decision.args`, e.g. the console's catalogues)
REASONS: dict[str, str] = {
    "registry_clear": N_("no %(measure)s measure in force"),
    "registry_withdraw_balance": N_(
        "basic needs: the balance of a payment account may still be withdrawn"
    ),
    "registry_keep_phone_card": N_("basic needs: one phone card not involved in fraud is kept"),
    "registry_in_force": N_(
        "joint punishment: %(measure)s measure in force until %(until)s (%(years)s years after "
        "%(basis)s)"
    ),
    "registry_listed_card": N_(
        "joint punishment: telecom measure in force; %(phone)s is on the fraud list "
        "(%(listed)s), so it cannot be the card kept for basic needs"
    ),
    "registry_other_card": N_(
        "joint punishment: telecom measure in force; only the retained card %(retained)s is kept"
    ),
}
#: the bases in the words of `registry_in_force`
BASIS_WORDS = {
    PunishmentBasis.criminal: N_("criminal liability"),
    PunishmentBasis.police_determination: N_("a determination by city-level police or above"),
}
#: actions allowed despite a measure, to meet basic needs
CARVE_OUTS: dict[Action, str] = {
    Action.withdraw_balance: REASONS["registry_withdraw_balance"],
    Action.keep_phone_card: REASONS["registry_keep_phone_card"],
}


@dataclass(frozen=True)
class Decision:
    """The registry's answer to "may this subject do this action now?"."""

    allow: bool
    reason: str
    measure: Measure | None = None
    expires_at: datetime | None = None
    punishment_id: int | None = None
    #: `reason` by code (`REASONS`) and the values it was written with
    code: str = ""
    args: dict[str, str] = field(default_factory=dict)


def expiry(basis: PunishmentBasis, start: datetime) -> datetime:
    return add_years(as_utc(start), PERIOD_YEARS[PunishmentBasis(basis)])


def add(
    session: Session,
    subject_id: str,
    measure: Measure | str,
    basis: PunishmentBasis | str,
    start: datetime,
    *,
    subject_name: str | None = None,
    retained_phone: str | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> Punishment:
    """Register one measure on `subject_id`, its expiry computed from `basis` and `start`.

    `retained_phone`, the one card kept for basic needs, is stored in E.164 and must not be on
    the fraud list (a card involved in fraud is not the one kept): `ValueError` otherwise.
    """
    basis = PunishmentBasis(basis)
    if retained_phone is not None:
        retained_phone = normalize(ListedKind.phone, retained_phone)
        listed = _listed_phone(session, retained_phone, now)
        if listed:
            raise ValueError(
                f"the retained phone card {retained_phone} is on the fraud list ({listed}): "
                "the card kept for basic needs must be one not involved in fraud"
            )
    punishment = Punishment(
        subject_id=subject_id,
        subject_name=subject_name,
        measure=Measure(measure),
        basis=basis,
        start_at=as_utc(start),
        expires_at=expiry(basis, start),
        retained_phone=retained_phone,
        appeal_status=AppealStatus.none,
        created_by=actor,
        created_at=as_utc(now) if now is not None else utc_now(),
    )
    session.add(punishment)
    session.flush()
    return punishment


def get(session: Session, punishment_id: int) -> Punishment:
    punishment = session.get(Punishment, punishment_id)
    if punishment is None:
        raise NotFound("punishment", punishment_id)
    return punishment


def _not_removed(session: Session, punishment_id: int, verb: str) -> Punishment:
    punishment = get(session, punishment_id)
    if punishment.removed_at is not None:
        raise IllegalTransition(f"cannot {verb} punishment {punishment_id}: it was removed")
    return punishment


def appeal(
    session: Session, punishment_id: int, note: str, *, now: datetime | None = None
) -> Punishment:
    """The subject appeals (申诉); the measure stays in force while the appeal is pending."""
    punishment = _not_removed(session, punishment_id, "appeal")
    if punishment.appeal_status is AppealStatus.pending:
        raise IllegalTransition(f"punishment {punishment_id} has an appeal pending already")
    punishment.appeal_status = AppealStatus.pending
    punishment.appeal_filed_at = as_utc(now) if now is not None else utc_now()
    punishment.appeal_note = note
    punishment.appeal_decided_at = None
    session.flush()
    return punishment


def decide_appeal(
    session: Session, punishment_id: int, upheld: bool, *, now: datetime | None = None
) -> Punishment:
    """Decide the pending appeal; upholding it removes the measure."""
    punishment = _not_removed(session, punishment_id, "decide the appeal of")
    if punishment.appeal_status is not AppealStatus.pending:
        raise IllegalTransition(f"punishment {punishment_id} has no appeal pending")
    now = as_utc(now) if now is not None else utc_now()
    punishment.appeal_status = AppealStatus.upheld if upheld else AppealStatus.rejected
    punishment.appeal_decided_at = now
    if upheld:
        punishment.removed_at = now
        punishment.removal_reason = "appeal upheld"
    session.flush()
    return punishment


def remove(
    session: Session, punishment_id: int, reason: str, *, now: datetime | None = None
) -> Punishment:
    """Lift a measure before its expiry (kept in the registry, marked removed)."""
    punishment = _not_removed(session, punishment_id, "remove")
    punishment.removed_at = as_utc(now) if now is not None else utc_now()
    punishment.removal_reason = reason
    session.flush()
    return punishment


def active(
    session: Session, subject_id: str, now: datetime, measure: Measure | None = None
) -> list[Punishment]:
    """The subject's measures in force at `now` (not removed, started, not expired)."""
    now = as_utc(now)
    query = (
        select(Punishment)
        .where(Punishment.subject_id == subject_id)
        .where(Punishment.removed_at.is_(None))
        .where(Punishment.start_at <= now)
        .where(Punishment.expires_at > now)
        .order_by(Punishment.expires_at.desc(), Punishment.id)
    )
    if measure is not None:
        query = query.where(Punishment.measure == measure)
    return list(session.scalars(query))


def list_punishments(
    session: Session, *, subject_id: str | None = None, include_removed: bool = True
) -> list[Punishment]:
    query = select(Punishment).order_by(Punishment.start_at.desc(), Punishment.id)
    if subject_id is not None:
        query = query.where(Punishment.subject_id == subject_id)
    if not include_removed:
        query = query.where(Punishment.removed_at.is_(None))
    return list(session.scalars(query))


def check(
    session: Session,
    subject_id: str,
    action: Action | str,
    institution: str | None = None,  # noqa: ARG001 - part of the question, see below
    now: datetime | None = None,
    *,
    phone: str | None = None,
) -> Decision:
    """May `subject_id` do `action` now? Allow or deny, with the reason, measure and expiry.

    Measures apply at every institution alike, so `institution` (who asks) does not change the
    answer; it is accepted so callers can pass the full question for their audit record. For
    `keep_phone_card`, `phone` names the card: once a measure records the retained card, only
    that one is allowed.
    """
    try:
        action = Action(action)
    except ValueError:
        known = ", ".join(a.value for a in Action)
        raise ValueError(f"unknown action {action!r}; known actions: {known}") from None
    measure = ACTION_MEASURE[action]
    in_force = active(session, subject_id, now if now is not None else utc_now(), measure)
    if not in_force:
        args = {"measure": measure.value}
        return Decision(True, REASONS["registry_clear"] % args, code="registry_clear", args=args)
    latest = in_force[0]
    if action is Action.keep_phone_card:
        return _keep_phone_card(session, in_force, phone, now)
    if action in CARVE_OUTS:
        return _decision(True, f"registry_{action.value}", latest)
    basis = PunishmentBasis(latest.basis)
    args = {
        "measure": measure.value,
        "until": f"{latest.expires_at:%Y-%m-%d}",
        "years": str(PERIOD_YEARS[basis]),
        "basis": basis.value,
    }
    return _decision(False, "registry_in_force", latest, args)


def _listed_phone(session: Session, phone: str, now: datetime | None) -> str | None:
    """Why `phone` (E.164) is on the fraud list, or None."""
    entries = fraud_list.matches(session, ListedKind.phone, [phone], now)
    return "; ".join(f"entry {e.id}: {e.reason}" for e in entries) if entries else None


def _keep_phone_card(
    session: Session, in_force: Sequence[Punishment], phone: str | None, now: datetime | None
) -> Decision:
    latest = in_force[0]
    if phone is not None:
        phone = normalize(ListedKind.phone, phone)
        listed = _listed_phone(session, phone, now)
        if listed:
            return _decision(
                False, "registry_listed_card", latest, {"phone": phone, "listed": listed}
            )
    retained = next((p.retained_phone for p in in_force if p.retained_phone), None)
    if retained is not None:
        retained = normalize(ListedKind.phone, retained)
    if retained is not None and phone is not None and phone != retained:
        return _decision(False, "registry_other_card", latest, {"retained": retained})
    return _decision(True, "registry_keep_phone_card", latest)


def _decision(
    allow: bool, code: str, punishment: Punishment, args: dict[str, str] | None = None
) -> Decision:
    args = args or {}
    words = {
        **args,
        **({"basis": BASIS_WORDS[PunishmentBasis(args["basis"])]} if "basis" in args else {}),
    }
    return Decision(
        allow=allow,
        reason=REASONS[code] % words if words else REASONS[code],
        measure=punishment.measure,
        expires_at=punishment.expires_at,
        punishment_id=punishment.id,
        code=code,
        args=args,
    )
