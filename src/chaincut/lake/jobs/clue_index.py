"""The clue index's questions to the lake, as jobs: the same expressions on DuckDB and Spark.

`chaincut.telecom.clue.build` turns their results into memory-mapped arrays;
`chaincut.lake.readers.clue_index` runs them. Identifiers become codes: their position in byte
order among their kind (numbers, IMEIs, cells, ID numbers), 0..n-1. Calls and messages get a
sequence number in (ts, id) order. Times stay timestamps here (the reader turns them into
microseconds), so nothing below needs a function one engine lacks. Every result that the index
keeps in order is sorted on a key that ties nothing, so both engines write the same arrays.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

#: the largest call duration the index keeps (int32)
_MAX_DURATION = 2_147_483_647


def _coded(ids: ir.Table, column: str) -> ir.Table:
    """`<column>, code`: the distinct non-null values of `ids.<column>` with their position in
    byte order (0..n-1)."""
    known = ids.filter(ids[column].notnull()).select(column).distinct()
    return known.select(column, code=ibis.row_number().over(order_by=column).cast(dt.int32))


def number_codes(calls: ir.Table, messages: ir.Table, persons: ir.Table) -> ir.Table:
    """`number, code`: every number that called, was called, messaged, was messaged or is a
    person's phone."""
    numbers = ibis.union(
        calls.select(number=calls.caller),
        calls.select(number=calls.callee),
        messages.select(number=messages.sender),
        messages.select(number=messages.receiver),
        persons.select(number=persons.phone),
        distinct=True,
    )
    return _coded(numbers, "number")


def idno_codes(persons: ir.Table) -> ir.Table:
    """`id_number, code`: the ID numbers of persons with a phone."""
    return _coded(persons.filter(persons.phone.notnull()), "id_number")


def imei_codes(calls: ir.Table) -> ir.Table:
    """`imei, code`: the handsets calls were made from."""
    return _coded(calls, "imei")


def cell_codes(calls: ir.Table) -> ir.Table:
    """`cell_id, code`: the cells calls were made from."""
    return _coded(calls, "cell_id")


def _as(codes: ir.Table, key: str, name: str, code: str) -> ir.Table:
    return codes.select(**{name: codes[key], code: codes.code})


def call_rows(calls: ir.Table, nums: ir.Table, cells: ir.Table, imeis: ir.Table) -> ir.Table:
    """`seq, call_id, ts, caller, callee, dur, cell, imei`: every call with its sequence number
    (0.. in (ts, call_id) order), its numbers, cell and handset as codes (-1: none) and its
    duration clipped to [0, 2**31 - 1] seconds."""
    a = _as(nums, "number", "a_number", "caller_code")
    b = _as(nums, "number", "b_number", "callee_code")
    cl, im = _as(cells, "cell_id", "l_cell", "cell_code"), _as(imeis, "imei", "i_imei", "imei_code")
    c = calls
    j = (
        c.join(a, c.caller == a.a_number)
        .join(b, c.callee == b.b_number)
        .left_join(cl, c.cell_id == cl.l_cell)
        .left_join(im, c.imei == im.i_imei)
    )
    clipped = ibis.least(ibis.greatest(j.duration_s, 0), _MAX_DURATION)
    return j.select(
        seq=(ibis.row_number().over(order_by=[j.ts, j.call_id])).cast(dt.int64),
        call_id=j.call_id,
        ts=j.ts,
        caller=j.caller_code,
        callee=j.callee_code,
        dur=clipped.cast(dt.int32),
        cell=j.cell_code.fill_null(-1).cast(dt.int32),
        imei=j.imei_code.fill_null(-1).cast(dt.int32),
    )


def message_rows(messages: ir.Table, nums: ir.Table) -> ir.Table:
    """`seq, msg_id, ts, sender, receiver`: every message with its sequence number (0.. in
    (ts, msg_id) order) and its numbers as codes."""
    a, b = _as(nums, "number", "a_number", "from_code"), _as(nums, "number", "b_number", "to_code")
    m = messages
    j = m.join(a, m.sender == a.a_number).join(b, m.receiver == b.b_number)
    return j.select(
        seq=ibis.row_number().over(order_by=[j.ts, j.msg_id]).cast(dt.int64),
        msg_id=j.msg_id,
        ts=j.ts,
        sender=j.from_code,
        receiver=j.to_code,
    )


def calls_made(cx: ir.Table) -> ir.Table:
    """`key, ts, seq, peer, dur, cell, imei`: each number's calls out, in time order."""
    out = cx.select("ts", "seq", "dur", "cell", "imei", key=cx.caller, peer=cx.callee)
    return out.select("key", "ts", "seq", "peer", "dur", "cell", "imei").order_by(
        ["key", "ts", "seq"]
    )


def calls_taken(cx: ir.Table) -> ir.Table:
    """`key, ts, seq, peer, dur`: each number's calls in, in time order."""
    into = cx.select(key=cx.callee, ts=cx.ts, seq=cx.seq, peer=cx.caller, dur=cx.dur)
    return into.order_by(["key", "ts", "seq"])


