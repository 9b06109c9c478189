"""The indicators: named, graded pieces of evidence that a fitted model weighs.

Each indicator is an operator's rule of thumb from the literature on SIM boxes and fraud callers
(REFERENCES.md, docs/telecom.md), turned into a number that is 0 where the behaviour is absent
and grows with its strength: counts as logarithms (one SIM on an IMEI is 0, 64 SIMs is
log 64), shares as shares, each behaviour shown on too few calls scaled down (a gate) so three
calls do not make a pattern. An indicator `suggests` a kind (`simbox`: a box's SIM or IMEI,
`fraud`: a fraud caller in a handset) or `against` both: a counter-indicator, such as a line
that answers the calls it receives, or one that has called for weeks.

No indicator decides alone. A logistic regression (`chaincut.telecom.model`) weighs them all,
its weights fitted on many simulated worlds with randomised parameters; a counter-indicator has
a bounded value (at most 1), so its weight takes away a bounded amount, while strong evidence
(dozens of SIMs on one IMEI, IMEI rotation) keeps growing: one weak counter-indicator never
zeroes it. Every score is explained by the indicators' parts of its log-odds (weight x value).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from chaincut.markers import Plural, count
from chaincut.telecom.features import FeatureFrame, FloatArray

BoolArray = npt.NDArray[np.bool_]
#: what a dialled telephone number looks like (an IM account or another identifier does not)
_DIALLED: Final = re.compile(r"\+?[0-9][0-9 ()-]*")
Suggests = Literal["simbox", "fraud", "against"]

#: share of a number's contacts who later reported fraud from which victim counts are evidence
#: (a bank's or an operator's notice number reaches victims too, among thousands of others)
VICTIM_SHARE: Final = 0.4
#: calls and messages per victim from which a number worked its victims (not a friend's note)
GROOMING: Final = 2.0
#: victims, and contacts with each, that show it worked them whatever else it called
MIN_WORKED: Final = 3
GROOMING_MANY: Final = 3.0
#: calls from which a calling pattern counts fully (fewer scale it down)
MIN_CALLS: Final = 5
#: calls received from which answering them says something (staffed)
MIN_CALLBACKS: Final = 3
#: local days and the span in days from which a line has called for weeks (bounded at 1)
ESTABLISHED_DAYS: Final = 10
SPAN_DAYS: Final = 14
#: people a group in sync talked to for 5 minutes or more from which it is a room at work
ROOM_TALKS: Final = 3
#: calls made from which the share of them answered says who it calls (people who expect it)
MIN_ANSWERED: Final = 20
#: share of a group in sync with reused slots (numbers on an IMEI another number also used) up
#: to which it still reads as separate handsets: one person in a room of a hundred phones who
#: once put the SIM in a colleague's handset does not make the room a box
FEW_SHARED: Final = 0.1
#: the share of its site's evidence (`box_days`) a device keeps for each call it made on a day
#: none of the site's reused slots called there: chosen on the training worlds (docs/telecom.md
#: "Round thirteen: SIM-box devices"; a half kept the seats of a call centre under a box that
#: works every day)
OFF_DAY_KEEP: Final = 0.25
#: the prior of the weak indicators, the counter-indicators (a line is only ever *less* likely
#: a box for answering calls or having called for weeks, never ruled out by it), so that none of
#: them outweighs strong evidence. How short a line's life was is no indicator at all: fraud
#: SIMs are blocked within days in some worlds, and boxes whose SIMs live for weeks exist
WEAK: Final = 0.3


@dataclass(frozen=True)
class Indicator:
    """One piece of evidence: `value(frame)` per row (0: absent); `text` is formatted with the
    row's features (a `Plural`: in the form its count takes); `evidence` names the example
    records that show it."""

    code: str
    suggests: Suggests
    evidence: str  # the example kind (see `chaincut.lake.jobs.number_examples`)
    text: str | Plural
    value: Callable[[FeatureFrame], FloatArray]
    #: how strongly the fit may lean on it (1: fully; less: its weight costs 1/prior² more)
    prior: float = 1.0

    def said(self, values: Mapping[str, float]) -> str:
        """Its text in English, filled with a row's `values` (the features it names)."""
        text = self.text
        if isinstance(text, Plural):
            text = text.english(count(values[text.counted]))
        return text.format(**values)

    @property
    def sign(self) -> int:
        """The sign its weight must have: +1 evidence, -1 a counter-indicator."""
        return -1 if self.suggests == "against" else 1


