"""Round nine's financiers: the den's crew abroad (named operator) are no running contacts;
calling the gang's people here still is (a core member runs the operation from abroad)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.funders import funders
from chaincut.gangs.member import member

BOSS, OTHER = "+85620555000001", "+85620555000002"


def _role(crew_abroad: int, people_here: int) -> str:
    """The role `funders` gives a holder abroad (called core member by `bosses`) whose number
    talks to the other boss, to `crew_abroad` of the den's operators abroad and to
    `people_here` of the gang's mules at home."""
    crew = [f"+8552000{i:04d}" for i in range(crew_abroad)]
    here = [f"+861390000{i:04d}" for i in range(people_here)]
    persons = [{"person_id": "B", "phone": BOSS}, {"person_id": "O", "phone": OTHER}]
    persons += [{"person_id": f"OP{i}", "phone": n} for i, n in enumerate(crew)]
    persons += [{"person_id": f"M{i}", "phone": n} for i, n in enumerate(here)]
    members = [member("person", "B", "core_member", 0.75, ["holder"]),
               member("person", "O", "core_member", 0.75, ["holder"])]  # fmt: skip
    members += [member("person", f"OP{i}", "operator", 0.8, ["x"]) for i in range(crew_abroad)]
    members += [member("person", f"M{i}", "mule", 0.9, ["x"]) for i in range(people_here)]
    ev = Evidence(persons=persons, holders=[{"country": "CN"}])
    talks = {BOSS: {OTHER, *crew, *here}, OTHER: {BOSS}}
    funders(members, {"B", "O"}, ev, talks)
    return members[0].role


def test_a_boss_who_talks_to_the_bosses_and_the_dens_crew_abroad_is_the_financier() -> None:
    assert _role(crew_abroad=3, people_here=0) == "financier"
    assert _role(crew_abroad=3, people_here=3) == "core_member"


@given(st.integers(0, 8), st.integers(0, 6))
def test_the_crew_abroad_never_holds_a_financier_back_the_people_here_do(
    crew: int, here: int
) -> None:
    role = _role(crew, here)
    if role == "financier":
        assert _role(crew + 1, here) == "financier"
    else:
        assert _role(crew, here + 1) == "core_member"


def test_a_core_member_named_from_his_calls_alone_is_the_financier_if_he_talks_only_abroad() -> (
    None
):
    # (no account of his anywhere: `talkers` named him core member at 0.6 from his calls)
    persons = [{"person_id": "B", "phone": BOSS}, {"person_id": "T", "phone": OTHER},
               {"person_id": "M", "phone": "+8613900000001"}]  # fmt: skip
    ev = Evidence(persons=persons, holders=[{"country": "CN"}])
    for calls_here, role in ((False, "financier"), (True, "core_member")):
        members = [member("person", "B", "core_member", 0.75, ["holder"]),
                   member("person", "T", "core_member", 0.6, ["talks to the bosses"]),
                   member("person", "M", "mule", 0.9, ["x"])]  # fmt: skip
        mine = {BOSS, "+85520000001"} | ({"+8613900000001"} if calls_here else set())
        funders(members, {"B", "T"}, ev, {OTHER: mine, BOSS: {OTHER}})
        assert members[1].role == role
        if role == "financier":
            assert any("talks" in e and "abroad" in e for e in members[1].evidence)
