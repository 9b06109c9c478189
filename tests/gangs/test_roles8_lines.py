"""Operators' lines read each person once per run (`lines.phones_of`), with the same output
as reading every person for each gang (round seven's code, kept below as the reference)."""

from __future__ import annotations

import math
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.graph import split
from chaincut.gangs.lines import operators, phones_of
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member, sig
from chaincut.gangs.phonebook import phonebook
from chaincut.gangs.sentences import Sentence, said


def _reference(inside: set[str], ev: Evidence, taken: set[str]) -> list[Member]:
    """`lines.operators` as it was at the end of round seven (every person read per gang)."""
    victim_people = {str(r["victim_id"]) for r in ev.reports}
    victims_phone = {p["phone"] for p in ev.persons if p["person_id"] in victim_people}
    evidence: dict[str, list[str]] = defaultdict(list)
    for c in ev.contacts:
        if c["dst"] in victims_phone:
            evidence[c["src"]].append(str(c["first_id"]))
    box_victims: dict[str, int] = defaultdict(int)
    imeis: dict[str, set[str]] = defaultdict(set)
    for d in ev.devices:
        box_victims[str(d["imei"])] += ev.reach.get(d["phone"], (0, 0))[1]
        imeis[d["phone"]].add(str(d["imei"]))
    out: list[Member] = []
    lines: set[str] = set()
    for kind, ident in map(split, inside):
        if kind != "phone" or ident in victims_phone or ident in taken or ident not in ev.reach:
            continue
        contacts, victims = ev.reach[ident]
        box = max((box_victims[i] for i in imeis[ident]), default=0)
        sims = max((ev.device_reach.get(i, (1, 0))[0] for i in imeis[ident]), default=1)
        x = -3.0 + 1.0 * min(victims, 5) + 4.0 * victims / (contacts + 5)
        x += 0.7 * math.log2(1 + max(box - victims, 0)) + 0.5 * math.log2(sims)
        x -= 3.0 * math.log10(contacts / 20 + 1)
        conf = sig(x)
        if conf < MIN_CONFIDENCE:
            continue
        lines.add(ident)
        why = said("reached", victims=str(victims), contacts=str(contacts))
        if sims > 1:
            why = said("reached_handset", victims=str(victims), contacts=str(contacts),
                       numbers=str(sims), box=str(box))  # fmt: skip
        out.append(member("phone", ident, "operator", conf, [why, *sorted(evidence[ident])[:8]]))
    for d in ev.devices:
        imei = str(d["imei"])
        if d["phone"] in lines and f"device:{imei}" in inside:
            conf = sig(-1.0 + 0.6 * math.log2(1 + box_victims[imei]))
            if conf >= MIN_CONFIDENCE:
                line: list[str | Sentence] = [
                    said("carried_line", phone=str(d["phone"]), victims=str(box_victims[imei])),
                    str(d["first_id"]),
                ]
                out.append(member("device", imei, "operator", conf, line))
    unique: dict[tuple[str, str], Member] = {}
    for m in out:
        unique.setdefault((m.kind, m.id), m)
    return list(unique.values())


PHONES = [f"+86138000000{i:02d}" for i in range(12)]
people = st.lists(
    st.tuples(st.sampled_from([f"P{i}" for i in range(8)]), st.sampled_from([*PHONES, ""])),
    min_size=1,
    max_size=16,
)


@settings(max_examples=60, deadline=None)
@given(
    rows=people,
    victims=st.sets(st.sampled_from([f"P{i}" for i in range(8)]), max_size=4),
    calls=st.lists(st.tuples(st.sampled_from(PHONES), st.sampled_from(PHONES)), max_size=30),
    reach=st.dictionaries(
        st.sampled_from(PHONES), st.tuples(st.integers(1, 60), st.integers(0, 8))
    ),
    handsets=st.lists(st.tuples(st.sampled_from(PHONES), st.sampled_from("ABC")), max_size=8),
)
def test_operators_read_each_person_once_and_name_the_same_lines(
    rows: list[tuple[str, str]],
    victims: set[str],
    calls: list[tuple[str, str]],
    reach: dict[str, tuple[int, int]],
    handsets: list[tuple[str, str]],
) -> None:
    ev = Evidence(
        persons=[{"person_id": p, "phone": ph or None} for p, ph in rows],
        reports=[{"victim_id": v} for v in sorted(victims)],
        contacts=[{"src": a, "dst": b, "first_id": f"C{i}"} for i, (a, b) in enumerate(calls)],
        reach={k: (max(c, v), v) for k, (c, v) in reach.items()},
        devices=[{"phone": p, "imei": i, "first_id": f"D{n}"} for n, (p, i) in enumerate(handsets)],
        device_reach={"A": (3, 2), "B": (1, 0)},
    )
    inside = {f"phone:{p}" for p in PHONES} | {"device:A", "device:B"}
    taken = {PHONES[0]}

    def facts(ms: list[Member]) -> list[tuple[str, str, str, float, list[str]]]:
        return sorted((m.kind, m.id, m.role, m.confidence, m.evidence) for m in ms)

    assert facts(operators(inside, ev, taken)) == facts(_reference(inside, ev, taken))


def test_the_persons_numbers_are_built_once_per_phonebook() -> None:
    rows = [{"person_id": "P1", "phone": "+1"}, {"person_id": "P1", "phone": "+2"}]
    book = phonebook(rows)
    assert phones_of(book) is phones_of(book)
    assert sorted(phones_of(book)["P1"]) == ["+1", "+2"]
    assert phones_of(phonebook([{"person_id": "P2", "phone": "+3"}])) == {"P2": ["+3"]}
