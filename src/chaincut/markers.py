"""Markers for the console's gettext catalogues (`chaincut/web/locale`, made by
`python -m chaincut.catalogues`): `N_("text")` and `NP_("context", "text")` mark an English
message where it is written, for Babel to extract, without translating it there. The console
translates it when it shows it, in the reader's language; everyone else gets the English.

A message with a count is marked with `NN_("1 person", "%(n)s people")`: a singular and a
plural, which the catalogues hold as gettext's plural forms (English two, Chinese one), and the
reader's language picks by its own rule (`ngettext`). Without a catalogue, as in the API's
English, gettext's rule for the source language applies: the singular for 1 only (`english`).
"""

from __future__ import annotations

import gettext
from typing import NamedTuple

#: gettext without a catalogue: the messages' own language, English (singular for 1 only)
_SOURCE = gettext.NullTranslations()


class Plural(NamedTuple):
    """An English message in the singular and the plural, said by the count in argument
    `counted` of the values it is filled with."""

    singular: str
    plural: str
    counted: str = "n"

    def english(self, n: int) -> str:
        """The form of the message for a count of `n`, in English."""
        return english(self.singular, self.plural, n)


def N_(message: str) -> str:  # noqa: N802 - gettext's customary name
    """`message` itself: marks it for extraction into the catalogues."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """`(context, message)`: marks `message` for extraction under msgctxt `context` (one
    English word that reads differently in Chinese by where it stands)."""
    return context, message


def NN_(singular: str, plural: str, counted: str = "n") -> Plural:  # noqa: N802
    """`Plural(singular, plural, counted)`: marks a message with a count for extraction with its
    plural form (Babel's `ngettext` keyword), `counted` naming the argument that holds the
    count."""
    return Plural(singular, plural, counted)


def english(singular: str, plural: str, n: int) -> str:
    """`singular` or `plural` for a count of `n`, by English's plural rule (gettext's
    `ngettext` with no catalogue): for English that only ever shows in English."""
    return _SOURCE.ngettext(singular, plural, n)


def count(value: object) -> int:
    """A count given as text or a number ("12", 12, 12.0) as the integer a plural rule takes;
    0 for anything else (a rule then picks the form of zero)."""
    try:
        return round(float(str(value)))
    except (ValueError, OverflowError):  # not a number, or infinite
        return 0
