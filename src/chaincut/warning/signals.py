"""The warner: signals about people as events arrive, and the warnings they raise (预警).

`Warner.process(event)` takes one call, message, transfer or report, in time order, updates the
bounded state of the numbers, accounts and subjects it touches (`chaincut.warning.state`), and
returns the warnings it raises then, using nothing that happened later. The same object serves
the replay (`chaincut warn --replay`), the live service (`POST /v1/events`) and the evaluation.

A subject is a person when the directory knows who holds the phone or account, else the phone
or the account itself. Warnings about one subject are raised again only when its score has risen
by the model's `step` since the last one, so the worklist sees escalations, not repeats.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from chaincut.model.money import fmt_grouped
from chaincut.warning.events import Call, Event, Message, Report, Transfer, iso
from chaincut.warning.evidence import (
    Directory,
    RaisedWarning,
    contact_why,
    minutes,
    prime_scripts,
    script_verdict,
)
from chaincut.warning.lures import RECEIVERS_CAP, LureBook
from chaincut.warning.scoring import INDEX, NAMES, WarningModel, default_model
from chaincut.warning.state import (
    BURST_WINDOW_S,
    CONTACT_PAY_WINDOW_S,
    IDLE_S,
    KNOWN_CAP,
    REACH_CAP,
    REVERSE_WINDOW_S,
    AccountState,
    NumberState,
    Signal,
    SubjectState,
    add_capped,
)
from chaincut.warning.urgency import UrgencyModel, default_urgency, urgency_features, urgency_why
from chaincut.warning.why import Why, as_why, joined, why

#: `Directory`, `RaisedWarning` and `prime_scripts` live in `chaincut.warning.evidence`; they
#: are named here too, where the replay, the stream and the service have always imported them
__all__ = ["Directory", "RaisedWarning", "Warner", "prime_scripts"]

_LOG_REACH = math.log1p(REACH_CAP)
_LOG_HOUR = math.log1p(3600)
_LOG_LURE = math.log1p(RECEIVERS_CAP)
_STRANGERS_CAP = 16
#: turns of a thread with one stranger that count fully
_LOG_TURNS = math.log1p(8)
#: a call this long (as a feature value: about 3 minutes) from a stranger to someone who then
#: reports a fraud makes the number one of the gang's lines
_DEN_CALL = math.log1p(180) / _LOG_HOUR
#: transfers that are not a payment to someone (cash out of one's own account)
_NOT_PAYMENTS = frozenset({"atm_withdrawal"})
SWEEP_EVERY = 100_000


class Warner:
    """Turns a time-ordered stream of events into warnings; see the module docstring."""

    def __init__(
        self,
        directory: Directory | None = None,
        model: WarningModel | None = None,
        urgency: UrgencyModel | None = None,
    ):
        self.directory = directory or Directory()
        self.model = model or default_model()
        self.urgency = urgency or default_urgency()
        self.numbers: dict[str, NumberState] = {}
        self.accounts: dict[str, AccountState] = {}
        self.subjects: dict[tuple[str, str], SubjectState] = {}
        self.lures = LureBook()
        #: account -> the mule model's score, for the accounts it flags (`set_mule_scores`)
        self.mule_scores: dict[str, float] = {}
        self.events = 0
        self._next_id = 1
        #: (subject key, feature vector) after every change, for training; off unless a list
        self.trace: list[tuple[tuple[str, str], int, list[float]]] | None = None

    # -- entities --------------------------------------------------------------------------
    def _number(self, number: str, ts: int) -> NumberState:
        state = self.numbers.get(number)
        if state is None:
            state = self.numbers[number] = NumberState(ts)
        state.last_ts = ts
        return state

    def _account(self, account: str, ts: int) -> AccountState:
        state = self.accounts.get(account)
        if state is None:
            state = self.accounts[account] = AccountState(ts)
        state.last_ts = ts
        return state

    def _subject(self, kind: str, value: str, ts: int) -> SubjectState:
        holder = (
            self.directory.phone_holder.get(value)
            if kind == "phone"
            else self.directory.account_holder.get(value)
        )
        key = ("person", holder) if holder else (kind, value)
        state = self.subjects.get(key)
        if state is None:
            state = self.subjects[key] = SubjectState(key[0], key[1], ts, [0.0] * len(NAMES))
        state.last_ts = ts
        state.fade(ts)
        return state

    # -- the stream ------------------------------------------------------------------------
    def process(self, event: Event) -> list[RaisedWarning]:
        """Take one event (in time order) and return the warnings it raises."""
        self.events += 1
        if self.events % SWEEP_EVERY == 0:
            self.sweep(event.ts)
        match event:
            case Call():
                return self._contact(event.call_id, "call", event.ts, event.caller,
                                     event.callee, event.duration_s, "", event.imei)  # fmt: skip
            case Message():
                return self._contact(event.msg_id, "message", event.ts, event.sender,
                                     event.receiver, 0, event.text)  # fmt: skip
            case Transfer():
                return self._transfer(event)
            case Report():
                return self._report(event)

    def _contact(
        self,
        eid: str,
        kind: str,
        ts: int,
        src: str,
        dst: str,
        duration: int,
        text: str,
        imei: str = "",
    ) -> list[RaisedWarning]:
        number = self._number(src, ts)
        reach_n = self._reach(number, dst, imei, ts)
        out: list[RaisedWarning] = []
        sender = self._subject("phone", src, ts)
        if dst in sender.strangers:
            # a reply to a stranger does not make the stranger a known contact: it is the
            # sender engaging with whoever approached them
            out += self._engaged(sender, dst, eid, kind, ts)
        else:
            add_capped(sender.known, dst, KNOWN_CAP)
        subject = self._subject("phone", dst, ts)
        raised: list[str] = []
        reach_f = math.log1p(max(0, reach_n - 1)) / _LOG_REACH
        stranger = src not in subject.known
        strength = 0.0
        if stranger:
            count = subject.strangers.get(src, 0) + 1
            if src in subject.strangers or len(subject.strangers) < _STRANGERS_CAP:
                subject.strangers[src] = count
            self._raise(subject, "reach", reach_f, raised)
            self._raise(subject, "repeat_contact", math.log1p(count - 1) / math.log1p(8), raised)
            n_strangers = math.log1p(len(subject.strangers)) / math.log1p(_STRANGERS_CAP)
            self._raise(subject, "strangers", n_strangers, raised)
            if duration:
                dur_f = math.log1p(duration) / _LOG_HOUR
                self._raise(subject, "stranger_long_call", dur_f, raised)
                self._raise(subject, "reach_long_call", reach_f * dur_f, raised)
                _, best_script = subject.mark(src, call=dur_f)
                self._raise(subject, "conversation", dur_f * best_script, raised)
                strength = max(strength, dur_f * max(reach_f, 0.25))
        if number.flagged:
            self._raise(subject, "listed_contact", 1.0, raised)
            strength = max(strength, 1.0)
        why_type = Why(())
        if text:
            score, fraud_type, phrases, lures = script_verdict(text)
            if score:
                subject.add_type(fraud_type)
                self._raise(subject, "script", score, raised)
                if stranger:
                    subject.scripts += 1
                    scripts_f = math.log1p(subject.scripts) / math.log1p(8)
                    self._raise(subject, "scripts", scripts_f, raised)
                    longest, _ = subject.mark(src, script=score)
                    self._raise(subject, "conversation", score * longest, raised)
                    self._raise(subject, "personal_script", score * (1 - reach_f), raised)
                self._raise(subject, "script_reach", score * reach_f, raised)
                strength = max(strength, score)
                subject.script_ts = ts
                why_type = why("script", fraud_type=str(fraud_type), phrases=str(phrases))
            if lures and (stranger or score):
                subject.lure_ts = ts
                others, lure = self.lures.others(lures, dst)
                if others and self._raise(subject, "lure_shared",
                                          math.log1p(others) / _LOG_LURE, raised):  # fmt: skip
                    strength = max(strength, 0.5)
                    what = why("lure", lure=lure.split(":", 1)[1], n=str(others))
                    why_type = (
                        joined([why_type, what]) if why_type else why("message_lure", what=what)
                    )
                if score:
                    self.lures.add(lures, dst, ts)
        if stranger:
            self._thread(subject, src, raised)
        stale = ts - subject.contact_ts > CONTACT_PAY_WINDOW_S
        # the moment of the last suspicious contact (the worklist's urgency reads it)
        subject.contact_last_ts = ts if strength > 0.1 else subject.contact_last_ts
        if strength > 0.1 and (strength > subject.contact_strength or stale):
            subject.contact_ts, subject.contact_strength = ts, strength
        if not raised:
            return out
        repeat = subject.strangers.get(src, 0) if stranger else 0
        said = contact_why(src, number, reach_n, imei, duration, why_type, repeat, kind)
        return out + self._evidence(subject, Signal.of(kind, eid, ts, said), raised)

    def _reach(self, number: NumberState, dst: str, imei: str, ts: int) -> int:
        """Count `dst` among the number's contacts; the people the number (or its handset)
        has reached."""
        add_capped(number.contacts, dst, REACH_CAP)
        if not imei:
            return number.reach
        # a SIM box spreads its calls over many SIMs: the handset's reach counts too, and a
        # flag on one of its numbers (or on the handset) is a flag on all of them
        number.handset = "imei:" + imei
        device = self._number(number.handset, ts)
        add_capped(device.contacts, dst, REACH_CAP)
        if number.flagged and not device.flagged:
            device.flagged = number.flagged
        elif device.flagged and not number.flagged:
            number.flagged = device.flagged
        return max(number.reach, device.reach)

    def _engaged(
        self, subject: SubjectState, stranger: str, eid: str, kind: str, ts: int
    ) -> list[RaisedWarning]:
        """`subject` calls or writes back to a stranger who had approached them: as strong as
        the stranger's longest call or best fraud script."""
        call, script = subject.marks.get(stranger, (0.0, 0.0))
        subject.replies[stranger] = subject.replies.get(stranger, 0) + 1
        subject.reply_ts = ts
        raised: list[str] = []
        self._raise(subject, "engaged", max(call, script), raised)
        self._thread(subject, stranger, raised)
        if not raised:
            return []
        code = ("called_" if kind == "call" else "wrote_") + (
            "script" if script >= call else "call"
        )
        return self._evidence(subject, Signal.of(kind, eid, ts, why(code, who=stranger)), raised)

    def _thread(self, subject: SubjectState, stranger: str, raised: list[str]) -> None:
        """A conversation: the turns either way with a stranger who sent a fraud script or
        called at length, weighed by the stronger of the two (a mass text has one turn)."""
        call, script = subject.marks.get(stranger, (0.0, 0.0))
        if call or script:
            turns = math.log1p(subject.turns(stranger) - 1) / _LOG_TURNS
            self._raise(subject, "thread", max(call, script) * turns, raised)

    def _transfer(self, t: Transfer) -> list[RaisedWarning]:
        src = self._account(t.src, t.ts)
        dst = self._account(t.dst, t.ts)
        new_payee = t.dst not in src.payees
        add_capped(src.payees, t.dst, KNOWN_CAP)
        src.outgoing.append((t.txn_id, t.ts, t.dst))
        dst.add_payer(t.src, t.ts, t.txn_id)
        if t.channel in _NOT_PAYMENTS:
            return []
        subject = self._subject("account", t.src, t.ts)
        raised: list[str] = []
        reasons: list[Why] = []
        if dst.flagged:
            self._raise(subject, "pay_flagged", 1.0, raised)
            subject.add_type(dst.fraud_type, 2)
            reasons.append(why("account_is", flagged=dst.flagged))
        if new_payee:
            fan = dst.fan_in(t.ts) - 1
            self._raise(subject, "pay_fanin", math.log1p(fan) / _LOG_REACH, raised)
            self._raise(subject, "pay_new_large", math.log10(t.cents / 100 + 1) / 6, raised)
            subject.new_payments.append(t.ts)
            burst = sum(1 for ts in subject.new_payments if t.ts - ts <= BURST_WINDOW_S)
            self._raise(subject, "pay_burst", math.log1p(burst - 1) / math.log1p(8), raised)
            if fan >= 3:
                reasons.append(why("fan_in", n=str(fan)))
            if burst > 1:
                reasons.append(why("burst", n=str(burst)))
            if subject.contact_ts >= 0 and t.ts - subject.contact_ts <= CONTACT_PAY_WINDOW_S:
                self._raise(subject, "pay_after_contact", subject.contact_strength, raised)
                subject.paid_ts = t.ts
                reasons.append(why("after_contact", span=minutes(t.ts - subject.contact_ts)))
            mule = self.mule_scores.get(t.dst, 0.0)
            if mule and self._raise(subject, "pay_mule", mule, raised):
                reasons.append(why("mule", score=f"{mule:.2f}"))
            named = self.lures.account_named(t.dst)
            if named and self._raise(subject, "pay_lure", math.log1p(named) / _LOG_LURE, raised):
                reasons.append(why("lure_account", n=str(named)))
        if not raised:
            return []
        said = why("transfer", amount=fmt_grouped(t.cents), src=t.src, dst=t.dst)
        if new_payee:
            said += why("first_payment")
        if reasons:
            said += why("colon") + joined(reasons)
        return self._evidence(subject, Signal.of("transfer", t.txn_id, t.ts, said), raised)

    def _report(self, r: Report) -> list[RaisedWarning]:
        for key in (("account", r.victim_account), ("person", r.victim_id or "")):
            if key[1]:
                reporter = self._subject(key[0], key[1], r.ts)
                reporter.reported = True
                self._flag_approachers(reporter, r)
        victim = self.accounts.get(r.victim_account)
        wanted = set(r.fraud_txn_ids)
        targets = sorted(
            {dst for txn, _, dst in victim.outgoing if txn in wanted} if victim else ()
        )
        out: list[RaisedWarning] = []
        for account in targets:
            out += self.flag_account(account, why("reported_in", report=r.report_id), r.ts, r.fraud_type,
                                     source=("report", r.report_id))  # fmt: skip
        return out

    def _flag_approachers(self, reporter: SubjectState, r: Report) -> None:
        """The strangers who sent a person who reports a fraud script or a long call are the
        gang's lines: flag them (and so their handsets), so their next contacts weigh."""
        for number, (call, script) in reporter.marks.items():
            state = self.numbers.get(number)
            if state is None or state.flagged or not (script or call >= _DEN_CALL):
                continue
            state.flagged = why("reported_in", report=r.report_id)
            device = self.numbers.get(state.handset)
            if device is not None and not device.flagged:
                device.flagged = state.flagged

    def flag_account(
        self,
        account: str,
        flag: str | Why,
        ts: int,
        fraud_type: str | None = None,
        *,
        source: tuple[str, str] | None = None,
    ) -> list[RaisedWarning]:
        """Mark `account` as a fraud account (reported, listed, stopped, scored as a mule) and
        warn the others who paid it in the last two weeks (the reverse trace)."""
        state = self._account(account, ts)
        state.flagged, state.fraud_type = as_why(flag), fraud_type or state.fraud_type
        kind, ident = source or ("report", account)
        out: list[RaisedWarning] = []
        for payer, (paid_at, txn_id) in sorted(state.payers.items()):
            if ts - paid_at > REVERSE_WINDOW_S or paid_at > ts:
                continue
            subject = self._subject("account", payer, ts)
            if subject.reported:
                continue
            raised: list[str] = []
            self._raise(subject, "reverse_trace", 1.0, raised)
            subject.paid_ts = max(subject.paid_ts, paid_at)
            self._raise(subject, "pay_flagged", 1.0, raised)
            subject.add_type(fraud_type, 2)
            if raised:
                paid = why("paid", account=account, at=iso(paid_at))
                subject.signals.append(Signal.of("transfer", txn_id, paid_at, paid))
                text = why("reverse", account=account, payer=payer, flagged=state.flagged)
                out += self._evidence(subject, Signal.of(kind, ident, ts, text), raised)
        return out

    def set_mule_scores(self, scores: Mapping[str, float]) -> None:
        """The mule model's scores of the accounts it flags (`chaincut.scoring`), as the last
        scoring run published them: a first transfer to one raises `pay_mule` by its score.
        Replaces the scores set before (the accounts a run no longer flags are dropped)."""
        self.mule_scores = {a: min(1.0, max(0.0, float(v))) for a, v in scores.items() if v > 0}

    def flag_number(self, number: str, flag: str | Why, ts: int) -> None:
        """Mark a phone number as listed (fraud list, report): its contacts weigh more."""
        self._number(number, ts).flagged = as_why(flag)

    # -- scoring ---------------------------------------------------------------------------
    def _raise(self, subject: SubjectState, name: str, value: float, raised: list[str]) -> bool:
        if subject.raise_feature(INDEX[name], value):
            raised.append(name)
            return True
        return False

    def _evidence(
        self, subject: SubjectState, signal: Signal, raised: list[str]
    ) -> list[RaisedWarning]:
        signal.weight = sum(self.model.weights[INDEX[n]] for n in raised)
        subject.signals.append(signal)
        if self.trace is not None:
            self.trace.append(((subject.kind, subject.id), signal.ts, list(subject.features)))
        if subject.reported:
            return []
        score = self.model.score(subject.features)
        if score < self.model.raise_at:
            return []
        if subject.warnings and score < subject.last_score + self.model.step:
            return []
        subject.last_score = score
        subject.warnings += 1
        if subject.first_warned_ts < 0:
            subject.first_warned_ts = signal.ts
        warning_id = f"W{self._next_id:08d}"
        self._next_id += 1
        evidence = tuple(sorted((s for s in subject.signals if s.weight > 0), key=lambda s: s.ts))
        x = urgency_features(subject, score, signal.ts, signal.kind)
        return [
            RaisedWarning(
                warning_id, subject.kind, subject.id, signal.ts, score, subject.fraud_type(),
                self.model.action(score), evidence, self.urgency.priority(x),
                urgency_why(subject, signal.ts), tuple(x),
            )
        ]  # fmt: skip

    def sweep(self, now: int) -> int:
        """Forget numbers, accounts and subjects idle for 30 days; returns how many."""
        dropped = 0
        for numbers in (self.numbers, self.accounts):
            stale = [k for k, v in numbers.items() if now - v.last_ts > IDLE_S]
            for key in stale:
                del numbers[key]
            dropped += len(stale)
        gone = [k for k, v in self.subjects.items() if now - v.last_ts > IDLE_S]
        for subject in gone:
            del self.subjects[subject]
        dropped += len(gone) + self.lures.sweep(now)
        return dropped
