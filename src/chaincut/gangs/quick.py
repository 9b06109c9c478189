"""A new report placed in the saved grouping by local moves, without community detection: the
live join's quick path (`incremental.live_join(quick=True)`, the service's), where the exact
one (`regroup_to`) runs Leiden again over the whole connected part the report touches, on
most lakes nearly the whole graph (docs/gangs.md, "Round eleven: the live join").

The nodes of the pairs whose weight the report changed (the report, the accounts, people and
numbers it ties to, new or grouped before) move one at a time to the group of highest
modularity gain at the grouping's resolution (Leiden's local moving, on those nodes only; the
others stay where they were), until none moves; then, as after Leiden, groups left without a
report attach to the gang they are most tied to and strong ties join groups
(`community._attach`, `join_strong`).

What it cannot do is what the rebuild's Leiden does elsewhere in the part: on a world whose
grouping is loose, one report more moves other reports between gangs (docs/gangs.md "Round
twelve: speed": on training worlds the gangs without the report differed from the rebuild's
in about a third of cases). So the service answers with it and then groups exactly in the
background (`services.gang_join._settle`), and `chaincut gangs` runs the analysis again
while a quick join is not settled (`persist.provisional`).
"""

from __future__ import annotations

from collections import defaultdict

from chaincut.gangs.community import RESOLUTION, _attach, join_strong

Pair = tuple[str, str]

#: rounds of local moves at most (each touched node moves once a round; a few settle it)
ROUNDS = 8


def changes(before: dict[Pair, float], after: dict[Pair, float]) -> set[Pair]:
    """The pairs whose weight differs (weighing more than nothing on either side)."""
    return {pair for pair, _ in after.items() ^ before.items()
            if after.get(pair, 0) > 0 or before.get(pair, 0) > 0}  # fmt: skip


def quick_regroup(
    groups: list[list[str]],
    before: dict[Pair, float],
    after: dict[Pair, float],
) -> list[list[str]]:
    """The groups of the graph `after` (grouped as `groups` when its weights were `before`)
    with the nodes of the pairs whose weight changed moved by local moves, the others where
    they were."""
    changed = changes(before, after)
    if not changed:
        return groups
    member = {n: k for k, g in enumerate(groups) for n in g}
    return place(groups, member, changed, after)


def place(
    groups: list[list[str]], member: dict[str, int], changed: set[Pair], after: dict[Pair, float]
) -> list[list[str]]:
    """`groups` with the nodes of the `changed` pairs moved by local moves (each to the group
    of highest modularity gain at the grouping's resolution, as Leiden's local moving does;
    the other nodes fixed), groups left without a report attached to the gang they are most
    tied to and strong ties joined, as after Leiden (`community._attach`, `join_strong`)."""
    touched = {n for pair in changed if after.get(pair, 0) > 0 for n in pair}
    strength: dict[str, float] = defaultdict(float)
    around: dict[str, dict[str, float]] = defaultdict(dict)
    edges: list[tuple[str, str, float]] = []
    for (a, b), w in after.items():
        if w <= 0:
            continue
        strength[a] += w
        strength[b] += w
        edges.append((a, b, w))
        if a in touched or b in touched:
            around[a][b] = w
            around[b][a] = w
    label = {n: k for n, k in member.items() if n in strength}
    total: dict[int, float] = defaultdict(float)
    for n, k in label.items():
        total[k] += strength[n]
    # (gain of joining group C: k_n,C - resolution * k_n * total_C / 2m, the whole graph's m
    # standing for the part's: a gang's part is most of a lake's graph)
    scale = RESOLUTION / (sum(strength.values()) or 1.0)
    fresh = len(groups)
    order = sorted(touched)
    for _ in range(ROUNDS):
        moved = False
        for n in order:
            mine = label.get(n)
            if mine is not None:
                total[mine] -= strength[n]
            pull: dict[int, float] = defaultdict(float)
            for m, w in around[n].items():
                theirs = label.get(m)
                if theirs is not None and m != n:
                    pull[theirs] += w
            gain = {k: x - scale * strength[n] * total[k] for k, x in pull.items()}
            best = max(sorted(gain), key=gain.__getitem__) if gain else None
            if best is None or gain[best] <= 0:
                best = mine if mine is not None and not pull.get(mine) else fresh
                fresh += 1 if best == fresh else 0
            total[best] += strength[n]
            if best != mine:
                label[n] = best
                moved = True
        if not moved:
            break
    return _sorted(join_strong(_attach(label, edges), edges))


def _sorted(groups: list[list[str]]) -> list[list[str]]:
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
