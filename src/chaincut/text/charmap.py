"""Character tables behind text normalisation: look-alikes, variants and abbreviations.

Fraud messages are written to slip past keyword filters: full-width letters, Cyrillic look-alikes,
traditional characters, homophones (威信 for 微信, 菠菜 for 博彩) and pinyin initials (yhk for
银行卡). These tables fold them onto one canonical spelling so that the model sees one feature.
Every single-character entry maps to exactly one character, which keeps offsets into the original
text valid; the CJK aliases are length-preserving for the same reason.
"""

from __future__ import annotations

import functools
import unicodedata

#: Latin look-alikes from other scripts (Cyrillic, Greek) and a few symbols used as letters
HOMOGLYPHS: dict[str, str] = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ɡ": "g", "һ": "h", "ԛ": "q", "ԝ": "w", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i",
    "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ı": "i",
    "ℓ": "l", "〇": "零",
}  # fmt: skip

#: traditional characters frequent in fraud and banking texts, folded to simplified
TRADITIONAL: dict[str, str] = dict(
    zip(
        "銀行卡帳賬戶轉貸詐騙證號碼費錢額員務網點擊聯係線領導資門們這個來時間題會為與對從請"
        "發給讓買賣價設備險種應該還錯過歡幫處總鍵碼駕車電話機構關閉實際現據優惠紅禮獎勵註冊"
        "認識簽約將體驗協議寶幣投資盤彩賭場贏輸購運輪遊戲裝備級單結餘額報警察撥親愛隻當"
        "歲萬億塊標準訂閱區塊鏈數據庫護凍結郵遞違規檢驗證書調查審計憑異於後麼見讀寫長開",
        "银行卡帐账户转贷诈骗证号码费钱额员务网点击联系线领导资门们这个来时间题会为与对从请"
        "发给让买卖价设备险种应该还错过欢帮处总键码驾车电话机构关闭实际现据优惠红礼奖励注册"
        "认识签约将体验协议宝币投资盘彩赌场赢输购运轮游戏装备级单结余额报警察拨亲爱只当"
        "岁万亿块标准订阅区块链数据库护冻结邮递违规检验证书调查审计凭异于后么见读写长开",
        strict=True,
    )
)

#: homophone and variant spellings of words fraud filters look for; each alias has the
#: length of its canonical form (offsets stay valid)
CJK_ALIASES: dict[str, str] = {
    "威信": "微信", "薇信": "微信", "徽信": "微信", "维信": "微信", "v信": "微信", "卫信": "微信",
    "扣扣": "qq", "菠菜": "博彩", "代款": "贷款", "袋款": "贷款",
    "吱付宝": "支付宝", "支附宝": "支付宝", "支忖宝": "支付宝", "兼值": "兼职", "坚职": "兼职",
    "返俐": "返利", "反利": "返利", "刷蛋": "刷单", "涮单": "刷单", "徵信": "征信", "证信": "征信",
    "转帐": "转账", "帐户": "账户", "帐号": "账号", "银杏卡": "银行卡", "银航卡": "银行卡",
    "公检发": "公检法", "抖荫": "抖音", "拼夕夕": "拼多多", "某宝": "淘宝",
    "某音": "抖音", "某东": "京东", "某多多": "拼多多", "某付宝": "支付宝",
}  # fmt: skip

#: pinyin abbreviations and spellings (a whole Latin token) and the words they stand for
PINYIN: dict[str, str] = {
    "yhk": "银行卡", "sfz": "身份证", "zz": "转账", "dk": "贷款", "zfb": "支付宝", "wx": "微信",
    "vx": "微信", "v": "微", "vx号": "微信号", "yzm": "验证码", "xyk": "信用卡", "zx": "征信",
    "jz": "兼职", "fl": "返利", "bc": "博彩", "tz": "投资", "lc": "理财",
    "gjj": "公积金", "hb": "红包", "yh": "银行", "zh": "账户", "gaj": "公安局", "jc": "警察",
    "fy": "法院", "jcy": "检察院", "tb": "淘宝", "pdd": "拼多多", "dy": "抖音", "mm": "密码",
    "yinhangka": "银行卡", "shenfenzheng": "身份证", "zhuanzhang": "转账", "daikuan": "贷款",
    "weixin": "微信", "zhifubao": "支付宝", "shuadan": "刷单", "fanli": "返利",
    "jianzhi": "兼职", "touzi": "投资", "licai": "理财", "zhengxin": "征信", "boca": "博彩",
    "baozhengjin": "保证金", "yanzhengma": "验证码", "anquanzhanghu": "安全账户",
}  # fmt: skip

#: Chinese digits (and the spoken 幺 for 1) used to spell out phone and card numbers
CHINESE_DIGITS: dict[str, str] = {
    "零": "0", "〇": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4",
    "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "壹": "1", "贰": "2", "叁": "3",
    "肆": "4", "伍": "5", "陆": "6", "柒": "7", "捌": "8", "玖": "9",
}  # fmt: skip

# Unicode blocks where compatibility forms hide: Latin-1 to CJK symbols, compatibility
# ideographs and full-width forms, mathematical alphanumerics, enclosed alphanumerics
_NFKC_RANGES = ((0x00A0, 0x3400), (0xF900, 0x10000), (0x1D400, 0x1D800), (0x1F100, 0x1F200))


def _fold(char: str) -> str:
    """One character folded to its canonical single character (itself where none)."""
    out = unicodedata.normalize("NFKC", char)
    if len(out) != 1:
        base = unicodedata.normalize("NFKD", char)[:1]
        out = base if base.isascii() and base.isalpha() else char
    lower = out.lower()
    out = lower if len(lower) == 1 else out
    out = HOMOGLYPHS.get(out, out)
    return TRADITIONAL.get(out, out)


@functools.cache
def translation_table() -> dict[int, str]:
    """The `str.translate` table: every entry maps one code point to exactly one character."""
    table: dict[int, str] = {}
    chars = [chr(cp) for lo, hi in _NFKC_RANGES for cp in range(lo, hi)]
    chars += [chr(cp) for cp in range(ord("A"), ord("Z") + 1)]
    chars += list(HOMOGLYPHS) + list(TRADITIONAL)
    for char in chars:
        folded = _fold(char)
        if folded != char:
            table[ord(char)] = folded
    # invisible characters inserted between letters become plain spaces (dropped later)
    for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x180E):
        table[cp] = " "
    return table
