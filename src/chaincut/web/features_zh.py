"""The account score's reasons (the features of `chaincut.scoring.features.DESCRIPTIONS`) in
Chinese; the English descriptions come with the score itself. A feature this table does not
know shows its English description (`tests/service/test_console_i18n.py` walks the pages and
flags it, and checks every feature the scoring describes has its Chinese)."""

from __future__ import annotations

FEATURES_ZH: dict[str, str] = {
    "in_count": "收款笔数",
    "out_count": "付款笔数",
    "in_amount": "收款金额",
    "out_amount": "付款金额",
    "out_in_ratio": "转出金额 / 转入金额",
    "senders": "不同付款方数",
    "receivers": "不同收款方数",
    "counterparties": "不同交易对手数",
    "lifetime_d": "首笔与末笔交易相隔天数",
    "pt_fast_share": "资金到账 1 小时内转出的付款占比（快进快出）",
    "pt_slow_share": "资金到账 1 天内转出的付款占比（快进快出）",
    "pt_fast_count": "资金到账 1 小时内转出的笔数",
    "pt_slow_amount_share": "1 天内转出的收款金额占比",
    "pt_delay_mean_h": "资金到账至转出的平均小时数",
    "pt_delay_min_h": "资金到账至转出的最短小时数",
    "stranger_in": "来自一次性付款方的收款笔数",
    "stranger_share": "来自一次性付款方的收款占比",
    "stranger_small_in": "来自一次性付款方的小额收款笔数",
    "round_in_share": "整百收款占比",
    "round_out_share": "整百付款占比",
    "round1000_out_share": "整千付款占比",
    "night_in_share": "夜间（当地 0-6 时）收款占比",
    "night_out_share": "夜间（当地 0-6 时）付款占比",
    "exit_count": "取现、虚拟币和跨境付款笔数",
    "exit_amount_share": "经取现、虚拟币或跨境转出的金额占比",
    "kind": "账户类型",
    "age_first_d": "首笔交易时的开户天数",
    "age_first_pt_d": "首次快进快出时的开户天数",
    "w1d_active": "活跃天数",
    "w1h_active": "活跃小时数",
    "hop1_reports": "受害人向该账户付款的报案数",
    "hop1_victims": "向该账户付款的不同受害人数",
    "hop1_amount": "受害人报称付入该账户的金额",
    "hop2_in": "来自受害人所付账户的收款笔数（第二层）",
    "hop2_senders": "向该账户付款的不同一级账户数",
    "hop3_in": "来自二级账户的收款笔数（第三层）",
    "suspect_share": "交易对手中疑似涉诈账户的占比",
    "suspect_senders": "疑似涉诈的不同付款方数",
    "suspect_receivers": "疑似涉诈的不同收款方数",
    "suspect_in_share": "来自疑似涉诈账户的收款占比",
    "suspect_out_share": "付给疑似涉诈账户的付款占比",
}
FEATURES_ZH |= {
    "payer_distinct_share": "每笔收款对应的不同付款方数",
    "payee_distinct_share": "每笔付款对应的不同收款方数",
    # the bounded ratios, count shares and fan neighbours of the retrained mule model
    "out_in_count_ratio": "付款笔数 / 收款笔数",
    "flow_balance": "收款与付款金额中较小者 / 较大者",
    "pt_flow_share": "收付金额中较大者在 1 天内快进快出的占比",
    "fan_in_hour_share": "1 小时内付款的付款方占比",
    "fan_in_day_share": "1 天内付款的付款方占比",
    "fan_out_hour_share": "1 小时内收款的收款方占比",
    "fan_out_day_share": "1 天内收款的收款方占比",
    "active_day_share": "首末笔交易之间有交易的天数占比",
    "fan_out_payer_share": "来自符合“一对多分散转出”模式账户的收款占比",
    "fan_in_payee_share": "付给符合“多对一汇入”模式账户的付款占比",
}

_WINDOWS = {"1h": "1 小时", "1d": "1 天", "7d": "7 天", "30d": "30 天"}
_WINDOWED = {
    "in_count": "收款笔数",
    "out_count": "付款笔数",
    "fan_in": "不同付款方数",
    "fan_out": "不同收款方数",
    "in_amount": "收款金额",
    "out_amount": "付款金额",
}
_PATTERNS = {
    "fan_in": "多对一汇入",
    "fan_out": "一对多分散转出",
    "gather_scatter": "先聚后散",
    "pass_through": "快进快出",
    "cycle": "资金回流",
    "scatter_gather": "先散后聚",
    "bipartite": "团伙对倒",
    "stack": "多层转移",
}


def feature_zh(name: str) -> str | None:
    """The Chinese for feature `name`, composed for the windowed (`w7d_fan_in`), pattern
    (`pattern_cycle`) and percentile (`rank_…`) families; None when unknown."""
    if name in FEATURES_ZH:
        return FEATURES_ZH[name]
    if name.startswith("rank_"):
        base = feature_zh(name[5:])
        return f"{base}（在账本全部账户中的百分位）" if base else None
    if name.startswith("pattern_") and name[8:] in _PATTERNS:
        return f"符合“{_PATTERNS[name[8:]]}”模式的交易笔数"
    window, _, what = name[1:].partition("_")
    if name.startswith("w") and window in _WINDOWS and what in _WINDOWED:
        return f"{_WINDOWS[window]}内最多{_WINDOWED[what]}"
    return None
