"""Synthetic short messages from the hand-written templates, deterministic by seed.

The dialogues that may train the shipped model are long phone transcripts over three of
PRODUCT.md's fraud types; these messages add short SMS/chat texts over all of them and the
everyday messages (with hard negatives) that a fraud filter must leave alone.
"""

from __future__ import annotations

import random
import string

from training.text.corpora import Example
from training.text.slots import TLDS, WORDS
from training.text.templates_ask import ASK_FRAUD, ASK_NORMAL
from training.text.templates_fraud import FRAUD_TEMPLATES
from training.text.templates_more import MORE_FRAUD, MORE_NORMAL, MORE_SPAM
from training.text.templates_normal import NORMAL_TEMPLATES
from training.text.templates_spam import SPAM_TEMPLATES

#: kinds of NORMAL_TEMPLATES that are advertising: labelled spam, like SPAM_TEMPLATES
SPAM_KINDS = frozenset({"ads"})


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice(string.digits) for _ in range(n - 1))


def _phone(rng: random.Random) -> str:
    number = rng.choice("3456789") + _digits(rng, 9)
    number = "1" + number
    style = rng.randrange(5)
    if style == 1:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == 2:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if style == 3:
        return "+86 " + number
    return number


def _slot(rng: random.Random, name: str) -> str:
    if name in WORDS:
        return rng.choice(WORDS[name])
    if name == "city2":
        return rng.choice(WORDS["city"])
    if name in ("amount", "money"):
        value = rng.choice([rng.randint(2, 99) * 100, rng.randint(1, 50) * 1000, rng.randint(1, 9)])
        return rng.choice([str(value), f"{value:,}", f"{value}.00"]) if value > 9 else f"{value}万"
    if name in ("small", "minutes", "month", "rate", "pct"):
        return str(rng.randint(1, 30))
    if name in ("qq", "code", "tracking"):
        return _digits(rng, rng.randint(6, 10))
    if name == "last4":
        return _digits(rng, 4)
    if name == "wx":
        letters = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 7)))
        return letters + _digits(rng, rng.randint(2, 5))
    if name == "card":
        return "62" + _digits(rng, rng.choice([14, 17]))
    if name == "phone":
        return _phone(rng)
    if name in ("url", "url_real"):
        host = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8)))
        path = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(5))
        return f"{rng.choice(['http://', 'https://', ''])}{host}.{rng.choice(TLDS)}/{path}"
    if name == "date":
        return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    if name == "clock":
        return f"{rng.randint(7, 21)}:{rng.randint(0, 59):02d}"
    if name == "year":
        return str(rng.randint(2019, 2025))
    if name == "plate":
        return rng.choice("京沪粤川浙苏鄂") + rng.choice("ABCDE") + _digits(rng, 5)
    raise KeyError(f"template slot without values: {name}")


def fill(template: str, rng: random.Random) -> str:
    """`template` with each `{slot}` replaced by a value drawn from `rng`."""
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    return template.format(**{f: _slot(rng, f) for f in fields})


_CALL_OPENINGS = [
    "喂，您好，",
    "您好，请问是{name}吗？",
    "喂，",
    "您好，打扰一下，",
    "你好，请问你是机主本人吗？",
]
#: what every phone scammer says whatever the script; spread over all types so that the type
#: model learns the script's content, not the fact that a text is a spoken call
_CALL_FILLERS = [
    "请您现在配合我们处理一下",
    "请您放心，这是正规流程",
    "为了保障您的资金安全",
    "请问您现在方便吗",
    "您先别着急，听我说完",
    "这个事情比较紧急",
    "我们这边会全程协助您",
    "如果不及时处理，后果会很严重",
    "我需要核实一下您的身份信息",
    "请您不要挂断电话",
    "这个情况我们也是刚刚发现的",
    "您按我说的一步一步操作",
    "我的工号是{small}{small}",
    "您可以记一下我的名字",
    "我们也是为了您好",
    "请您一定要重视",
]


