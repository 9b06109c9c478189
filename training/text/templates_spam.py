"""Hand-written templates of advertising and marketing: `spam`, never `fraud`.

Written for chaincut (not copied from any data set) from the kinds of commercial SMS every phone
receives: shops and malls, property, beauty salons and clinics, training schools, car dealers,
restaurants, insurance and bank marketing, operator promotions, recruitment and events. Many of
them carry what fraud scripts also carry (a link, a phone number, "加微信", 优惠, 名额有限, a
prize), so that the model learns that a fraud script is the *ask* (pay, transfer, a code, a
screen, a stranger's account), not the selling. `{slot}` values are filled by `synthetic.py`.
"""

from __future__ import annotations

SPAM_TEMPLATES: dict[str, list[str]] = {
    "retail": [
        "{brand}年中大促，全场{small}折起，满{small}00再减{small}0，活动截至{date}，退订回T",
        "亲爱的会员，{brand}新品到店，凭此短信到店消费立减{small}0元，期待您的光临！",
        "{shop}超级品牌日，爆款直降，前{small}00名下单送赠品，戳{url_real}抢购，回TD退订",
        "【{brand}】会员专享：本周六{clock}起限时秒杀，数量有限，先到先得，退订回N",
        "{brand}{city}店盛大开业，进店即送精美礼品，消费满额参与抽奖，最高赢取{product}！",
        "好消息！{brand}冬装清仓，全场低至{small}折，最后三天，欢迎新老顾客选购。",
        "您好，{brand}家电节开始啦，空调冰箱洗衣机厂价直销，以旧换新补贴{small}00元，详询{phone}",
        "妇女节快乐！{brand}为您准备了节日专属礼包，到店出示短信即可领取，名额有限。",
        "{shop}年货节：年货满{small}99减{small}0，叠加店铺券更优惠，点击{url_real}，退订回T",
        "亲，您关注的{product}补货啦，现在下单立减{small}0元，限时{small}小时，退订回T",
    ],
    "estate": [
        "{estate}二期火爆认筹中，交{small}万抵{small}万，地铁口学区房，看房专车接送，热线{phone}",
        "您好，我是{estate}的置业顾问{name}，本周末开盘特惠，一口价房源仅剩{small}套，欢迎来电{phone}",
        "{estate}业主专享：老带新成交送{small}年物业费，详询营销中心。",
        "地铁旁现房，首付{small}万起，精装交付，拎包入住，{estate}欢迎品鉴，电话{phone}",
    ],
    "beauty_clinic": [
        "{brand}美容院三八节特惠：仅需{small}9元即可体验价值{small}00元的皮肤护理套餐，预约{phone}",
        "{hospital}口腔中心种植牙特惠，单颗{money}元起，免费拍片检查，预约电话{phone}",
        "【{brand}医美】玻尿酸限时体验价{money}元，名额有限，加微信{wx}预约，退订回T",
        "亲爱的顾客，本店新到一批进口护肤品，老顾客到店护理享{small}折，欢迎预约。",
        "{hospital}眼科近视手术节：术前检查免费，学生凭证再减{small}00元，咨询{phone}",
        "尊敬的会员，{gym}私教课买十送二，本月报名再送体脂检测，详询前台。",
        "女神节快乐！{brand}美甲美睫全场{small}折，到店还送小礼品哦，地址{place}",
    ],
    "education": [
        "{school_ad}秋季班开始报名，名师小班授课，前{small}0名报名赠送教辅，试听热线{phone}",
        "家长您好，{school_ad}寒假集训营火热招生，报名即送{small}节课，详询课程顾问{name}",
        "成人学历提升，国家承认学历，学信网可查，{year}年春季招生，咨询{phone}",
        "{school_ad}少儿英语免费试听，扫码或加微信{wx}预约，名额有限。",
    ],
    "finance_marketing": [
        "【{bank}】尊敬的客户，您获得信用卡分期手续费{small}折优惠，详询{hotline}，拒收请回复R",
        "【{bank}】新客专享理财产品，预期年化{rate}%，{small}万元起购，理财非存款，投资需谨慎。",
        "您好，我是{insurer}的顾问{name}，新推出的重疾险保障全面，需要可以给您做个方案，电话{phone}",
        "车险到期了吗？{insurer}续保享{small}折优惠并送洗车券，联系{name}{phone}",
        "【{bank}】您有一笔消费贷款额度待领取，年化利率{rate}%起，登录手机银行查看，拒收回R",
        "{broker}开户送Level-2行情，佣金万{small}，详询客户经理{name}，股市有风险，投资需谨慎。",
    ],
    "operator_promo": [
        "【{carrier}】尊敬的客户，您可{small}元订购{small}GB流量包，当月有效，回复KT办理，回TD退订",
        "【{carrier}】存{small}00送{small}00话费活动开始了，详询营业厅或拨打{hotline}",
        "【{carrier}】千兆宽带新装优惠，办理即送路由器，咨询客户经理{name}{phone}",
        "【{carrier}】5G套餐升级享{small}折，月费不变流量翻倍，回复Y办理，回TD退订",
    ],
    "car_food_travel": [
        "{car}4S店年终团购会，到店即送加油卡，订车享{small}000元补贴，预约{phone}",
        "{restaurant}周年庆，{date}起到店消费满{small}00送{small}0元代金券，订座{phone}",
        "{airline}会员日：国内航线低至{small}折，{date}前预订，详见官方APP。",
        "{restaurant}外卖新店开张，首单立减{small}元，美团饿了么搜索店名即可下单。",
        "周末{city}周边游，古镇一日游{small}9元/人含午餐，报名请加微信{wx}",
    ],
    "recruit_events": [
        "{company}{city}分公司招聘门店导购、仓库管理员，五险一金，面试地址{place}，电话{phone}",
        "{city}人才市场{date}举办大型招聘会，{small}00家企业现场招聘，欢迎求职者参加。",
        "{brand}品牌招商加盟，总部全程扶持，小投资开店，详询招商经理{name}{phone}",
        "{place}{date}举办年货展销会，百家企业参展，现场抽奖，欢迎市民前来选购。",
    ],
    "loan_insurance_agents": [
        "您好，我是{lender}的信贷经理{name}，专业办理房产抵押、经营贷、消费贷，利率低、额度高，有需要随时联系{phone}",
        "急用钱找{name}！个人信用贷款{small}-{small}0万，无需担保，最快当天审批，正规银行渠道，电话{phone}",
        "{insurer}客户经理{name}祝您新年快乐！本人代理车险、寿险、意外险，另可办理信用卡，需要请联系我。",
        "做生意缺资金？{bank}小微企业经营贷，年化{rate}%起，随借随还，详询客户经理{name}{phone}",
        "您好，我是{insurer}的{name}，现在车险续保可以用加油卡抵保费，还送道路救援，有需要找我哦。",
        "房产抵押贷款、按揭转贷、企业过桥资金，{city}本地办理，手续简单，欢迎来电咨询{name}{phone}",
        "我是{broker}的客户经理{name}，开户佣金低至万{small}，还可以帮您办理两融，有需要联系我。",
        "本人在{insurer}工作，经营寿险、车险、健康险、少儿教育金，您或您身边的朋友有需要可随时找我。",
    ],
    "property_agents": [
        "您好，我是{estate}的置业顾问{name}，三期内部认购均价{money}元，您或朋友有购房需求请与我联系。",
        "哥您好，我是{estate}的{name}，本月活动首付分期，开发商垫资，名额有限，欢迎到访。",
        "{estate}投资自住两相宜，商铺年租金回报{rate}%，现场签约再送家电，详询{phone}",
        "我是{city}链家的经纪人{name}，您小区最近成交价上涨了，如果有出售意向可以免费帮您评估。",
    ],
    "prize_promotions": [
        "【{carrier}】恭喜您获得本月幸运用户资格，登录{carrier}APP参与抽奖，最高赢取{small}GB流量，回TD退订",
        "尊敬的用户，恭喜您在会员日活动中抽中{small}元话费券，登录手机营业厅即可使用，退订回TD",
        "恭喜您成为{brand}第{small}000位会员！到店出示短信即可领取精美礼品一份，数量有限送完为止。",
        "【{shop}】您有一个新人红包待领取，打开APP首页即可使用，满{small}0元可用，退订回T",
        "{brand}公众号周年庆，关注即可参与转盘抽奖，有机会赢取{product}，详情见公众号菜单。",
        "尊敬的客户，参与{carrier}砸金蛋活动，赢话费流量大奖，点击{url_real}参与，回复TD退订",
        "关注{brand}微信公众号，回复“福利”即可领取{small}元无门槛券，名额有限先到先得。",
    ],
    "app_promotions": [
        "【{app_real}】新用户下载注册即送{small}元打车券，邀请好友再得{small}元，退订回T",
        "{game_co}新游今日公测，下载即送限定皮肤，登录七天领取豪华礼包，退订回T",
        "【{bank}】下载手机银行APP完成首次登录，即可领取{small}元立减金，详询{hotline}，拒收请回复R",
        "手机上下载{app_real}，新人首单立减{small}元，还能领会员月卡，快来试试吧！",
        "加微信领取价值{small}9元的精美礼品一份，包邮到家，名额有限，回N退订",
    ],
    "agents_intro": [
        "先生您好，我是{estate}的投资顾问{name}，有合适的房源随时联系我。",
        "您好，我是{insurer}售后服务的{name}，您的保单有任何问题都可以找我。",
        "您好，我是{car}4S店的客户经理{name}，老客户介绍新客户购车送保养一次。",
        "我是{brand}的店长{name}，本周新到一批货，喜欢的话可以来店里看看。",
        "您好，我们是专门帮实体店做线上推广的公司，有需要的老板可以加微信{wx}了解。",
        "老板您好，我们是{city}本地的广告公司，承接门头招牌、宣传单页印刷，电话{phone}",
    ],
}  # fmt: skip
