"""Who later reported fraud, and which numbers reached them first (涉诈电话 evidence).

A victim's number is the `persons.phone` of a report's `victim_id`. A contact counts when a
number called or messaged that phone before the victim's last report: operators call and chat
with victims in the hours before their transfers, so a number that reached several people who
then reported fraud is strong evidence, and one that reached them at length shortly before the
report links it to the other numbers that did the same (the den's other lines).
"""

from __future__ import annotations

from typing import Final

import ibis
import ibis.expr.types as ir

#: contacts this close before a report count as "shortly before" (den linking)
RECENT_DAYS: Final = 7
#: an answered call at least this long is a conversation, not a random dial (den linking)
TALK_SECONDS: Final = 120
#: an answered call at least this long is a pitch (a box's dials that connect last seconds)
PITCH_SECONDS: Final = 300


def victim_phones(reports: ir.Table, persons: ir.Table) -> ir.Table:
    """One row per phone of a person who reported fraud.

    Columns: `phone`, `first_report_ts`, `last_report_ts`, `reports` (distinct report ids).
    Reports without a victim, and victims without a phone, are left out.
    """
    p = persons.filter(persons.phone.notnull() & persons.person_id.notnull())
    p = p.select(person_id=p.person_id, phone=p.phone).distinct()
    r = reports.filter(reports.victim_id.notnull())
    r = r.select(victim_id=r.victim_id, report_id=r.report_id, report_ts=r.ts)
    j = r.join(p, r.victim_id == p.person_id)
    return j.group_by(phone=j.phone).aggregate(
        first_report_ts=j.report_ts.min(),
        last_report_ts=j.report_ts.max(),
        reports=j.report_id.nunique(),
    )


def contacts(calls: ir.Table, messages: ir.Table) -> ir.Table:
    """Calls and messages as one list of contacts from a number to another.

    Columns: `number` (caller or sender), `other`, `ts`, `kind` ('call' or 'message'),
    `event_id` (call_id or msg_id), `duration_s` (null for messages).
    """
    c = calls.select(
        number=calls.caller,
        other=calls.callee,
        ts=calls.ts,
        kind=ibis.literal("call"),
        event_id=calls.call_id,
        duration_s=calls.duration_s,
    )
    m = messages.select(
        number=messages.sender,
        other=messages.receiver,
        ts=messages.ts,
        kind=ibis.literal("message"),
        event_id=messages.msg_id,
        duration_s=ibis.null("int64"),
    )
    return c.union(m, distinct=False)


def victim_contacts(calls: ir.Table, messages: ir.Table, victims: ir.Table) -> ir.Table:
    """Every contact with a victim's phone before that victim's last report.

    Columns: those of `contacts` plus `first_report_ts`, `last_report_ts` and `talk` (true for
    a message or an answered call of `TALK_SECONDS` or more within `RECENT_DAYS` of the first
    report: the contacts that link numbers into a den).
    """
    c = contacts(calls, messages)
    v = victims.select(
        victim=victims.phone,
        first_report_ts=victims.first_report_ts,
        last_report_ts=victims.last_report_ts,
    )
    j = c.join(v, c.other == v.victim)
    j = j.filter(j.ts < j.last_report_ts)
    recent = (j.ts < j.first_report_ts) & (
        j.ts >= j.first_report_ts - ibis.interval(days=RECENT_DAYS)
    )
    substantive = (j.kind == "message") | (j.duration_s >= TALK_SECONDS)
    return j.select(
        "number",
        "other",
        "ts",
        "kind",
        "event_id",
        "duration_s",
        "first_report_ts",
        "last_report_ts",
        talk=recent & substantive,
    )


def number_victim_features(calls: ir.Table, messages: ir.Table, victims: ir.Table) -> ir.Table:
    """Per number that reached a victim: `victim_calls`, `victim_msgs` (contacts before the
    report), `victims_contacted` (distinct victims), `victims_talked` (distinct victims with a
    linking contact, see `victim_contacts`)."""
    j = victim_contacts(calls, messages, victims)
    return j.group_by("number").aggregate(
        victim_calls=j.count(where=j.kind == "call"),
        victim_msgs=j.count(where=j.kind == "message"),
        victims_contacted=j.other.nunique(),
        victims_talked=j.other.nunique(where=j.talk),
    )


def pitches(calls: ir.Table, victims: ir.Table) -> ir.Table:
    """Distinct (`number`, `other`) of answered calls of `PITCH_SECONDS` or more, with `victim`:
    whether `other` later reported fraud (and the pitch came before that report)."""
    c = calls.filter(calls.duration_s >= PITCH_SECONDS)
    c = c.select(number=c.caller, other=c.callee, ts=c.ts)
    v = victims.select(victim_phone=victims.phone, last_report_ts=victims.last_report_ts)
    j = c.left_join(v, c.other == v.victim_phone)
    before = j.victim_phone.notnull() & (j.ts < j.last_report_ts)
    out = j.select("number", "other", victim=before.fill_null(False))
    return out.group_by("number", "other").aggregate(victim=out.victim.max())
