"""The joint-punishment registry (联合惩戒): the allow/deny check banks, operators and the
police ask, and the measures analysts add, appeal, decide and remove. Every question and
change is audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from chaincut.model.phone import DEFAULT_REGION, phone_or_none
from chaincut.services.context import Principal, ServiceState
from chaincut.services.errors import invalid_input
from chaincut.services.phrases import Phrase
from chaincut.services.schemas import (
    PunishmentAnswer,
    PunishmentCreate,
    PunishmentPublic,
    PunishmentQuestion,
)
from chaincut.services.views import punishment_public
from chaincut.store import audit, punishment
from chaincut.store.tables import Punishment


def check(
    s: Session, who: Principal, question: PunishmentQuestion, state: ServiceState | None = None
) -> PunishmentAnswer:
    """May this subject do this action now? Allow or deny, with the reason, measure and
    expiry; the phone number asked about is normalised first. Audited; commits `s`."""
    institution = question.institution or who.institution
    phone = _phone(question.phone, state)
    with invalid_input("action"):
        decision = punishment.check(
            s, question.subject_id.strip(), question.action, institution, phone=phone
        )
    audit.record(
        s,
        who.username,
        "punishment_check",
        "person",
        question.subject_id,
        f"{question.action} at {institution or 'unknown institution'}",
        {"allow": decision.allow, "punishment_id": decision.punishment_id},
    )
    answer = PunishmentAnswer(
        allow=decision.allow,
        reason=decision.reason,
        measure=decision.measure,
        expires_at=decision.expires_at,
        reason_code=Phrase(code=decision.code, args=decision.args) if decision.code else None,
    )
    s.commit()
    return answer


def _phone(given: str | None, state: ServiceState | None) -> str | None:
    """A number in E.164 (as given when it is not one), so a retained card matches however it
    is written."""
    if not given:
        return given
    return phone_or_none(given, state.settings.phone_region if state else DEFAULT_REGION) or given


def list_measures(
    s: Session, *, subject_id: str | None = None, include_removed: bool = True
) -> list[PunishmentPublic]:
    found = punishment.list_punishments(s, subject_id=subject_id, include_removed=include_removed)
    return [punishment_public(p, False) for p in found]


def get_measure(s: Session, punishment_id: int) -> PunishmentPublic:
    return punishment_public(punishment.get(s, punishment_id), False)


def add_measure(
    s: Session,
    who: Principal,
    body: PunishmentCreate,
    purpose: str,
    state: ServiceState | None = None,
) -> PunishmentPublic:
    """Register a measure against a subject. Audited with `purpose`; commits `s`."""
    with invalid_input():
        added = punishment.add(
            s,
            body.subject_id,
            body.measure,
            body.basis,
            body.start,
            subject_name=body.subject_name,
            retained_phone=_phone(body.retained_phone, state),
            actor=who.username,
        )
    audit.record(
        s,
        who.username,
        "punishment_add",
        "person",
        body.subject_id,
        purpose,
        {"punishment_id": added.id, "measure": added.measure.value, "basis": added.basis.value},
    )
    out = punishment_public(added, False)
    s.commit()
    return out


def _step_done(
    s: Session,
    who: Principal,
    action: str,
    found: Punishment,
    purpose: str | None,
    detail: dict[str, object],
) -> PunishmentPublic:
    """Audit one step on a measure, answer it and commit (every registry step ends so)."""
    audit.record(s, who.username, action, "person", found.subject_id, purpose, detail)
    out = punishment_public(found, False)
    s.commit()
    return out


def appeal(s: Session, who: Principal, punishment_id: int, note: str) -> PunishmentPublic:
    """Record the subject's appeal (申诉); the measure stays in force meanwhile. Commits."""
    found = punishment.appeal(s, punishment_id, note)
    return _step_done(s, who, "punishment_appeal", found, note, {"punishment_id": punishment_id})


def decide(s: Session, who: Principal, punishment_id: int, upheld: bool) -> PunishmentPublic:
    """Decide an appeal. Audited; commits."""
    found = punishment.decide_appeal(s, punishment_id, upheld)
    detail: dict[str, object] = {"punishment_id": punishment_id, "upheld": upheld}
    return _step_done(s, who, "punishment_appeal_decided", found, None, detail)


def remove(s: Session, who: Principal, punishment_id: int, reason: str) -> PunishmentPublic:
    """Remove a measure (the record stays). Audited; commits."""
    found = punishment.remove(s, punishment_id, reason)
    return _step_done(s, who, "punishment_remove", found, reason, {"punishment_id": punishment_id})
