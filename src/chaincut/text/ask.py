"""The ask, the pretext and the report of a payment already made, as explicit cues.

A fraud script asks (pay, transfer, click, install, tell a code) after a pretext (a refund, a
frozen account, a task, a loan without a credit check). The character n-gram model sees these
words one by one; these cues name them as a whole, so that the conversation model
(`conversation.py`) can weigh "an ask after a pretext" beside the n-gram score. A cue is a
feature with a weight fitted on the training corpora, never a verdict on its own.

Written for chaincut from public police and bank descriptions of each fraud type (the same
sources as the training templates). The patterns run on the normalised text
(`normalize.normalize_text`): lower case, no punctuation or spaces, numbers, phones, cards
and links as the placeholders N P C U E, so "转 账 5000 给我" and "转账5000给我" match alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from chaincut.text.normalize import Normalized

_AMOUNT = r"(?:[NC]|[一二三四五六七八九十百千万两几]+)(?:多)?(?:块|元|万|w)?"


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue found in a text: its family (`ASK`, `PRETEXT`, `DONE`, `WARNING` or `HOOK`), its name,
    and the substring of the original text that matched."""

    family: str
    name: str
    phrase: str


_ASK: Final = {
    # money to an account or a person the speaker names
    "transfer": r"(?:转账|转款|汇款|打款|转|汇|打|付|存)(?:到|进|至|入)?.{0,8}?"
    r"(?:安全账户|指定账户|对公账户|财务账户|收款账户|平台账户|监管账户|这个账户|下面账户|该账户)"
    r"|(?:转账|转|打|汇|付)(?:" + _AMOUNT + r")?(?:元)?给我"
    r"|(?:转账|转|汇款|汇|打款|打)(?:" + _AMOUNT + r")?(?:元)?(?:到|至|进)(?:卡号|账号|账户)?C"
    # to an account named by its bank and last digits ("付全款…到农业银行尾号1108")
    r"|(?:转|汇|付|打)(?:全款|款)?(?:" + _AMOUNT + r")?(?:元)?(?:到|至|进).{0,10}?尾号N"
    r"|直接转账|私下转账|私下交易|不要走平台|别走平台|绕开平台|线下交易",
    # a fee, deposit or top-up before money can be had
    "fee": r"(?:先|需|需要|要|请|得)再?(?:交|缴|缴纳|支付|付|充|充值|垫|垫付|转)(?:一笔|一下)?"
    r".{0,6}?(?:保证金|手续费|解冻费|激活费|工本费|会员费|服务费|税|定金|押金|认证金|流水|本金|"
    r"[NC]|充值|款)"
    r"|(?:保证金|手续费|解冻费|激活费|工本费|认证金|押金|定金)"
    r"|(?:入金|充值|开户充值|先充|再充|垫资|垫付)",
    # a link, an app, a group: go where the script is
    "click": r"(?:点击|点开|打开|戳|登录|进入)(?:链接|网址|下方|以下)?.{0,4}?U"
    r"|(?:退款|理赔|领取|办理|激活|认证|解冻|注销|关闭|取消)链接",
    "install": r"(?:下载|安装|注册)(?:一下)?.{0,8}?(?:app|软件|平台|客户端|U|[a-z]+)"
    r"|扫码下载|(?:屏幕共享|共享屏幕|远程协助|向日葵|todesk|腾讯会议|zoom)",
    # a group or a stranger's account to join for the "plan", the "first order", the tips
    "join": r"(?:进群|入群|加群|拉你进群)(?:.{0,4}?U)?"
    r"|加(?:客服|导师|老师|助理)?(?:qq|微信|vx|wx)?P?.{0,2}?(?:领取|领)(?:计划|任务|第一单|彩金)",
    # a code or card data the speaker must read out
    "code": r"(?:验证码|校验码|动态码|短信码)(?:发|告诉|报|念|读|提供|截图|给)"
    r"|(?:发|告诉|报|念|读|提供|给)(?:一下|下)?(?:我|我们|客服)?(?:您|你)?(?:收到的|手机上的|你的)?"
    r"(?:验证码|校验码|动态码|卡号|密码|cvv)",
    "call_back": r"(?:回拨|致电|联系客服|拨打|联系专员|联系理赔)",
}

