"""Record linkage keeps pairwise links with weights; the analyst's word wins."""

from __future__ import annotations

from chaincut.gangs.people import Judgement, PersonLink, apply_judgements, resolve

ROWS = [
    {"person_id": "A", "name": "王伟", "id_number": "110101199001010011", "birth_date": "1990-01-01", "phone": "+8613800000001"},
    {"person_id": "B", "name": "王伟", "id_number": "110101199001010011", "birth_date": "1990-01-01", "phone": "+8613900000002"},
    {"person_id": "C", "name": "李娜", "id_number": "220101198502020022", "birth_date": "1985-02-02", "phone": "+8613900000002"},
] + [
    {"person_id": f"N{k}", "name": f"人{k}", "id_number": f"3301011970010{k:05d}", "birth_date": "1970-01-01", "phone": f"+86137{k:08d}"}
    for k in range(40)
]  # fmt: skip


def test_same_id_number_name_and_birth_date_link_with_a_weight() -> None:
    links = {(k.a, k.b): k for k in resolve(ROWS)}
    assert ("A", "B") in links
    assert links[("A", "B")].match_weight > 0
    assert 0.8 <= links[("A", "B")].probability <= 1


def test_no_transitive_closure() -> None:
    # B shares a phone with C, A shares everything but the phone with B: A~B does not make A~C
    links = {(k.a, k.b) for k in resolve(ROWS)}
    assert ("A", "C") not in links


def test_judgements_override_the_model() -> None:
    model = [PersonLink("A", "B", 12.0, 0.99), PersonLink("B", "C", 3.0, 0.85)]
    said = [Judgement("B", "A", False), Judgement("N1", "C", True)]
    out = {(k.a, k.b): k for k in apply_judgements(model, said)}
    assert ("A", "B") not in out
    assert out[("C", "N1")].source == "analyst"
    assert out[("C", "N1")].probability == 1.0
    assert ("B", "C") in out
