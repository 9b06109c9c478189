"""Cards, IMEIs, accounts, domains, messenger ids, identifier kinds and money."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chaincut.model import card, domain, messenger
from chaincut.model.identifier import IdentifierKind, normalize, normalize_or_none
from chaincut.model.money import allocate, from_cents, to_cents, to_money


@pytest.mark.parametrize(
    "written", ["6217004679043769455", "6217 0046 7904 3769 455", "621700-4679043769455",
                "６２１７００４６７９０４３７６９４５５", " 6217\u30000046 7904 3769 455 "],
)  # fmt: skip
def test_an_account_written_in_groups_is_one_account(written: str) -> None:
    assert normalize(IdentifierKind.account, written) == "6217004679043769455"


def test_luhn_accepts_a_valid_card_and_refuses_one_wrong_digit() -> None:
    assert card.luhn_ok("4111111111111111")
    assert not card.luhn_ok("4111111111111112")
    assert card.card_number("4111 1111 1111 1111") == "4111111111111111"
    with pytest.raises(ValueError, match="Luhn"):
        card.card_number("4111-1111-1111-1112")
    assert card.is_card_number("4111111111111111")
    assert not card.is_card_number("9111111111111111")


@given(st.from_regex(r"[0-9]{14}", fullmatch=True))
def test_an_imei_gets_its_check_digit_and_one_wrong_digit_is_refused(body: str) -> None:
    imei = card.normalize_imei(body)
    assert imei[:14] == body and card.luhn_ok(imei)
    assert card.normalize_imei(" ".join((imei[:8], imei[8:]))) == imei
    wrong = imei[:14] + str((int(imei[14]) + 1) % 10)
    with pytest.raises(ValueError, match="Luhn"):
        card.normalize_imei(wrong)


def test_registrable_domains_come_from_the_public_suffix_list() -> None:
    assert domain.registrable_domain("a.b.example.com.cn") == "example.com.cn"
    assert domain.registrable_domain("www.example.co.uk") == "example.co.uk"
    assert domain.registrable_domain("com.cn") is None
    assert list(domain.parent_domains("x.evil.com.cn")) == ["x.evil.com.cn", "evil.com.cn"]


@pytest.mark.parametrize(
    ("kind", "written", "normal"),
    [("url", "HTTPS://Evil.TOP/refund/?id=1#x", "evil.top/refund"),
     ("url", "http://[::1]/a", "::1/a"), ("domain", "https://Sub.Example.com/x", "sub.example.com"),
     ("qq", " 12345678 ", "12345678"), ("wechat", "Fraud_Boss1", "fraud_boss1")],
)  # fmt: skip
def test_links_domains_and_messenger_ids(kind: str, written: str, normal: str) -> None:
    assert normalize(kind, written) == normal


@pytest.mark.parametrize(
    ("kind", "bad"),
    [("url", "http://[::1/a"), ("qq", "0123"), ("wechat", "1abcdef"), ("domain", "localhost")],
)
def test_bad_identifiers_are_refused_naming_the_kind(kind: str, bad: str) -> None:
    with pytest.raises(ValueError, match=f"^{kind}:"):
        normalize(kind, bad)
    assert normalize_or_none(kind, bad) is None
    with pytest.raises(ValueError):
        messenger.normalize_qq("")


@given(st.sampled_from(IdentifierKind), st.text(max_size=30))
def test_every_normal_form_is_a_fixed_point(kind: IdentifierKind, value: str) -> None:
    once = normalize_or_none(kind, value)
    if once is not None:
        assert normalize(kind, once) == once


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_money_round_trips_through_cents(cents: int) -> None:
    amount = from_cents(cents)
    assert to_cents(amount) == cents and to_money(amount) == amount


def test_money_refuses_floats_and_sub_cent_amounts() -> None:
    with pytest.raises(TypeError):
        to_money(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="two decimal places"):
        to_money(Decimal("1.005"))


@given(st.integers(0, 10**9), st.lists(st.integers(0, 1000), min_size=1, max_size=8))
def test_allocate_conserves_every_cent(total: int, weights: list[int]) -> None:
    if sum(weights) == 0:
        return
    assert sum(allocate(total, weights)) == total
