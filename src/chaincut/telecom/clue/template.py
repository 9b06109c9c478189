"""The search's side of near-duplicate texts (`chaincut.telecom.clue.script` builds them): who
sent the same template as a number, and the message that shows it."""

from __future__ import annotations

import numpy as np

from chaincut.telecom.clue.facts import ClueIndex
from chaincut.telecom.clue.store import Array


def open_templates(ix: ClueIndex, quiet_texter: Array) -> Array:
    """Per template, whether a flagged or boxed number that never called sent it: the only
    templates a caller is linked by (a den's box SIMs send hundreds of others)."""
    if "nsnd_off" not in ix.arrays:
        return np.zeros(0, bool)
    off, nums = ix.arrays["nsnd_off"], ix.arrays["nsnd_num"]
    hits = np.concatenate([[0], np.cumsum(quiet_texter[nums], dtype=np.int64)])
    out: Array = hits[off[1:]] > hits[off[:-1]]
    return out


def template_mates(
    ix: ClueIndex, n: int, texter: Array, quiet: Array, open_: Array
) -> tuple[Array, Array]:
    """(numbers, template codes): the flagged or boxed numbers that sent a template `n` sent,
    where `n` or the other never called (none when the index has no templates); `open_` is
    `open_templates`'s answer."""
    if "ntxt_off" not in ix.arrays or not texter[n]:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    texts = ix.column("ntxt", "text", n)
    if not quiet[n]:
        texts = texts[open_[texts]]
    found, where = [], []
    for text in texts:
        senders = ix.column("nsnd", "num", int(text)).astype(np.int64)
        senders = senders[texter[senders] & (quiet[senders] | bool(quiet[n]))]
        found.append(senders[senders != n])
        where.append(np.full(len(found[-1]), int(text), np.int64))
    if not found:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(found), np.concatenate(where)


def first_template(ix: ClueIndex, n: int, text: int) -> str | None:
    """The id of `n`'s first message of template `text`."""
    hits = np.flatnonzero(ix.column("ntxt", "text", n) == text)
    return ix.msgs[int(ix.column("ntxt", "seq", n)[hits[0]])] if len(hits) else None
