"""A gang's evidence and pages write money and roles as people read them (round thirteen's
new-user run on a small foreign world: the gang page said "Money reported ¥26990.00" beside
`chaincut gangs`' "¥26,990.00", and a financier "paid ¥28432.00 ... (card_dealer)")."""

from __future__ import annotations

from decimal import Decimal

from chaincut.gangs.sentences import said
from chaincut.web.common import yuan
from chaincut.web.phrasing import member_evidence


def test_an_evidence_sentence_groups_its_amount_and_names_roles_in_words() -> None:
    sentence = said("funds_members", people="2", roles="card_dealer, core_member",
                    amount="28432.00")  # fmt: skip
    assert sentence.text == (
        "paid ¥28,432.00 from its holder's accounts to 2 of the gang's members "
        "(card dealer, core member)"
    )
    # the values a program reads stay as written
    assert sentence.as_dict()["args"] == {"people": "2", "roles": "card_dealer, core_member",
                                          "amount": "28432.00"}  # fmt: skip
    abroad = said("received_abroad", amount="1464.00", share="30%", numbers="3").text
    assert abroad.startswith("received ¥1,464.00 abroad")


def test_the_chinese_page_groups_the_amount_too() -> None:
    sentence = said("fees_from_cards", amount="122714.00", cards="3")
    member = {"evidence": [sentence.text], "evidence_codes": [sentence.as_dict()]}
    (zh,) = member_evidence(member, "zh-CN")
    assert zh.lang == "zh-CN" and "122,714.00" in zh.text and "122714" not in zh.text
    (en,) = member_evidence(member, "en")
    assert en.text == "paid ¥122,714.00 by 3 of the gang's cards"


def test_the_pages_write_amounts_as_the_cli_does() -> None:
    assert yuan("26990.00") == "¥26,990.00"
    assert yuan(Decimal("1200.5")) == "¥1,200.50"
    assert yuan("0.00") == "¥0.00"
    assert yuan(None) == ""  # a case with no amount yet says nothing, not "¥None"