def _f(frame: FeatureFrame, name: str) -> FloatArray:
    return frame.column(name)


def gate(x: FloatArray, enough: float) -> FloatArray:
    """1 from `enough` on, proportionally less below: a pattern shown on few events counts less."""
    out: FloatArray = np.clip(x / enough, 0.0, 1.0)
    return out


def _log(x: FloatArray) -> FloatArray:
    """log(x) for counts where 1 is ordinary (one SIM, one IMEI, one number per ID), 0 below."""
    out: FloatArray = np.log(np.maximum(x, 1.0))
    return out


def _log1p(x: FloatArray) -> FloatArray:
    out: FloatArray = np.log1p(np.maximum(x, 0.0))
    return out


def worked(frame: FeatureFrame) -> BoolArray:
    """It worked its victims: they are a large share of its contacts and each was reached again
    and again, or (a line that also cold-calls strangers) 3 or more of them each reached 3
    times or more. A fraud line grooms its victims with calls and chats for days; a friend who
    messaged two people once each before they happened to report fraud did not, and a bank's
    notice number reaches each victim among thousands of others once or twice."""
    each = _f(frame, "victim_contacts_each")
    share = (_f(frame, "victim_share") >= VICTIM_SHARE) & (each >= GROOMING)
    many = (_f(frame, "victims_contacted") >= MIN_WORKED) & (each >= GROOMING_MANY)
    out: BoolArray = share | many
    return out


def _box_pitches(frame: FeatureFrame, peers: str) -> FloatArray:
    """The numbers in sync with it pitched people who then reported fraud: the share of the
    people they talked to for 5 minutes or more, counted from 2 such victims."""
    enough = (_f(frame, peers) >= 3) & (_f(frame, "sync_victims") >= 2)
    out: FloatArray = np.where(enough, _f(frame, "sync_victim_share"), 0.0)
    return out


def slot_share(frame: FeatureFrame, peers: str) -> FloatArray:
    """The share of its group in sync (it and its `peers`) that called with an IMEI another
    number also used: nearly all of a box's SIMs (its slots are reused), one in a hundred in a
    room of phones where somebody once borrowed a colleague's handset. A share, not a count, so
    that one such person does not turn a room of a hundred phones into a box."""
    group = _f(frame, peers) + 1.0
    out: FloatArray = np.clip(_f(frame, "sync_sharers") / group, 0.0, 1.0)
    return out


def _separate_share(frame: FeatureFrame, peers: str) -> FloatArray:
    """1 when no number of its group shares an IMEI, falling to 0 at `FEW_SHARED` of them."""
    out: FloatArray = np.clip(1.0 - slot_share(frame, peers) / FEW_SHARED, 0.0, 1.0)
    return out


def _own_handsets(frame: FeatureFrame, peers: str) -> FloatArray:
    """In sync with 3 or more numbers that (nearly) never share an IMEI, and its group talked
    at length with `ROOM_TALKS` people or more, few of whom reported fraud: people at work in a
    room of phones (a call centre, an outbound campaign)."""
    room = (
        (_f(frame, peers) >= 3)
        & (_f(frame, "sync_pitched") >= ROOM_TALKS)
        & (_box_pitches(frame, peers) < VICTIM_SHARE)
    )
    out: FloatArray = room * _separate_share(frame, peers)
    return out


def _separate(frame: FeatureFrame, peers: str) -> FloatArray:
    """In sync with 3 or more numbers at one cell, and (nearly) no number of the group ever
    called with an IMEI another number also used: a room of handsets (an outbound campaign, a
    call centre) or a box that never swaps a SIM nor rotates an IMEI. Weak: it says only that
    the group shows no box's mark, not that it is honest."""
    out: FloatArray = (_f(frame, peers) >= 3) * _separate_share(frame, peers)
    return out