def _fraud_message(parts: dict[str, list[str]], rng: random.Random) -> tuple[str, int]:
    """An SMS/chat-like message, or (one in two) a longer spoken call opening."""
    hook_index = rng.randrange(len(parts["hook"]))
    opening = rng.choice(parts["open"])
    separator = rng.choice(["，", "，", "。", "！", " ", ""])
    text = f"{opening}{parts['hook'][hook_index]}{separator}{rng.choice(parts['ask'])}"
    if rng.random() < 1 / 2:
        sentences = [parts["hook"][hook_index], rng.choice(parts["hook"]), rng.choice(parts["ask"])]
        sentences += rng.sample(_CALL_FILLERS, rng.randint(1, 3))
        rng.shuffle(sentences)
        text = rng.choice(_CALL_OPENINGS) + opening + "。".join(sentences) + "。"
    return text + rng.choice(["", "。", "！", "!!"]), hook_index


#: what a chat turn may open or close with, whoever writes it
_TURN_OPENINGS = ["", "", "", "好的，", "亲，", "您好，", "嗯，", "对，", "那这样，", "你听我说，"]
_TURN_ENDINGS = ["", "", "。", "！", "，尽快", "，快点", "，谢谢", "，好吗？"]


def _turns(rng: random.Random, seen: set[str], count: int) -> list[Example]:
    """`count` short chat turns with the ask for each fraud type of ASK_FRAUD."""
    out: list[Example] = []
    for fraud_type, templates in ASK_FRAUD.items():
        for _ in range(count):
            index = rng.randrange(len(templates))
            body = fill(templates[index], rng)
            text = rng.choice(_TURN_OPENINGS) + body + rng.choice(_TURN_ENDINGS)
            if text not in seen:
                seen.add(text)
                group = f"ask/{fraud_type}:{index}"
                out.append(Example(text, True, fraud_type, "synthetic", group, genre="chat"))
    return out


def generate(
    seed: int = 7,
    per_fraud_type: int = 500,
    normal: int = 5000,
    spam: int = 2500,
    per_block: int | None = None,
    turns: int | None = None,
) -> list[Example]:
    """Synthetic examples: `per_fraud_type` for each fraud type and `per_block` for each extra
    block of MORE_FRAUD (default: four fifths of `per_fraud_type`), `normal` ordinary messages and `spam` advertisements (drawn from
    SPAM_TEMPLATES, MORE_SPAM and the advertising kinds of NORMAL_TEMPLATES), and `turns`
    short chat turns with the ask for each type of ASK_FRAUD (default: half of `per_fraud_type`).

    The group of a fraud example is its type (and block) and hook, that of a normal one its
    template, so a split by group holds whole skeletons out.
    """
    rng = random.Random(seed)
    seen: set[str] = set()
    examples: list[Example] = []
    blocks = [(t, t, parts, per_fraud_type) for t, parts in FRAUD_TEMPLATES.items()]
    extra = per_fraud_type * 4 // 5 if per_block is None else per_block
    blocks += [(t, f"{t}/{name}", parts, extra) for t, name, parts in MORE_FRAUD]
    for fraud_type, block, parts, count in blocks:
        for _ in range(count):
            skeleton, hook = _fraud_message(parts, rng)
            text = fill(skeleton, rng)
            if text not in seen:
                seen.add(text)
                examples.append(Example(text, True, fraud_type, "synthetic", f"{block}:{hook}"))
    per_turn = per_fraud_type // 2 if turns is None else turns
    examples += _turns(rng, seen, per_turn)
    plain = [
        (kind, i, t)
        for kind, ts in {**NORMAL_TEMPLATES, **MORE_NORMAL}.items()
        if kind not in SPAM_KINDS
        for i, t in enumerate(ts)
    ]
    ads = [
        (kind, i, t)
        for kind, ts in NORMAL_TEMPLATES.items()
        if kind in SPAM_KINDS
        for i, t in enumerate(ts)
    ]
    ads += [
        (f"spam_{kind}", i, t)
        for kind, ts in {**SPAM_TEMPLATES, **MORE_SPAM}.items()
        for i, t in enumerate(ts)
    ]
    everyday = [(kind, i, t) for kind, ts in ASK_NORMAL.items() for i, t in enumerate(ts)]
    for templates, count, is_spam, genre in (
        (plain, normal, False, "sms"),
        (everyday, per_turn * 4, False, "chat"),
        (ads, spam, True, "sms"),
    ):
        for _ in range(count):
            kind, index, template = rng.choice(templates)
            text = fill(template, rng)
            if text not in seen:
                seen.add(text)
                group = f"{'spam' if is_spam else 'normal'}:{kind}:{index}"
                examples.append(
                    Example(text, False, None, "synthetic", group, spam=is_spam, genre=genre)
                )
    return examples
