"""`chaincut classify`: fraud-script recognition for one text or a file of texts."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from chaincut.cli.app import EXIT_BAD_INPUT, JsonOption, app, console, err_console, fail, print_json
from chaincut.text import ModelError, Verdict, classify, classify_many, default_model
from chaincut.text.records import (
    CountingReader,
    Record,
    RecordError,
    is_jsonl,
    read_records,
    sniff_encoding,
)

MAX_REPORTED_ERRORS = 20
CHUNK = 256


@app.command("classify")
def classify_command(
    text: Annotated[
        str | None, typer.Argument(help="Text to classify; '-' reads it from standard input.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="JSONL of {id, text} or CSV with a header, to classify."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="JSONL to write, one verdict a line (default: stdout)."),
    ] = None,
    text_column: Annotated[str, typer.Option(help="Field or column holding the text.")] = "text",
    id_column: Annotated[str, typer.Option(help="Field or column holding the id.")] = "id",
    encoding: Annotated[
        str | None,
        typer.Option(help="Encoding of --file or --conversation (default: UTF-8, else GB18030)."),
    ] = None,
    conversation: Annotated[
        Path | None,
        typer.Option(
            "--conversation",
            help="Judge a conversation as a unit: a file of turns, one a line ('speaker: text' "
            "or JSON {speaker, text}), or JSONL of {id, turns} for many; '-' reads stdin.",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Is a text (SMS, chat, call transcript) fraud, spam or normal? Score, type, phrases why."""
    try:
        default_model()
    except ModelError as exc:
        fail(str(exc), hint="reinstall chaincut, or rebuild: python -m training.text.build_model")
    if conversation is not None:
        if text is not None or file is not None:
            fail("give one of TEXT, --file or --conversation", code=EXIT_BAD_INPUT)
        from chaincut.cli.conversation import classify_conversation_input

        classify_conversation_input(conversation, out, encoding, json_output)
        return
    if file is not None:
        if text is not None:
            fail("give either TEXT or --file, not both", code=EXIT_BAD_INPUT)
        _classify_file(file, out, text_column, id_column, encoding)
        return
    if text is None:
        fail("nothing to classify", code=EXIT_BAD_INPUT, hint='chaincut classify "TEXT"')
    if text == "-":
        text = sys.stdin.read()
    verdict = classify(text)
    if json_output:
        print_json({"text": text, **verdict.to_dict()})
    else:
        _print_verdict(verdict)


def _print_verdict(verdict: Verdict) -> None:
    # one line per fact, never broken at 80 columns in a pipe (round ten: "warn the
    # recipient" landed alone on the next line); a terminal still wraps what is too long
    say = partial(console.print, soft_wrap=True)
    if verdict.note and verdict.score == 0.0 and not verdict.phrases:
        say(f"[bold]not scored[/]: {escape(verdict.note)}")
        return
    if verdict.fraud:
        kind = f"{verdict.fraud_type_zh} ({verdict.fraud_type}, {verdict.type_score:.0%})"
        warn = "  [bold]warn the recipient[/]" if verdict.warn else ""
        say(f"[bold red]FRAUD 诈骗[/]  score {verdict.score:.2f}  type {kind}{warn}")
        label = "tells"
    elif verdict.verdict == "spam":
        say(
            f"[bold yellow]spam 广告[/] (advertising, not fraud)  score {verdict.score:.2f}  "
            f"spam {verdict.spam_score:.2f}"
        )
        label = "advertising signs"
    else:
        say(f"[bold green]not fraud 正常[/]  score {verdict.score:.2f}")
        label = "ordinary signs"
    if verdict.phrases:
        say(f"{label}: " + "  ".join(f"「{escape(p)}」" for p in verdict.phrases))
    for indicator in verdict.indicators:
        detail = f", {indicator.detail}" if indicator.detail else ""
        shown = escape(indicator.value)
        say(f"indicator: {indicator.kind} {shown} ({escape(indicator.text)}{detail})")
    if verdict.note:
        say(f"[dim]note: {escape(verdict.note)}[/]")


def _classify_file(
    path: Path, out: Path | None, text_column: str, id_column: str, encoding: str | None
) -> None:
    if not path.is_file():
        fail(f"{path}: no such file", code=EXIT_BAD_INPUT)
    encoding = encoding or sniff_encoding(path)
    jsonl = is_jsonl(path, encoding)
    counting = CountingReader(path.open("rb"))
    stream = io.TextIOWrapper(io.BufferedReader(counting), encoding=encoding, newline="")
    partial = out.with_name(out.name + ".partial") if out else None
    sink = partial.open("w", encoding="utf-8") if partial else sys.stdout
    done = fraud = skipped = 0
    columns = [TextColumn("classifying"), BarColumn(), DownloadColumn(), TimeRemainingColumn()]
    try:
        with stream, Progress(*columns, console=err_console, transient=True) as progress:
            task = progress.add_task("classify", total=path.stat().st_size)
            records = read_records(
                stream, jsonl=jsonl, text_column=text_column, id_column=id_column
            )
            chunks = _Chunker()
            for chunk in chunks(records, path):
                for record, verdict in zip(
                    chunk, classify_many(r.text for r in chunk), strict=True
                ):
                    row = {"id": record.id, **verdict.to_dict()}
                    sink.write(json.dumps(row, ensure_ascii=False) + "\n")
                    fraud += verdict.fraud
                done += len(chunk)
                progress.update(task, completed=counting.consumed)
            skipped = chunks.skipped
    except UnicodeDecodeError as exc:
        _discard(partial, sink)
        fail(f"{path}: not {encoding} text ({exc.reason})", hint="pass --encoding gb18030")
    except KeyboardInterrupt:
        _discard(partial, sink)
        raise
    if partial and out:
        sink.close()
        os.replace(partial, out)
    where = str(out) if out else "stdout"
    err_console.print(f"classified {done} texts, {fraud} fraud -> {where}", soft_wrap=True)
    if skipped:
        err_console.print(f"[yellow]skipped {skipped} records[/] (reasons above, first 20)")
    if done == 0 and skipped:
        raise typer.Exit(EXIT_BAD_INPUT)


class _Chunker:
    """Groups usable records in chunks for batch scoring; reports the unusable ones."""

    def __init__(self) -> None:
        self.skipped = 0

    def __call__(
        self, records: Iterable[Record | RecordError], path: Path
    ) -> Iterator[list[Record]]:
        chunk: list[Record] = []
        for item in records:
            if isinstance(item, Record):
                chunk.append(item)
                if len(chunk) == CHUNK:
                    yield chunk
                    chunk = []
                continue
            self.skipped += 1
            if self.skipped <= MAX_REPORTED_ERRORS:
                err_console.print(
                    f"[yellow]skipped[/] {path}:{item.line}: {escape(item.reason)}", soft_wrap=True
                )
        if chunk:
            yield chunk


def _discard(partial: Path | None, sink: object) -> None:
    if partial:
        if hasattr(sink, "close"):
            sink.close()
        partial.unlink(missing_ok=True)