_PRETEXT: Final = {
    "refund": r"(?:双倍|全额|原路)?(?:退款|理赔|赔付|赔偿|退费)|质量问题|快递(?:丢失|丢件)",
    "auto_charge": r"(?:会员|保障|服务|业务).{0,6}?(?:扣费|自动续费|扣款)|(?:扣费|扣款).{0,8}?取消|(?:关闭|取消)(?:自动)?(?:扣费|扣款)",
    "frozen": r"冻结|解冻|涉嫌|洗钱|通缉|逮捕|传唤|安全账户|资金清查",
    "loan": r"不看征信|黑户|白户|备用金|免息|无抵押|秒批|放款|预批|额度.{0,4}?(?:领取|激活|提升)"
    r"|(?:验证|证明)(?:您的|你的)?还款能力|刷流水",
    "credit": r"(?:修复|消除|删除|影响)(?:你的|您的)?(?:征信|逾期)|征信(?:修复|洗白|消除)|征信(?:有|受|会)|校园贷|网贷账户"
    r"|注销(?:账户|网贷|校园贷)|逾期记录",
    "gambling": r"彩金|首充|内定|跟单|带你翻身|靠这个翻身|稳赢|包赢",
    "returns": r"保本|稳赚|稳赚不赔|收益率|日收益|带单|内部消息|内部通道|漏洞|翻倍|上分|导师",
    "task": r"兼职|刷单|点赞|返佣|佣金|日结|一单一结|联单|做任务|接单|卡单",
    "urgency": r"今天之内|过期作废|操作期间|不要告诉|不要接听|别告诉|保密|不能告诉|不得告诉"
    r"|问起就说|就说是(?:自己|给)",
}

#: a fraud type's hook: a phrase that public anti-fraud descriptions give as the mark of one
#: type, and that ordinary commerce does not use (a loan "without a credit check", paid
#: order-brushing, an "insider tip" with a "mentor", a "safe account"). A lure may name its
#: hook and ask nothing yet; the conversation model weighs the hook (fitted, lower than an ask)
_HOOK: Final = {
    "loan": r"不看征信|无视征信|黑户(?:白户)?(?:都|也)?能(?:贷|借|下款)|包下款|秒下款|包过包下",
    "task": r"刷单|刷信誉|点赞员|一单一结|做任务返|垫付返|(?:在家|手机)(?:兼职|操作|做任务|赚钱)"
    r"|动动手指|躺赚|联单任务|做联单|本金(?:加|和|及)佣金",
    "investment": r"内部消息|内幕消息|导师带单|老师带单|带单老师|稳赚不赔|保本保息|内部认购|将大涨",
    "gambling": r"(?:比赛|结果)(?:已经)?内定|计划员|跟单计划|稳赢|包赢|首充送",
    "police": r"安全账户|涉嫌洗钱|通缉令|资金清查|逮捕令|刑侦支队",
    "refund": r"双倍退款|三倍(?:理赔|赔偿)|快递(?:丢失|丢件)",
    "auto_charge": r"(?:误开通|开通了).{0,10}?(?:会员|服务|业务).{0,10}?扣费|百万保障",
    "secrecy": r"(?:不要|不得|别|不能)告诉(?:任何人|家人|银行|亲友|家里)|问起就说|就说是自己",
}

#: an anti-fraud warning or a notice that names the trick to refuse it
_WARNING: Final = {
    "warning": r"(?:都是|就是|均为|属于|谨防|警惕|防范|小心|识别)(?:电信|网络)?诈骗|反诈|防骗|96110"
    r"|切勿|不要轻信|谨防|凡是.{0,16}?都是"
    r"|(?:不要|不会|不得|请勿|绝不|从不|别)(?:随意|轻易|向他人|向任何人|以任何理由)?(?:要求)?"
    r"(?:转账|汇款|下载|点击|透露|泄露|告诉(?!(?:任何人包括)?(?:家人|家里|亲友|亲人|银行|警察))"
    r"|提供|共享)",
}

