"""Docs that a test keeps honest: the data format page, and every CLI command and option,
every setting and every API route mentioned in README.md or docs/*.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from chaincut.cli import _register, app
from chaincut.model.schema import TABLES
from chaincut.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
_PARAM = re.compile(r"\{[^}]*\}")


def _pages() -> dict[str, str]:
    pages = {"README.md": (ROOT / "README.md").read_text(encoding="utf-8")}
    for path in sorted((ROOT / "docs").glob("*.md")):
        pages[f"docs/{path.name}"] = path.read_text(encoding="utf-8")
    return pages


def _sections() -> list[str]:
    """Every page cut at its headings: an option counts as documented in a section that names
    its command."""
    out: list[str] = []
    for text in _pages().values():
        out += re.split(r"\n(?=#{1,6} )", text)
    return out


# Typer builds its commands on its own copy of Click, so commands are read by their
# attributes (`commands` of a group, `opts` of an option) rather than by Click's classes
def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if path:
        yield " ".join(path), group
    for name, command in sorted(getattr(group, "commands", {}).items()):
        if not command.hidden:
            yield from _commands(command, (*path, name))


def _options(command: Any) -> list[str]:
    return [
        max(param.opts, key=len)
        for param in command.params
        if param.param_type_name == "option"
        and not getattr(param, "hidden", False)
        and param.name != "help"
    ]


def test_data_format_page_lists_every_table_and_column() -> None:
    page = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in page.splitlines() if line.startswith("| ")}
    for name, spec in TABLES.items():
        assert name in rows, f"docs/data-format.md has no row for table {name}"
        for col in spec.columns:
            marker = f"{col.name}*" if col.required else col.name
            assert marker in rows[name], f"{name}.{marker} missing from docs/data-format.md"


def _cli() -> list[tuple[str, Any]]:
    _register()
    return list(_commands(get_command(app)))


def test_every_cli_command_and_option_is_documented() -> None:
    sections = _sections()
    missing: list[str] = []
    for name, command in _cli():
        mention = re.compile(rf"chaincut {re.escape(name)}(?![\w-])")
        where = [s for s in sections if mention.search(s)]
        if not where:
            missing.append(f"`chaincut {name}`")
            continue
        for option in _options(command):
            if not any(re.search(rf"{re.escape(option)}(?![\w-])", s) for s in where):
                missing.append(f"`chaincut {name} {option}`")
    assert missing == [], "not in README.md or docs/*.md (beside the command): " + ", ".join(
        missing
    )


def test_every_setting_is_documented() -> None:
    text = "\n".join(_pages().values())
    prefix = str(Settings.model_config.get("env_prefix", ""))
    missing = [
        f"{prefix}{name}".upper()
        for name in Settings.model_fields
        if f"{prefix}{name}".upper() not in text
    ]
    assert missing == [], f"settings not in README.md or docs/*.md: {missing}"


def test_every_api_route_is_documented(tmp_path: Path) -> None:
    from chaincut.service import create_app

    # the OpenAPI document lists every route of the API (the console's pages are not in it)
    paths = create_app(Settings(home=tmp_path)).openapi()["paths"]
    routes = [
        (method.upper(), _PARAM.sub("{}", path))
        for path, operations in paths.items()
        for method in operations
    ]
    assert len(routes) > 30  # the rule sees the API
    lines = [_PARAM.sub("{}", line) for page in _pages().values() for line in page.splitlines()]
    missing = [
        f"{method} {path}"
        for method, path in routes
        if not any(
            re.search(rf"{re.escape(path)}(?![\w/{{-])", ln) and method in ln for ln in lines
        )
    ]
    assert missing == [], f"API routes not in README.md or docs/*.md: {missing}"


@pytest.mark.parametrize("command", ["import", "fraudlist list", "users add"])
def test_the_cli_walk_sees_commands_and_options(command: str) -> None:
    found = dict(_cli())
    assert command in found and _options(found[command])
