"""Masking by need on the worklists (issue 16, point 7), per role: an operator sees its own
numbers (its number blocks) in full and other operators' masked; a bank sees its own customers'
accounts in full and never another bank's; the police see everything in full."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from chaincut.services.carriers import holds_number, operator_of_institution, operator_of_number
from chaincut.store import user
from chaincut.store.enums import Role
from chaincut.store.tables import AuditEntry
from tests.service.conftest import Api
from tests.service.test_console import sign_in
from tests.service.world import FRAUD_NUMBER, HELD_FRAUD_NUMBER, MULE1, MULE2, MULE3

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
    assert (HELD_FRAUD_NUMBER in shown) is in_full and all(
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


# ---- the look-ups and the clue, role by role (masking by need, audited look-ups) ----

VICTIM_NUMBER = "13800005678"  # China Mobile's block; held by P1 (张三, 510104199001011234)
HELD_VICTIM_NUMBER = "+86" + VICTIM_NUMBER  # as the lake holds it


def _audited(api: Api, actor: str, action: str) -> list[AuditEntry]:
    with api.store.session(readonly=True) as s:
        query = select(AuditEntry).where(AuditEntry.actor == actor, AuditEntry.action == action)
        return list(s.scalars(query))


def _operators(api: Api) -> None:
    """Operator users of China Mobile (`cmcc`, holds the world's numbers) and China Unicom."""
    for name, institution in (("cmcc", "CMCC"), ("cucc", "China Unicom")):
        with api.store.session() as s:
            user.create_user(s, name, Role.telecom, institution)
            api.tokens[name] = user.issue_token(s, name)


@pytest.mark.parametrize(("who", "in_full"), [("cmcc", True), ("cucc", False), ("telecom", False)])
def test_an_operator_looks_up_its_own_numbers_holders_and_handsets_in_full(
    api: Api, who: str, in_full: bool
) -> None:
    _operators(api)
    victim = api.get(f"/v1/numbers/{VICTIM_NUMBER}", who, "case 7").json()
    assert victim["id"] == HELD_VICTIM_NUMBER  # the number asked, as the lake holds it
    assert (victim["facts"]["holders"] == ["P1"]) is in_full
    assert all("*" in h for h in victim["facts"]["holders"]) is not in_full
    fraud = api.get(f"/v1/numbers/{FRAUD_NUMBER}", who, "case 7").json()
    imeis = [d["imei"] for d in (fraud["scores"] or {"devices": []})["devices"]]
    assert ("IMEI1" in imeis) is in_full and all("*" in i for i in imeis) is not in_full
    looked = {e.subject_id for e in _audited(api, who, "lookup_number")}
    assert looked == {HELD_VICTIM_NUMBER, HELD_FRAUD_NUMBER}


@pytest.mark.parametrize(("who", "in_full"), [("cmcc", True), ("cucc", False), ("telecom", False)])
def test_an_operators_clue_shows_its_own_numbers_and_their_holders_in_full(
    api: Api, who: str, in_full: bool
) -> None:
    _operators(api)
    fraud = api.get(f"/v1/numbers/{FRAUD_NUMBER}/clue", who, "case 7")
    assert fraud.status_code == 200, fraud.text
    (facts,) = fraud.json()["numbers"]
    assert facts["number"] == HELD_FRAUD_NUMBER
    assert ([v["victim"] for v in facts["victims"]] == [HELD_VICTIM_NUMBER]) is in_full
    assert ([d["imei"] for d in facts["devices"]] == ["IMEI1"]) is in_full
    victim = api.get(f"/v1/numbers/{VICTIM_NUMBER}/clue", who, "case 7").text
    assert ("张三" in victim and "510104199001011234" in victim) is in_full
    assert ("5101**********1234" in victim) is not in_full
    assert {e.subject_id for e in _audited(api, who, "clue_number")} == {
        HELD_FRAUD_NUMBER,
        HELD_VICTIM_NUMBER,
    }


@pytest.mark.parametrize(("who", "in_full"), [("cmcc", True), ("cucc", False)])
def test_the_console_shows_an_operator_its_own_numbers_in_full(
    api: Api, who: str, in_full: bool
) -> None:
    _operators(api)
    assert api.client.post("/console/sign-in", data={"token": api.tokens[who]}).status_code == 200
    page = api.client.get(f"/console/lookup?kind=phone&value={VICTIM_NUMBER}&purpose=x").text
    assert (">P1<" in page) is in_full
    clue = api.client.get(f"/console/clue?number={FRAUD_NUMBER}&purpose=x&lang=en").text
    assert ("IMEI1" in clue and VICTIM_NUMBER in clue) is in_full
    assert ("138****5678" in clue) is not in_full


def test_a_bank_looks_up_its_own_customer_in_full_and_never_another_banks(api: Api) -> None:
    own = api.get(f"/v1/accounts/{MULE1}", "bank", "stop RL1")
    assert own.status_code == 200
    found = own.json()
    assert found["id"] == MULE1 and found["facts"]["holder_id"] == "P2"
    assert found["scores"] is None or found["scores"]["account"]["account_id"] == MULE1
    assert "*" not in own.text  # nothing of its own account is masked
    assert api.get(f"/v1/accounts/{MULE2}", "bank", "curious").status_code == 404  # ABC's
    assert api.get(f"/v1/accounts/{MULE2}", "bank2", "stop RL1").json()["id"] == MULE2
    entries = {(e.subject_id, e.detail["found"]) for e in _audited(api, "bank", "lookup_account")}
    assert entries == {(MULE1, True), (MULE2, False)}
    sign_in(api, "bank")
    page = api.client.get(f"/console/lookup?kind=account&value={MULE1}&purpose=x").text
    assert ">P2<" in page and MULE1 in page


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_the_police_look_up_everything_in_full(api: Api, who: str) -> None:
    account = api.get(f"/v1/accounts/{MULE2}", who, "case ZJ").json()
    assert account["id"] == MULE2 and account["facts"]["holder_id"] == "P3"
    number = api.get(f"/v1/numbers/{VICTIM_NUMBER}", who, "case ZJ").json()
    assert number["facts"]["holders"] == ["P1"]
    clue = api.get(f"/v1/numbers/{VICTIM_NUMBER}/clue", who, "case ZJ").text
    assert "张三" in clue and "510104199001011234" in clue and "*" not in clue
    person = api.get("/v1/persons/P1", who, "case ZJ").json()
    assert person["facts"]["id_number"] == "510104199001011234"


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("public", f"/v1/accounts/{MULE1}"),
        ("telecom", f"/v1/accounts/{MULE1}"),
        ("public", f"/v1/numbers/{FRAUD_NUMBER}"),
        ("bank", f"/v1/numbers/{FRAUD_NUMBER}"),
        ("bank", f"/v1/numbers/{FRAUD_NUMBER}/clue"),
        ("bank", "/v1/persons/P1"),
        ("telecom", "/v1/persons/P1"),
        ("public", "/v1/persons/P1"),
    ],
)
def test_a_refused_api_look_up_is_audited(api: Api, who: str, path: str) -> None:
    assert api.get(path, who, "curious").status_code == 403
    (entry,) = _audited(api, who, "refused_role")
    assert entry.subject_id == f"GET {path}"