def _texts_out(frame: FeatureFrame) -> FloatArray:
    """1 when a number only ever sent messages, 3 or more, and nobody ever called or texted it
    (fewer scale it down); 0 once it made or received a call or received a text. People text
    back and forth; a box's SIM put in to send spam texts strangers who never answer, and has
    no call, cell or device in the records to show anything else (an operator's IM account
    the same). Not for service numbers, gateways' codes and landlines (`is_service`). Weak: a new SIM that has
    texted a few friends, or a no-reply notice line on an ordinary mobile number, looks the
    same, so its weight stays bounded."""
    silent = (
        (_f(frame, "out_calls") == 0) & (_f(frame, "in_calls") == 0) & (_f(frame, "msgs_in") == 0)
    )
    sent = gate(_f(frame, "msgs_out"), 3.0)
    rows = np.flatnonzero(silent & (sent > 0))
    # an operator's service number (10086), a bank's (95588), a company's SMS gateway code
    # (106...) or a landline only ever sends too, and is no SIM nor anyone's account
    mobile = np.zeros(len(sent), bool)
    mobile[rows] = [not is_service(str(frame.ids[i])) for i in rows]
    out: FloatArray = sent * mobile
    return out


def is_service(number: str) -> bool:
    """Whether `number` is a telephone number but no mobile subscriber's (a SIM's), as the
    numbering plan of its country says (+86 when it carries no country code): a service or
    short number, a gateway's code, a landline. An identifier that is no telephone number at
    all (an IM account) is no service either."""
    import phonenumbers

    if not _DIALLED.fullmatch(number):
        return False
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(parsed)
    return kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def _outward(out_share: FloatArray) -> FloatArray:
    """How far a line's calls lean outbound: 0 at half or less, 1 when all are. Many SIMs on
    one device is a box's mark only on lines that call out: a company's switchboard trunk or a
    PBX carries dozens of lines too, and they receive as many calls as they make."""
    out: FloatArray = np.clip(2.0 * out_share - 1.0, 0.0, 1.0)
    return out


def _established(frame: FeatureFrame) -> FloatArray:
    days = gate(_f(frame, "active_days"), ESTABLISHED_DAYS)
    out: FloatArray = days * gate(_f(frame, "lifetime_d"), SPAN_DAYS)
    return out


def _answered(frame: FeatureFrame, calls: str) -> FloatArray:
    """How far the calls it made were answered: 0 at half or less, 1 when all were, from
    `MIN_ANSWERED` calls (fewer scale it down). A clinic's reminder line, a company's
    switchboard or a courier calls people who expect the call and nearly all answer; a box's
    SIMs and fraud lines cold-call strangers, most of whom do not. Weak: a box whose victims
    were groomed to expect it answers too, so it only ever takes away a bounded part."""
    share = np.clip(2.0 * _f(frame, "answer_rate") - 1.0, 0.0, 1.0)
    out: FloatArray = gate(_f(frame, calls), MIN_ANSWERED) * share
    return out


def _moves(frame: FeatureFrame, calls: str) -> FloatArray:
    """The share of its calls made away from its busiest cell, from `MIN_CALLS` calls (fewer
    scale it down): a handset goes where its owner goes, a gang's cold-calling phone from one
    flat to another, while a SIM box is plugged in (power, antenna) and calls from one place,
    moved now and then. Weak: a box on a cell's edge hops between two cells, and a box moved
    once in the period shows it too, so it only ever takes away a bounded part."""
    away = np.where(_f(frame, "cells") >= 2, 1.0 - _f(frame, "top_cell_share"), 0.0)
    out: FloatArray = _pattern(frame, calls, away)
    return out


def _box_site(frame: FeatureFrame) -> FloatArray:
    """What a device inherits from its site: log(1 + the other IMEIs with reused slots that
    call out from its busiest cell, where they too make most of their calls), as far as it
    looks like a slot itself: its SIMs only call out (a person who lives under the box's mast
    is called back), it calls from that one place (a gang's handset carried from flat to flat
    calls there now and then), and it is not one of a room of separate handsets in sync (a
    campaign or a call centre under the same mast). A box's slots are all plugged in at one
    place; a slot that never rotates nor swaps its SIM looks like one phone calling strangers
    by its own records, but its neighbours in the box show the box's rotation and swaps. A
    weight, not a rule: the counter-indicators weigh against it as against any evidence."""
    outward = 1.0 - np.clip(_f(frame, "sims_in_share"), 0.0, 1.0)
    stays = 1.0 - np.where(_f(frame, "cells") >= 2, 1.0 - _f(frame, "top_cell_share"), 0.0)
    single = (_f(frame, "sims") <= 1) & (_f(frame, "sims_max_imeis") <= 1)
    room = _separate(frame, "max_sync_peers") * single
    out: FloatArray = _log1p(_f(frame, "site_reused")) * outward * stays * (1.0 - room)
    return out


