"""Text normalisation for fraud-script recognition, keeping a map back to the original text.

What the model sees: lower-case, half-width, simplified, with look-alike letters folded, known
homophones and pinyin abbreviations spelled out (yhk -> 银行卡), every URL, e-mail address, phone
number and number replaced by a placeholder letter, and everything else that is not a letter or
a CJK character dropped: spaces, punctuation, symbols and emoji. Dropping them undoes "刷 单 返
利" and "刷*单" obfuscation and keeps punctuation style (which differs between corpora) out of
the model. Placeholders are upper-case, which the lower-cased text never contains.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from chaincut.text.charmap import CJK_ALIASES, PINYIN, translation_table

URL, EMAIL, PHONE, LONG_NUMBER, NUMBER = "U", "E", "P", "C", "N"

_TLDS = (
    "com|cn|net|org|top|xyz|vip|cc|me|io|app|info|co|shop|club|site|online|ink|icu|tk|"
    "fun|link|hk|tw|xin|wang|ltd|biz|live|pro|asia|mobi|today|work|tech|store|cloud"
)
_URL_STOP = r"\s<>\"'，。！？、；：（）【】「」《》\u3400-\u9fff"
URL_PATTERN = (
    rf"(?:(?:https?|hxxps?)://|www\.)[^{_URL_STOP}]+"
    rf"|(?<![\w@.])[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?(?:\.[a-z0-9-]+)*\.(?:{_TLDS})"
    rf"(?![a-z0-9])(?:[:/][^{_URL_STOP}]*)?"
)
EMAIL_PATTERN = r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,10}"
MOBILE_PATTERN = r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?!\d)"
LANDLINE_PATTERN = r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?\(?0\d{2,3}\)?[ -]?\d{7,8}(?!\d)"
HOTLINE_PATTERN = r"(?<!\d)[48]00[ -]?\d{3}[ -]?\d{4}(?!\d)"
FOREIGN_PATTERN = r"(?:\+|(?<!\d)00)(?!86)[1-9]\d{0,2}[ -]?\d(?:[ -]?\d){5,12}(?!\d)"
CARD_PATTERN = r"(?<!\d)\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?!\d)|(?<!\d)\d{12,}(?!\d)"

_TOKEN_RE = re.compile(
    r"(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff]+)"
    rf"|(?P<email>{EMAIL_PATTERN})|(?P<url>{URL_PATTERN})"
    rf"|(?P<phone>{MOBILE_PATTERN}|{LANDLINE_PATTERN}|{HOTLINE_PATTERN}|{FOREIGN_PATTERN})"
    rf"|(?P<card>{CARD_PATTERN})|(?P<number>\d+)|(?P<latin>[a-z]+)"
)
_PLACEHOLDER = {"url": URL, "email": EMAIL, "phone": PHONE, "card": LONG_NUMBER, "number": NUMBER}
_ALIAS_RE = re.compile("|".join(sorted(map(re.escape, CJK_ALIASES), key=len, reverse=True)))


def fold(text: str) -> str:
    """Character-level folding only (full-width, case, look-alikes, variants); same length."""
    folded = text.translate(translation_table())
    return _ALIAS_RE.sub(lambda m: CJK_ALIASES[m.group()], folded)


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and the map from its characters back to the original.

    The map is kept per piece (a run of CJK characters, a Latin word, a placeholder): piece `i`
    starts at `starts[i]` in `text` and covers `original[ostarts[i]:oends[i]]`. An atomic piece
    (placeholder, expanded abbreviation) maps as a whole; the others character by character.
    """

    original: str
    text: str
    starts: list[int]
    ostarts: list[int]
    oends: list[int]
    atomic: list[bool]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `original` that produced `text[start:end]` (end > start)."""
        first = bisect.bisect_right(self.starts, start) - 1
        last = bisect.bisect_right(self.starts, end - 1) - 1
        if self.atomic[first]:
            ostart = self.ostarts[first]
        else:
            ostart = self.ostarts[first] + start - self.starts[first]
        if self.atomic[last]:
            oend = self.oends[last]
        else:
            oend = self.ostarts[last] + end - self.starts[last]
        return ostart, oend


def normalize_text(text: str) -> Normalized:
    """Normalise `text` for the model and keep the map back to it (see the module docstring)."""
    folded = fold(text)
    parts: list[str] = []
    starts: list[int] = []
    ostarts: list[int] = []
    oends: list[int] = []
    atomic: list[bool] = []
    position = 0
    for match in _TOKEN_RE.finditer(folded):
        kind = match.lastgroup
        piece = match.group()
        ostart, oend = match.span()
        if kind == "cjk":
            is_atomic = False
        elif kind == "latin":
            expanded = PINYIN.get(piece)
            is_atomic = expanded is not None
            piece = expanded or piece
        else:
            piece = _PLACEHOLDER[kind or "number"]
            is_atomic = True
        parts.append(piece)
        starts.append(position)
        ostarts.append(ostart)
        oends.append(oend)
        atomic.append(is_atomic)
        position += len(piece)
    return Normalized(text, "".join(parts), starts, ostarts, oends, atomic)


def normalize(text: str) -> str:
    """The normalised form of `text` that the model scores, e.g. "加 V 信 yhk" -> "加微信银行卡"."""
    return normalize_text(text).text
