"""Message templates: fraud scripts per fraud type (话术), everyday chat, service notices.

Templates have slots in braces ({amount}, {link}, {app}, ...) filled by `texts.render`. Each fraud
type has an opening (first contact: SMS or a call), a conversation (IM) and call transcripts.
Service notices include the anti-fraud centre's own warnings, which use the same vocabulary as
the scripts: a classifier must tell them apart.
"""

from __future__ import annotations

OPENING: dict[str, tuple[str, ...]] = {
    "order_brushing": (
        "【{platform}】诚招兼职刷单员，动动手指日赚{small}-{amount}元，佣金秒返，加Q{qq}详聊",
        "您好，我是{platform}店铺客服，现招聘点赞员，一单{small}元，当天结算，下载{app}：{link}",
        "宝妈、学生在家兼职，手机操作，一天{days}小时，日结{amount}元，回复1了解",
    ),
    "fake_investment": (
        "【{app}】内部消息：明日{stock}将大涨，导师带单，收益率{rate}%，进群{link}",
        "您好，我是{name}老师的助理，加入VIP群免费领取牛股，稳赚不赔，微信{qq}",
        "数字货币新项目上线，保本保息，日收益{rate}%，注册送{small}USDT：{link}",
    ),
    "fake_loan": (
        "【{app}】您有一笔{amount}元借款额度待领取，无抵押秒到账，点击{link}立即申请",
        "黑户白户都能贷，不看征信，最高{big}元，日息低至0.0{small_digit}%，回T退订",
        "尊敬的客户，您的信用良好，已获{amount}元备用金，{days}天内有效，戳{link}",
    ),
    "fake_customer_service": (
        "【{company}】您的快递丢失，我司将按{amount}元理赔，请联系客服{hotline}办理",
        "【{platform}】您购买的商品存在质量问题，可申请双倍退款，退款链接：{link}",
        "您好，您开通了{platform}百万保障会员，每月将扣费{small}元，如需取消请回拨{hotline}",
    ),
    "impersonate_police": (
        "【{city}公安局】您涉嫌一起洗钱案件，案件编号{case}，请速与{officer}联系",
        "【最高人民检察院】您的身份证被冒用开户，涉及非法资金{big}元，请配合调查",
        "您的名下银行卡涉嫌非法出入境及洗钱，已被列入冻结名单，详情{link}",
    ),
    "fake_credit_repair": (
        "【征信中心】您的个人征信存在不良记录，将影响房贷车贷，请及时处理：{link}",
        "您好，您大学期间开通的校园贷账户未注销，将影响征信，请联系{hotline}注销",
        "专业修复征信逾期记录，{days}天见效，不成功不收费，咨询{qq}",
    ),
    "fake_shopping": (
        "低价转让全新{goods}，原价{big}，现价{amount}，包邮，加微信{qq}",
        "【{platform}】清仓特卖{goods}，一折起，仅限今天，下单{link}",
        "演唱会门票内部渠道，{amount}元一张，先付定金{small}元锁票",
    ),
    "impersonate_boss": (
        "我是{boss}，这是我新号，明天早上来我办公室一趟",
        "小{surname}，我是{boss}，在开会不方便接电话，加我新微信{qq}",
        "我是你{relative}，手机掉水里了，这是新号，先别跟家里说",
    ),
    "fake_game_trading": (
        "出售{game}满级账号，全皮肤，{amount}元，走{site}担保交易",
        "收购{game}装备高价回收，秒到账，联系{qq}，交易平台{link}",
        "{game}充值6折，官方渠道，量大从优，加Q{qq}",
    ),
    "romance": (
        "你好呀，刚才不小心加错人了，不过看你的头像好有气质，能交个朋友吗？",
        "我是{name}，在{abroad}做跨境电商，平时喜欢旅游和做饭，很高兴认识你",
        "hi，我们在{dating}上匹配过，我删了那个app，加你微信聊吧",
    ),
    "fake_gambling": (
        "【{casino}】新用户首存{small}送{amount}，稳赢计划，注册{link}",
        "内部彩票计划，跟单必赚，{rate}倍回报，{app}下载：{link}",
        "百家乐导师带你回本，胜率{rate}%，进群{qq}",
    ),
    "other": (
        "恭喜您被{show}节目组抽中二等奖，奖金{big}元及苹果电脑一台，领奖：{link}",
        "【{city}医保局】您的医保卡异常将被停用，请点击{link}重新认证",
        "您的ETC认证已失效，请点击{link}重新认证，以免影响通行",
    ),
}

