"""Fraud calls and messages: SIM-box and roaming lines' cold calls with the calls back to them
(`chaincut.simulate.cold_calls`), spam, operators' calls and chats with victims in the hours
before their transfers, and the dens' own calls (recruiters and mules, dealers and launderers,
logistics visiting the boxes).
"""

from __future__ import annotations

import random

import numpy as np

from chaincut.model.schema import FRAUD_TYPES
from chaincut.simulate import scripts
from chaincut.simulate.catalog import BANKS, PAYMENT_INSTITUTIONS
from chaincut.simulate.cold_calls import box_cold_calls, roaming_calls
from chaincut.simulate.dens import Den
from chaincut.simulate.params import SimParams
from chaincut.simulate.rng import stream
from chaincut.simulate.rows import FRAUD_UID, Calls, Messages, RowList, message_channel_code
from chaincut.simulate.simbox import slot_time
from chaincut.simulate.texts import Renderer, spam_pool
from chaincut.simulate.victims import Victim
from chaincut.simulate.world import World

IM_FIRST = {"fake_investment", "romance", "impersonate_boss", "fake_shopping", "fake_game_trading"}
TYPE_LABEL = {t: i + 1 for i, t in enumerate(FRAUD_TYPES)}
INSTITUTION_ZH = {b.code: b.name_zh for b in BANKS} | {
    p.code: p.name_zh for p in PAYMENT_INSTITUTIONS
}


