"""Bar charts drawn as SVG on the server: no JavaScript, no CDN, readable offline and printed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH, BAR, GAP, LABEL, COLUMN = 640, 18, 6, 150, 48
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _lang(label: str) -> str:
    """A `lang` attribute for a label in Chinese (a place name on an English page)."""
    return ' lang="zh-CN"' if _HAN.search(label) else ""


def money_label(value: Decimal, lang: str = "zh-CN") -> str:
    """An amount as a reader of `lang` writes it short: 1.2 万 in Chinese, 12,000 in English."""
    if value >= 10_000 and lang == "zh-CN":
        return f"{value / 10_000:,.1f} 万"
    if value >= 10_000:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def bar_chart(
    rows: Sequence[tuple[str, Decimal]], *, horizontal: bool = False, lang: str = "zh-CN"
) -> Markup:
    """An SVG bar chart of `(label, amount)` rows (horizontal bars when `horizontal`), amounts
    written for `lang`."""

    def _money(value: Decimal) -> str:
        return money_label(value, lang)

    if not rows:
        return Markup('<p class="empty">—</p>')
    top = max((v for _, v in rows), default=Decimal(1)) or Decimal(1)
    if horizontal:
        height = len(rows) * (BAR + GAP) + GAP
        span = WIDTH - LABEL - 90
        parts = []
        for i, (label, value) in enumerate(rows):
            y = GAP + i * (BAR + GAP)
            w = max(1.0, float(value / top) * span)
            parts.append(
                f'<text x="{LABEL - 6}" y="{y + 13}" text-anchor="end"{_lang(label)}>'
                f"{escape(label)}</text>"
                f'<rect x="{LABEL}" y="{y}" width="{w:.1f}" height="{BAR}"{_lang(label)}>'
                f"<title>{escape(label)}: {value}</title></rect>"
                f'<text x="{LABEL + w + 4:.1f}" y="{y + 13}">{_money(value)}</text>'
            )
    else:
        height = 200
        n = len(rows)
        step = (WIDTH - 20) / n
        bar = min(max(step - 4, 1), COLUMN)  # a month alone is a column, not a wall
        parts = []
        for i, (label, value) in enumerate(rows):
            h = max(1.0, float(value / top) * (height - 60))
            x = 10 + i * step + (step - bar) / 2
            parts.append(
                f'<rect x="{x:.1f}" y="{height - 30 - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}"><title>{escape(label)}: {value}</title></rect>'
                f'<text x="{x + bar / 2:.1f}" y="{height - 14}" text-anchor="middle">'
                f"{escape(label[-5:] if n > 6 else label)}</text>"
            )
            if n <= 12:  # room for the amount above each column
                parts.append(
                    f'<text x="{x + bar / 2:.1f}" y="{height - 34 - h:.1f}" '
                    f'text-anchor="middle">{_money(value)}</text>'
                )
    kind = "bars" if horizontal else "columns"
    # every label above went through escape() and every number is formatted here
    return Markup(  # noqa: S704 - built from escaped labels and formatted numbers only
        f'<svg class="chart {kind}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )
