"""The console graphs' font stack is one cytoscape accepts: it voids a `font-family` its own
pattern refuses (names in single quotes), with a warning in the browser's console, and the labels
then fall back to its default font (round eight's run in Chromium found that)."""

from __future__ import annotations

import re
from pathlib import Path

import chaincut.web

STATIC = Path(chaincut.web.__file__).parent / "static"


def _cytoscape_font_pattern() -> str:
    library = (STATIC / "vendor/cytoscape/cytoscape.min.js").read_text(encoding="utf-8")
    found = re.search(r"fontFamily:\{regex:'(.*?)'\}", library)
    assert found, "cytoscape's fontFamily pattern not found"
    pattern = found.group(1).encode().decode("unicode_escape")
    return pattern.replace("\\w-", "\\w\\-")  # JavaScript reads `[\w- ]` as a literal dash


def test_the_graph_font_stack_passes_cytoscapes_check() -> None:
    script = (STATIC / "graph.js").read_text(encoding="utf-8")
    font = re.search(r"var FONT = '(.*?)';", script)
    assert font, "graph.js declares no FONT"
    assert re.fullmatch(_cytoscape_font_pattern(), font.group(1)), font.group(1)
    assert "Noto Sans CJK SC" in font.group(1)  # the Chinese labels' font is still named
