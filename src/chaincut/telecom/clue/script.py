"""Near-duplicate texts: one script template sent with other numbers and links filled in.

A den's scripts go out from a template list with the amount, the payee's account, the link or
the chat id filled in per message, so two of its senders rarely send a script word for word
(`same_text`), but the template still shows once every run of digits and every link is blanked.
The template is no den's own: every den that runs the same fraud sends it (round nine b measured
it on the foreign worlds: texts normalised this way tied a den's IM accounts to other gangs' box
SIMs as often as to its own, and tied two gangs' boxes into one search). So the search follows a
near-duplicate only to or from a sender that never called (an IM account, a texting-only SIM:
nothing else in the records ties it to anyone), and a sender reached so leads on only to other
such senders (`chaincut.telecom.clue.den`); it never joins two callers, whose cells, devices and
victims speak for them.

The groups `ntxt_*` (`text seq`: per number, the templates it sent and its first such message)
and `nsnd_*` (`num seq`: per template, its senders) are written by `chaincut.telecom.clue.build`.
"""

from __future__ import annotations

from typing import Final

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from chaincut.lake.jobs.clue_index import MAX_TEXT_SENDERS, MIN_TEXT_CHARS

#: a link, blanked: the den fills in its current landing page
LINK: Final = r"(https?://|www\.)[^\s，。！？]+"
#: a run of digits (amount, account, chat id, code, phone), blanked
DIGITS: Final = r"[0-9]+([.,][0-9]+)*"


def near_texts(messages: ir.Table, mx: ir.Table) -> ir.Table:
    """`code, num, seq`: every template (a text of `MIN_TEXT_CHARS` or more with its links and
    digits blanked) that 2 to `MAX_TEXT_SENDERS` numbers sent, coded 0.. in byte order of the
    templates, with each sender and the sequence number of its first such message."""
    blank = messages.text.re_replace(LINK, "L").re_replace(DIGITS, "#")
    m = messages.filter(messages.text.length() >= MIN_TEXT_CHARS).select(
        t_msg=messages.msg_id, shape=blank
    )
    x = mx.select(x_msg=mx.msg_id, x_sender=mx.sender, x_seq=mx.seq)
    j = m.join(x, m.t_msg == x.x_msg)
    sent = j.group_by(shape=j.shape, num=j.x_sender).aggregate(seq=j.x_seq.min())
    per = sent.group_by(t_shape=sent.shape).aggregate(senders=sent.count())
    kept = per.filter((per.senders >= 2) & (per.senders <= MAX_TEXT_SENDERS))
    coded = kept.select(
        t_shape=kept.t_shape,
        code=ibis.row_number().over(order_by=kept.t_shape).cast(dt.int32),
    )
    k = sent.join(coded, sent.shape == coded.t_shape)
    return k.select(code=k.code, num=k.num, seq=k.seq)


def template_senders(messages: ir.Table, mx: ir.Table) -> ir.Table:
    """`key, num, seq`: per template code, the numbers that sent it."""
    t = near_texts(messages, mx)
    return t.select(key=t.code, num=t.num, seq=t.seq).order_by(["key", "num"])


def sender_templates(messages: ir.Table, mx: ir.Table) -> ir.Table:
    """`key, text, seq`: per number, the templates it sent (codes)."""
    t = near_texts(messages, mx)
    return t.select(key=t.num, text=t.code, seq=t.seq).order_by(["key", "text"])


def template_count(messages: ir.Table, mx: ir.Table) -> ir.Table:
    """One row, `n`: how many templates were coded."""
    t = near_texts(messages, mx)
    return t.aggregate(n=t.code.nunique())