CONVERSATION: dict[str, tuple[str, ...]] = {
    "order_brushing": (
        "第一单已返佣{small}元，请查收，接下来做联单任务，一组三单，完成后本金加佣金一起返还",
        "系统显示您操作超时，需要再做一单{amount}元的任务才能解冻资金",
        "放心，我们是正规平台，下载{app}注册，邀请码{code}，按导师指示操作",
        "联单任务已派发，请转账{amount}元至指定账户{bank}尾号{tail}，备注任务编号",
    ),
    "fake_investment": (
        "今天带大家做的这单又赚了{rate}%，还没上车的抓紧，名额有限",
        "您的账户收益已达{big}元，提现需先缴纳{rate}%的个人所得税",
        "平台检测到您的账户异常，需充值{amount}元保证金才能解冻",
        "这是内部通道，入金请转到{bank}尾号{tail}的对公账户，到账后导师给你上分",
    ),
    "fake_loan": (
        "您的贷款已审批，但银行卡号填写错误导致资金冻结，需缴纳解冻金{amount}元",
        "为证明您的还款能力，需要先转入流水{amount}元，放款时一并退还",
        "请下载{app}，填写资料后支付会员费{small}元即可优先放款",
    ),
    "fake_customer_service": (
        "为了给您办理退款，请下载{app}开启屏幕共享，按我的提示操作",
        "您的账户需要做资金验证，请把余额转到安全账户{bank}尾号{tail}，核实后原路退回",
        "请报一下您收到的验证码{code}，我帮您关闭扣费服务",
    ),
    "impersonate_police": (
        "我是{city}公安局{officer}，你的案子很严重，不要告诉任何人，包括家人",
        "为证明你的清白，需要把资金转入国家安全账户进行资金清查，清查后全额退还",
        "这是你的逮捕令和冻结令，网址{link}，输入你的身份证号查看",
        "请立即将{amount}元转到{bank}尾号{tail}的监管账户，否则将冻结你名下所有资产",
    ),
    "fake_credit_repair": (
        "您需要把网贷平台的额度贷出来再转回指定账户，才能消除记录",
        "注销需要验证您的还款能力，请将{amount}元转至{bank}尾号{tail}",
        "我们已经为您提交了征信修复申请，请缴纳服务费{small}元",
    ),
    "fake_shopping": (
        "亲，现货不多了，先付全款{amount}元到{bank}尾号{tail}，今天就发顺丰",
        "订单卡单了，需要再付{small}元激活订单，到货后一起退给您",
        "不走平台的话我给您再便宜{small}元，直接扫码付款就行",
    ),
    "impersonate_boss": (
        "我这边有个客户要付款，你先从公司账上转{amount}元到{bank}尾号{tail}，我回头签字",
        "事情比较急，办好后截图发我，别打电话，我在开会",
        "帮我个忙，我朋友急需{amount}，你先帮我垫付，晚上还你",
    ),
    "fake_game_trading": (
        "账号已冻结，需缴纳{small}元解冻费才能交易完成",
        "平台需要验证您的收款能力，请先充值{amount}元，交易完成后一并退还",
        "您的提现失败，需要再付{small}元手续费",
    ),
    "romance": (
        "宝贝，我发现一个博彩网站的漏洞，我舅舅在里面工作，稳赚的，你也试试",
        "我们以后结婚要买房子，现在多赚一点，你先投{amount}试试，赚了都是我们的",
        "你的账户需要再充{amount}才能提现，我这边也帮你出一部分",
        "想你了，今天在{abroad}的工作有点累，晚上视频好不好",
    ),
    "fake_gambling": (
        "今晚的计划已发，按导师指示下注，必中",
        "您的账户中奖{big}元，提现需先充值流水{amount}元",
        "系统检测到您的账户违规套利，需缴纳{amount}元保证金解冻",
    ),
    "other": (
        "领奖前需缴纳个人所得税和公证费共{amount}元",
        "认证需要填写银行卡号、密码和收到的验证码{code}",
        "请将{amount}元转入{bank}尾号{tail}，工作人员核实后退回",
    ),
}

CALL: dict[str, tuple[str, ...]] = {
    "order_brushing": (
        "您好，我是{platform}商家招聘专员，我们在招线上兼职，给店铺做任务，一单返佣{small}元，您有兴趣吗……",
    ),
    "fake_investment": (
        "您好，我是{name}老师的助理，我们有个股票交流群，老师每天免费荐股，您加一下微信{qq}……",
        "您好，这边是{app}平台的客户经理，我们有一个内部理财项目，年化收益{rate}%，名额有限……",
    ),
    "fake_loan": ("您好，这边是{app}贷款专员，您申请的{amount}元贷款审核通过了，需要先验证流水……",),
    "fake_customer_service": (
        "您好，我是{company}客服，您的快递在运输途中丢失，我们这边给您{amount}元理赔，请问您有支付宝吗……",
        "您好，这里是{platform}客服，您开通了一项会员服务，如果不取消每月扣费{small}元……",
    ),
    "impersonate_police": (
        "喂，您好，这里是{city}公安局刑侦支队，我是{officer}，警号{code}，现在有一起洗钱案涉及到您……请您配合调查，通话内容保密",
        "您好，我们是{city}市卫健委，您的医保卡在外地被违规使用，现在帮您转接公安局……",
    ),
    "fake_credit_repair": (
        "您好，我是银保监会工作人员，您在学生时期开通的校园贷账户需要注销，否则影响征信……",
    ),
    "fake_shopping": ("您好，您在我们店拍的{goods}库存系统出错了，需要您加一下微信重新下单……",),
    "impersonate_boss": ("喂，听得出我是谁吗？我是你{relative}啊，换号了，有点急事找你……",),
    "fake_game_trading": (
        "您好，我是{site}客服，您的账号交易因为资金冻结没完成，需要您配合解冻……",
    ),
    "romance": ("喂，是我呀，{name}，终于听到你的声音了，我在{abroad}这边一切都好，就是想你……",),
    "fake_gambling": (
        "您好，这里是{casino}VIP客服，您的账户有一笔{big}元的奖金待领取，需要先完成流水……",
    ),
    "other": ("您好，这里是{show}节目组，恭喜您被抽中场外幸运观众，奖品包括现金{big}元……",),
}

