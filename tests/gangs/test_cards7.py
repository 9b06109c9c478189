"""The card figures of the evaluation (round seven): the recall over the recorded cards does
not depend on which roles a world records."""

from __future__ import annotations

from chaincut.gangs.analyse import Gang
from chaincut.gangs.evaluate import TruthGang, evaluate
from chaincut.gangs.member import member


def _listed(*ids: str) -> Gang:
    return Gang("GANG-R1", ["R1"], [member("account", a, "mule", 0.9, ["T"]) for a in ids], {}, [])


def test_recorded_card_recall_is_given_whatever_persons_the_world_records() -> None:
    # the world's records show the mule but none of the last role's persons (logistics): the
    # recall over the recorded cards is still given, and is the same with or without `seen`
    truth = [TruthGang({"R1"}, {"A", "B", "IDLE"}, {"A", "B", "IDLE"}, {"mule": {"PA"}})]
    plain = evaluate([_listed("A")], truth, recorded={"A", "B"})
    both = evaluate([_listed("A")], truth, seen={"PA"}, recorded={"A", "B"})
    assert plain["card_recall_recorded"] == 0.5 and plain["cards_recorded"] == 2
    assert both["card_recall_recorded"] == plain["card_recall_recorded"]
    assert both["cards_recorded"] == 2 and both["cards_true"] == 3
    assert both["roles"]["mule"]["recorded"] == 1 and both["roles"]["logistics"]["recorded"] == 0
