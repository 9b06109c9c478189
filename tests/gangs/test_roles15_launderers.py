"""Round fifteen: a launderer's evidence says what the rows show. A payment account victims
paid whose holder lends the gang no other such account, or whose holder is not on record,
says so without "0 more such accounts"; one whose holder lends others says how many."""

from __future__ import annotations

from decimal import Decimal

from chaincut.gangs import Evidence
from chaincut.gangs.member import Member, member
from chaincut.gangs.roles import MoneyFacts, launderers


def _run(accounts: dict[str, int], holder: dict[str, str]) -> dict[str, Member]:
    """`launderers` over payment accounts, each paid directly by the given number of victims,
    with the given holders (an account missing from `holder` has no holder on record)."""
    cards = {a: member("account", a, "mule", 0.9, ["traced"]) for a in accounts}
    f = MoneyFacts(victim_payment=Decimal("10000"))
    for a, n in accounts.items():
        f.paid_by[a] = {f"R{a}{i}" for i in range(n)}
    launderers(cards, f, dict.fromkeys(accounts, "payment"), holder, Evidence())
    return cards


def test_a_runner_with_one_account_says_nothing_of_more_accounts() -> None:
    cards = _run({"PAY": 3}, {"PAY": "HOLDER"})
    assert cards["PAY"].role == "launderer"
    assert cards["PAY"].evidence[0] == "a payment account that 3 victims paid directly"
    assert cards["PAY"].codes[0] == {"code": "paid_directly", "args": {"victims": "3"}}
    assert not any("0 more" in e for e in cards["PAY"].evidence)


def test_an_account_with_no_holder_on_record_claims_no_holder() -> None:
    cards = _run({"PAY": 3}, {})
    assert cards["PAY"].role == "launderer"
    assert "holder" not in cards["PAY"].evidence[0]


def test_a_holder_with_more_accounts_says_how_many() -> None:
    cards = _run({"PAY1": 1, "PAY2": 2, "PAY3": 1}, dict.fromkeys(("PAY1", "PAY2", "PAY3"), "H"))
    assert cards["PAY2"].role == "launderer"
    assert cards["PAY2"].evidence[0] == (
        "a payment account that 2 victims paid directly; its holder lends the gang 2 more "
        "such accounts"
    )


def test_one_more_account_reads_in_the_singular() -> None:
    cards = _run({"PAY1": 1, "PAY2": 1}, {"PAY1": "H", "PAY2": "H"})
    assert cards["PAY1"].evidence[0] == (
        "a payment account that 1 victim paid directly; its holder lends the gang 1 more such "
        "account"
    )


def test_the_sentences_read_in_chinese() -> None:
    from chaincut.web.phrasing import _sentence

    one = _run({"PAY": 3}, {"PAY": "H"})["PAY"].codes[0]
    assert one is not None
    assert _sentence(one, "zh_CN") == "受害人直接向其转账的支付账户（3 名受害人）"
    many = _run({"PAY1": 1, "PAY2": 1}, {"PAY1": "H", "PAY2": "H"})["PAY1"].codes[0]
    assert many is not None
    assert _sentence(many, "zh_CN").endswith("其持有人另向该团伙出借 1 个此类账户")
