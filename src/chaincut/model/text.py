"""What every identifier parser does first: fold full-width forms and drop separators."""

from __future__ import annotations

import re
import unicodedata

#: what people put between the digits of a number: spaces of every width, dashes, dots, brackets
SEPARATORS = re.compile(r"[\s\u00a0\u3000\u200b-\u200d\ufeff\-‐‑‒–—―.()/]")


def fold(text: str) -> str:
    """`text` in NFKC form (full-width digits and letters become ASCII), stripped."""
    return unicodedata.normalize("NFKC", text).strip()


def compact(text: str) -> str:
    """`text` folded, with the separators people write inside numbers removed."""
    return SEPARATORS.sub("", fold(text))