def _box_days(frame: FeatureFrame) -> FloatArray:
    """`_box_site`, kept in full while the device calls only on the days the site's reused
    slots called there (`site_days`), and `OFF_DAY_KEEP` of it for each call made on another
    day: a box's slots work when the box is powered on, so a slot calls on the box's days; a
    seat of an office or a campaign room under the box's mast calls on its own working days,
    some of them days the box is off. A weight, not a rule: a box that works every day gives
    every seat under it a slot's days, and then only the seat's other evidence counts."""
    off = np.maximum(_f(frame, "calls") - _f(frame, "site_days"), 0.0)
    out: FloatArray = _box_site(frame) * OFF_DAY_KEEP**off
    return out


def _pattern(frame: FeatureFrame, calls: str, share: FloatArray) -> FloatArray:
    out: FloatArray = gate(_f(frame, calls), MIN_CALLS) * share
    return out


NUMBER_INDICATORS: Final[tuple[Indicator, ...]] = (
    Indicator(
        "synchronised", "simbox", "sync",
        Plural(
            "calls from one cell in the same hours as {sync_peers:.0f} other number (up to "
            "{sync_shared_max:.0f} h shared with it): SIMs of one box",
            "calls from one cell in the same hours as {sync_peers:.0f} other numbers (up to "
            "{sync_shared_max:.0f} h shared with one): SIMs of one box",
            "sync_peers",
        ),
        lambda f: _log1p(_f(f, "sync_peers")),
    ),
    Indicator(
        "box_victims", "simbox", "sync",
        "numbers in sync with it pitched {sync_victims:.0f} people who then reported fraud "
        "({sync_victim_share:.0%} of the people they talked to for 5 minutes or more): its box "
        "pitches victims",
        lambda f: _box_pitches(f, "sync_peers"),
    ),
    Indicator(
        "shared_device", "simbox", "device",
        "one of its IMEIs carried {max_sims_per_imei:.0f} SIMs, and it calls out "
        "({out_share:.0%} of its calls)",
        lambda f: _log(_f(f, "max_sims_per_imei")) * _outward(_f(f, "out_share")),
    ),
    Indicator(
        "imei_rotation", "simbox", "imei",
        "called from {imeis:.0f} IMEIs (IMEI rotation)",
        lambda f: _log(_f(f, "imeis")),
    ),
    Indicator(
        "shared_slots", "simbox", "sync",
        Plural(
            "{sync_sharers:.0f} of it and its {sync_peers:.0f} peer in sync called with an IMEI "
            "another number also used (a box's reused slots)",
            "{sync_sharers:.0f} of it and its {sync_peers:.0f} peers in sync called with an IMEI "
            "another number also used (a box's reused slots)",
            "sync_peers",
        ),
        lambda f: _log1p(_f(f, "sync_sharers")) * slot_share(f, "sync_peers"),
    ),
    Indicator(
        "outbound_only", "simbox", "out",
        Plural(
            "{out_calls:.0f} call made, {in_calls:.0f} received",
            "{out_calls:.0f} calls made, {in_calls:.0f} received",
            "out_calls",
        ),
        lambda f: _pattern(f, "out_calls", _outward(_f(f, "out_share"))),
    ),
    Indicator(
        "no_callbacks", "simbox", "out",
        Plural(
            "{reciprocity:.0%} of its {distinct_callees:.0f} callee ever called back",
            "{reciprocity:.0%} of its {distinct_callees:.0f} callees ever called back",
            "distinct_callees",
        ),
        lambda f: _pattern(f, "distinct_callees", 1.0 - _f(f, "reciprocity")),
    ),
    Indicator(
        "low_answer_rate", "simbox", "unanswered",
        Plural(
            "only {answer_rate:.0%} of its {out_calls:.0f} call was answered",
            "only {answer_rate:.0%} of its {out_calls:.0f} calls were answered",
            "out_calls",
        ),
        lambda f: _pattern(f, "out_calls", 1.0 - _f(f, "answer_rate")),
    ),
    Indicator(
        "many_callees", "simbox", "out",
        "{distinct_callees:.0f} distinct numbers in {out_calls:.0f} calls",
        lambda f: _pattern(f, "out_calls", _f(f, "callee_spread")) * gate(
            _f(f, "distinct_callees"), 20.0
        ),
    ),
    Indicator(
        "one_cell", "simbox", "out",
        "{top_cell_share:.0%} of its calls from one cell",
        lambda f: _pattern(f, "out_calls", _f(f, "top_cell_share")),
    ),
    Indicator(
        "short_calls", "simbox", "short",
        "{short_share:.0%} of answered calls under 30 s",
        lambda f: gate(_f(f, "answer_rate") * _f(f, "out_calls"), 3.0) * _f(f, "short_share"),
    ),
    Indicator(
        "call_bursts", "simbox", "out",
        "{calls_per_day:.1f} calls a day on its active days",
        lambda f: _log1p(_f(f, "calls_per_day")),
    ),
    Indicator(
        "staffed", "against", "answered_in",
        Plural(
            "answered {in_answer_rate:.0%} of the {in_calls:.0f} call it received (a staffed "
            "line answers; a SIM box hardly does)",
            "answered {in_answer_rate:.0%} of the {in_calls:.0f} calls it received (a staffed "
            "line answers; a SIM box hardly does)",
            "in_calls",
        ),
        lambda f: gate(_f(f, "in_calls"), MIN_CALLBACKS) * _f(f, "in_answer_rate"),
        WEAK,
    ),
    Indicator(
        "established", "against", "out",
        # days are calendar days it called on, the span the time from its first record to its
        # last: 35 days are 34 apart ("35 days over 34 days" read as a mistake, round eleven)
        Plural(
            "called on {active_days:.0f} day, its first and last call or message "
            "{lifetime_d:.1f} days apart",
            "called on {active_days:.0f} different days, its first and last call or message "
            "{lifetime_d:.1f} days apart",
            "active_days",
        ),
        _established,
        WEAK,
    ),
    Indicator(
        "answered", "against", "out",
        Plural(
            "{answer_rate:.0%} of the {out_calls:.0f} call it made was answered (people answer "
            "the calls they expect; cold calls mostly go unanswered)",
            "{answer_rate:.0%} of the {out_calls:.0f} calls it made were answered (people answer "
            "the calls they expect; cold calls mostly go unanswered)",
            "out_calls",
        ),
        lambda f: _answered(f, "out_calls"),
        WEAK,
    ),
    Indicator(
        "own_handsets", "against", "sync",
        "in sync with {sync_peers:.0f} numbers at one cell, on handsets of their own "
        "({sync_sharers:.0f} of the group ever shared an IMEI), and they talked at length with {sync_pitched:.0f} people, few of whom "
        "reported fraud (a room of phones: a call centre, a campaign)",
        lambda f: _own_handsets(f, "sync_peers") * (_f(f, "imeis") <= 1),
        WEAK,
    ),
    Indicator(
        "separate_handsets", "against", "sync",
        "in sync with {sync_peers:.0f} numbers at one cell, of which {sync_sharers:.0f} ever "
        "shared an IMEI with another number (separate handsets, or a box that never swaps SIMs)",
        lambda f: _separate(f, "sync_peers")
        * ((_f(f, "imeis") <= 1) & (_f(f, "max_sims_per_imei") <= 1)),
        WEAK,
    ),
    Indicator(
        "texts_only", "simbox", "msg_out",
        "only ever sent messages ({msgs_out:.0f}) and nobody ever called or texted it: it "
        "texts people who never answer",
        _texts_out,
        WEAK,
    ),
    Indicator(
        "shared_id", "fraud", "",
        "its holder's ID number registered {id_numbers:.0f} numbers",
        lambda f: _log(_f(f, "id_numbers")),
    ),
    Indicator(
        "victims_reached", "fraud", "victim",
        Plural(
            "called or messaged {victims_contacted:.0f} person who later reported fraud "
            "({victim_share:.0%} of the people it contacted), {victim_contacts_each:.1f} times",
            "called or messaged {victims_contacted:.0f} people who later reported fraud "
            "({victim_share:.0%} of the people it contacted), {victim_contacts_each:.1f} times "
            "each",
            "victims_contacted",
        ),
        lambda f: np.where(worked(f), _log1p(_f(f, "victims_contacted")), 0.0),
    ),
    Indicator(
        "victim_share", "fraud", "victim",
        "{victim_share:.0%} of the people it contacted later reported fraud",
        lambda f: np.where(_f(f, "victims_contacted") >= 1, _f(f, "victim_share"), 0.0),
    ),
    Indicator(
        "victims_talked", "fraud", "victim",
        # said whole: "of them" had nothing to point at where the victims' own reason was
        # not shown (round twelve's new-user run)
        Plural(
            "talked at length or chatted with {victims_talked:.0f} person who later reported "
            "fraud, in the week before the report",
            "talked at length or chatted with {victims_talked:.0f} people who later reported "
            "fraud, each in the week before their report",
            "victims_talked",
        ),
        lambda f: np.where(worked(f), _log1p(_f(f, "victims_talked")), 0.0),
    ),
)  # fmt: skip

