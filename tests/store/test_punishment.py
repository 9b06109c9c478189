"""Joint punishment: periods by basis, appeal and removal, and the basic-needs carve-outs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from chaincut.store import IllegalTransition
from chaincut.store import punishment as pu
from chaincut.store.enums import Action, AppealStatus, Measure, PunishmentBasis

from .factory import NOW

START = datetime(2024, 2, 29, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("basis", "expires"),
    [
        (PunishmentBasis.criminal, datetime(2027, 2, 28, 10, 0, tzinfo=UTC)),
        (PunishmentBasis.police_determination, datetime(2026, 2, 28, 10, 0, tzinfo=UTC)),
    ],
)
def test_period_follows_the_basis(basis: PunishmentBasis, expires: datetime) -> None:
    assert pu.expiry(basis, START) == expires


def test_add_computes_the_expiry(session: Session) -> None:
    p = pu.add(session, "P1", Measure.financial, PunishmentBasis.criminal, NOW, actor="a1")
    assert p.expires_at == datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
    assert p.appeal_status is AppealStatus.none and p.removed_at is None


def test_check_denies_within_the_period_and_allows_outside(session: Session) -> None:
    p = pu.add(session, "P1", "financial", "police_determination", NOW)
    inside = pu.check(session, "P1", Action.open_account, "ICBC", NOW + timedelta(days=1))
    assert not inside.allow
    assert inside.measure is Measure.financial and inside.expires_at == p.expires_at
    assert "2026-03-01" in inside.reason and "2 years" in inside.reason
    assert inside.punishment_id == p.id
    before = pu.check(session, "P1", "open_account", "ICBC", NOW - timedelta(seconds=1))
    at_expiry = pu.check(session, "P1", "open_account", "ICBC", p.expires_at)
    assert before.allow and at_expiry.allow and at_expiry.measure is None


def test_each_action_is_restricted_by_its_own_measure(session: Session) -> None:
    pu.add(session, "P1", Measure.telecom, PunishmentBasis.criminal, NOW)
    at = NOW + timedelta(days=30)
    assert not pu.check(session, "P1", Action.new_phone_card, "CMCC", at).allow
    assert pu.check(session, "P1", Action.open_account, "ICBC", at).allow
    assert pu.check(session, "P1", Action.credit_application, None, at).allow
    assert pu.check(session, "someone else", Action.new_phone_card, "CMCC", at).allow


def test_withdrawing_a_payment_balance_is_carved_out(session: Session) -> None:
    p = pu.add(session, "P1", Measure.financial, PunishmentBasis.criminal, NOW)
    at = NOW + timedelta(days=30)
    assert not pu.check(session, "P1", Action.open_payment_account, "Alipay", at).allow
    decision = pu.check(session, "P1", Action.withdraw_balance, "Alipay", at)
    assert decision.allow and "basic needs" in decision.reason
    assert decision.measure is Measure.financial and decision.expires_at == p.expires_at


def test_one_phone_card_not_involved_in_fraud_is_kept(session: Session) -> None:
    pu.add(
        session, "P1", Measure.telecom, PunishmentBasis.criminal, NOW, retained_phone="13800000001"
    )
    at = NOW + timedelta(days=30)
    kept = pu.check(session, "P1", Action.keep_phone_card, "CMCC", at, phone="13800000001")
    assert kept.allow and "one phone card" in kept.reason
    other = pu.check(session, "P1", Action.keep_phone_card, "CMCC", at, phone="13900000002")
    assert not other.allow and "13800000001" in other.reason
    assert not pu.check(session, "P1", Action.new_phone_card, "CMCC", at).allow


def test_first_card_is_kept_when_none_is_recorded(session: Session) -> None:
    pu.add(session, "P1", Measure.telecom, PunishmentBasis.criminal, NOW)
    at = NOW + timedelta(days=1)
    assert pu.check(session, "P1", Action.keep_phone_card, "CMCC", at, phone="13800000001").allow


def test_latest_expiry_wins_when_measures_overlap(session: Session) -> None:
    pu.add(session, "P1", Measure.credit, PunishmentBasis.police_determination, NOW)
    later = pu.add(session, "P1", Measure.credit, PunishmentBasis.criminal, NOW)
    decision = pu.check(session, "P1", Action.credit_application, None, NOW + timedelta(days=1))
    assert decision.expires_at == later.expires_at


def test_unknown_action_is_a_clear_error(session: Session) -> None:
    with pytest.raises(ValueError, match="known actions: open_account"):
        pu.check(session, "P1", "fly_to_the_moon", None, NOW)


def test_appeal_keeps_the_measure_until_upheld(session: Session) -> None:
    p = pu.add(session, "P1", Measure.financial, PunishmentBasis.criminal, NOW)
    at = NOW + timedelta(days=10)
    pu.appeal(session, p.id, "the card was stolen", now=at)
    assert p.appeal_status is AppealStatus.pending
    assert not pu.check(session, "P1", Action.open_account, "ICBC", at).allow
    with pytest.raises(IllegalTransition, match="pending already"):
        pu.appeal(session, p.id, "again", now=at)
    pu.decide_appeal(session, p.id, upheld=True, now=at + timedelta(days=5))
    decided = pu.get(session, p.id)
    assert decided.appeal_status is AppealStatus.upheld
    assert decided.removal_reason == "appeal upheld"
    assert pu.check(session, "P1", Action.open_account, "ICBC", at + timedelta(days=6)).allow
    with pytest.raises(IllegalTransition, match="removed"):
        pu.appeal(session, p.id, "once more", now=at)


def test_rejected_appeal_leaves_the_measure(session: Session) -> None:
    p = pu.add(session, "P1", Measure.financial, PunishmentBasis.criminal, NOW)
    with pytest.raises(IllegalTransition, match="no appeal pending"):
        pu.decide_appeal(session, p.id, upheld=False, now=NOW)
    pu.appeal(session, p.id, "please", now=NOW)
    pu.decide_appeal(session, p.id, upheld=False, now=NOW + timedelta(days=1))
    assert p.appeal_status is AppealStatus.rejected and p.removed_at is None
    assert not pu.check(session, "P1", Action.open_account, "ICBC", NOW + timedelta(days=2)).allow


def test_removal_lifts_the_measure_and_is_final(session: Session) -> None:
    p = pu.add(session, "P1", Measure.financial, PunishmentBasis.criminal, NOW)
    pu.remove(session, p.id, "registered in error", now=NOW + timedelta(days=1))
    assert pu.check(session, "P1", Action.open_account, "ICBC", NOW + timedelta(days=2)).allow
    with pytest.raises(IllegalTransition):
        pu.remove(session, p.id, "twice", now=NOW)
    assert pu.list_punishments(session, subject_id="P1", include_removed=False) == []
    assert pu.list_punishments(session, subject_id="P1") == [p]


def test_a_phone_on_the_fraud_list_is_never_the_card_kept(session: Session) -> None:
    from chaincut.store import fraud_list

    fraud_list.add(
        session,
        "phone",
        "139 0000 9999",
        source="analyst",
        reason="den line",
        added_by="a1",
        now=NOW,
    )
    with pytest.raises(ValueError, match="on the fraud list"):
        pu.add(
            session,
            "P1",
            Measure.telecom,
            PunishmentBasis.criminal,
            NOW,
            retained_phone="13900009999",
        )
    pu.add(session, "P1", Measure.telecom, PunishmentBasis.criminal, NOW)
    listed = pu.check(session, "P1", Action.keep_phone_card, now=NOW, phone="+86 139 0000 9999")
    assert not listed.allow and "fraud list" in listed.reason
    clean = pu.check(session, "P1", Action.keep_phone_card, now=NOW, phone="13800001111")
    assert clean.allow


def test_the_retained_card_is_matched_in_any_written_form(session: Session) -> None:
    pu.add(
        session,
        "P2",
        Measure.telecom,
        PunishmentBasis.criminal,
        NOW,
        retained_phone="138 0000 1111",
    )
    assert pu.check(session, "P2", Action.keep_phone_card, now=NOW, phone="+8613800001111").allow
    assert not pu.check(session, "P2", Action.keep_phone_card, now=NOW, phone="13800002222").allow
