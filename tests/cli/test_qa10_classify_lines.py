"""`chaincut classify` prints one fact a line, whole, in a pipe: the verdict with its "warn the
recipient" (round ten's new-user run: Rich broke it at 80 columns and left "the recipient"
alone on the next line) and the cited phrases."""

from __future__ import annotations

from typer.testing import CliRunner

from chaincut.cli import _register, app

_register()
runner = CliRunner()
TEXT = "您的快递丢失，请加QQ群办理理赔退款"


def test_the_verdict_is_one_line_in_a_pipe() -> None:
    result = runner.invoke(app, ["classify", TEXT])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    verdict = [line for line in lines if line.startswith("FRAUD")]
    assert len(verdict) == 1
    assert verdict[0].endswith("warn the recipient")
    assert not any(line.strip() in ("the recipient", "recipient") for line in lines)
    assert any(line.startswith("tells: ") and "「" in line for line in lines)
