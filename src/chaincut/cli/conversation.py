"""`chaincut classify --conversation FILE`: judge a chat log or a call transcript as a unit.

FILE (or `-` for stdin) holds one conversation, or many as JSONL (`chaincut.text.turns`).
One conversation prints a panel, or `ConversationVerdict.to_dict()` with `--json`; many write
`{"id", **to_dict()}` one a line, like `--file`.
"""

from __future__ import annotations

import json
import os
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NoReturn

import typer
from rich.markup import escape
from rich.panel import Panel

from chaincut.cli.app import EXIT_BAD_INPUT, console, err_console, fail, print_json
from chaincut.model.schema import FRAUD_TYPES
from chaincut.text import ConversationVerdict, classify_conversation, classify_conversations
from chaincut.text.conversation import Turn
from chaincut.text.records import RecordError, sniff_encoding
from chaincut.text.turns import (
    Conversation,
    ConversationInput,
    TurnError,
    open_input,
    read_conversations,
    read_turns,
)

MAX_REPORTED_ERRORS = 20
_SHOWN_CHARS = 80


def classify_conversation_input(
    path: Path, out: Path | None, encoding: str | None, json_output: bool
) -> None:
    """Judge the conversation(s) in `path` ('-': stdin) and print or write the verdicts."""
    name = "<stdin>" if str(path) == "-" else str(path)
    if name != "<stdin>" and not path.is_file():
        fail(f"{path}: no such file", code=EXIT_BAD_INPUT)
    if name == "<stdin>":
        encoding = encoding or sys.stdin.encoding or "utf-8"
        stream: IO[str] = sys.stdin
    else:
        encoding = encoding or sniff_encoding(path)
        stream = path.open(encoding=encoding)
    try:
        source = open_input(stream)
        if source.many:
            _many(source, name, out)
            return
        if out is not None:
            fail(
                "--out is for many conversations (JSONL of {id, turns}); one conversation "
                "prints its verdict",
                code=EXIT_BAD_INPUT,
            )
        turns = _one(source, name)
    except UnicodeDecodeError as exc:
        fail(f"{name}: not {encoding} text ({exc.reason})", hint="pass --encoding gb18030")
    finally:
        if stream is not sys.stdin:
            stream.close()
    verdict = classify_conversation(turns)
    if json_output:
        print_json(verdict.to_dict())
    else:
        _print_panel(verdict, turns)


def _one(source: ConversationInput, name: str) -> list[Turn]:
    try:
        turns = read_turns(source)
    except TurnError as exc:
        _bad_input(f"{escape(name)}:{exc.line}: {escape(exc.reason)}")
    if not turns:
        _bad_input(f"{escape(name)}: no turns (one turn a line)")
    return turns


def _bad_input(message: str) -> NoReturn:
    # one line, unwrapped, so that FILE:LINE can be copied (or matched by a script)
    err_console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _many(source: ConversationInput, name: str, out: Path | None) -> None:
    partial = out.with_name(out.name + ".partial") if out else None
    sink = partial.open("w", encoding="utf-8") if partial else sys.stdout
    counts = {"done": 0, "fraud": 0, "skipped": 0}
    try:
        usable = _usable(read_conversations(source), name, counts)
        conversations: deque[Conversation] = deque()

        def turns_of() -> Iterator[list[Turn]]:
            for conversation in usable:
                conversations.append(conversation)
                yield conversation.turns

        for verdict in classify_conversations(turns_of()):
            conversation = conversations.popleft()
            row = {"id": conversation.id, **verdict.to_dict()}
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            counts["done"] += 1
            counts["fraud"] += verdict.fraud
    except BaseException:
        if partial:
            sink.close()
            partial.unlink(missing_ok=True)
        raise
    if partial and out:
        sink.close()
        os.replace(partial, out)
    where = str(out) if out else "stdout"
    err_console.print(
        f"judged {counts['done']} conversations, {counts['fraud']} fraud -> {where}",
        soft_wrap=True,
    )
    if counts["skipped"]:
        err_console.print(f"[yellow]skipped {counts['skipped']} lines[/] (reasons above, first 20)")
    if counts["done"] == 0 and counts["skipped"]:
        raise typer.Exit(EXIT_BAD_INPUT)


def _usable(
    items: Iterator[Conversation | RecordError], name: str, counts: dict[str, int]
) -> Iterator[Conversation]:
    for item in items:
        if isinstance(item, Conversation):
            yield item
            continue
        counts["skipped"] += 1
        if counts["skipped"] <= MAX_REPORTED_ERRORS:
            err_console.print(
                f"[yellow]skipped[/] {escape(name)}:{item.line}: {escape(item.reason)}",
                soft_wrap=True,
            )


def _print_panel(verdict: ConversationVerdict, turns: list[Turn]) -> None:
    lines: list[str] = []
    if verdict.note and verdict.score == 0.0:
        lines.append(f"[bold]not scored[/]: {escape(verdict.note)}")
    elif verdict.fraud:
        kind = verdict.fraud_type or "other"
        zh = FRAUD_TYPES.get(kind)
        lines.append(
            f"[bold red]FRAUD 诈骗[/]  score {verdict.score:.2f}  "
            f"type {f'{zh} ({kind})' if zh else kind}"
        )
    else:
        lines.append(f"[bold green]not fraud 正常[/]  score {verdict.score:.2f}")
    # the turn "with most evidence" of a conversation that is not fraud is evidence of nothing
    if verdict.fraud and verdict.turn is not None and verdict.turn < len(turns):
        turn = turns[verdict.turn]
        speaker, text = turn if isinstance(turn, tuple) else (None, turn)
        shown = text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"
        who = f" ({escape(speaker)})" if speaker else ""
        lines.append(f"most evidence: turn {verdict.turn + 1}{who}: {escape(shown)}")
    if verdict.asks:
        lines.append("asks: " + ", ".join(verdict.asks))
    if verdict.pretexts:
        lines.append("pretexts: " + ", ".join(verdict.pretexts))
    if verdict.phrases:
        lines.append("tells: " + "  ".join(f"「{escape(p)}」" for p in verdict.phrases))
    if verdict.note and verdict.score != 0.0:
        lines.append(f"[dim]note: {escape(verdict.note)}[/]")
    title = f"conversation of {len(turns)} turn{'s' if len(turns) != 1 else ''}"
    console.print(Panel("\n".join(lines), title=title, title_align="left", expand=False))
