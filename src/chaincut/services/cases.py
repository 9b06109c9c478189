"""Supervised cases (挂牌督办): register, figures, reports, suspects, timeline; each change
audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.services.case_figures import DERIVED, derived, followed, suspect_counts
from chaincut.services.context import Principal, ServiceState
from chaincut.services.errors import ServiceError, invalid_input
from chaincut.services.person_names import person_names
from chaincut.services.schemas import (
    CaseCreate,
    CaseEventCreate,
    CasePublic,
    CaseUpdate,
    SuspectCreate,
    SuspectPublic,
    SuspectUpdate,
)
from chaincut.services.views import case_public
from chaincut.store import audit, case
from chaincut.store.enums import CaseStatus, SuspectRole, SuspectStatus
from chaincut.store.errors import NotFound
from chaincut.store.tables import Case, CaseSuspect


def _public(
    s: Session,
    found: Case,
    follows: str | None,
    names: dict[str, str | None] | None = None,
    mask: bool = False,
) -> CasePublic:
    figures = derived(s, found) if follows is not None else None
    return case_public(found, figures, names, mask, follows)


def list_cases(
    s: Session, *, batch: str | None = None, status: CaseStatus | None = None
) -> list[CasePublic]:
    """The register; a case that follows a gang with its counts and amount frozen as they
    stand now (`case_figures`)."""
    tied = followed(s)
    return [_public(s, c, tied.get(c.case_id))
            for c in case.list_cases(s, batch=batch, status=status)]  # fmt: skip


def get_case(s: Session, case_id: str) -> CasePublic:
    """One case, its figures as `list_cases` gives them; suspects without the lake's names."""
    return _public(s, case.get_case(s, case_id), followed(s).get(case_id))


def view_case(state: ServiceState, s: Session, who: Principal, case_id: str) -> CasePublic:
    """One case as its page and `GET /v1/cases/{id}` show it: `get_case` with each suspect's
    name from the lake (`person_name`; each look-up audited, masked below analyst). Commits
    `s` (the audit rows)."""
    found = case.get_case(s, case_id)
    ids = [x.person_id for x in found.suspects if x.person_id]
    names = person_names(state, s, who, ids, ("case", case_id))
    out = _public(s, found, followed(s).get(case_id), names, who.mask)
    s.commit()
    return out


def create_case(s: Session, who: Principal, body: CaseCreate) -> CasePublic:
    """Register a case. Audited; commits `s`."""
    with invalid_input():
        created = case.create_case(
            s,
            body.case_id,
            body.name,
            batch=body.batch,
            den_location=body.den_location,
            fraud_methods=body.fraud_methods,
            amount_involved=body.amount_involved,
            actor=who.username,
        )
    audit.record(s, who.username, "case_create", "case", body.case_id, None, {"name": body.name})
    out = case_public(created)
    s.commit()
    return out


def update_case(s: Session, who: Principal, case_id: str, body: CaseUpdate) -> CasePublic:
    """Change a case's fields, money and counts. Audited with the note; commits `s`."""
    given = body.model_dump(exclude_unset=True, exclude_none=True)
    follows = followed(s).get(case_id)
    typed = sorted(k for k in DERIVED if k in given)
    if follows is not None and typed:
        raise ServiceError(
            409,
            f"case {case_id!r} follows gang {follows}: {', '.join(typed)} are counted from its "
            "suspects (record an arrest: PATCH /v1/cases/{id}/suspects/{suspect}) and its "
            "reports' open orders, and the amount involved is the gang's reported money",
            typed[0],
        )
    amounts = {k: given.pop(k) for k in case.MONEY_FIELDS if k in given}
    counts = {k: given.pop(k) for k in case.COUNT_FIELDS if k in given}
    with invalid_input():
        updated = case.update_case(
            s, case_id, amounts=amounts, counts=counts, actor=who.username, **given
        )
    audit.record(
        s, who.username, "case_update", "case", case_id, body.note,
        {k: str(v) for k, v in (given | amounts | counts).items()},
    )  # fmt: skip
    s.refresh(updated)
    out = _public(s, updated, follows)
    s.commit()
    return out


def attach_report(s: Session, who: Principal, case_id: str, report_id: str) -> CasePublic:
    """Join a report to a case. Audited; commits `s`."""
    case.attach_report(s, case_id, report_id)
    audit.record(
        s, who.username, "case_attach_report", "case", case_id, None, {"report_id": report_id}
    )
    found = case.get_case(s, case_id)
    s.refresh(found)
    out = _public(s, found, followed(s).get(case_id))
    s.commit()
    return out


