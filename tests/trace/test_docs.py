"""docs/tracing.md documents every option of `chaincut trace` and `chaincut restitution`."""

from __future__ import annotations

from pathlib import Path

import typer.main

import chaincut.cli.commands_trace  # noqa: F401  (registers the commands)
from chaincut.cli.app import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "tracing.md"


def test_every_option_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in ("trace", "restitution"):
        command = commands[name]
        assert f"chaincut {name}" in text
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert f"`{opt}" in text, f"{name} {opt} is not in docs/tracing.md"
