from __future__ import annotations

from chaincut.text.indicators import Indicator, e164, extract_indicators, luhn_ok


def kinds(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for i in extract_indicators(text):
        found.setdefault(i.kind, []).append(i.value)
    return found


def test_phones_are_e164() -> None:
    got = kinds("打 138-0013-8000 或 +86 139 1234 5678，座机010-12345678，菲律宾 +63 917 123 4567")
    assert got["phone"] == ["+8613800138000", "+8613912345678", "+861012345678", "+639171234567"]
    assert e164("００８６１３８００１３８０００", "mobile") == "+8613800138000"


def test_full_width_and_spelled_out_numbers() -> None:
    assert kinds("电话：１３８００１３８０００")["phone"] == ["+8613800138000"]
    assert kinds("打幺三八零零一三八零零零")["phone"] == ["+8613800138000"]
    assert kinds("官方客服95588")["phone"] == ["95588"]


def test_urls() -> None:
    got = kinds("点击 https://Abc.TOP/PaTh?x=1 或 www.icbc-safe.com 或 hxxp://bad.xyz/a")
    assert got["url"] == [
        "https://abc.top/PaTh?x=1",
        "http://www.icbc-safe.com",
        "http://bad.xyz/a",
    ]


def test_bank_cards_need_luhn_or_a_card_word() -> None:
    assert luhn_ok("6222021234567890128")
    assert kinds("转到 6222 0212 3456 7890 128")["bank_card"] == ["6222021234567890128"]
    assert "bank_card" not in kinds("订单号 6222021234567890129")  # fails Luhn, no card word
    assert kinds("卡号 6222021234567890129")["bank_card"] == ["6222021234567890129"]
    assert "bank_card" not in kinds("身份证110101199003074514")  # an ID number is no card


def test_accounts_groups_apps_wallets() -> None:
    got = kinds(
        "加微信 abc_12345，QQ：１２３４５６７８９，进QQ群 765432109，微信群“发财群”，"
        "支付宝账号 13912345678，下载“安心借”APP，再打开向日葵，"
        "USDT 地址 TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"
    )
    assert got["wechat"] == ["abc_12345"]
    assert got["qq"] == ["123456789"]
    assert got["qq_group"] == ["765432109"]
    assert got["wechat_group"] == ["发财群"]
    assert got["payment_account"] == ["alipay:+8613912345678"]
    assert got["app"] == ["安心借", "向日葵"]
    assert got["crypto_wallet"] == ["TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"]


def test_spans_are_exact() -> None:
    text = "联系 １３８-００１３-８０００ 办理"
    (phone,) = extract_indicators(text)
    assert isinstance(phone, Indicator)
    assert text[phone.start : phone.end] == phone.text == "１３８-００１３-８０００"


def test_no_indicators_in_plain_text() -> None:
    assert extract_indicators("今天天气不错，晚上一起吃饭吧") == ()
    assert extract_indicators("") == ()
