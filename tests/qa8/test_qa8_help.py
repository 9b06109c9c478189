"""`chaincut --help` and `COMMAND --help` break lines where the window ends, not where the
docstring's source did (Typer's Rich help kept them: "print every detector's" then a line
break mid-sentence)."""

from __future__ import annotations

from typer.testing import CliRunner

from chaincut.cli import _register, app, unwrapped


def test_a_docstring_becomes_one_line_per_paragraph() -> None:
    doc = """First line
    goes on.

    Second paragraph
      and its end.
    """
    assert unwrapped(doc) == "First line goes on.\n\nSecond paragraph and its end."


def test_help_is_wrapped_by_the_window_only() -> None:
    _register(None)
    ran = CliRunner().invoke(app, ["demo", "--help"], env={"COLUMNS": "200"})
    assert ran.exit_code == 0
    lines = [line.strip(" │") for line in ran.output.splitlines()]
    assert any(
        line.endswith("the import, the index and the freeze orders are idempotent.")
        for line in lines
    ), ran.output
    listing = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    assert "print every detector's figures with its shipped default" in listing


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    ran = CliRunner().invoke(app, ["--version"])
    assert ran.exit_code == 0 and ran.output == f"chaincut {version('chaincut')}\n"
