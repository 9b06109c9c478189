"""Round eight: `funders` reads the persons (and the bosses' payments) once per run, not once
per gang, and names the same people as reading them afresh for every gang; a salary to the
boss who runs the operation is funding; a number talking mostly to the members abroad counts
for the financier."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.funders import funders
from chaincut.gangs.member import Member, member

FIN, CORE = "+8562055500001", "+8562055500002"


class Counted(list[dict[str, Any]]):
    """A list of rows that counts how often it is read from start to end."""

    reads = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self.reads += 1
        return super().__iter__()


def _gang(k: int) -> tuple[list[Member], set[str]]:
    """Gang `k`: two holders abroad called core members; F{k} pays the gang's dealer."""
    members = [member("person", f"F{k}", "core_member", 0.75, ["holder"]),
               member("person", f"C{k}", "core_member", 0.75, ["holder"]),
               member("person", f"D{k}", "card_dealer", 0.9, []),
               member("person", f"M{k}", "mule", 0.9, [])]  # fmt: skip
    return members, {f"F{k}", f"C{k}"}


def _evidence(gangs: int) -> Evidence:
    ev = Evidence()
    for k in range(gangs):
        ev.persons += [{"person_id": f"F{k}", "phone": f"+85620555{k:03d}01"},
                       {"person_id": f"C{k}", "phone": f"+85620555{k:03d}02"},
                       {"person_id": f"D{k}", "phone": f"+86138000{k:03d}01"},
                       {"person_id": f"M{k}", "phone": f"+86139000{k:03d}01"}]  # fmt: skip
        ev.boss_payments.append({"payer": f"F{k}", "src": f"A{k}", "dst": f"B{k}",
                                 "holder": f"D{k}", "n": 1, "amount": "800.00",
                                 "first_id": f"T{k}", "last_id": f"T{k}"})  # fmt: skip
    ev.reports = [{"report_id": "R1", "victim_id": "V1"}]
    return ev


def _talks(k: int) -> dict[str, set[str]]:
    # (C{k} calls the gang's mule: a core member; F{k} talks to C{k} only)
    return {f"+85620555{k:03d}01": {f"+85620555{k:03d}02"},
            f"+85620555{k:03d}02": {f"+86139000{k:03d}01", f"+85620555{k:03d}01"}}  # fmt: skip


def _named(ev: Evidence, gangs: int) -> list[tuple[str, str, float, list[str]]]:
    out = []
    for k in range(gangs):
        members, bosses = _gang(k)
        funders(members, bosses, ev, _talks(k))
        out += [(m.id, m.role, m.confidence, m.evidence) for m in members]
    return out


def test_funders_reads_the_persons_once_for_every_gang_and_names_the_same() -> None:
    ev = _evidence(4)
    counted = copy.deepcopy(ev)
    counted.persons = Counted(ev.persons)
    once = _named(counted, 4)
    assert counted.persons.reads == 1
    # afresh: every gang's evidence its own copy, so nothing is kept from one gang to the next
    fresh = [x for k in range(4) for x in _named_one(copy.deepcopy(ev), k)]
    assert once == fresh
    assert [(i, r) for i, r, _, _ in once if r == "financier"] == [
        (f"F{k}", "financier") for k in range(4)
    ]


def _named_one(ev: Evidence, k: int) -> list[tuple[str, str, float, list[str]]]:
    members, bosses = _gang(k)
    funders(members, bosses, ev, _talks(k))
    return [(m.id, m.role, m.confidence, m.evidence) for m in members]


def test_rows_added_to_the_evidence_are_read() -> None:
    """The per-run maps are built again when the evidence gains rows (a live update)."""
    ev = _evidence(1)
    members, bosses = _gang(0)
    ev.boss_payments.clear()
    funders(members, bosses, ev, _talks(0))
    assert "T0" not in members[0].evidence
    ev.boss_payments += _evidence(1).boss_payments
    members, bosses = _gang(0)
    funders(members, bosses, ev, _talks(0))
    assert "T0" in members[0].evidence and members[0].role == "financier"


def _two_bosses(fin_here: int, fin_abroad: int, salary: bool) -> dict[str, Member]:
    """Two holders abroad, both called core members by `bosses`: F talks to `fin_abroad`
    numbers abroad (C among them) and `fin_here` numbers here; C calls four of the gang's
    mules (he runs the operation). With `salary` F paid C."""
    ev = Evidence()
    ev.persons = [{"person_id": "F", "phone": FIN}, {"person_id": "C", "phone": CORE}]
    mules = [f"+86139000000{i:02d}" for i in range(4)]
    ev.persons += [{"person_id": f"M{i}", "phone": p} for i, p in enumerate(mules)]
    if salary:
        ev.boss_payments = [{"payer": "F", "src": "A1", "dst": "A2", "holder": "C", "n": 3,
                             "amount": "9000.00", "first_id": "TSAL", "last_id": "TSAL"}]  # fmt: skip
    members = [member("person", "F", "core_member", 0.75, ["holder"]),
               member("person", "C", "core_member", 0.75, ["holder"])]  # fmt: skip
    members += [member("person", f"M{i}", "mule", 0.9, []) for i in range(4)]
    abroad = {CORE} | {f"+8562055599{i:03d}" for i in range(fin_abroad - 1)}
    here = {f"+86137000000{i:02d}" for i in range(fin_here)}
    talks = {FIN: abroad | here, CORE: set(mules) | {FIN}}
    funders(members, {"F", "C"}, ev, talks)
    return {m.id: m for m in members}


def _financier(m: Member) -> float:
    return m.confidence if m.role == "financier" else 1.0 - m.confidence


def test_a_salary_to_the_boss_who_runs_the_operation_is_funding() -> None:
    paid, unpaid = _two_bosses(2, 4, True), _two_bosses(2, 4, False)
    assert _financier(paid["F"]) > _financier(unpaid["F"])
    assert "TSAL" in paid["F"].evidence
    assert paid["C"].role == "core_member"  # the salary is no profit passed up to him


def test_a_number_talking_mostly_to_the_members_abroad_counts_for_the_financier() -> None:
    mostly = _two_bosses(1, 6, False)["F"]
    assert mostly.role == "financier"
    assert any("talks to 7 numbers, 6 of them the gang's members abroad" in e
               for e in mostly.evidence)  # fmt: skip
    half = _two_bosses(4, 4, False)["F"]
    assert half.role == "core_member" and half.confidence == 0.75  # as `bosses` said


@given(st.integers(0, 6), st.integers(1, 6), st.booleans())
def test_more_numbers_here_never_raise_the_financier(here: int, abroad: int, salary: bool) -> None:
    fewer, more = _two_bosses(here, abroad, salary), _two_bosses(here + 1, abroad, salary)
    assert _financier(more["F"]) <= _financier(fewer["F"]) + 1e-9