def add_event(s: Session, who: Principal, case_id: str, body: CaseEventCreate) -> CasePublic:
    """Add a step to the case's timeline. Audited; commits `s`."""
    case.add_event(s, case_id, body.kind, body.note, actor=who.username, at=body.at)
    audit.record(s, who.username, "case_event", "case", case_id, None, {"kind": body.kind})
    out = get_case(s, case_id)
    s.commit()
    return out


def add_suspect(s: Session, who: Principal, case_id: str, body: SuspectCreate) -> SuspectPublic:
    """Name a suspect of the case (409 when the person is one already). Audited; commits
    `s`."""
    if body.person_id is not None:
        named = s.scalars(
            select(CaseSuspect.id).where(
                CaseSuspect.case_id == case_id, CaseSuspect.person_id == body.person_id
            )
        ).first()
        if named is not None:
            raise ServiceError(
                409,
                f"person {body.person_id!r} is already suspect {named} of case {case_id!r}; "
                f"change that one (PATCH /v1/cases/{case_id}/suspects/{named})",
                "person_id",
            )
    added = case.add_suspect(
        s,
        case_id,
        body.role,
        person_id=body.person_id,
        name=body.name,
        status=body.status,
        arrested_at=body.arrested_at,
    )
    audit.record(s, who.username, "case_add_suspect", "case", case_id, None, {"suspect": added.id})
    if followed(s).get(case_id) is not None:
        _store_counts(s, who, case_id, f"suspect {added.id} added: counts follow")
    out = SuspectPublic.model_validate(added, from_attributes=True)
    s.commit()
    return out


def update_suspect(
    s: Session, who: Principal, case_id: str, suspect_id: int, body: SuspectUpdate
) -> SuspectPublic:
    """Change a suspect's status, arrest or sentence (404 when not this case's). Audited;
    commits `s`."""
    found = s.get(CaseSuspect, suspect_id)
    if found is None or found.case_id != case_id:
        raise NotFound("suspect", suspect_id)
    was_free = found.status is SuspectStatus.at_large
    with invalid_input():
        updated = case.update_suspect(
            s,
            suspect_id,
            status=body.status,
            arrested_at=body.arrested_at,
            sentence=body.sentence,
            sentence_months=body.sentence_months,
            actor=who.username,
        )
    _follow_arrest(s, who, updated, was_free)
    audit.record(
        s, who.username, "case_update_suspect", "case", case_id, None,
        {"suspect": suspect_id, "status": updated.status.value},
    )  # fmt: skip
    out = SuspectPublic.model_validate(updated, from_attributes=True)
    s.commit()
    return out


def _follow_arrest(s: Session, who: Principal, suspect: CaseSuspect, was_free: bool) -> None:
    """A financier or core member caught (or freed) moves one from the case's "at large" count
    to its "caught" count (or back), and neither count is ever below what the named suspects
    show: no "0 / 0" next to an arrested financier."""
    if suspect.role not in (SuspectRole.financier, SuspectRole.core_member):
        return
    if followed(s).get(suspect.case_id) is not None:  # (the counts are the suspects')
        who_ = suspect.name or suspect.person_id or f"suspect {suspect.id}"
        note = f"{who_} ({suspect.role.value}) {suspect.status.value}: counts follow"
        _store_counts(s, who, suspect.case_id, note)
        return
    prefix = "financiers" if suspect.role is SuspectRole.financier else "core_members"
    held = case.get_case(s, suspect.case_id)
    caught, free = getattr(held, f"{prefix}_caught"), getattr(held, f"{prefix}_at_large")
    now_free = suspect.status is SuspectStatus.at_large
    if was_free and not now_free:
        caught, free = caught + 1, max(free - 1, 0)
    elif now_free and not was_free:
        caught, free = max(caught - 1, 0), free + 1
    named = [x for x in held.suspects if x.role is suspect.role]
    caught = max(caught, sum(x.status is not SuspectStatus.at_large for x in named))
    free = max(free, sum(x.status is SuspectStatus.at_large for x in named))
    who_ = suspect.name or suspect.person_id or f"suspect {suspect.id}"
    case.update_case(
        s, suspect.case_id,
        counts={f"{prefix}_caught": caught, f"{prefix}_at_large": free},
        note=f"{who_} ({suspect.role.value}) {suspect.status.value}: counts follow",
        actor=who.username,
    )  # fmt: skip


def _store_counts(s: Session, who: Principal, case_id: str, note: str) -> None:
    """Keep the stored counts of a case that follows a gang equal to its suspects' (what
    every read shows), so that the register's own record says the same."""
    s.flush()
    held = case.get_case(s, case_id)
    s.refresh(held)
    counts = suspect_counts(held.suspects)
    if any(getattr(held, k) != v for k, v in counts.items()):
        case.update_case(s, case_id, counts=counts, note=note, actor=who.username)
