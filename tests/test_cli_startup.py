"""CLI start-up: a fresh `chaincut` process imports only what the command being run needs.

`chaincut.cli.main()` registers only the command's modules (`COMMANDS`), and command modules
import heavy libraries inside the commands. These tests run the CLI in fresh interpreters and
look at `sys.modules`; they also check that the fast path registers exactly what the full
registration does.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import chaincut.cli
from chaincut.cli import COMMANDS, MODULES, _register, app
from tests.trace.helpers import worked_example, write_lake

#: libraries no command needs just to start (models, engines, dataframes, the web service)
HEAVY = {
    "duckdb",
    "fastapi",
    "ibis",
    "lightgbm",
    "networkx",
    "pandas",
    "pyarrow",
    "pyspark",
    "scipy",
    "sklearn",
    "sqlglot",
    "starlette",
    "uvicorn",
}
#: the store: only commands that read or write it need it (a trace that issues no orders does not)
STORE = {"alembic", "sqlalchemy"}

_RUN = """
import json, sys
sys.argv = ["chaincut", *json.loads(sys.argv[1])]
from chaincut.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
sys.stderr.write("\\nMODULES " + json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def imported(*args: str) -> tuple[set[str], str]:
    """Top-level packages a fresh `chaincut ARGS` process imported, and its output."""
    done = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    head, _, mods = done.stderr.rpartition("\nMODULES ")
    return set(json.loads(mods)), done.stdout + head


def test_help_imports_nothing_heavy() -> None:
    mods, out = imported("--help")
    assert "trace" in out and "restitution" in out and "clue" in out
    assert not mods & (HEAVY | STORE), sorted(mods & (HEAVY | STORE))


@pytest.mark.parametrize("command", ["trace", "clue", "classify", "import", "score", "simulate"])
def test_command_help_imports_nothing_heavy(command: str) -> None:
    mods, out = imported(command, "--help")
    assert f"chaincut {command}" in out
    assert not mods & (HEAVY | STORE), sorted(mods & (HEAVY | STORE))


def test_a_trace_without_issuing_imports_neither_the_lake_nor_the_store(tmp_path: Path) -> None:
    txns, report = worked_example()
    write_lake(tmp_path, txns, [report])
    from chaincut.settings import Settings
    from chaincut.trace import ensure_index

    ensure_index(Settings(home=tmp_path))  # as the importer leaves it
    mods, out = imported("trace", "R1", "--json", "--no-issue", "--home", str(tmp_path))
    data = json.loads(out)
    assert data["report_id"] == "R1" and data["issued"] is None
    assert not mods & (HEAVY | STORE), sorted(mods & (HEAVY | STORE))


def test_commands_lists_every_command_with_the_modules_that_register_it() -> None:
    found = sorted(
        m.name
        for m in pkgutil.iter_modules(chaincut.cli.__path__)
        if m.name.startswith("commands_")
    )
    assert list(MODULES) == found
    _register()
    owners: dict[str, set[str]] = {}
    for cmd in app.registered_commands:
        assert cmd.callback is not None
        name = cmd.name or cmd.callback.__name__.replace("_", "-")
        owners.setdefault(name, set()).add(cmd.callback.__module__)
    for group in app.registered_groups:
        assert group.name and group.typer_instance
        for sub in group.typer_instance.registered_commands:
            assert sub.callback is not None
            owners.setdefault(group.name, set()).add(sub.callback.__module__)
    expected = {c: {f"chaincut.cli.{m}" for m in mods} for c, mods in COMMANDS.items()}
    assert owners == expected


def test_the_train_rounds_default_is_the_models() -> None:
    from chaincut.cli.commands_score import ROUNDS
    from chaincut.scoring import TrainParams

    assert TrainParams.rounds == ROUNDS