#: the speaker says money has been paid already (a receipt, not an ask)
_DONE: Final = {
    "paid": r"(?:已经|已|刚|刚刚|我)(?:转|汇|打|付|支付|转账|付款)(?:过去|到|给|了|入)"
    r"|(?:转|汇|打|付)(?:给你|到你|过去)了|查收|收到(?:你|您)?(?:的|转的)?(?:钱|款|转账|[NC])"
    r"|开(?:一下|张)?发票|收据|到账了",
}

_COMPILED: Final = tuple(
    (family, name, re.compile(pattern))
    for family, table in (
        ("ASK", _ASK),
        ("PRETEXT", _PRETEXT),
        ("DONE", _DONE),
        ("WARNING", _WARNING),
        ("HOOK", _HOOK),
    )
    for name, pattern in table.items()
)
#: the families in the order of `cue_counts`
FAMILIES: Final = ("ASK", "PRETEXT", "DONE", "WARNING", "HOOK")


_RECEIPT: Final = re.compile(_DONE["paid"])


def has_receipt(normalized_text: str) -> bool:
    """Whether a normalised text reports a payment already made ("已经转到…查收", "开一下发票"):
    the one cue the message verdict weighs too (`verdict.py`), with a fitted weight."""
    return _RECEIPT.search(normalized_text) is not None


def find_cues(normalized: Normalized) -> tuple[Cue, ...]:
    """Every cue in a normalised text, at most one per name, with its original substring;
    hooks once per distinct phrase ("黑户白户都能贷" and "不看征信" are two marks of a loan lure)."""
    out: list[Cue] = []
    for family, name, pattern in _COMPILED:
        matches = (
            pattern.finditer(normalized.text)
            if family == "HOOK"
            else [pattern.search(normalized.text)]
        )
        seen: set[str] = set()
        for match in matches:
            if match is None or match.group() in seen:
                continue
            seen.add(match.group())
            start, end = normalized.span(match.start(), match.end())
            out.append(Cue(family, name, normalized.original[start:end].strip()))
    return tuple(out)


#: any hook, any pretext, any ask: without a hook, or a pretext and an ask, a message has no
#: cue feature (a cheap first look: two or three searches instead of all of them)
_ANY_HOOK: Final = re.compile("|".join(_HOOK.values()))
_ANY_PRETEXT: Final = re.compile("|".join(_PRETEXT.values()))
_ANY_ASK: Final = re.compile("|".join(_ASK.values()))


def may_have_cues(normalized_text: str) -> bool:
    """False when a normalised text names no hook and not both a pretext and an ask, so that
    `message_cues` of its cues is (0, 0): most ordinary messages, at the cost of a few searches."""
    if _ANY_HOOK.search(normalized_text) is not None:
        return True
    return (
        _ANY_PRETEXT.search(normalized_text) is not None
        and _ANY_ASK.search(normalized_text) is not None
    )


def message_cues(cues: tuple[Cue, ...]) -> tuple[float, float, tuple[Cue, ...]]:
    """One message's cue features as a one-turn conversation has them (`conversation._pool`):
    1.0 when it both gives a pretext and asks (else 0.0), the number of distinct hook phrases
    (up to 2), and the cues that count; a warning (it names the trick to refuse it) counts none."""
    n_ask, n_pretext, _, n_warning, _ = cue_counts(cues)
    if n_warning:
        return 0.0, 0.0, ()
    hooks = {c.phrase for c in cues if c.family == "HOOK"}
    return float(n_ask > 0 and n_pretext > 0), float(min(len(hooks), 2)), cues


def cue_counts(cues: tuple[Cue, ...]) -> tuple[int, ...]:
    """How many distinct cues of each family (in `FAMILIES` order)."""
    return tuple(len({c.name for c in cues if c.family == f}) for f in FAMILIES)
