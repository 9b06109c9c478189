"""Short chat turns and lure messages that carry the ask, and everyday turns without it.

A fraud chat is a run of short turns, and the turn that matters is the ask: pay into a
"designated", "safe" or company account, report the code that was just sent, deposit on a
platform to "unlock" or "withdraw", pay the seller off the platform, advance money for a task,
pay a fee before a loan is released, install an app and share the screen. Written for chaincut
from the public police and bank descriptions of each fraud type (the same sources as
`templates_fraud.py`); the kinds were chosen by reading which asks the previous model missed on
training-range worlds of both generators (seeds below 1000) — never copied from their text, and
never from the evaluation seeds.

The ordinary turns are the hard negatives: money sent, received or owed between people who know
each other, codes and accounts mentioned in passing, platform shopping, work "tasks", a person
telling a friend they hung up on a scammer. They teach the model that the words (转账, 账户,
验证码, 平台, 任务) are not the evidence; the ask to a stranger is.
"""

from __future__ import annotations

#: fraud type -> whole short turns (each a skeleton of its own group)
ASK_FRAUD: dict[str, list[str]] = {
    "order_brushing": [
        "招手机兼职，在家即可，每天一两小时，日入{amount}，有意回复1",
        "宝妈在家也能赚钱，一单一结，日赚{amount}，感兴趣加QQ{qq}",
        "诚招点赞员，每单{small}元，即时结算，请下载{app}：{url}",
        "这组是三连单，先把{amount}元打到接待员给的收款账户，三单做完本金佣金一起返",
        "你这单卡单了，要再充{amount}才能解冻，解冻后连本带利返给你",
        "首单返现{small}元到账了吧？接下来的组合单要自己先垫{amount}元",
        "任务编号{code}，请把{amount}元转到平台收款账户，备注任务编号，十分钟内完成",
        "提现前需要完成最后一单，再充值{amount}元就能全部提出来",
        "你操作失误导致数据异常，要补交{amount}元保证金才能恢复提现",
        "点赞一次{small}元，当天结算，加QQ{qq}找接待员领任务",
        "手机兼职日结{amount}元，下载{app}注册后找接待员领单",
        "接待员说这轮任务要先垫资{amount}，返款时多给你{pct}%佣金",
        "先在{shop}拍下这个链接的商品，付款截图发我，马上返本金加佣金",
        "在家带娃也能做，手机接单，一单{small}元，回复1领取第一单",
        "任务超时了，账户被冻结，转{amount}到财务账户就能解冻",
        "进群{qq}跟导师做任务，前三单小额，后面联单返利翻倍",
    ],
    "fake_investment": [
        "老师今天又带大家赚了{pct}%，没跟上的抓紧进场，席位不多",
        "【内部消息】某新能源股下周暴涨，导师免费带单，进群{url}",
        "新币私募，零风险稳赚，日化{pct}%，注册即送{small}USDT：{url}",
        "入金走公司的对公户，{bank}尾号{last4}，转完截图给助理，马上给你上分",
        "老师带单稳赚不赔，明天开盘前把{amount}转进平台账户",
        "这个产品不会亏本，每天返{pct}%利息，先投{amount}试试水",
        "昨天跟单的都赚了{pct}%，你还犹豫什么，今晚前入金锁定席位",
        "你账户收益已经{amount}了，提现前要先交{pct}%的手续费",
        "这个币下周上交易所，现在把USDT充到我给的地址，一周翻倍",
        "跟着导师操作，这单保底收益{pct}%，先充值{amount}到平台",
        "提现通道风控了，需要缴纳{amount}元解冻金才能出金",
        "下载{app}注册，联系客服入金，内幕消息明天涨停",
        "原始股马上上市，内部认购价，今天转{amount}锁定份额",
        "出金要先补足保证金{amount}，不然账户会被清零",
        "入金到{card}，户名{name}，转完截图给助理上分",
    ],
    "fake_loan": [
        "尊敬的用户，您的信用评分达标，可领取{amount}元额度，三日内有效，登录{url}",
        "征信有问题也能批，不查流水，最高{amount}，详询{phone}",
        "无视黑白户，当天下款{amount}，加微信{wx}",
        "您的贷款已审批，但银行卡号填错被冻结了，需要转{amount}元解冻金",
        "放款前要先交{amount}元保证金验证还款能力，放款后一起退还",
        "征信花了也能下款，最高{amount}，先交手续费当天到账",
        "系统给你预批了{amount}元额度，点{url}填卡号就能提现",
        "无抵押秒批，下载{app}填资料，先交会员费{small}百元才能放款",
        "你流水不够，先往这个卡{card}转{amount}刷一下流水再放款",
        "贷款要先付首期利息{amount}元，转到审核员账户",
        "征信不好也没关系，交{amount}包装费就能放款",
    ],
    "fake_customer_service": [
        "【{shop}】您购买的商品被检测出质量问题，平台为您办理双倍赔付，点击{url}申请",
        "【{shop}】您的订单理赔已受理，请登录{url}填写收款银行卡信息",
        "您的{shop}百万医疗保障即将扣费{small}元/月，如不需要请致电{phone}取消",
        "尊敬的用户，您在{shop}开通的会员服务明日起自动扣费，退订请回电{phone}",
        "【{courier}】您的包裹运输途中遗失，我司按{amount}元赔偿，请添加理赔专员QQ{qq}",
        "您的快件破损，理赔金{amount}元待领取，请联系客服{phone}办理",
        "您手机上刚收到一条验证码，读一下给我，我帮您把扣费取消掉",
        "把刚收到的验证码念给我，我这边核实身份后给您退款",
        "您买的商品有质量问题，给您双倍理赔，请下载{app}开启屏幕共享",
        "不关闭百万保障每月扣{amount}元，请按我说的操作取消",
        "快递丢了要理赔，请提供银行卡号和短信验证码",
        "打开支付宝借呗，把额度借出来转到我们的监管账户，核实后退还",
        "会员自动续费要关掉，加客服QQ{qq}，我远程帮您操作",
        "短信里的{code}告诉我一下，退款马上原路返回",
        "请在{app}里输入您的卡号和密码，系统自动退款",
        "您的账户被误设成代理商，需要转{amount}到对账账户取消",
    ],
    "impersonate_police": [
        "你的账户涉嫌洗钱，要把资金转到安全账户接受清查",
        "这是你的通缉令，配合调查，把存款转到国家安全账户",
        "案件保密不能告诉家人，下载{app}开视频做笔录",
        "你涉嫌诈骗案，先交{amount}元保证金证明清白",
        "清查账户发给你了，今天之内把钱全部转过去，查清后退还",
        "我是{city}公安的，你的身份证被冒用，把卡里的钱转到安全账户",
    ],
    "fake_credit_repair": [
        "我们能帮你消除逾期记录，先交{amount}元服务费",
        "校园贷没注销会影响征信，把额度贷出来转到指定账户就能注销",
        "征信修复走内部渠道包过，定金{amount}转到{card}",
        "征信有污点就办不了房贷，交{amount}给我们帮你洗白",
    ],
    "fake_shopping": [
        "平台抽成太高，你私下转我{amount}，价格比专柜低一半",
        "私下交易便宜点，先付定金{amount}到这张卡{card}",
        "就剩一台了，微信转我{amount}就给你留着，走平台要扣手续费",
        "低价转让{product}，加我微信{wx}私下转账就行",
        "演唱会内部票，先转全款{amount}，出票后发你",
        "付款备注别写买东西，银行打电话问你就说是给朋友的",
        "去{url}付款拍下，这个价只有今天",
        "先付{amount}运费到我支付宝，货马上发出",
    ],
    "fake_game_trading": [
        "账号在{url}交易，先交{amount}保证金才能解冻货款",
        "钱在平台冻结了，你先交{amount}激活费才能提现",
        "不走官方平台，你直接转我{amount}，账号密码马上发你",
        "装备我收了，你去{url}注册，交{amount}认证费就能收款",
    ],
    "romance": [
        "宝贝，我发现这个网站能稳赚，你也去{app}开个户，先充{amount}我带你",
        "宝贝，我舅舅在博彩公司上班，跟着他下注稳赢，先充{amount}",
        "为了我们以后的家，你先转{amount}进平台，我教你操作",
        "老公，提现要交{pct}%保证金，你先帮我垫一下",
        "我在国外回不去，海关要交{amount}关税，你先帮我转一下",
    ],
    "fake_gambling": [
        "网站有内部漏洞，包赢不输，充值{amount}跟着下注",
        "你账户赢了{amount}，提现要先打满流水，再充{amount}",
        "跟计划员下注，稳赚，首充{amount}送{small}百彩金",
    ],
    "impersonate_boss": [
        "我是{surname}总，在开会不方便，你先转{amount}到这个账户{card}",
        "马上给这个供应商转{amount}货款，我会后补签字",
        "我在外面不方便，你先垫{amount}打给他，卡号{card}",
    ],
    "other": [
        "恭喜中奖{amount}元，领奖要先把{pct}%个人所得税转到指定账户",
        "你的ETC认证失效，点击{url}重新认证，填银行卡号和验证码",
        "你的医保卡异常，需要把余额转到{bank}的核查账户",
        "航班取消了，改签补偿{amount}元，请提供银行卡号和验证码",
    ],
}  # fmt: skip

