"""Round eleven: `--evaluate` counts the innocent accounts listed (beside their share) and
sorts every missed card by why it is missed (`cards_missed`, docs/gangs.md "Round eleven:
cards")."""

from __future__ import annotations

from chaincut.gangs.analyse import Gang
from chaincut.gangs.evaluate import MISSED, TruthGang, evaluate
from chaincut.gangs.member import Member, member


def _cards(*ids: str) -> list[Member]:
    return [member("account", i, "mule", 0.9, ["T1"]) for i in ids]


def test_missed_cards_are_counted_by_cause() -> None:
    truth = [
        # gang 1: reports R1, R2, R3 (cut in two by the grouping), cards A..F
        TruthGang(
            {"R1", "R2", "R3"}, {"A", "B", "C", "D", "E", "F"}, {"A", "B", "C", "D", "E", "F"}
        ),
        # gang 2: report R9 in no predicted gang, card G (recorded) and H (in no transaction)
        TruthGang({"R9"}, {"G", "H"}, {"G", "H"}),
        # gang 3: report R5; its card K listed by gang 1's half
        TruthGang({"R5"}, {"K", "L"}, {"K", "L"}),
    ]
    gangs = [
        Gang("GANG-R1", ["R1", "R2"], _cards("A", "X"), {}, []),  # X: innocent
        Gang("GANG-R3", ["R3"], _cards("B", "K"), {}, []),  # B: the other half of gang 1
        Gang("GANG-R5", ["R5"], _cards("L", "C"), {}, []),  # C: placed with gang 3
    ]
    recorded = {"A", "B", "C", "D", "F", "G", "K", "L", "X"}  # E and H in no transaction
    out = evaluate(gangs, truth, recorded=recorded)
    missed = out["cards_missed"]
    assert tuple(missed) == MISSED
    # gang 1 misses B (split), C (other gang), D (listed nowhere), E (unrecorded), F (nowhere);
    # gang 2: G (no gang), H (unrecorded); gang 3 misses K (in a gang holding none of R5)
    assert missed == {"unrecorded": 2, "no_gang": 1, "split": 1, "other_gang": 2, "unlisted": 2}
    assert sum(missed.values()) == out["cards_true"] - round(
        out["mule_card_recall"] * out["cards_true"]
    )
    assert out["innocent_accounts"] == 1 and out["innocent_share"] == round(1 / 6, 3)


def test_without_the_recorded_cards_nothing_is_called_unrecorded() -> None:
    truth = [TruthGang({"R1"}, {"A", "B"}, {"A", "B"})]
    out = evaluate([Gang("GANG-R1", ["R1"], _cards("A"), {}, [])], truth)
    assert out["cards_missed"]["unlisted"] == 1 and out["cards_missed"]["unrecorded"] == 0
    assert out["innocent_accounts"] == 0