@pytest.mark.parametrize(
    ("who", "query", "kind", "subject"),
    [
        ("public", "lookup?kind=person&value=P1", "person", "P1"),
        ("bank", "lookup?kind=person&value=P1", "person", "P1"),
        ("bank", f"lookup?kind=phone&value={FRAUD_NUMBER}", "phone", FRAUD_NUMBER),
        ("telecom", f"lookup?kind=account&value={MULE1}", "account", MULE1),
        ("public", f"clue?number={FRAUD_NUMBER}", "phone", FRAUD_NUMBER),
        ("bank", f"clue?number={FRAUD_NUMBER}", "phone", FRAUD_NUMBER),
    ],
)
def test_a_refused_console_look_up_is_audited(
    api: Api, who: str, query: str, kind: str, subject: str
) -> None:
    sign_in(api, who)
    assert api.client.get(f"/console/{query}&purpose=curious").status_code == 403
    (entry,) = _audited(api, who, "refused_role")
    assert (entry.subject_kind, entry.subject_id, entry.purpose) == (kind, subject, "curious")


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("bank", f"lookup?kind=account&value={MULE1}"),
        ("analyst", "lookup?kind=person&value=P1"),
        ("telecom", f"clue?number={FRAUD_NUMBER}"),
    ],
)
def test_a_console_look_up_without_purpose_is_refused_and_audited(
    api: Api, who: str, query: str
) -> None:
    sign_in(api, who)
    assert api.client.get(f"/console/{query}").status_code == 200  # the form asks for one
    (entry,) = _audited(api, who, "refused_no_purpose")
    assert entry.purpose is None and entry.detail["found"] is False
    assert not _audited(api, who, "lookup_account") and not _audited(api, who, "clue_number")
