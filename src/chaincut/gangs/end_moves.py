"""Reports the grouping put with another gang, moved to the gang whose bosses their own talk to.

The people a report's money ends with (the holders of the accounts abroad it reached,
`related.report_ends`) are its gang's bosses, and one gang's bosses talk to each other
(`related.join_ends` joins whole groups on it). A report whose end people talk to the end
people of another group's reports, enough to join two groups (at least `MIN_END_TALK`
different pairs of people, or one pair at least `MIN_PAIR_CONTACTS` times), and not once to
the end people of its own group's other reports (nor shares one of them), is that group's: the grouping put it where
its cards or calls led (a card dealer or a caller serving both dens), not where its money's
owners are. It moves with the nodes only it ties to its group (its victim, the victim's
account). Round nine's training worlds: docs/gangs.md "Round nine: grouping".

It reads the groups, the reports' ends and the calls between the people there only, so the
live join and a full rebuild move the same reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from chaincut.gangs.graph import LinkGraph

#: the bar a report's talk to another group must pass (the same as `related.join_ends`')
MIN_END_TALK = 2
MIN_PAIR_CONTACTS = 3

Talk = Mapping[str, Mapping[str, int]]


def _pull(mine: set[str], others: list[set[str]], talk: Talk) -> tuple[int, int]:
    """(different pairs of people, contacts in all) between the numbers `mine` and those at the
    ends of the reports `others`; one person at both ends is no call and counts nothing."""
    theirs = set().union(*others) if others else set()
    pairs = {(x, y) for x in mine for y in talk.get(x, {}) if y in theirs and y != x}
    return len(pairs), max((talk[x][y] for x, y in pairs), default=0)


def _destination(
    r: str, k: int, reports: Mapping[int, list[str]], ends: Mapping[str, set[str]], talk: Talk
) -> int | None:
    """The group report `r` (in group `k`) moves to, or None (`move_reports`)."""
    own = [ends[s] for s in reports[k] if s != r]
    # at home: its money ends with the same people as another report's of its group, or with
    # people who talk to theirs
    if not own or ends[r] & set().union(*own) or _pull(ends[r], own, talk)[0] > 0:
        return None
    found = []
    for j in sorted(reports):
        if j != k and reports[j]:
            pairs, most = _pull(ends[r], [ends[s] for s in reports[j]], talk)
            if pairs >= MIN_END_TALK or most >= MIN_PAIR_CONTACTS:
                found.append(j)
    return found[0] if len(found) == 1 else None  # two other groups: nothing says which


def move_reports(
    groups: list[list[str]], ends: Mapping[str, set[str]], talk: Talk, graph: LinkGraph
) -> list[list[str]]:
    """`groups` with each report whose end people talk enough to one other group's end people,
    and not at all to its own group's, moved to that group (the module's rule); a report alone
    in its group is left to `join_ends`. The groups' order and every other node are kept."""
    reports: dict[int, list[str]] = defaultdict(list)
    for k, group in enumerate(groups):
        reports[k] += [n[7:] for n in group if n.startswith("report:") and n[7:] in ends]
    moves: dict[str, int] = {}
    # one report at a time, each decided on the groups as the moves before it left them: two
    # reports whose bosses talk, each in the other's group, end together, not swapped
    for k in sorted(reports):
        for r in list(reports[k]):
            j = _destination(r, k, reports, ends, talk)
            if j is not None:
                moves[f"report:{r}"] = j
                reports[k].remove(r)
                reports[j].append(r)
    if not moves:
        return groups
    where = {n: k for k, g in enumerate(groups) for n in g}
    leaves = _leaves(set(moves), graph)
    out = [list(g) for g in groups]
    for r, j in sorted(moves.items()):
        k = where[r]
        going = {r} | {n for n in leaves.get(r, ()) if where.get(n) == k}
        out[k] = [n for n in out[k] if n not in going]
        out[j] += sorted(going)
    return [sorted(g) for g in out if g]


def _leaves(moving: set[str], graph: LinkGraph) -> dict[str, set[str]]:
    """report -> the nodes whose every edge is to that report (its victim, the victim's
    account where nothing else ties them)."""
    nbrs: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        nbrs[e.a].add(e.b)
        nbrs[e.b].add(e.a)
    return {r: {n for n in nbrs[r] if nbrs[n] == {r}} for r in moving}
