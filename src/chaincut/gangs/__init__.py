"""Whole-chain gang analysis (全链条打击): link reports through shared identifiers, resolve
people, find the gangs and name each member's role with evidence. See docs/gangs.md.

    from chaincut.lake.engine import get_engine
    from chaincut.gangs import analyse, collect

    with get_engine(settings) as engine:
        evidence = collect(engine)
    for gang in analyse(evidence).gangs:
        print(gang.json())
"""

from chaincut.gangs.analyse import Analysis, Gang, analyse
from chaincut.gangs.collect import Evidence, collect
from chaincut.gangs.member import ROLES, Member
from chaincut.gangs.people import Judgement, PersonLink

__all__ = [
    "ROLES",
    "Analysis",
    "Evidence",
    "Gang",
    "Judgement",
    "Member",
    "PersonLink",
    "analyse",
    "collect",
]