#: kinds of everyday turn -> templates; labelled normal, drawn like MORE_NORMAL
ASK_NORMAL: dict[str, list[str]] = {
    "money_done": [
        "上个月的货款{amount}已经付到贵司账户，请查收，发票开好寄过来",
        "钱我已经转你了，你查收一下",
        "收到你转的{amount}，谢谢啦",
        "房租{amount}我转到你{bank}卡上了，尾号{last4}",
        "妈，这个月工资发了，给你转了{amount}",
        "提现到账了，手续费{small}块",
        "退款已经原路退回了，你看看到账没有",
        "保证金退回来了，押金{amount}也到账了",
        "合同签好了，首付款下周从公司对公账户走",
        "对公账户信息我发邮件给你了，财务按合同付款",
        "给你发了个红包，生日快乐",
        "截图发你了",
        "付款截图我发群里了，你看一下",
        "转账记录截图给你了，到了说一声",
        "报名成功的截图发我一下，我汇总",
        "聊天记录我截图了，回头给你看",
    ],
    "codes_and_accounts": [
        "验证码收到了，已经登录上了，谢谢",
        "验证码别告诉别人，银行不会找你要的",
        "密码改好了，别再用生日了",
        "新卡办好了，尾号{last4}，旧卡注销了",
        "我在{bank}柜台办的，柜员让我本人签字",
        "你去营业厅办，带上身份证就行",
        "信用卡还款日是{date}，记得还",
        "贷款批下来了，银行说下周放款",
    ],
    "platform_and_work": [
        "你在{shop}上下单吧，走平台有保障",
        "东西收到了，已经确认收货，五星好评",
        "在官方平台买的，七天无理由退货",
        "今天的任务是把这份表格填好，下班前交",
        "任务我做完了，报告发你邮箱了",
        "这单做完了，客户已经付款了",
        "明天开会把季度收益汇报一下",
        "这个月提成{amount}，下周跟工资一起发",
        "股票今天跌了，还是定投基金稳一点",
        "我买的理财到期了，收益{pct}%，还行",
    ],
    "real_notices": [
        "【{shop}】您的订单已发货，{courier}单号{tracking}，请留意查收",
        "【{shop}】您申请的退款{amount}元已原路退回，预计1-3个工作日到账",
        "【{courier}】您的快递已由驿站代收，取件码{code}",
        "【{shop}】您的会员将于{date}到期，可在APP内自助续费",
        "【{shop}】您的售后申请已通过，请按页面提示寄回商品",
    ],
    "told_a_scam": [
        "刷单都是骗人的，千万别信",
        "有人找我要验证码，我没理，直接拉黑了",
        "刚才有个自称公安的电话，让我转安全账户，我直接挂了",
        "群里有人发兼职广告，我已经举报了",
        "炒股有风险，别信那些荐股群",
    ],
}  # fmt: skip
