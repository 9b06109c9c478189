"""Where code lives and what it may import (docs/architecture.md), read from the AST of every
module: the console and the API both call the use cases in `services/`, never each other."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "chaincut"


def _imports(path: Path) -> Iterator[str]:
    """Every module `path` imports (absolute names; relative imports resolved)."""
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _modules(package: str) -> list[Path]:
    return sorted((SRC / package).rglob("*.py"))


def _within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _offences(package: str, banned: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    return [
        f"{path.relative_to(SRC)} imports {name}"
        for path in _modules(package)
        for name in _imports(path)
        if _within(name, *banned) and not _within(name, *allowed)
    ]


def test_the_console_imports_nothing_from_the_api() -> None:
    assert _offences("web", ("chaincut.service",)) == []


def test_the_api_imports_the_console_only_to_mount_it() -> None:
    found = _offences("service", ("chaincut.web",))
    assert found == [
        "service/app.py imports chaincut.web",
        "service/app.py imports chaincut.web.mount_console",
    ]


def test_use_cases_know_nothing_of_http_or_the_console() -> None:
    banned = ("fastapi", "starlette", "chaincut.web", "chaincut.service")
    # the lake view is the lake gateway's until wt/lake moves it under lake/
    assert _offences("services", banned, ("chaincut.service.lakeview",)) == []


def test_routers_call_use_cases_not_the_store() -> None:
    # the store's vocabularies (enums) type query parameters; everything else is a use case's.
    # imports.py runs the importer itself until the lake gateway takes that over (wt/lake)
    offences = [
        o
        for o in _offences("service/routers", ("chaincut.store",), ("chaincut.store.enums",))
        if not o.startswith("service/routers/imports.py")
    ]
    assert offences == []


def test_domain_values_are_pure() -> None:
    banned = ("chaincut.store", "chaincut.lake", "chaincut.service", "chaincut.services",
              "chaincut.web", "duckdb", "sqlalchemy", "fastapi")  # fmt: skip
    assert _offences("model", banned) == []


@pytest.mark.parametrize("package", ["web", "service", "services", "model"])
def test_the_rules_see_the_modules(package: str) -> None:
    assert _modules(package), f"no modules under {package}: the rules above would pass vacuously"
    assert any(True for path in _modules(package) for _ in _imports(path))
