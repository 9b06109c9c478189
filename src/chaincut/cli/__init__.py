"""Command-line interface. Each command group lives in its own module and registers on `app`.

Start-up time matters: a stop-payment desk runs `chaincut trace R` in a fresh process. So
`main()` imports only the module(s) that register the command being run (`COMMANDS`; every
module for `chaincut --help` or a command not listed), and command modules import heavy
libraries (the lake engine, models, pyarrow, the simulator) inside the commands that use them.
tests/test_cli_startup.py checks both.
"""

from __future__ import annotations

import inspect
import sys
from importlib import import_module

import typer

from chaincut.cli.app import app

#: every command module, in registration order (the order `chaincut --help` lists them in)
MODULES = (
    "commands_demo",
    "commands_evaluate",
    "commands_foreign",
    "commands_fraudlist",
    "commands_gangs",
    "commands_lake",
    "commands_score",
    "commands_service",
    "commands_simulate",
    "commands_telecom",
    "commands_text",
    "commands_trace",
    "commands_warn",
)

#: top-level command -> the modules that register it or add subcommands to it
COMMANDS: dict[str, tuple[str, ...]] = {
    "classify": ("commands_text",),
    "clue": ("commands_telecom",),
    "demo": ("commands_demo",),
    "evaluate": ("commands_evaluate",),
    "foreign-world": ("commands_foreign",),
    "fraudlist": ("commands_fraudlist",),
    "gangs": ("commands_gangs",),
    "import": ("commands_lake",),
    "restitution": ("commands_trace",),
    "score": ("commands_score", "commands_telecom"),
    "serve": ("commands_service",),
    "simulate": ("commands_simulate",),
    "stats": ("commands_lake",),
    "trace": ("commands_trace",),
    "train": ("commands_score", "commands_telecom"),
    "users": ("commands_service",),
    "warn": ("commands_warn",),
}


def _register(command: str | None = None) -> None:
    """Register the modules of `command` on `app` (None or an unknown command: all of them)."""
    # importing a module registers its commands on `app`
    for name in COMMANDS.get(command or "", MODULES):
        import_module(f"chaincut.cli.{name}")
    _unwrap_help(app)


def unwrapped(doc: str) -> str:
    """`doc` with each paragraph on one line: Typer's Rich help keeps a docstring's line
    breaks, which breaks `chaincut --help` and `COMMAND --help` mid-sentence at odd places."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def _unwrap_help(typer_app: typer.Typer) -> None:
    for info in typer_app.registered_commands:
        doc = info.help or inspect.getdoc(info.callback) or ""
        if "\n" in doc:
            info.help = unwrapped(doc)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _unwrap_help(group.typer_instance)


#: options of `chaincut` itself that take a value (given before the command)
GLOBAL_VALUE_OPTIONS = ("--home",)


def command_of(args: list[str]) -> str | None:
    """The command named in `args`, past any global option (`chaincut --home DIR trace R`)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in GLOBAL_VALUE_OPTIONS:
            i += 2
        elif arg.startswith("-"):
            if not any(arg.startswith(f"{o}=") for o in GLOBAL_VALUE_OPTIONS):
                return None
            i += 1
        else:
            return arg
    return None


def main() -> None:
    _register(command_of(sys.argv[1:]))
    app()


__all__ = ["COMMANDS", "MODULES", "app", "main"]
