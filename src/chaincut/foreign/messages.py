"""Messages: fraud scripts to victims and targets (SMS from box SIMs, IM from operators, call
transcripts of the long calls), mass fraud SMS, marketing spam, bank and operator notices,
honest courier and clinic messages, and chit-chat among family and friends."""

from __future__ import annotations

from chaincut.foreign.chain import Case
from chaincut.foreign.core import DAY, HOUR, World
from chaincut.foreign.gangs import Gang
from chaincut.foreign.phones import Phones
from chaincut.foreign.scripts import fraud_text, transcript
from chaincut.foreign.texts import CHAT, NOTICE, SERVICE, SPAM, dialogue, pick_text


class Messages:
    def __init__(self, w: World, phones: Phones) -> None:
        self.w, self.phones, self.rng = w, phones, w.rng
        self.fraud_type: dict[str, str] = {}  # msg id -> fraud type

    def _fraud(
        self, t: int, sender: str, receiver: str, text: str, channel: str, ftype: str
    ) -> None:
        if 0 <= t < self.w.days * DAY:
            self.fraud_type[self.w.add_message(t, sender, receiver, text, channel, "fraud")] = ftype

    def case_messages(self, case: Case, contact: str, victim: bool) -> None:
        """The script a victim (or a target) received, through the channel that hooked them."""
        rng, phone = self.rng, self.phones.pop.phone[case.victim]
        channel = "im" if contact.startswith("im:") else "sms"
        t = case.start + int(rng.uniform(60, 1800))
        for _ in range(int(rng.integers(1, 5 if victim else 3))):
            self._fraud(
                t,
                contact,
                phone,
                fraud_text(rng, case.fraud_type, 3 if channel == "im" else int(rng.integers(2, 4))),
                channel,
                case.fraud_type,
            )
            t += int(rng.uniform(0.05, 12) * HOUR)
        if victim and channel == "sms":
            self._fraud(
                case.start,
                contact,
                phone,
                transcript(rng, case.fraud_type),
                "call_transcript",
                case.fraud_type,
            )

    def mass_fraud_sms(self, g: Gang, count: int) -> None:
        rng, w = self.rng, self.w
        sims = [(n, s, e) for b in g.boxes for _, n, s, e in b.sims]
        for _ in range(count):
            number, start, stop = sims[int(rng.integers(len(sims)))]
            ftype = w.pick(g.fraud_types)
            self._fraud(
                int(rng.uniform(start, stop)),
                number,
                w.pick(self.phones.numbers),
                fraud_text(rng, ftype, int(rng.integers(2, 4))),
                "sms",
                ftype,
            )

    def everyday(self, per_person_day: float) -> None:
        """Spam, notices, service messages and chit-chat, in proportions of an ordinary inbox."""
        rng, w, pop = self.rng, self.w, self.phones.pop
        spam_senders = [f"106{w.digits(8)}" for _ in range(8)]
        notice_senders = ("95588", "95533", "95555", "95599", "10086", "10010", "10000", "96110")
        couriers = self.phones.lookalikes.get("courier", []) or ["95338"]
        clinic = self.phones.lookalikes.get("clinic_reminder", []) or ["95120"]
        for pid in pop.people:
            me = pop.phone[pid]
            for _ in range(int(rng.poisson(per_person_day * w.days))):
                t, r = self.phones.when(7, 23), rng.random()
                if r < 0.2:
                    w.add_message(t, w.pick(spam_senders), me, pick_text(rng, SPAM), "sms", "spam")
                elif r < 0.45:
                    w.add_message(
                        t, w.pick(notice_senders), me, pick_text(rng, NOTICE), "sms", "normal"
                    )
                elif r < 0.6:
                    text = pick_text(rng, SERVICE)
                    sender = (
                        w.pick(clinic) if "医院" in text or "诊所" in text else w.pick(couriers)
                    )
                    w.add_message(t, sender, me, text, "sms", "normal")
                elif pop.contacts[pid]:
                    friend = pop.phone[w.pick(pop.contacts[pid])]
                    w.add_message(
                        t,
                        me,
                        friend,
                        pick_text(rng, CHAT),
                        "im" if rng.random() < 0.6 else "sms",
                        "normal",
                    )
        seats = self.phones.lookalikes.get("call_centre", []) + couriers + clinic
        for _ in range(max(5, len(pop.people) // 20)):
            # honest calls transcribed too: genre is no evidence
            t = self.phones.when(9, 20)
            w.add_message(
                t,
                w.pick(seats),
                w.pick(self.phones.numbers),
                dialogue(rng),
                "call_transcript",
                "normal",
            )
        for _ in range(max(1, len(pop.people) // 200)):
            # honest people forward the centre's warning, and the den's lines are spoken of
            t = int(rng.uniform(0, w.days) * DAY)
            w.add_message(
                t,
                "96110",
                w.pick(self.phones.numbers),
                pick_text(rng, NOTICE[4:5]),
                "sms",
                "normal",
            )