VICTIM_REPLIES: tuple[str, ...] = (
    "好的", "我该怎么操作？", "已经转了，你看一下", "为什么还不能提现？", "钱什么时候退回来？",
    "我没有那么多钱了", "这个是真的吗", "你们是正规的吗", "我再去凑一下", "收到",
    "验证码是{code}", "怎么又要交钱", "我问问家里人", "好，马上转", "截图发你了",
)  # fmt: skip

CHAT: tuple[str, ...] = (
    "晚上回来吃饭吗？", "我到{place}了，你在哪", "明天{time}出发，别迟到", "收到，谢谢",
    "妈，我这周末回家", "今天加班，晚点回", "帮我带一份{food}", "孩子接到了吗", "哈哈哈哈",
    "周末去{place}爬山吗", "那个文件我发你邮箱了", "会议改到{time}了", "路上堵车，晚十分钟",
    "生日快乐！", "钱收到了吗？我刚转了{small}", "好的，下午见", "今天{food}好吃吗",
    "记得交水电费", "群里发的通知看了没", "到家说一声", "下雨了带伞", "车停在{place}门口",
    "明天{time}开家长会", "给你转了{small}，红包收下", "周五聚餐，{place}见",
)  # fmt: skip

SERVICE: tuple[str, ...] = (
    "【{bank}】您尾号{tail}的储蓄卡{date}支出人民币{amount}元，活期余额{balance}元。",
    "【{bank}】您尾号{tail}的账户{date}收入人民币{amount}元（工资），余额{balance}元。",
    "【{courier}】您的快递已到{place}驿站，取件码{code}，请及时领取。",
    "【中国移动】尊敬的客户，您本月话费{small}元，账户余额{balance}元。",
    "【支付宝】验证码{code}，用于登录验证，5分钟内有效，切勿告知他人。",
    "【微信支付】您有一笔{amount}元的付款，如非本人操作请及时冻结账户。",
    "【国家反诈中心】凡是自称公检法要求转账到安全账户的都是诈骗，接到此类电话请立即挂断并拨打96110。",
    "【{city}反诈中心】刷单返利就是诈骗！不要轻信高额佣金，不要下载陌生APP，不要转账。",
    "【{city}公安】提醒您：冒充客服退款、注销校园贷、修复征信的都是诈骗，如有疑问请拨打110。",
    "【{bank}】温馨提示：银行不会以任何理由要求您将资金转入所谓安全账户，谨防诈骗。",
    "【{platform}】您的订单已发货，物流单号{case}，点击查看物流详情。",
    "【国家电网】您的电费余额不足{small}元，请及时缴费。",
)  # fmt: skip

NARRATIVE: dict[str, str] = {
    "order_brushing": "报案人称在网上看到刷单兼职广告，按对方要求做任务，先收到小额返佣，后{n}次转账共{total}元无法提现，发现被骗。",
    "fake_investment": "报案人称被拉入投资群，在导师指导下于{app}平台充值，{n}次转账共{total}元，提现时被要求缴税后发现被骗。",
    "fake_loan": "报案人称申请网络贷款，对方以解冻金、流水验证为由要求转账{n}次共{total}元，未获放款。",
    "fake_customer_service": "报案人称接到自称客服电话称可理赔退款，按要求开启屏幕共享并转账{n}次共{total}元。",
    "impersonate_police": "报案人称接到自称公安民警电话称其涉嫌洗钱，要求将资金转入安全账户，{n}次转账共{total}元。",
    "fake_credit_repair": "报案人称对方自称银保监会工作人员要求注销校园贷，否则影响征信，转账{n}次共{total}元。",
    "fake_shopping": "报案人称在网上购物，对方要求脱离平台私下交易，付款{n}次共{total}元后对方失联。",
    "impersonate_boss": "报案人称接到冒充领导（熟人）的信息，按要求向对方账户转账{n}次共{total}元。",
    "fake_game_trading": "报案人称在游戏交易中被以账号冻结、解冻费为由要求付款{n}次共{total}元。",
    "romance": "报案人称在网上结识一名网友并确立恋爱关系，被诱导在博彩投资平台充值{n}次共{total}元无法提现。",
    "fake_gambling": "报案人称在博彩网站下注，中奖后被要求充值流水和保证金，{n}次转账共{total}元。",
    "other": "报案人称被以中奖、认证等理由要求缴费，{n}次转账共{total}元，后发现被骗。",
}