class FraudComms:
    def __init__(
        self, world: World, dens: list[Den], victims: list[Victim], params: SimParams
    ) -> None:
        self.w, self.dens, self.victims, self.p = world, dens, victims, params
        self.r = random.Random(f"{world.seed}:fraud-comms")
        self.rr = Renderer(world.seed, "fraud-comms")
        self.calls = RowList(6)  # ts, caller, callee, duration, cell, imei
        self.msgs = RowList(6)  # ts, sender, receiver, text, channel, label
        self.texts: list[str] = []

    def call(self, ts: int, caller: int, callee: int, duration: int, cell: int, imei: int) -> None:
        if self.w.start_ts <= ts < self.w.end_ts:
            self.calls.append(ts, caller, callee, duration, cell, imei)

    def say(self, ts: int, sender: int, receiver: int, text: str, channel: str, label: int) -> None:
        if self.w.start_ts <= ts < self.w.end_ts:
            self.texts.append(text)
            self.msgs.append(
                ts, sender, receiver, len(self.texts) - 1, message_channel_code(channel), label
            )

    def build(self, text_offset: int) -> tuple[Calls, Messages]:
        """All fraud calls and messages; message texts index `text_offset + i` of `texts`."""
        parts = [box_cold_calls(self.w, self.dens), roaming_calls(self.w, self.dens)]
        spam = self._spam()
        for v in self.victims:
            self._victim(v)
        for den in self.dens:
            self._den_calls(den)
        c = self.calls
        parts.append(
            Calls(
                c.array(0),
                c.array(1),
                c.array(2),
                c.array(3),
                c.array(4),
                c.array(5),
                np.zeros(len(c), np.uint64),
            )
        )
        calls = Calls.concat(parts)
        calls.uid = FRAUD_UID + np.arange(len(calls), dtype=np.uint64)
        m = self.msgs
        mine = Messages(
            m.array(0),
            m.array(1),
            m.array(2),
            m.array(3),
            m.array(4, np.uint8),
            m.array(5, np.uint8),
            np.zeros(len(m), np.uint64),
        )
        messages = Messages.concat([spam, mine])
        messages.text = messages.text + text_offset
        messages.uid = FRAUD_UID + np.arange(len(messages), dtype=np.uint64)
        return calls, messages

    def _spam(self) -> Messages:
        total = int(self.p.spam_share * self.w.sizes.messages)
        senders = [(den, box) for den in self.dens for box in den.boxes]
        pool = spam_pool(self.w.seed, 40)
        parts = [Messages.empty()]
        if not senders or total == 0:
            return Messages.concat(parts)
        per = max(1, total // len(senders))
        phones = self.w.population.phone
        for i, (den, box) in enumerate(senders):
            rng = stream(self.w.seed, "spam", i)
            ftype = den.fraud_types[0]
            first = len(self.texts)
            self.texts.extend(pool[ftype])
            ts, _, slot = slot_time(rng, box, per)
            parts.append(
                Messages(
                    ts=ts,
                    sender=box.sim_at(slot, ts),
                    receiver=phones[rng.integers(0, len(phones), per)],
                    text=first + rng.integers(0, len(pool[ftype]), per),
                    channel=np.full(per, message_channel_code("sms"), np.uint8),
                    label=np.full(per, TYPE_LABEL[ftype], np.uint8),
                    uid=np.zeros(per, np.uint64),
                )
            )
        return Messages.concat(parts)

    def _victim(self, v: Victim) -> None:
        r, rr = self.r, self.rr
        den = self.dens[v.den]
        t, label = v.fraud_type, TYPE_LABEL[v.fraud_type]
        me = int(self.w.population.phone[v.person])
        c = v.contact
        line = next((m for m in den.mobiles if m.phone == c.phone), r.choice(den.mobiles))
        if c.via_box and c.box is not None:
            dur = r.randint(300, 2400)
            box, session = c.box, np.array([c.session])
            slot = box.used_slot(np.array([c.slot]))
            sim = int(box.sim_at(slot, np.array([c.ts]))[0])
            imei = int(box.imei_for(slot, session)[0])
            self.call(c.ts, sim, me, dur, int(box.cell_in(session)[0]), imei)
            script = scripts.CALL.get(t, scripts.OPENING[t])
            self.say(c.ts + dur, sim, me, rr.render(r.choice(script)), "call_transcript", label)
        elif t in scripts.CALL and t not in IM_FIRST and r.random() < 0.5:
            dur = r.randint(120, 1800)
            self.call(c.ts, line.phone, me, dur, int(r.choice(line.cells)), line.imei)
            self.say(
                c.ts + dur,
                line.phone,
                me,
                rr.render(r.choice(scripts.CALL[t])),
                "call_transcript",
                label,
            )
        else:
            channel = "im" if t in IM_FIRST else "sms"
            self.say(c.ts, line.phone, me, rr.render(r.choice(scripts.OPENING[t])), channel, label)
        chat = line if not c.via_box else r.choice(den.mobiles)
        if not c.via_box and len(den.mobiles) > 1 and r.random() < self.p.handover_share:
            # the first-line operator hands the victim over to a "second line" (a fake
            # officer, a fake supervisor) on another of the den's numbers
            chat = r.choice([m for m in den.mobiles if m.phone != line.phone])
        end = v.pay_ts[-1] + 1800
        for ts in sorted(r.randint(c.ts + 60, end) for _ in range(r.randint(3, 10))):
            text = rr.render(r.choice(scripts.CONVERSATION[t]), **self._payment_slots(v, ts))
            self.say(ts, chat.phone, me, text, "im", label)
            if r.random() < 0.5:
                reply = rr.render(r.choice(scripts.VICTIM_REPLIES))
                self.say(ts + r.randint(30, 600), me, chat.phone, reply, "im", 0)
        for pay in v.pay_ts:
            if r.random() < 0.4:
                ts = pay - r.randint(300, 3600)
                self.call(
                    max(ts, c.ts + 60),
                    chat.phone,
                    me,
                    r.randint(60, 900),
                    int(r.choice(chat.cells)),
                    chat.imei,
                )
        if r.random() < 0.2:
            home = int(self.w.population.home_cell[v.person])
            imei = int(self.w.population.imei[v.person])
            self.call(r.randint(c.ts + 60, end), me, chat.phone, r.randint(20, 300), home, imei)

    def _payment_slots(self, v: Victim, ts: int) -> dict[str, str]:
        """The amount and the receiving account of the victim's next transfer after `ts`, as
        the fraudster gives them in the chat ("转账3万到建设银行尾号3732")."""
        nxt = next((k for k, p in enumerate(v.pay_ts) if p >= ts), None)
        if nxt is None or nxt >= len(v.entries):
            return {}
        account = v.entries[nxt]
        inst = self.w.institutions.names[int(self.w.accounts.col["institution"][account])]
        cents = v.pay_cents[nxt]
        amount = str(cents // 100) if cents % 100 == 0 else f"{cents // 100}.{cents % 100:02d}"
        return {
            "amount": amount,
            "bank": INSTITUTION_ZH.get(inst, inst),
            "tail": self.w.accounts.id_of(account)[-4:],
        }

    def _den_calls(self, den: Den) -> None:
        r, w = self.r, self.w
        lo, hi = w.start_ts, w.end_ts - 1

        def talk(a: int, b: int, n: int) -> None:
            for _ in range(n):
                caller, callee = (a, b) if r.random() < 0.6 else (b, a)
                imei, cell = den.handset.get(caller, (-1, -1))
                if caller not in den.handset and callee not in den.handset:
                    continue  # both abroad: not in this country's call records
                phone_a = den.phone.get(caller, -1)
                phone_b = den.phone.get(callee, -1)
                if phone_a >= 0 and phone_b >= 0:
                    self.call(r.randint(lo, hi), phone_a, phone_b, r.randint(15, 600), cell, imei)

        m = den.members
        for recruiter in m["recruiter"]:
            for owner in sorted(set(den.owner.values())):
                den.phone.setdefault(owner, int(w.population.phone[owner]))
                den.handset.setdefault(
                    owner, (int(w.population.imei[owner]), int(w.population.home_cell[owner]))
                )
                talk(recruiter, owner, r.randint(1, 2))
            for dealer in m["card_dealer"]:
                talk(dealer, recruiter, r.randint(2, 5))
        for dealer in m["card_dealer"]:
            for launderer in m["launderer"]:
                talk(dealer, launderer, r.randint(1, 4))
        for launderer in m["launderer"]:
            talk(launderer, r.choice(m["core"]), r.randint(2, 6))
        for boss in m["core"]:
            talk(boss, m["financier"][0], r.randint(1, 3))
        for person in m["logistics"]:
            imei, _ = den.handset[person]
            talk(person, r.choice(m["core"]), r.randint(2, 4))
            for box in den.boxes:  # visits to the boxes: the phone shows up at their cell
                for _ in range(r.randint(1, 3)):
                    k = r.randrange(len(box.sessions))
                    on, off = box.sessions[k]
                    self.call(
                        r.randint(on, off),
                        den.phone[person],
                        den.phone[r.choice(m["core"])],
                        r.randint(20, 200),
                        int(box.cell_in(np.array([k]))[0]),
                        imei,
                    )
