"""Ordinary texts of the foreign world (marketing spam, bank and operator notices, courier and
clinic messages, chit-chat, report narratives) and the filling-in of placeholders that the fraud
scripts share with them."""

from __future__ import annotations

import numpy as np

from chaincut.foreign.core import yuan
from chaincut.model.schema import FRAUD_TYPES

SPAM = (
    "【{shop}】会员日全场五折，满{small}减50，回T退订",
    "【{name}地产】{city}地铁口精装现房，首付{small}万起，咨询电话400{digits}，回T退订",
    "【{name}教育】暑期班火热报名中，前50名立减{small}元，回T退订",
    "【{shop}】您的专属优惠券已到账，有效期3天，回T退订",
    "【{name}健身】开业特惠，年卡只要{small}元，名额有限，回T退订",
    "【{shop}】双十一预售开启，定金{small}元抵100元，戳{link}，回T退订",
    "【{name}车险】您的车险即将到期，续保享八五折，详询400{digits}，拒收请回复R",
    "【{name}口腔】洗牙套餐{small}元，本周预约再送涂氟一次，回T退订",
)
NOTICE = (
    "【{bank}】您尾号{tail}的账户{day}日支出人民币{amount}元，余额{balance}元。",
    "【{bank}】您的验证码为{code}，5分钟内有效，请勿泄露给任何人，银行工作人员不会向您索取。",
    "【中国{carrier}】尊敬的客户，您本月已使用流量{small}MB，套餐余量充足。",
    "【{bank}】您尾号{tail}的账户{day}日收入人民币{amount}元，余额{balance}元。",
    "【国家反诈中心】提醒您：公检法机关不会通过电话办案，不存在安全账户。",
    "【中国{carrier}】您的话费余额为{small}元，请及时充值。",
)
SERVICE = (
    "【{courier}】您的快递已到{city}小区驿站，取件码{code}，请凭码取件。",
    "【{courier}】您的包裹正在派送，快递员电话{phone}，请保持电话畅通。",
    "【{city}人民医院】您预约的门诊于{day}日上午9点就诊，请携带身份证按时到达。",
    "【{city}口腔诊所】提醒您明天下午复诊，如需改期请回复。",
)
CHAT = (
    "晚上回家吃饭吗？",
    "到了没？",
    "明天几点出发",
    "周末一起吃饭吧",
    "钱收到了，谢谢啊",
    "妈，我这个月生活费够用",
    "帮我带份早餐",
    "刚开完会，等下给你打电话",
    "孩子今天发烧了，我请假了",
    "房租我转给你了，你查收一下",
    "上次借你的钱还你了",
    "今天加班，不用等我",
    "那家店味道不错，下次带你去",
    "快递帮我收一下",
    "你看群里的通知了吗",
    "生日快乐！",
    "下雨了记得带伞",
    "货款{amount}元已经转到你们公司账户了，麻烦查收后开一下发票",
    "会议改到下午三点，会议号我稍后发群里",
    "这个月的报销单请在周五前交给财务",
    "客户那边要求先付三成定金，合同我发你邮箱了",
    "我把季度报表整理好了，你看一下第三页的数据对不对",
    "老师说明天家长会，你能去吗？",
    "体检报告出来了，医生说没什么大问题",
    "装修师傅说材料费还差{small}元，我先垫上了",
    "这周的周报我写好了，项目进度比计划快一点",
    "下午的面试安排在三楼会议室，候选人两点到",
)
#: a legitimate call between an institution and a customer, as a transcript (甲 calls 乙)
DIALOGUE = (
    (
        "您好，这里是{bank}信用卡中心，您的新卡已经寄出，请问收到了吗？",
        "收到了。",
        "激活请拨打卡片背面的官方客服电话，或者在官方手机银行里操作，我们不会要求您提供密码和验证码。",
        "好的，谢谢。",
    ),
    (
        "您好，{courier}的，您有个包裹放门口还是放驿站？",
        "放驿站吧。",
        "好的，取件码会短信发给您。",
        "行，麻烦了。",
    ),
    (
        "您好，{city}人民医院预约中心，提醒您明天上午九点的门诊，需要改期吗？",
        "不用，我按时去。",
        "请带好身份证和医保卡，提前十五分钟到。",
        "好的。",
    ),
    (
        "王总您好，关于下季度的合作方案，我们这边初步定了三个方向。",
        "你先说说预算。",
        "预算大概在{amount}元左右，具体明细我会后发邮件给您。",
        "可以，周五前给我。",
    ),
    (
        "你好，我是{name}公司人事，想跟您约一下复试时间。",
        "周三下午可以吗？",
        "可以，地址我短信发您，记得带上学历证书原件。",
        "好的，谢谢。",
    ),
)
NARRATIVE = (
    "受害人称接到对方联系后，按对方要求先后转账{n}笔，共计{amount}元，后发现被骗。",
    "本人被对方以{kind}为由骗取{amount}元，对方现已失联。",
    "我按照对方指示操作，转出{amount}元，之后对方拉黑了我。",
)
FILL = {
    "app": ("安心投", "聚财宝", "速贷通", "会议宝", "云会议", "汇金", "乐玩"),
    "name": ("华信", "恒通", "中金", "鑫源", "王", "李", "张"),
    "shop": ("某宝", "优品商城", "京选", "拼团优选"),
    "city": ("广州", "深圳", "杭州", "成都", "南宁", "厦门"),
    "item": ("手机", "名牌包", "演唱会门票", "茅台", "游戏机"),
    "game": ("王者荣耀", "原神", "和平精英", "梦幻西游"),
    "bank": ("工商银行", "建设银行", "招商银行", "农业银行"),
    "carrier": ("移动", "联通", "电信"),
    "courier": ("顺丰速运", "中通快递", "菜鸟驿站", "韵达快递"),
    "surname": ("王", "李", "张", "刘", "陈"),
}


