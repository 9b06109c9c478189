"""Reading conversations to judge (`chaincut classify --conversation`), with line numbers.

One conversation is a text file with one turn a line (optionally `speaker: text`,
`speaker：text` or `speaker<TAB>text`), or JSON lines `{"speaker": ..., "text": ...}`.
Many conversations are JSON lines `{"id": ..., "turns": [...]}`, a turn being its text,
`{"speaker", "text"}` or `[speaker, text]`. The first non-blank line says which: a JSON
object with "turns" means many, any other JSON object means turns as JSON, else plain text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any, Final

from chaincut.text.conversation import Turn
from chaincut.text.records import RecordError

#: a speaker label before the text: short, then ":" and a space (so that "http://" and
#: "10:30" stay text) or a full-width "：" (Chinese transcripts write "客服：您好")
_SPEAKER: Final = re.compile(r"^\s*(?P<speaker>[^:：\t]{1,24}?)\s*(?::\s+|：\s*)(?P<text>\S.*)$")
_MAX_TAB_SPEAKER: Final = 40


class TurnError(ValueError):
    """A line of a one-conversation input that cannot be read: its number and why."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Conversation:
    """One conversation of a many-conversations input: its id (default: the line number)."""

    id: Any
    turns: list[Turn]
    line: int


@dataclass(frozen=True, slots=True)
class ConversationInput:
    """A conversation input, once its first non-blank line said which kind it is."""

    many: bool
    json_turns: bool
    lines: Iterator[tuple[int, str]]  # the non-blank lines with their numbers, from the first


def open_input(lines: Iterable[str]) -> ConversationInput:
    """Look at the first non-blank line to tell one conversation from many (see the module)."""
    numbered = (
        (n, line.rstrip("\r\n").removeprefix("\ufeff") if n == 1 else line.rstrip("\r\n"))
        for n, line in enumerate(lines, 1)
        if line.replace("\ufeff", "").strip()
    )
    first = next(numbered, None)
    if first is None:
        return ConversationInput(False, False, iter(()))
    rest = chain([first], numbered)
    head = first[1].lstrip()
    if not head.startswith("{"):
        return ConversationInput(False, False, rest)
    try:
        row = json.loads(head)
    except json.JSONDecodeError:
        row = None  # reported as a bad line by the reader of turns
    return ConversationInput(isinstance(row, dict) and "turns" in row, True, rest)


def read_turns(source: ConversationInput) -> list[Turn]:
    """The turns of one conversation, in order; TurnError names the first bad line."""
    turns: list[Turn] = []
    for number, line in source.lines:
        if not source.json_turns:
            turns.append(_text_turn(line))
            continue
        row = _json(number, line)
        if not isinstance(row, dict):
            raise TurnError(number, 'a line must be a JSON object {"speaker": ..., "text": ...}')
        try:
            turns.append(_turn(row))
        except ValueError as exc:
            raise TurnError(number, str(exc)) from None
    return turns


def read_conversations(source: ConversationInput) -> Iterator[Conversation | RecordError]:
    """The conversations of a many-conversations input, lazily; a bad line is yielded as a
    RecordError (the caller reports it and goes on)."""
    for number, line in source.lines:
        try:
            row = _json(number, line)
        except TurnError as exc:
            yield RecordError(number, exc.reason)
            continue
        if not isinstance(row, dict) or not isinstance(row.get("turns"), list):
            yield RecordError(number, 'a line must be a JSON object with a list "turns"')
            continue
        turns: list[Turn] = []
        try:
            for item in row["turns"]:
                turns.append(_turn(item))
        except ValueError as exc:
            yield RecordError(number, f"turn {len(turns) + 1}: {exc}")
            continue
        yield Conversation(row.get("id", number), turns, number)


def _json(number: int, line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise TurnError(
            number, f"not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})"
        ) from None


def _turn(item: Any) -> Turn:
    """A turn from JSON (a text, {"speaker", "text"} or [speaker, text]); ValueError says why
    it is not one."""
    if isinstance(item, str):
        return item
    if isinstance(item, list) and len(item) == 2 and isinstance(item[1], str):
        item = {"speaker": item[0], "text": item[1]}
    if not isinstance(item, dict):
        raise ValueError('a turn must be a text, {"speaker": ..., "text": ...} or [speaker, text]')
    text, speaker = item.get("text"), item.get("speaker")
    if not isinstance(text, str):
        raise ValueError('no string field "text"')
    if speaker is None:
        return text
    if not isinstance(speaker, str | int):
        raise ValueError('"speaker" must be a string or a number')
    return (str(speaker), text)


def _text_turn(line: str) -> Turn:
    # the label is dropped from the text: the message model was trained on texts without one
    head, tab, tail = line.partition("\t")
    if tab and head.strip() and len(head.strip()) <= _MAX_TAB_SPEAKER:
        return (head.strip(), tail.strip())
    match = _SPEAKER.match(line)
    if match:
        return (match["speaker"], match["text"].strip())
    return line.strip()
