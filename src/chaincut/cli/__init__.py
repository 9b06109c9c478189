"""Command-line interface. Each command group lives in its own module and registers on `app`."""

from __future__ import annotations

from chaincut.cli.app import app


def _register() -> None:
    # importing a module registers its commands on `app`
    from chaincut.cli import commands_lake  # noqa: F401
    from chaincut.cli import commands_simulate  # noqa: F401
    from chaincut.cli import commands_demo  # noqa: F401


def main() -> None:
    _register()
    app()


__all__ = ["app", "main"]
