"""Fraud scripts written for the foreign world: per fraud type an opener, a hook and an ask
(transfer, code, link, app, screen share or a contact account), sometimes with pressure to hurry
or keep quiet, as SMS, IM messages or call transcripts.

Each text is assembled from interchangeable parts with filled-in details, so that wording varies.
"""

from __future__ import annotations

import numpy as np

from chaincut.foreign.texts import fill, join

# fraud type -> (openers, hooks, asks)
FRAUD: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "order_brushing": (
        ("【兼职招募】", "宝妈在家也能做，", "你好，看到你在找副业，", "日结兼职，手机操作，"),
        (
            "帮商家点赞关注就有佣金，一单返{small}元",
            "做任务垫付货款，完成后本金加佣金一起返还",
            "前三单是体验单，马上到账，后面是连单任务佣金更高",
            "导师带单，一天轻松赚{amount}",
        ),
        (
            "下载{app}注册接单",
            "加QQ{qq}领第一单",
            "先垫付{amount}元激活账户，完成后全部退还",
            "点击{link}进群领任务",
        ),
    ),
    "fake_investment": (
        (
            "老师今天又带我们赚了，",
            "内部消息：",
            "您好，我是{name}证券的投资顾问，",
            "群里很多人已经翻倍了，",
        ),
        (
            "这只票下周有重组，稳赚不赔",
            "数字货币平台有漏洞，充值就有{pct}%收益",
            "跟着导师做期货，保证月收益{pct}%",
            "新股内部认购名额只剩最后几个",
        ),
        (
            "先在{app}开户充值{amount}",
            "转账到平台指定账户{account}入金",
            "扫码下载{app}，客服会教你操作",
            "加微信{qq}拉你进VIP群",
        ),
    ),
    "fake_loan": (
        ("【{name}金融】", "急用钱吗？", "您的信用良好，", "无抵押无担保，"),
        (
            "已为您预批额度{amount}元，利息低至日息0.02%",
            "秒批贷款，黑户也能下款",
            "您的贷款因银行卡号填写错误被冻结",
            "放款前需要验证还款能力",
        ),
        (
            "请先缴纳{small}元保证金解冻",
            "下载{app}填写资料即可放款",
            "把流水刷到{amount}元后才能放款，转到{account}",
            "点击{link}领取额度",
        ),
    ),
    "fake_customer_service": (
        (
            "您好，我是{shop}的客服，",
            "【快递理赔】您好，",
            "亲，您购买的商品",
            "您好，这里是{shop}售后中心，",
        ),
        (
            "您的快递在运输途中丢失，我们将给您{small}元理赔",
            "您误开通了会员服务，每月将扣费{small}元",
            "商品质量检测不合格，需要给您退款",
            "您的账户被误设为代理商，不取消会每月扣费",
        ),
        (
            "请打开支付宝备用金配合操作",
            "请下载{app}开启屏幕共享，我指导您操作",
            "请告诉我您收到的验证码",
            "请把余额转到安全账户{account}核实",
        ),
    ),
    "impersonate_police": (
        (
            "这里是{city}市公安局刑侦支队，",
            "您好，我是检察院的{surname}警官，",
            "您有一份法院传票未领取，",
            "【通知】您的身份证",
        ),
        (
            "您的身份证涉嫌一起洗钱案件，需要配合调查",
            "您名下的银行卡被犯罪分子用于诈骗，已被冻结",
            "此案件属于机密，不得告诉任何人包括家人",
            "您需要证明资金清白，否则将被逮捕",
        ),
        (
            "请把资金转到国家安全账户{account}进行清查",
            "请下载{app}进行视频笔录并开启屏幕共享",
            "请在{link}上查看通缉令并填写资料",
            "清查完毕后资金会全额退还，请马上转账{amount}",
        ),
    ),
    "fake_credit_repair": (
        (
            "您好，我们是征信中心的，",
            "【征信提醒】",
            "您的学生贷款记录有异常，",
            "您之前开通过校园贷，",
        ),
        (
            "您的征信有不良记录，会影响买房和子女上学",
            "根据新规定，需要注销学生账户，否则影响征信",
            "您的网贷账户未注销，每天产生利息",
            "可以帮您修复征信，删除逾期记录",
        ),
        (
            "需要把各平台额度借出来转到{account}验证后注销",
            "请开启屏幕共享配合注销",
            "请提供验证码完成注销",
            "缴纳{small}元手续费即可修复",
        ),
    ),
    "fake_shopping": (
        ("低价转让{item}，", "全新{item}只要{small}元，", "海外代购{item}，", "清仓特价：{item}"),
        ("比官网便宜一半，限时三天", "正品保证，支持验货", "只剩最后两件了", "名额有限，先到先得"),
        (
            "加微信{qq}私下交易更便宜",
            "先付定金{small}元到{account}",
            "不要走平台，直接转账{amount}给我",
            "点击{link}下单付款",
        ),
    ),
    "impersonate_boss": (
        (
            "我是{surname}总，这是我新号，",
            "小{surname}，我是你们{surname}经理，",
            "在吗？我是你领导，",
            "我在开会不方便接电话，",
        ),
        (
            "有个客户要付一笔款，你先帮我垫付一下",
            "这边急需转一笔保证金，明天报销",
            "我在外面开会，有笔合同款要马上处理",
            "帮我给这个账户转一下钱，事后跟财务说",
        ),
        (
            "把{amount}元转到{account}，转完截图给我",
            "先转{amount}，马上要，别打电话",
            "加我新微信{qq}说",
            "转账后告诉我一声",
        ),
    ),
    "fake_game_trading": (
        (
            "出售{game}满级账号，",
            "收购{game}装备，高价回收，",
            "{game}稀有皮肤低价出，",
            "游戏代练代充，",
        ),
        (
            "价格比市场低很多",
            "需要先在交易平台认证",
            "你的账户被冻结需要解冻",
            "交易平台显示需要缴纳保证金",
        ),
        (
            "到{link}平台交易，先付{small}元保证金",
            "先转{amount}到{account}再交号",
            "加QQ{qq}私下交易",
            "提供验证码帮你解冻账户",
        ),
    ),
    "romance": (
        (
            "亲爱的，今天好想你，",
            "宝贝，我舅舅在平台内部工作，",
            "认识你真开心，",
            "我们的未来我都计划好了，",
        ),
        (
            "我最近在一个平台投资赚了不少，想带你一起",
            "这个平台有漏洞，只有我们知道",
            "我需要一笔钱办签证来见你",
            "我的账户被冻结了，需要交一笔解冻费",
        ),
        (
            "你也在{app}注册一下，先充{amount}试试",
            "帮我转{amount}到{account}，我回国就还你",
            "把钱转到平台账户{account}",
            "用我给你的邀请码注册{link}",
        ),
    ),
    "fake_gambling": (
        ("【{name}娱乐】", "首充送{pct}%，", "彩票内部计划，", "体育比赛内幕消息，"),
        (
            "跟着计划员下注，胜率九成",
            "新人注册送{small}元彩金",
            "已经有上万人靠这个翻身",
            "本场比赛结果已经内定",
        ),
        (
            "点击{link}注册充值",
            "下载{app}跟单，先充{amount}",
            "加客服QQ{qq}领取计划",
            "转账{amount}到{account}开通会员",
        ),
    ),
}

