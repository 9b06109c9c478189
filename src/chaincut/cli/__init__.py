"""Command-line interface. Each command group lives in its own module and registers on `app`."""

from __future__ import annotations

from chaincut.cli.app import app


def _register() -> None:
    # importing a module registers its commands on `app`
    from chaincut.cli import (  # noqa: F401
        commands_demo,
        commands_fraudlist,
        commands_lake,
        commands_score,
        commands_service,
        commands_simulate,
        commands_telecom,
        commands_text,
        commands_trace,
    )


def main() -> None:
    _register()
    app()


__all__ = ["app", "main"]
