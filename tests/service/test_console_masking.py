"""Masking by need on the worklists (issue 16, point 7), per role: an operator sees its own
numbers (its number blocks) in full and other operators' masked; a bank sees its own customers'
accounts in full and never another bank's; the police see everything in full."""

from __future__ import annotations

import pytest

from chaincut.services.carriers import holds_number, operator_of_institution, operator_of_number
from chaincut.store import user
from chaincut.store.enums import Role
from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.world import FRAUD_NUMBER, MULE1, MULE2, MULE3

MASKED_NUMBER = "139****9999"


def _operator(api: Api, name: str, institution: str | None) -> None:
    """Sign in the console as a new operator user of `institution`."""
    with api.store.session() as s:
        user.create_user(s, name, Role.telecom, institution)
        api.tokens[name] = user.issue_token(s, name)
    signed = api.client.post("/console/sign-in", data={"token": api.tokens[name]})
    assert signed.status_code == 200


@pytest.mark.parametrize(
    ("institution", "in_full"),
    [("CMCC", True), ("中国移动", True), ("China Unicom", False), (None, False)],
)
def test_an_operator_sees_its_own_numbers_in_full(
    api: Api, institution: str | None, in_full: bool
) -> None:
    _operator(api, "op", institution)
    page = api.client.get("/console/worklist/numbers?lang=en").text
    assert (FRAUD_NUMBER in page) is in_full
    assert (MASKED_NUMBER in page) is not in_full
    answer = api.get("/v1/scores/numbers?top=10", "op").json()
    shown = [item["number"] for item in answer["items"]]
    assert (FRAUD_NUMBER in shown) is in_full and all(
        "*" in n for n in shown if not holds_number(institution, n)
    )


def test_the_police_see_every_number_and_account_in_full(api: Api) -> None:
    sign_in(api, "analyst")
    assert FRAUD_NUMBER in api.client.get("/console/worklist/numbers").text
    accounts = api.client.get("/console/worklist/accounts").text
    assert MULE1 in accounts and MULE2 in accounts


@pytest.mark.parametrize(
    ("bank", "own", "other"), [("bank", MULE1, MULE2), ("bank2", MULE2, MULE3)]
)
def test_a_bank_sees_its_own_accounts_in_full_and_no_other_banks(
    api: Api, bank: str, own: str, other: str
) -> None:
    sign_in(api, bank)
    page = api.client.get("/console/worklist/accounts?lang=en").text
    assert own in page and other not in page
    assert own[:4] + "*" not in page  # nothing of its own is masked
    shown = [i["account_id"] for i in api.get("/v1/scores/accounts?top=50", bank).json()["items"]]
    assert own in shown and other not in shown and all("*" not in a for a in shown)


def test_an_operator_and_the_public_get_no_account_worklist(api: Api) -> None:
    sign_in(api, "telecom")
    assert api.client.get("/console/worklist/accounts").status_code == 403
    sign_in(api, "public")
    assert api.client.get("/console/worklist/numbers").status_code == 403
    assert api.client.get("/console/worklist/accounts").status_code == 403


def test_a_numbers_operator_comes_from_its_number_block() -> None:
    assert operator_of_number("+8613900009999") == "China Mobile"
    assert operator_of_number("130 1482 1479") == "China Unicom"
    assert operator_of_number("0086 189 1234 5678") == "China Telecom"
    assert operator_of_number("not a number") is None
    assert operator_of_institution(" china  mobile ") == "China Mobile"
    assert operator_of_institution("ICBC") is None and operator_of_institution(None) is None
    assert holds_number("CUCC", "13014821479") and not holds_number("CMCC", "13014821479")
