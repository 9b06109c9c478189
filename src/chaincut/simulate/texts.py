"""Filling message templates: slot values (amounts, names, links, apps, numbers) and text pools.

Rendering is per message in Python (fraud conversations are few); the bulk of normal messages
draws from pre-rendered pools by index.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

import pyarrow as pa

from chaincut.simulate import scripts
from chaincut.simulate.catalog import BANKS, GIVEN_CHARS, SURNAMES

_WORDS = ("vip", "safe", "gov", "app", "pay", "help", "cn", "kf", "tk", "fast", "union", "ok")
_TLDS = ("cc", "vip", "top", "xyz", "com", "net", "cn.com", "shop")
_VALUES: dict[str, tuple[str, ...]] = {
    "platform": ("淘宝", "京东", "拼多多", "抖音", "快手", "美团", "闲鱼"),
    "app": (
        "云闪付",
        "钉钉",
        "腾讯会议",
        "ZOOM",
        "向日葵",
        "安心投",
        "鑫汇宝",
        "随心借",
        "易贷宝",
        "金盛财富",
        "星链",
        "TT语音",
        "蝙蝠",
        "Telegram",
    ),
    "company": ("顺丰", "中通", "圆通", "韵达", "申通", "京东物流"),
    "courier": ("顺丰速运", "中通快递", "菜鸟驿站", "韵达快递", "京东物流"),
    "city": ("成都", "上海", "北京", "广州", "深圳", "武汉", "重庆", "杭州"),
    "stock": ("某科技股", "新能源龙头", "芯片板块", "白酒龙头"),
    "goods": ("iPhone 16", "茅台", "显卡", "名牌包", "演唱会门票", "电动车"),
    "game": ("王者荣耀", "原神", "和平精英", "梦幻西游", "逆水寒"),
    "site": ("交易猫", "盼之", "螃蟹账号"),
    "abroad": ("新加坡", "马来西亚", "迪拜", "香港", "泰国"),
    "dating": ("珍爱网", "世纪佳缘", "探探", "Soul"),
    "casino": ("澳门银河", "金沙", "威尼斯人", "皇冠"),
    "show": ("奔跑吧", "中国好声音", "快乐大本营"),
    "relative": ("表哥", "舅舅", "老同学", "侄子"),
    "place": ("万达广场", "春熙路", "地铁站", "公司楼下", "小区门口", "医院", "学校", "太古里"),
    "food": ("火锅", "奶茶", "盒饭", "面条", "烧烤", "包子"),
    "time": ("8点", "9点半", "下午两点", "晚上7点", "10点"),
}


class _Filler(dict[str, str]):
    """Given values first, then a fresh random value per missing slot."""

    def __init__(self, slots: dict[str, Callable[[], str]], given: dict[str, str]) -> None:
        super().__init__(given)
        self.slots = slots

    def __missing__(self, key: str) -> str:
        return self.slots[key]() if key in self.slots else key


class Renderer:
    """Fills `{slot}` templates from one seeded random stream."""

    def __init__(self, seed: int, name: str) -> None:
        self.r = random.Random(f"{seed}:{name}")
        r = self.r
        self.slots: dict[str, Callable[[], str]] = {
            "amount": lambda: str(r.choice((1, 2, 3, 5, 8)) * 10 ** r.randint(2, 4)),
            "small": lambda: str(r.choice((10, 20, 50, 88, 100, 200, 300, 500))),
            "small_digit": lambda: str(r.randint(1, 9)),
            "big": lambda: f"{r.randint(5, 300) * 10000}",
            "rate": lambda: str(r.choice((15, 20, 30, 50, 80, 120, 300))),
            "days": lambda: str(r.randint(1, 7)),
            "qq": lambda: str(r.randint(100_000_000, 3_999_999_999)),
            "code": lambda: f"{r.randint(0, 999_999):06d}",
            "tail": lambda: f"{r.randint(0, 9999):04d}",
            "case": lambda: f"{r.choice('ABCDEFGH')}{r.randint(10**9, 10**10 - 1)}",
            "hotline": lambda: r.choice(("400", "0")) + "".join(r.choices(string.digits, k=9)),
            "link": self._link,
            "name": self._name,
            "surname": lambda: r.choice(SURNAMES),
            "boss": lambda: r.choice(SURNAMES) + r.choice(("总", "局", "主任", "经理", "书记")),
            "officer": lambda: r.choice(SURNAMES) + r.choice(("警官", "队长", "检察官")),
            "bank": lambda: r.choice(BANKS).name_zh,
            "date": lambda: (
                f"{r.randint(1, 12)}月{r.randint(1, 28)}日{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"
            ),
            "balance": lambda: f"{r.randint(0, 500_000) / 100:.2f}",
        }
        for key, values in _VALUES.items():
            self.slots[key] = (lambda v: lambda: r.choice(v))(values)

    def _link(self) -> str:
        r = self.r
        host = r.choice(_WORDS) + "".join(
            r.choices(string.ascii_lowercase + string.digits, k=r.randint(3, 6))
        )
        if r.random() < 0.3:
            return "http://t.cn/" + "".join(r.choices(string.ascii_letters + string.digits, k=7))
        return f"http{'s' if r.random() < 0.5 else ''}://{host}.{r.choice(_TLDS)}/{r.choice(('app', 'i', 'h5', 'reg', ''))}"

    def _name(self) -> str:
        r = self.r
        return r.choice(SURNAMES) + "".join(r.choices(GIVEN_CHARS, k=r.randint(1, 2)))

    def render(self, template: str, **given: str) -> str:
        return template.format_map(_Filler(self.slots, given))

    def pick(self, options: tuple[str, ...]) -> str:
        return self.r.choice(options)


def normal_pool(seed: int, size: int) -> tuple[pa.StringArray, int]:
    """Everyday texts: chat lines first, then service notices. Returns the pool and #chat."""
    rr = Renderer(seed, "normal-pool")
    chat = [rr.render(rr.pick(scripts.CHAT)) for _ in range(size)]
    service = [rr.render(rr.pick(scripts.SERVICE)) for _ in range(size // 2)]
    return pa.array(chat + service, pa.string()), len(chat)


def spam_pool(seed: int, per_type: int) -> dict[str, list[str]]:
    """Mass fraud SMS per fraud type (openings), pre-rendered."""
    rr = Renderer(seed, "spam-pool")
    return {
        t: [rr.render(rr.pick(opening)) for _ in range(per_type)]
        for t, opening in scripts.OPENING.items()
    }
