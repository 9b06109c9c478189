"""Docs that a test keeps honest: the data format page and the CLI tour."""

from __future__ import annotations

from pathlib import Path

from typer.main import get_command

from chaincut.cli import _register, app
from chaincut.model.schema import TABLES

ROOT = Path(__file__).resolve().parents[1]


def test_data_format_page_lists_every_table_and_column() -> None:
    page = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in page.splitlines() if line.startswith("| ")}
    for name, spec in TABLES.items():
        assert name in rows, f"docs/data-format.md has no row for table {name}"
        for col in spec.columns:
            marker = f"{col.name}*" if col.required else col.name
            assert marker in rows[name], f"{name}.{marker} missing from docs/data-format.md"


def test_every_cli_command_is_in_the_readme() -> None:
    _register()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    group = get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        assert f"chaincut {name}" in readme, f"README.md does not mention `chaincut {name}`"
