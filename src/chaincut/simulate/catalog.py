"""Fixed reference data of the synthetic city: institutions, card BINs, names, places."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bank:
    code: str
    name_zh: str
    bins: tuple[int, ...]
    length: int  # card number length, check digit included
    weight: float  # share of ordinary people's cards
    mule_weight: float  # share of rented cards (rural and postal banks are over-represented)


BANKS: tuple[Bank, ...] = (
    Bank("ICBC", "工商银行", (622202, 621226), 19, 0.20, 0.12),
    Bank("CCB", "建设银行", (621700, 436742), 19, 0.16, 0.10),
    Bank("ABC", "农业银行", (622848, 623052), 19, 0.14, 0.16),
    Bank("BOC", "中国银行", (621661, 621790), 19, 0.11, 0.07),
    Bank("BOCOM", "交通银行", (622260, 622262), 19, 0.06, 0.04),
    Bank("CMB", "招商银行", (622588, 621483), 16, 0.10, 0.05),
    Bank("PSBC", "邮储银行", (621799, 622188), 19, 0.08, 0.16),
    Bank("CITIC", "中信银行", (622690, 621771), 16, 0.04, 0.04),
    Bank("SPDB", "浦发银行", (622521, 622522), 16, 0.04, 0.04),
    Bank("CIB", "兴业银行", (622909, 622908), 18, 0.04, 0.05),
    Bank("RCB", "农村商业银行", (623190, 621458), 19, 0.03, 0.17),
)


@dataclass(frozen=True)
class PaymentInstitution:
    code: str
    name_zh: str
    prefix: str  # account id prefix
    serial_digits: int
    weight: float


PAYMENT_INSTITUTIONS: tuple[PaymentInstitution, ...] = (
    PaymentInstitution("Alipay", "支付宝", "2088", 12, 0.48),
    PaymentInstitution("WeChat Pay", "微信支付", "wxp", 14, 0.42),
    PaymentInstitution("JD Pay", "京东支付", "jdp", 13, 0.05),
    PaymentInstitution("Douyin Pay", "抖音支付", "dyp", 13, 0.05),
)

#: aggregators whose pooled accounts receive and pass on money in volume (plus the wallets above)
AGGREGATORS: tuple[str, ...] = ("Lakala", "UnionPay QuickPass", "Sumpay")

EXCHANGES: tuple[tuple[str, str], ...] = (
    ("Binance", "SC"),
    ("OKX", "SC"),
    ("HTX", "SC"),
    ("Bybit", "AE"),
    ("Gate", "KY"),
)

FOREIGN_BANKS: tuple[tuple[str, str], ...] = (
    ("ACLEDA Bank", "KH"),
    ("ABA Bank", "KH"),
    ("KBZ Bank", "MM"),
    ("BDO Unibank", "PH"),
    ("BCEL", "LA"),
    ("Maybank", "MY"),
    ("Kasikornbank", "TH"),
    ("Vietcombank", "VN"),
    ("HSBC Hong Kong", "HK"),
    ("Emirates NBD", "AE"),
)

#: where the dens sit (country, place); their SIM boxes are in the city itself
DEN_BASES: tuple[tuple[str, str, str], ...] = (
    ("MM", "Myawaddy", "+95"),
    ("KH", "Sihanoukville", "+855"),
    ("KH", "Bavet", "+855"),
    ("PH", "Manila", "+63"),
    ("LA", "Golden Triangle SEZ", "+856"),
    ("MY", "Kuala Lumpur", "+60"),
)

MERCHANT_CATEGORIES: tuple[tuple[str, str, float, bool], ...] = (
    # name, name_zh, weight, online
    ("supermarket", "超市", 0.22, False),
    ("convenience", "便利店", 0.18, False),
    ("restaurant", "餐馆", 0.20, False),
    ("pharmacy", "药店", 0.05, False),
    ("fuel", "加油站", 0.05, False),
    ("clothing", "服装店", 0.05, False),
    ("ecommerce", "网店", 0.18, True),
    ("food_delivery", "外卖平台商户", 0.07, True),
)

BILLERS: tuple[tuple[str, str], ...] = (
    ("State Grid", "国家电网"),
    ("China Mobile", "中国移动"),
    ("China Unicom", "中国联通"),
    ("China Telecom", "中国电信"),
    ("City Water", "自来水公司"),
    ("City Gas", "燃气公司"),
    ("Property Management", "物业管理"),
    ("Social Insurance", "社保"),
)

#: service numbers that send notifications (never fraud)
SERVICE_NUMBERS: tuple[str, ...] = (
    "95588",
    "95533",
    "95599",
    "95566",
    "95555",
    "95580",
    "10086",
    "10010",
    "10000",
    "96110",
    "1069012345",
    "1069066666",
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆帅旭宁"
    "婷雪琳晨欣怡佳慧颖梅琴云莉倩雯婧子涵梓萱诗雨欣妍博文浩然宇轩子墨一诺思远嘉懿晓东海波春燕"
)

#: six-digit administrative codes of the city's districts (first digits of ID numbers)
DISTRICTS: tuple[tuple[str, int], ...] = (
    ("锦江区", 510104),
    ("青羊区", 510105),
    ("金牛区", 510106),
    ("武侯区", 510107),
    ("成华区", 510108),
    ("龙泉驿区", 510112),
    ("青白江区", 510113),
    ("新都区", 510114),
    ("温江区", 510115),
    ("双流区", 510116),
    ("郫都区", 510117),
    ("新津区", 510118),
)
#: birthplaces of people who moved to the city (also used in ID numbers)
OTHER_REGIONS: tuple[int, ...] = (
    500101,
    530102,
    520102,
    610113,
    420106,
    430104,
    440106,
    330106,
    320102,
    370102,
    410105,
    130102,
    350203,
    360102,
    450103,
    460105,
    620102,
    510703,
    511102,
    511302,
)
CITY_CENTRE = (30.66, 104.06)  # lat, lon

#: mobile number prefixes (China Mobile, Unicom, Telecom)
MOBILE_PREFIXES: tuple[int, ...] = (
    134,
    135,
    136,
    137,
    138,
    139,
    147,
    150,
    151,
    152,
    157,
    158,
    159,
    178,
    182,
    183,
    187,
    188,
    198,
    130,
    131,
    132,
    155,
    156,
    166,
    175,
    176,
    185,
    186,
    133,
    153,
    173,
    177,
    180,
    181,
    189,
    199,
)
#: type allocation codes: handsets, and the GOIP gateways' own
HANDSET_TACS: tuple[int, ...] = (35332509, 35391110, 86769803, 86891204, 35875309, 86446203)
GOIP_TACS: tuple[int, ...] = (86253303, 86795104, 35226005)
