"""The fraud list: normal forms, idempotent adds, expiry and removal, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from chaincut.store import fraud_list
from chaincut.store.enums import ListedKind, ListRisk, ListSource
from chaincut.store.errors import IllegalTransition, NotFound
from chaincut.store.identifiers import normalize, parent_domains

from .factory import NOW


@pytest.mark.parametrize(
    ("kind", "written", "normal"),
    [
        ("phone", "138 0000 5678", "+8613800005678"),
        ("phone", "+86-138-0000-5678", "+8613800005678"),
        ("phone", "008613800005678", "+8613800005678"),
        ("phone", "8613800005678", "+8613800005678"),
        ("phone", "(010) 1234-5678", "+861012345678"),
        ("phone", "95588", "+8695588"),
        ("phone", "1069012345", "+861069012345"),
        ("phone", "+44 20 7946 0958", "+442079460958"),
        ("url", "HTTPS://Evil.TOP/refund/?id=7#x", "evil.top/refund"),
        ("url", "evil.top", "evil.top"),
        ("url", "http://例子.广告/付款", "xn--fsqu00a.xn--4rr70v/付款"),
        ("url", "http://1.2.3.4:8080/a", "1.2.3.4/a"),
        ("domain", "https://Pay.Evil.top/x", "pay.evil.top"),
        ("domain", "EVIL.top.", "evil.top"),
        ("account", "6222 0200 0000 1111", "6222020000001111"),
        ("qq", "123456789", "123456789"),
        ("wechat", "Fraud_Kefu01", "fraud_kefu01"),
    ],
)
def test_normal_forms(kind: str, written: str, normal: str) -> None:
    assert normalize(kind, written) == normal


@pytest.mark.parametrize(
    ("kind", "written", "message"),
    [
        ("phone", "call me", "digits"),
        ("phone", "1234", "too few"),
        ("phone", "12345678901234", "too many"),
        ("phone", "+0123456789", "international"),
        ("url", "http://", "host"),
        ("domain", "localhost", "host name like"),
        ("domain", "-bad-.com", "host name like"),
        ("account", "12", "account number"),
        ("qq", "0123", "QQ"),
        ("wechat", "1abcdef", "WeChat"),
        ("phone", "   ", "empty"),
    ],
)
def test_bad_values_say_what_is_wrong(kind: str, written: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        normalize(kind, written)
    assert str(info.value).startswith(f"{kind}:")


@given(st.text(alphabet="0123456789 -+()", min_size=1, max_size=24), st.sampled_from(ListedKind))
def test_normal_forms_are_fixed_points(value: str, kind: ListedKind) -> None:
    try:
        once = normalize(kind, value)
    except ValueError:
        return
    assert normalize(kind, once) == once


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", " ", "-"]))
def test_every_way_of_writing_a_mobile_number_lists_the_same_number(mobile: str, sep: str) -> None:
    spaced = sep.join((mobile[:3], mobile[3:7], mobile[7:]))
    forms = {normalize("phone", f) for f in (mobile, spaced, f"+86{spaced}", f"0086{mobile}")}
    assert forms == {f"+86{mobile}"}


def test_parent_domains_stop_before_the_suffix() -> None:
    assert list(parent_domains("a.pay.evil.top")) == ["a.pay.evil.top", "pay.evil.top", "evil.top"]


def test_add_normalises_and_refreshes_instead_of_copying(session: Session) -> None:
    first, created = fraud_list.add(
        session, "phone", "139 0000 9999", source="analyst", reason="den number",
        added_by="li", risk="medium", expires_at=NOW + timedelta(days=30), now=NOW,
    )  # fmt: skip
    assert created and first.value == "+8613900009999" and first.risk is ListRisk.medium
    again, created = fraud_list.add(
        session, "phone", "+8613900009999", source="analyst", reason="seen again",
        added_by="wang", expires_at=NOW + timedelta(days=90), now=NOW,
    )  # fmt: skip
    assert not created and again.id == first.id
    assert again.risk is ListRisk.high and again.expires_at == NOW + timedelta(days=90)
    assert again.reason == "den number"  # the first reason stays
    # another source, or another report, is another entry
    other, created = fraud_list.add(
        session, "phone", "13900009999", source="operator_feed", reason="feed", added_by="op",
        now=NOW,
    )  # fmt: skip
    assert created and other.id != first.id
    assert len(fraud_list.matches(session, "phone", ["+8613900009999"], NOW)) == 2


def test_expiry_and_removal_take_entries_out_of_force(session: Session) -> None:
    soon, _ = fraud_list.add(
        session, "account", "6217000000002222", source="report", reason="received F1",
        added_by="li", report_id="R1", expires_at=NOW + timedelta(days=1), now=NOW,
    )  # fmt: skip
    kept, _ = fraud_list.add(
        session, "domain", "evil.top", source="analyst", reason="phishing", added_by="li", now=NOW
    )
    later = NOW + timedelta(days=2)
    assert [e.id for e in fraud_list.matches(session, "account", ["6217000000002222"], NOW)] == [
        soon.id
    ]
    assert fraud_list.matches(session, "account", ["6217000000002222"], later) == []
    assert not fraud_list.is_active(soon, later) and fraud_list.is_active(kept, later)
    removed = fraud_list.remove(session, kept.id, by="wang", reason="domain sold", now=later)
    assert removed.removed_by == "wang" and not fraud_list.is_active(removed, later)
    with pytest.raises(IllegalTransition):
        fraud_list.remove(session, kept.id, by="wang", reason="again", now=later)
    with pytest.raises(NotFound):
        fraud_list.get(session, 999_999)
    assert fraud_list.list_entries(session, active=True, now=later) == []
    everything = fraud_list.list_entries(session, active=False, now=later)
    assert {e.id for e in everything} == {soon.id, kept.id}
    assert [e.id for e in fraud_list.list_entries(session, kind="domain", value="EVIL.top",
                                                  active=False)] == [kept.id]  # fmt: skip


def test_add_refuses_bad_input(session: Session) -> None:
    with pytest.raises(ValueError, match="reason"):
        fraud_list.add(session, "qq", "123456", source="analyst", reason=" ", added_by="li")
    with pytest.raises(ValueError, match="expires_at"):
        fraud_list.add(
            session, "qq", "123456", source="analyst", reason="x", added_by="li",
            expires_at=NOW - timedelta(days=1), now=NOW,
        )  # fmt: skip
    with pytest.raises(ValueError):
        fraud_list.add(session, "fax", "123456", source="analyst", reason="x", added_by="li")
    with pytest.raises(ValueError):
        fraud_list.add(session, "qq", "123456", source="rumour", reason="x", added_by="li")


def test_the_database_refuses_unknown_kinds(session: Session) -> None:
    with pytest.raises(Exception, match="(?i)constraint|check"):
        session.execute(
            text(
                "INSERT INTO fraud_list (kind, value, source, risk, reason, added_by, added_at)"
                " VALUES ('fax', '1', 'analyst', 'high', 'x', 'li', '2024-01-01')"
            )
        )
        session.flush()
    session.rollback()
    assert ListSource.lake_label.value == "lake_label"


def test_add_many_lists_the_good_in_one_go_and_returns_the_bad(session: Session) -> None:
    items = [
        fraud_list.Listing("account", "6217000000002222", "received F1"),
        fraud_list.Listing("phone", "not a number", "called"),
        fraud_list.Listing("phone", "13900009999", "called", "medium", NOW + timedelta(days=9)),
        fraud_list.Listing("phone", "+86 139 0000 9999", "named", "high"),  # the same number
    ]
    done, problems = fraud_list.add_many(
        session, items, source="report", added_by="li", report_id="R1", now=NOW
    )
    assert [i for i, _ in problems] == [1] and "phone" in str(problems[0][1])
    assert [created for _, created in done] == [True, True, False]
    number = done[1][0]
    assert done[2][0] is number and number.risk is ListRisk.high  # raised by the second
    again, _ = fraud_list.add_many(session, items, source="report", added_by="li",
                                   report_id="R1", now=NOW)  # fmt: skip
    assert [created for _, created in again] == [False, False, False]
    assert len(fraud_list.list_entries(session, now=NOW)) == 2
