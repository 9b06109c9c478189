"""What the importer accepts as a value, written once: the text forms and the binary-float rule.

Text is matched with these regular expressions (RE2, full match, after trimming spaces):

- an amount is a plain decimal: digits with an optional point, an optional sign, no exponent, no
  thousands separator; it is exact to the cent when every digit past the second decimal is 0
  (`12.300` is 12.30, `1.005` is refused rather than rounded); its digits, point and sign may
  be full-width (`１２３４．００`, as a Chinese input method in full-width mode types them);
- a whole number may carry a zero fraction (`5.0`, as spreadsheets and pandas write it);
- a timestamp is naive (UTC) when nothing but digits, `:`, `.`, ` ` and `T` follows the date;
  anything else there (`Z`, `+08:00`, `-0500`, ` UTC`, a zone name) goes through the
  zone-aware parser (a space before a numeric offset, ` +0800` as git writes it, is dropped),
  except a bare time-zone abbreviation (` CST`, ` IST`: letters only, other
  than UTC, GMT or UT), which is refused: `CST` is China Standard Time (UTC+8) to a Chinese
  exporter and US Central (UTC-6) to the parser, so taking it would shift times by 14 hours.

A timestamp's year must lie in 1900-2199 (`YEAR_RANGE`: no ledger, call or report is older or
newer, and years such as 10000 or 1 BC break every reader downstream), and a numeric offset must
be a real one: hours up to 14, minutes up to 59 (`+25:00` would silently shift the time by a day).

A phone number (calls' caller and callee, messages' sender and receiver, a person's phone) is
kept as written but for the separators people put inside one (`(010) 1234-5678` is imported as
`01012345678`) and, for a Chinese mobile, its form: `13800005678` is stored as `+8613800005678`
(`chaincut.ingest.phones`). A number typed with a Chinese input method in full-width mode
(`１３８ ０００ ５６７８`, `＋８６…`) is the same number: its full-width digits, plus, brackets,
dash, dot and the ideographic space are read as their ASCII forms, or it would never join its
calls, holder and labels. Anything else (an IM id, a short code with letters) is kept as
written.

A binary floating-point amount (Parquet FLOAT/DOUBLE, as pandas writes money) is accepted when
it is exactly the float nearest to a whole number of cents, and small enough that no other
number of cents shares that nearest float: below 2**46 (about 70 trillion) for DOUBLE, 2**17
(131,072) for FLOAT. `100.1` written as a double is therefore 100.10; `0.1 + 0.2` is refused.
"""

from __future__ import annotations

#: a phone number written with separators: digits (an optional leading `+` or bracket) with
#: spaces, dashes, dots or brackets between them; the separators are dropped on import
PHONE_WITH_SEPARATORS = r"[+(]?[0-9][0-9 ()\-.]*[0-9]"
#: the separators themselves
PHONE_SEPARATORS = r"[ ()\-.]"
#: full-width forms (a Chinese input method in full-width mode) of a phone number's characters,
#: and the ASCII each one is read as, position by position (SQL `translate`)
PHONE_FULL_WIDTH = "０１２３４５６７８９＋（）－．\u3000"
PHONE_HALF_WIDTH = "0123456789+()-. "
#: full-width forms of an amount's characters (digits, point, signs), read as ASCII: an amount
#: typed in full-width mode (`１２３４．５０`) is the same exact number; a full-width comma
#: (`，`) is not translated, so `１，２３４` stays refused as a thousands separator
AMOUNT_FULL_WIDTH = "０１２３４５６７８９．＋－"
AMOUNT_HALF_WIDTH = "0123456789.+-"
#: a value holding a full-width digit (a timestamp typed in full-width mode is refused with this)
FULL_WIDTH_DIGIT = "[０-９]"

PLAIN_DECIMAL_TEXT = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)"
CENTS_TEXT = r"[+-]?([0-9]+\.?[0-9]{0,2}|\.[0-9]{1,2})0*"
INTEGER_TEXT = r"[+-]?[0-9]{1,18}(\.0*)?"
NAIVE_TIME_TAIL = r"[0-9:. T]*"
#: a numeric offset after a space, at the end (the space is dropped before parsing)
SPACED_OFFSET = r" ([+-][0-9]{2}(:?[0-9]{2})?)$"
#: an offset no time zone has: more than 14 hours, or 60 minutes or more
IMPOSSIBLE_OFFSET = r"[+-](1[5-9]|[2-9][0-9]):?[0-9]{2}$|[+-][0-9]{2}:?[6-9][0-9]$"
#: the years a timestamp may carry
YEAR_RANGE = (1900, 2199)
#: a time, or a date, then 2-5 letters at the very end
ZONE_ABBREVIATION_END = r"[0-9 ][A-Za-z]{2,5}$"
#: abbreviations that name one offset only (taken by the zone-aware parser)
UNAMBIGUOUS_ZONES = ("UTC", "GMT", "UT")

#: amounts must stay below this (DECIMAL(18,2) holds 16 digits before the point)
AMOUNT_LIMIT = "CAST(10000000000000000 AS DECIMAL(38,2))"

_FLOAT_LIMITS = {"DOUBLE": 2**46, "FLOAT": 2**17}


def float_cents_limit(duckdb_type: str) -> int:
    """Below this magnitude, floats of this type are less than a cent apart (see above)."""
    return _FLOAT_LIMITS[duckdb_type]
