from __future__ import annotations

import pytest

from chaincut.text.charmap import CJK_ALIASES, translation_table
from chaincut.text.normalize import fold, normalize, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ１２３ｙｈｋ", "abcN银行卡"),  # full-width letters and digits
        ("刷 单 返 利", "刷单返利"),  # spaces between characters
        ("刷*单-返_利", "刷单返利"),  # symbols between characters
        ("刷\u200b单\u200d返利", "刷单返利"),  # zero-width characters
        ("安全账户😀🔥💰", "安全账户"),  # emoji
        ("加 V 信", "加微信"),
        ("加威信 zfb 转账", "加微信支付宝转账"),
        ("sfz和yhk发我，zz给你", "身份证和银行卡发我转账给你"),
        ("dk 5w", "贷款Nw"),
        ("銀行帳戶異常", "银行账户异常"),  # traditional characters
        ("сlick httрs", "clickhttps"),  # Cyrillic look-alikes
        ("菠菜平台", "博彩平台"),
        ("点击 https://abc.top/x?y=1 领取", "点击U领取"),
        ("访问www.icbc-safe.com", "访问U"),
        ("电话138-0013-8000", "电话P"),
        ("致电+63 917 123 4567", "致电P"),
        ("座机010-12345678", "座机P"),
        ("卡号6222 0212 3456 7890 128", "卡号C"),
        ("邮箱a.b@qq.com", "邮箱E"),
        ("", ""),
        ("！！！...😀", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_translation_is_length_preserving() -> None:
    assert all(len(v) == 1 for v in translation_table().values())
    assert all(len(k) == len(v) for k, v in CJK_ALIASES.items())
    text = "ＱＱ：１２３ 威信 銀行 сlick"
    assert len(fold(text)) == len(text)


def test_span_maps_back_to_the_original() -> None:
    raw = "请把 ｙｈｋ 和 sfz 发我，转到安 全 账 户"
    n = normalize_text(raw)
    for word, original in (("银行卡", "ｙｈｋ"), ("身份证", "sfz"), ("安全账户", "安 全 账 户")):
        start = n.text.index(word)
        s, e = n.span(start, start + len(word))
        assert raw[s:e] == original