def messages_sent(mx: ir.Table) -> ir.Table:
    """`key, ts, seq, peer`: each number's messages out, in time order."""
    out = mx.select(key=mx.sender, ts=mx.ts, seq=mx.seq, peer=mx.receiver)
    return out.order_by(["key", "ts", "seq"])


def messages_received(mx: ir.Table) -> ir.Table:
    """`key, ts, seq, peer`: each number's messages in, in time order."""
    into = mx.select(key=mx.receiver, ts=mx.ts, seq=mx.seq, peer=mx.sender)
    return into.order_by(["key", "ts", "seq"])


def callers_at(cx: ir.Table, column: str) -> ir.Table:
    """`key, num, calls, first, last`: per handset (`column` "imei") or cell ("cell"), the
    numbers that called with it: how many calls, the first and the last."""
    used = cx.filter(cx[column] >= 0)
    per = used.group_by(key=used[column], num=used.caller).aggregate(
        calls=used.count(), first=used.ts.min(), last=used.ts.max()
    )
    return per.order_by(["key", "num"])


def sync_rows(sync: ir.Table, nums: ir.Table, cells: ir.Table) -> ir.Table:
    """`key, peer, cell, shared`: the pairs of `chaincut.lake.jobs.number_sync.sync_pairs` as
    codes."""
    a, b = _as(nums, "number", "a_number", "key"), _as(nums, "number", "b_number", "peer_code")
    cl = _as(cells, "cell_id", "l_cell", "cell")
    s = sync
    j = (
        s.join(a, s.number == a.a_number)
        .join(b, s.peer == b.b_number)
        .join(cl, s.cell_id == cl.l_cell)
    )
    out = j.select(key=j.key, peer=j.peer_code, cell=j.cell, shared=j.shared.cast(dt.int32))
    return out.order_by(["key", "peer", "cell"])


def talk_rows(contacts: ir.Table, cx: ir.Table, mx: ir.Table) -> ir.Table:
    """`key, victim, ts, kind, seq, dur`: the linking contacts (`talk`) of
    `chaincut.lake.jobs.number_victims.victim_contacts`, as codes; `kind` 0 for a call, 1 for
    a message (whose `dur` is 0). Unordered."""
    talk = contacts.filter(contacts.talk)
    calls = talk.filter(talk.kind == "call").select(event=talk.event_id)
    texts = talk.filter(talk.kind == "message").select(event=talk.event_id)
    c = calls.join(cx, calls.event == cx.call_id)
    m = texts.join(mx, texts.event == mx.msg_id)
    return ibis.union(
        c.select(
            key=c.caller,
            victim=c.callee,
            ts=c.ts,
            kind=ibis.literal(0, dt.int8),
            seq=c.seq,
            dur=c.dur,
        ),
        m.select(
            key=m.sender,
            victim=m.receiver,
            ts=m.ts,
            kind=ibis.literal(1, dt.int8),
            seq=m.seq,
            dur=ibis.literal(0, dt.int32),
        ),
        distinct=False,
    )


def holders(persons: ir.Table, nums: ir.Table) -> ir.Table:
    """`key, person, name, idno`: the persons whose phone each number is."""
    p, n = persons, _as(nums, "number", "n_number", "code")
    j = p.join(n, p.phone == n.n_number)
    out = j.select(key=j.code, person=j.person_id, name=j.name, idno=j.id_number)
    return out.order_by(["key", "person"])


def registered_numbers(persons: ir.Table, idnos: ir.Table, nums: ir.Table) -> ir.Table:
    """`key, num`: per ID number, the numbers registered to it."""
    i, n = _as(idnos, "id_number", "i_idno", "key"), _as(nums, "number", "n_number", "num")
    p = persons
    j = p.join(i, p.id_number == i.i_idno).join(n, p.phone == n.n_number)
    return j.select(j.key, j.num).distinct().order_by(["key", "num"])


def number_victims(contacts: ir.Table, nums: ir.Table) -> ir.Table:
    """`code, victims, talked`: per number, the victims it reached and those it talked to."""
    n = _as(nums, "number", "n_number", "code")
    j = contacts.join(n, contacts.number == n.n_number)
    return j.group_by(code=j.code).aggregate(
        victims=j.other.nunique(), talked=j.other.nunique(where=j.talk)
    )


def number_contacts(cx: ir.Table, mx: ir.Table) -> ir.Table:
    """`code, contacts`: per number, the distinct numbers it called or messaged."""
    pairs = ibis.union(
        cx.select(code=cx.caller, other=cx.callee),
        mx.select(code=mx.sender, other=mx.receiver),
        distinct=False,
    )
    return pairs.group_by("code").aggregate(contacts=pairs.other.nunique())


def number_peers(sync: ir.Table, nums: ir.Table) -> ir.Table:
    """`code, peers`: per number, its distinct peers in sync."""
    n = _as(nums, "number", "n_number", "code")
    j = sync.join(n, sync.number == n.n_number)
    return j.group_by(code=j.code).aggregate(peers=j.peer.nunique())


