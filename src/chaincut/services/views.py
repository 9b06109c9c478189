"""Store records as API models, masked for the caller where they hold personal identifiers."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from chaincut.services.masking import masked
from chaincut.services.schemas import (
    AuditPublic,
    CaseEventPublic,
    CasePublic,
    OrderPublic,
    PunishmentPublic,
    ReportPublic,
    SuspectPublic,
)
from chaincut.store.tables import AuditEntry, Case, FreezeOrder, Punishment, Report


def order_public(order: FreezeOrder, mask: bool) -> OrderPublic:
    return OrderPublic(
        order_id=order.order_id,
        report_id=order.report_id,
        account_id=masked(order.account_id, mask) or "",
        institution=order.institution,
        kind=order.kind,
        amount=order.amount,
        hop=order.hop,
        rule=order.rule,
        evidence=order.evidence,
        status=order.status,
        issued_at=order.issued_at,
        expires_at=order.expires_at,
        renewals=order.renewals,
        document=order.document,
        detail=order.detail or {},
    )


def report_public(report: Report, mask: bool) -> ReportPublic:
    return ReportPublic(
        report_id=report.report_id,
        filed_at=report.filed_at,
        victim_account=masked(report.victim_account, mask) or "",
        victim_id=masked(report.victim_id, mask),
        fraud_txn_ids=report.fraud_txn_ids,
        fraud_type=report.fraud_type,
        status=report.status,
        source=report.source,
    )


def punishment_public(p: Punishment, mask: bool) -> PunishmentPublic:
    return PunishmentPublic(
        id=p.id,
        subject_id=masked(p.subject_id, mask) or "",
        subject_name=masked(p.subject_name, mask),
        measure=p.measure,
        basis=p.basis,
        start_at=p.start_at,
        expires_at=p.expires_at,
        retained_phone=masked(p.retained_phone, mask),
        appeal_status=p.appeal_status,
        appeal_note=p.appeal_note,
        removed_at=p.removed_at,
        removal_reason=p.removal_reason,
    )


_CASE_AMOUNTS = ("amount_involved", "amount_frozen", "amount_seized", "amount_returned")
_CASE_COUNTS = ("financiers_caught", "financiers_at_large", "core_members_caught",
                "core_members_at_large")  # fmt: skip


def case_public(
    case: Case,
    figures: Mapping[str, Decimal | int] | None = None,
    names: Mapping[str, str | None] | None = None,
    mask: bool = False,
    follows: str | None = None,
) -> CasePublic:
    """Case `case` as the API shows it: `figures` (`case_figures.derived`) in place of the
    stored counts and amount frozen where the case follows a gang; each suspect's
    `person_name` from `names` (person id -> the lake's name, looked up and audited by the
    caller); person ids and names masked when `mask`; `follows` the gang it follows."""
    shown = {k: getattr(case, k) for k in (*_CASE_AMOUNTS, *_CASE_COUNTS)} | dict(figures or {})
    said = names or {}
    return CasePublic(
        case_id=case.case_id,
        name=case.name,
        batch=case.batch,
        den_location=case.den_location,
        fraud_methods=case.fraud_methods,
        status=case.status,
        **shown,
        report_ids=sorted(link.report_id for link in case.reports),
        suspects=[
            SuspectPublic(
                id=s.id,
                person_id=masked(s.person_id, mask),
                name=masked(s.name, mask),
                person_name=masked(said.get(s.person_id) if s.person_id else None, mask),
                role=s.role,
                status=s.status,
                arrested_at=s.arrested_at,
                sentence=s.sentence,
                sentence_months=s.sentence_months,
            )
            for s in case.suspects
        ],
        timeline=[
            CaseEventPublic(at=e.at, kind=e.kind, note=e.note, actor=e.actor)
            for e in sorted(case.events, key=lambda e: (e.at, e.id))
        ],
        follows_gang=follows,
    )


def audit_public(entry: AuditEntry) -> AuditPublic:
    return AuditPublic(
        id=entry.id,
        at=entry.at,
        actor=entry.actor,
        action=entry.action,
        subject_kind=entry.subject_kind,
        subject_id=entry.subject_id,
        purpose=entry.purpose,
        detail=entry.detail,
    )