DEVICE_INDICATORS: Final[tuple[Indicator, ...]] = (
    Indicator(
        "many_sims", "simbox", "sims",
        "{sims:.0f} SIMs called with this IMEI, which receive {sims_in_share:.2f} calls per "
        "call made",
        lambda f: _log(_f(f, "sims")) * (1.0 - np.clip(_f(f, "sims_in_share"), 0.0, 1.0)),
    ),
    Indicator(
        "sims_in_sync", "simbox", "sync",
        Plural(
            "its SIMs call from one cell in the same hours as {max_sync_peers:.0f} other number",
            "its SIMs call from one cell in the same hours as up to {max_sync_peers:.0f} other "
            "numbers",
            "max_sync_peers",
        ),
        lambda f: _log1p(_f(f, "max_sync_peers")),
    ),
    Indicator(
        "box_victims", "simbox", "sync",
        "the numbers in sync with one of its SIMs pitched {sync_victims:.0f} people who then "
        "reported fraud: the box pitches victims",
        lambda f: _box_pitches(f, "max_sync_peers"),
    ),
    Indicator(
        "imei_rotation", "simbox", "sims",
        "a SIM of it used {sims_max_imeis:.0f} IMEIs (IMEI rotation)",
        lambda f: _log(_f(f, "sims_max_imeis")),
    ),
    Indicator(
        "shared_slots", "simbox", "sync",
        # the group counts the SIM itself: "2 numbers in sync with its SIMs (up to 1)" read as
        # a contradiction (round twelve's new-user run, foreign world 860)
        Plural(
            "{sync_sharers:.0f} number, of one of its SIMs and those in sync with it (up to "
            "{max_sync_peers:.0f}), called with an IMEI another number also used (a box's "
            "reused slots)",
            "up to {sync_sharers:.0f} numbers, of one of its SIMs and those in sync with it (up "
            "to {max_sync_peers:.0f}), called with an IMEI another number also used (a box's "
            "reused slots)",
            "sync_sharers",
        ),
        lambda f: _log1p(_f(f, "sync_sharers")) * slot_share(f, "max_sync_peers"),
    ),
    Indicator(
        "outbound_only", "simbox", "out",
        Plural(
            "{calls:.0f} call made; its SIMs received {sims_in_share:.2f} calls per call made",
            "{calls:.0f} calls made; its SIMs received {sims_in_share:.2f} calls per call made",
            "calls",
        ),
        lambda f: _pattern(f, "calls", 1.0 - np.clip(_f(f, "sims_in_share"), 0.0, 1.0)),
    ),
    Indicator(
        "low_answer_rate", "simbox", "unanswered",
        Plural(
            "only {answer_rate:.0%} of its {calls:.0f} call was answered",
            "only {answer_rate:.0%} of its {calls:.0f} calls were answered",
            "calls",
        ),
        lambda f: _pattern(f, "calls", 1.0 - _f(f, "answer_rate")),
    ),
    Indicator(
        "many_callees", "simbox", "out",
        "{distinct_callees:.0f} distinct numbers in {calls:.0f} calls",
        lambda f: _pattern(f, "calls", _f(f, "callee_spread")) * gate(
            _f(f, "distinct_callees"), 20.0
        ),
    ),
    Indicator(
        "one_cell", "simbox", "out",
        "{top_cell_share:.0%} of its calls from one cell",
        lambda f: _pattern(f, "calls", _f(f, "top_cell_share")),
    ),
    Indicator(
        "short_calls", "simbox", "short",
        "{short_share:.0%} of answered calls under 30 s",
        lambda f: gate(_f(f, "answer_rate") * _f(f, "calls"), 3.0) * _f(f, "short_share"),
    ),
    Indicator(
        "staffed", "against", "",
        Plural(
            "its SIMs answered {sims_in_answer_rate:.0%} of the {sims_in_calls:.0f} call they "
            "received (a staffed phone answers; a SIM box hardly does)",
            "its SIMs answered {sims_in_answer_rate:.0%} of the {sims_in_calls:.0f} calls they "
            "received (a staffed phone answers; a SIM box hardly does)",
            "sims_in_calls",
        ),
        lambda f: gate(_f(f, "sims_in_calls"), MIN_CALLBACKS) * _f(f, "sims_in_answer_rate"),
        WEAK,
    ),
    Indicator(
        "established", "against", "out",
        Plural(
            "called on {active_days:.0f} day, its first and last call {lifetime_d:.1f} days "
            "apart",
            "called on {active_days:.0f} different days, its first and last call "
            "{lifetime_d:.1f} days apart",
            "active_days",
        ),
        _established,
        WEAK,
    ),
    Indicator(
        "own_handsets", "against", "sync",
        "its one SIM is in sync with {max_sync_peers:.0f} numbers at one cell, on handsets of "
        "their own ({sync_sharers:.0f} of the group ever shared an IMEI), and they talked at length with "
        "{sync_pitched:.0f} people, few of whom reported fraud (a room of phones)",
        lambda f: _own_handsets(f, "max_sync_peers")
        * ((_f(f, "sims") <= 1) & (_f(f, "sims_max_imeis") <= 1)),
        WEAK,
    ),
    Indicator(
        "separate_handsets", "against", "sync",
        "its one SIM is in sync with {max_sync_peers:.0f} numbers at one cell, of which "
        "{sync_sharers:.0f} ever shared an IMEI with another number (separate handsets, or a box "
        "that never swaps SIMs)",
        lambda f: _separate(f, "max_sync_peers")
        * ((_f(f, "sims") <= 1) & (_f(f, "sims_max_imeis") <= 1)),
        WEAK,
    ),
    Indicator(
        "moves", "against", "out",
        "{top_cell_share:.0%} of its calls from its busiest of {cells:.0f} cells (a handset "
        "carried about; a box stays where it is plugged in)",
        lambda f: _moves(f, "calls"),
        WEAK,
    ),
    Indicator(
        "box_days", "simbox", "site",
        Plural(
            "{site_reused:.0f} other IMEI that calls out from its busiest cell is a box's "
            "reused slot, and {site_days:.0f} of its {calls:.0f} calls were made there on days "
            "that one called: a slot of the same box, calling when the box is on",
            "{site_reused:.0f} other IMEIs that call out from its busiest cell are a box's "
            "reused slots, and {site_days:.0f} of its {calls:.0f} calls were made there on days "
            "they called: a slot of the same box, calling when the box is on",
            "site_reused",
        ),
        _box_days,
    ),
    Indicator(
        "victims_reached", "fraud", "victim",
        Plural(
            "called {victims_contacted:.0f} person who later reported fraud",
            "called {victims_contacted:.0f} people who later reported fraud",
            "victims_contacted",
        ),
        lambda f: _log1p(_f(f, "victims_contacted")),
    ),
    Indicator(
        "victim_share", "fraud", "victim",
        "{victim_share:.0%} of the numbers called from it later reported fraud",
        lambda f: np.where(_f(f, "victims_contacted") >= 1, _f(f, "victim_share"), 0.0),
    ),
)  # fmt: skip

INDICATORS: Final[dict[str, tuple[Indicator, ...]]] = {
    "number": NUMBER_INDICATORS,
    "device": DEVICE_INDICATORS,
}


def values(frame: FeatureFrame, indicators: tuple[Indicator, ...]) -> FloatArray:
    """Rows x indicators: every indicator's value on every row of `frame` (finite, >= 0)."""
    if not len(frame):
        return np.zeros((0, len(indicators)))
    out = np.column_stack([np.asarray(ind.value(frame), np.float64) for ind in indicators])
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