def number_sims(cx: ir.Table) -> ir.Table:
    """`code, sims`: per number, the most SIMs (numbers) seen on one of its handsets."""
    used = cx.filter(cx.imei >= 0).select("caller", "imei").distinct()
    per = used.group_by("imei").aggregate(sims=used.caller.nunique())
    j = used.join(per, "imei")
    return j.group_by(code=j.caller).aggregate(sims=j.sims.max())


def victim_codes(victims: ir.Table, nums: ir.Table) -> ir.Table:
    """`code, pos, first, last`: the victims' numbers (`number_victims.victim_phones`) as codes,
    with their position among them (0.. in code order) and their first and last report."""
    n = _as(nums, "number", "n_number", "code")
    j = victims.join(n, victims.phone == n.n_number)
    coded = j.select(code=j.code, first=j.first_report_ts, last=j.last_report_ts)
    pos = ibis.row_number().over(order_by=coded.code).cast(dt.int32)
    return coded.select("code", pos=pos, first=coded["first"], last=coded["last"]).order_by("code")


def victim_reports(
    reports: ir.Table, persons: ir.Table, nums: ir.Table, vpos: ir.Table
) -> ir.Table:
    """`key, id, ts, type`: per victim position, the reports of the persons whose phone the
    victim's number is ('' for no fraud type)."""
    r, p = reports, persons.select(person_id=persons.person_id, phone=persons.phone)
    n, v = _as(nums, "number", "n_number", "n_code"), vpos.select(v_code=vpos.code, key=vpos.pos)
    j = (
        r.join(p, r.victim_id == p.person_id)
        .join(n, p.phone == n.n_number)
        .join(v, n.n_code == v.v_code)
    )
    out = j.select(key=j.key, id=j.report_id, ts=j.ts, type=j.fraud_type.fill_null(""))
    return out.order_by(["key", "ts", "id"])


def victim_talk(talk: ir.Table, vpos: ir.Table) -> ir.Table:
    """`key, num, ts, kind, seq, dur`: the linking contacts seen from each victim position."""
    v = vpos.select(v_code=vpos.code, pos=vpos.pos)
    j = talk.join(v, talk.victim == v.v_code)
    out = j.select(key=j.pos, num=j.key, ts=j.ts, kind=j.kind, seq=j.seq, dur=j.dur)
    return out.order_by(["key", "ts", "kind", "seq", "num"])


#: the shortest text that says something about its sender when another sends it too ("好的",
#: "收到" and "在吗" are everyone's)
MIN_TEXT_CHARS = 15
#: texts sent by more numbers than this are everyone's (a greeting, a forwarded notice)
MAX_TEXT_SENDERS = 5_000


def shared_texts(messages: ir.Table, mx: ir.Table) -> ir.Table:
    """`code, num, seq, text`: every text of `MIN_TEXT_CHARS` or more sent, word for word, by 2
    to `MAX_TEXT_SENDERS` numbers, with its code (0.. in byte order of the texts), each number
    that sent it and the sequence number of its first such message. Spam and scripts are sent
    from template lists, so the SIMs of one box or one den send the same texts."""
    m = messages.filter(messages.text.length() >= MIN_TEXT_CHARS).select(
        t_msg=messages.msg_id, text=messages.text
    )
    x = mx.select(x_msg=mx.msg_id, x_sender=mx.sender, x_seq=mx.seq)
    j = m.join(x, m.t_msg == x.x_msg)
    sent = j.group_by(text=j.text, num=j.x_sender).aggregate(seq=j.x_seq.min())
    per = sent.group_by(t_text=sent.text).aggregate(senders=sent.count())
    kept = per.filter((per.senders >= 2) & (per.senders <= MAX_TEXT_SENDERS))
    coded = kept.select(
        t_text=kept.t_text, code=ibis.row_number().over(order_by=kept.t_text).cast(dt.int32)
    )
    k = sent.join(coded, sent.text == coded.t_text)
    return k.select(code=k.code, num=k.num, seq=k.seq, text=k.text)


def text_senders(shared: ir.Table) -> ir.Table:
    """`key, num, seq`: per shared text code, the numbers that sent it."""
    out = shared.select(key=shared.code, num=shared.num, seq=shared.seq)
    return out.order_by(["key", "num"])


def sender_texts(shared: ir.Table) -> ir.Table:
    """`key, text, seq`: per number, the shared texts it sent (codes)."""
    out = shared.select(key=shared.num, text=shared.code, seq=shared.seq)
    return out.order_by(["key", "text"])


def text_list(shared: ir.Table) -> ir.Table:
    """`code, text`: the shared texts in code order."""
    out = shared.select("code", "text").distinct()
    return out.order_by("code")


def clue_counts(
    calls: ir.Table, messages: ir.Table, persons: ir.Table, reports: ir.Table
) -> ir.Table:
    """One row: `calls`, `messages`, `persons`, `reports` row counts (the index's freshness)."""
    parts = [
        t.aggregate(**{name: t.count()})
        for name, t in (
            ("calls", calls),
            ("messages", messages),
            ("persons", persons),
            ("reports", reports),
        )
    ]
    out = parts[0]
    for part in parts[1:]:
        out = out.cross_join(part)
    return out
