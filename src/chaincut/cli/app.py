"""The `chaincut` Typer application and what every command shares.

Exit codes: 0 ok, 1 failure, 2 bad usage or bad input.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType

from chaincut.settings import EngineName, Settings, load_settings


def _flags_bare(params: list[Any]) -> list[Any]:
    """`params`, each flag (`--json`, `--index/--no-index`, `--help`) with an empty metavar:
    Typer's Rich help (0.29) prints a flag's type in the type column as if it took a value,
    `--json <bool>`, where a flag takes none (round eleven's new-user run)."""
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""
    return params


class Command(TyperCommand):
    """A chaincut command: its `--help` shows flags as flags."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_bare(super().get_params(ctx))


class Group(TyperGroup):
    """A chaincut group of commands: its `--help` shows flags as flags."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _flags_bare(super().get_params(ctx))


class Typer(typer.Typer):
    """`typer.Typer` whose groups and commands are `Group` and `Command` unless given."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=kwargs.pop("cls", Group), **kwargs)

    def command(
        self, *args: Any, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


app = Typer(
    name="chaincut",
    help="chaincut: trace fraud money, freeze it, find the mules and the gangs behind them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("chaincut")
        except PackageNotFoundError:  # run from a source tree that was never installed
            found = "unknown (not installed: pip install -e .)"
        sys.stdout.write(f"chaincut {found}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _group(
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Folder of the lake and store for every command (as the command's own --home; "
            "default: $CHAINCUT_HOME, else ./chaincut-home).",
            show_default=False,
        ),
    ] = None,
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the installed chaincut's version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    # a callback keeps `app` a group of commands even when `main()` registers only the module
    # of the command being run (Typer would otherwise run a lone command without its name).
    # `chaincut --home DIR COMMAND` sets the home the way $CHAINCUT_HOME does, so the command's
    # own --home, where given, still wins
    if home is not None:
        os.environ["CHAINCUT_HOME"] = str(home)


console = Console()
err_console = Console(stderr=True)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Folder of the lake and store (default: $CHAINCUT_HOME, else ./chaincut-home).",
        show_default=False,
    ),
]
EngineOption = Annotated[
    EngineName | None,
    typer.Option("--engine", help="Lake engine: duckdb (default) or spark.", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def settings_from(home: Path | None, engine: EngineName | None = None) -> Settings:
    """The settings, or a bad-input exit naming each invalid CHAINCUT_ variable."""
    from pydantic import ValidationError

    try:
        return load_settings(home=home, engine=engine)
    except ValidationError as exc:
        problems = "; ".join(
            f"CHAINCUT_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
            for e in exc.errors()
        )
        fail(f"invalid setting: {problems}", code=EXIT_BAD_INPUT)


def fail(message: str, *, code: int = EXIT_FAILURE, hint: str | None = None) -> NoReturn:
    """Print a user-facing error (what went wrong, where, what to do) and exit. The message
    and hint are plain text: Rich would read `[spark]` in `pip install 'chaincut[spark]'` (or a
    `[field]` of a file name) as markup and drop it."""
    err_console.print(f"[bold red]error:[/] {escape(message)}")
    if hint:
        err_console.print(f"[dim]hint:[/] {escape(hint)}")
    raise typer.Exit(code)


#: the widest a table printed to a file or a pipe gets (columns)
PIPE_WIDTH = 200


def table_console(renderable: Any) -> Console:
    """The console to print a wide table with: on a terminal, the terminal; written to a file or
    a pipe, one as wide as the table needs, where Rich would squeeze it into 80 columns and cut
    account numbers and amounts short with an ellipsis."""
    if console.is_terminal:
        return console
    needed = console.measure(renderable, options=console.options.update_width(1000)).maximum
    # at most PIPE_WIDTH: a table with a long reasons column would otherwise print lines of
    # thousands of characters into a log; the widest columns fold (reasons wrap at words), the
    # ids and amounts stay whole
    return Console(width=min(max(console.width, needed), PIPE_WIDTH), highlight=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2) + "\n")
