"""Markers for the console's gettext catalogues (`chaincut/web/locale`, made by
`python -m chaincut.catalogues`): `N_("text")` and `NP_("context", "text")` mark an English
message where it is written, for Babel to extract, without translating it there. The console
translates it when it shows it, in the reader's language; everyone else gets the English.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext's customary name
    """`message` itself: marks it for extraction into the catalogues."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802
    """`(context, message)`: marks `message` for extraction under msgctxt `context` (one
    English word that reads differently in Chinese by where it stands)."""
    return context, message