PUNCT = "，：】？！。"


class _Values(dict[str, str]):
    """Placeholder values drawn only when a text asks for them."""

    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng
        if key in FILL:
            return FILL[key][int(r.integers(len(FILL[key])))]
        digits = "".join(str(int(d)) for d in r.integers(0, 10, 17))
        tld = ("cc", "top", "vip", "xyz", "icu")[int(r.integers(5))]
        letters = "".join(chr(97 + int(i)) for i in r.integers(0, 26, 6))
        make = {
            "small": lambda: str(int(r.integers(2, 50)) * 10),
            "amount": lambda: str(int(r.integers(5, 500)) * 100),
            "pct": lambda: str(int(r.integers(10, 60))),
            "qq": lambda: str(int(r.integers(10**8, 10**10))),
            "link": lambda: f"http://{letters}.{tld}/{digits[:4]}",
            "account": lambda: "62" + digits,
            "code": lambda: digits[:6],
            "tail": lambda: digits[:4],
            "day": lambda: str(int(r.integers(1, 29))),
            "balance": lambda: f"{int(r.integers(100, 90000))}.{digits[:2]}",
            "digits": lambda: digits[:7],
            "phone": lambda: "1" + digits[:10],
        }
        return make[key]()


def fill(rng: np.random.Generator, text: str) -> str:
    return text.format_map(_Values(rng))


def join(parts: list[str]) -> str:
    out = ""
    for part in (p for p in parts if p):
        out += part if not out or out[-1] in PUNCT else "，" + part
    return out if out[-1] in PUNCT else out + "。"


def dialogue(rng: np.random.Generator) -> str:
    lines = DIALOGUE[int(rng.integers(len(DIALOGUE)))]
    return "\n".join(("甲：" if i % 2 == 0 else "乙：") + fill(rng, x) for i, x in enumerate(lines))


def pick_text(rng: np.random.Generator, texts: tuple[str, ...]) -> str:
    return fill(rng, texts[int(rng.integers(len(texts)))])


def narrative(rng: np.random.Generator, fraud_type: str, paid_cents: int, payments: int) -> str:
    text = NARRATIVE[int(rng.integers(len(NARRATIVE)))]
    return text.format(n=payments, amount=yuan(paid_cents), kind=FRAUD_TYPES[fraud_type])