PRESSURE = (
    "今天之内必须办完，过期作废",
    "这件事不要告诉家人和银行工作人员",
    "名额有限，错过就没有了",
    "银行问起就说是自己消费",
    "操作期间不要接听其他电话",
    "",
)


def fraud_text(rng: np.random.Generator, fraud_type: str, parts: int = 3) -> str:
    """A fraud message of `fraud_type`: opener, hook and ask (fewer parts for a short SMS), at
    times with pressure to hurry or keep quiet."""
    pieces = [p[int(rng.integers(len(p)))] for p in FRAUD[fraud_type][3 - parts :]]
    if rng.random() < 0.4:
        pieces.append(PRESSURE[int(rng.integers(len(PRESSURE)))])
    return fill(rng, join(pieces))


def transcript(rng: np.random.Generator, fraud_type: str) -> str:
    """A call transcript: the operator's lines from the script, the victim's short answers."""
    openers, hooks, asks = FRAUD[fraud_type]
    replies = ("嗯", "好的", "真的吗？", "那我该怎么办", "我不太明白", "要转多少？", "这个安全吗？")
    lines = []
    steps = [openers, *[hooks] * int(rng.integers(0, 3)), asks, *[asks] * int(rng.integers(0, 2))]
    for part in steps:
        lines.append("甲：" + fill(rng, join([part[int(rng.integers(len(part)))]])))
        lines.append("乙：" + replies[int(rng.integers(len(replies)))])
    return "\n".join(lines)
