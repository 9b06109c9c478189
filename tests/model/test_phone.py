"""Phone numbers: every written form of one number gives one E.164."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chaincut.model.phone import normalize_phone, phone_or_none


@pytest.mark.parametrize(
    "written",
    ["13014821479", "130 1482 1479", "0086 130 1482 1479", "+8613014821479", "8613014821479",
     "+86-130-1482-1479", "(130) 1482.1479", "１３０１４８２１４７９", "130\u30001482\u00a01479"],
)  # fmt: skip
def test_the_forms_of_a_mobile_number_are_one_number(written: str) -> None:
    assert normalize_phone(written) == "+8613014821479"


@pytest.mark.parametrize(
    ("written", "region", "normal"),
    [("010 1234 5678", "CN", "+861012345678"), ("95588", "CN", "+8695588"),
     ("+44 20 7946 0958", "CN", "+442079460958"), ("020 7946 0958", "GB", "+442079460958"),
     ("00 1 650 253 0000", "CN", "+16502530000")],
)  # fmt: skip
def test_landlines_service_numbers_and_regions(written: str, region: str, normal: str) -> None:
    assert normalize_phone(written, region) == normal


@pytest.mark.parametrize(
    ("written", "why"),
    [("call me", "digits"), ("1234", "too few"), ("12345678901234", "too many"),
     ("+0123456789", "international"), ("13800005678x", "digits"), ("", "empty")],
)  # fmt: skip
def test_what_is_not_a_number_is_refused_with_the_reason(written: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        normalize_phone(written)
    assert phone_or_none(written) is None


@given(st.text(alphabet="0123456789 -+()０１２", max_size=24), st.sampled_from(["CN", "GB", "US"]))
def test_normalising_twice_is_normalising_once(value: str, region: str) -> None:
    once = phone_or_none(value, region)
    if once is not None:
        assert normalize_phone(once, region) == once
        assert normalize_phone(once, "CN") == once  # an E.164 number reads the same anywhere


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.sampled_from(["", " ", "-", ".", "\u3000"]),
    st.sampled_from(["", "+86", "0086", "86", "+86 ", "0086 "]),
    st.booleans(),
)
def test_every_accepted_form_of_a_mobile_gives_one_e164(
    mobile: str, sep: str, prefix: str, wide: bool
) -> None:
    written = prefix + sep.join((mobile[:3], mobile[3:7], mobile[7:]))
    if wide:  # full-width digits, as a Chinese input method types them
        written = written.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert normalize_phone(written) == f"+86{mobile}"


@pytest.mark.parametrize("value", ["0098000000", "009800000", "+98 000 000"])
def test_a_value_that_reads_back_as_another_number_is_refused(value: str) -> None:
    # Hypothesis found these: phonenumbers writes the national zeros back fewer than it read
    assert phone_or_none(value) is None
