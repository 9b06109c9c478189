"""Related gangs: the evidence that ties two gangs the grouping kept apart.

A gang whose halves share nothing two different gangs do not share as often stays split
(docs/gangs.md, "Round seven: grouping"); the analyst decides, and merges them by opening a
case that holds both (a case's reports are one gang's). Each gang lists the other gangs its
nodes are tied to: the link graph's edges between the two groups (a card paid by one gang's
victim that sent money to the other's, a line of one calling the other's mule, a handset or a
cell both dens' lines use), shared infrastructure left out as in the grouping, each with its
evidence ids, and the score they add up to. Listing a gang here merges nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from scipy.cluster.hierarchy import DisjointSet

from chaincut.gangs.collect import Evidence
from chaincut.gangs.end_moves import move_reports
from chaincut.gangs.graph import Edge, LinkGraph, node
from chaincut.gangs.rowset import RowSet, gets, values
from chaincut.gangs.stability import firmness

#: the ties of one pair kept as evidence, strongest first (the score counts them all)
MAX_TIES = 8
#: gangs listed per gang, highest score first
MAX_RELATED = 5
#: a pair's summed tie weight that gives a score of 1 - 1/e (about 0.63): one victim's payment
#: into the other gang's card (weight 3) scores 0.95, a single call (about 0.3) 0.10
SCALE = 1.0
#: how much a tie of each kind counts towards the score (others: fully): a card dealer's
#: registration ties the gangs it sold cards to, not one gang's halves (on the training worlds
#: 20 of 33 pairs of different gangs shared one, docs/gangs.md "Round seven: grouping")
KIND_WEIGHT = {"registered": 0.1}
#: scores below this are not listed (a lone weak call between two dens)
MIN_SCORE = 0.05


#: the weight of a call or message between the holders of two gangs' accounts abroad (the
#: people the money ends with talking to each other), and of the same account abroad at the
#: end of both gangs' money (divided by the number of other gangs whose money ends there)
END_TALK = 1.0
SAME_END = 2.0


def end_ties(members: Mapping[str, Iterable[str]], ev: Evidence, graph: LinkGraph) -> list[Edge]:
    """Edges (not part of the grouping) between the ends of the gangs' money: an account
    abroad that the money of two gangs' accounts reached (`ev.ends`, and the traces' exits),
    and a call or message between the numbers of the people holding such accounts
    (`ev.boss_contacts`). An account the graph scores as shared infrastructure (an OTC desk,
    an exchange) ties nothing."""
    ends = _ends(members, ev)
    number_at = _numbers_at_ends(ev)
    reached: dict[str, set[str]] = defaultdict(set)
    for gang, accounts in ends.items():
        for acc in accounts:
            if graph.infra.get(node("account", acc), 0.0) < 0.5:
                reached[acc].add(gang)
    out: list[Edge] = []
    for acc, gangs in sorted(reached.items()):
        ordered = sorted(gangs)
        for k, a in enumerate(ordered):
            for b in ordered[k + 1 :]:
                ids = sorted(ends[a][acc])[:3] + sorted(ends[b][acc])[:3]
                w = SAME_END / (len(ordered) - 1)
                out.append(Edge(_at(a), _at(b), "same_end", w, [f"account {acc}", *ids]))
    # the numbers of the people at each gang's ends
    at_end: dict[str, set[str]] = defaultdict(set)
    for acc, gangs in reached.items():
        number = number_at.get(acc)
        for gang in gangs if number else ():
            at_end[str(number)].add(gang)
    # (only rows with a number at an end on both sides tie anything: those read as rows,
    # in the order a stable sort of every row by its two numbers gives them)
    tied = [(str(s), str(d), k) for k, (s, d) in enumerate(values(ev.boss_contacts, "src", "dst"))
            if str(s) in at_end and str(d) in at_end]  # fmt: skip
    rows = ev.boss_contacts
    rows = rows if isinstance(rows, list | RowSet) or not tied else list(rows)  # (indexable)
    for row in (rows[k] for _, _, k in sorted(tied)):
        src, dst = at_end.get(str(row["src"]), set()), at_end.get(str(row["dst"]), set())
        for a in sorted(src):
            for b in sorted(dst - {a}):
                ids = [str(row["first_id"])] + (
                    [str(row["last_id"])] if row["last_id"] != row["first_id"] else []
                )
                out.append(
                    Edge(
                        _at(a),
                        _at(b),
                        "end_talk",
                        END_TALK,
                        [f"{row['channel']} {row['src']} -> {row['dst']}", *ids],
                    )  # fmt: skip
                )
    return out


def _ends(members: Mapping[str, Iterable[str]], ev: Evidence) -> dict[str, dict[str, set[str]]]:
    """gang -> the accounts its money ended in -> the txn ids that reached each."""
    where: dict[str, str] = {}
    for gang_id, nodes in sorted(members.items()):
        for n in nodes:
            where.setdefault(n, gang_id)
    ends: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in ev.ends:
        gang = where.get(node("account", str(row["src"])))
        if gang is not None:
            ends[gang][str(row["dst"])].update({str(row["first_id"]), str(row["last_id"])})
    for tr in ev.traces:
        gang = where.get(node("report", str(tr["report_id"])))
        for x in tr["exits"] if gang is not None else ():
            ends[str(gang)][str(x["to"])].add(str(x["txn_id"]))
    return ends


def _numbers_at_ends(ev: Evidence) -> dict[str, str]:
    """account abroad -> the phone number of the person holding it (`ev.end_holders`, and the
    holder `ev.ends` names), for the accounts whose holder has a number."""
    holder = {str(r["account_id"]): str(r["person_id"]) for r in ev.end_holders}
    holder.update({str(r["dst"]): str(r["holder"]) for r in ev.ends if r["holder"]})
    phone = {str(p): str(n) for p, n in values(ev.persons, "person_id", "phone") if n}
    return {a: phone[h] for a, h in holder.items() if h in phone}


def _at(gang_id: str) -> str:
    # the node a gang's end ties hang from: its earliest report
    return node("report", gang_id.removeprefix("GANG-"))


def _tie(kind: str, a: str, b: str, weight: float, evidence: list[str]) -> dict[str, Any]:
    return {"kind": kind, "from": a, "to": b, "weight": round(weight, 3), "evidence": evidence}


def related(
    members: Mapping[str, Iterable[str]], graph: LinkGraph, extra: Iterable[Edge] = ()
) -> dict[str, list[dict[str, Any]]]:
    """For each gang (`members`: gang id -> the nodes of its group), the gangs its nodes share
    an edge of `graph` (or of `extra`) with, as `{"gang_id", "score", "ties"}`; `score` is
    1 - exp(-w / SCALE) over the summed weight `w` of the edges between the two groups (each
    scaled down at shared infrastructure, nodes past one half left out, as the grouping weighs
    them, and by its kind's `KIND_WEIGHT`), `ties` the strongest of those edges with their
    kind, ends, weight and evidence ids. Symmetric: A lists B with the score B lists A with.
    Gangs without ties are absent; the order is by score, then id."""
    return _listed(*_between(members, graph, extra))


Ties = dict[tuple[str, str], list[dict[str, Any]]]


def _between(
    members: Mapping[str, Iterable[str]], graph: LinkGraph, extra: Iterable[Edge] = ()
) -> tuple[dict[tuple[str, str], float], Ties]:
    """Each pair of gangs' (the smaller id first) summed tie weight and ties (`related`)."""
    where: dict[str, str] = {}
    for gang_id, nodes in sorted(members.items()):
        for n in nodes:
            where.setdefault(n, gang_id)
    weight: dict[tuple[str, str], float] = defaultdict(float)
    ties: Ties = defaultdict(list)
    for e in [*graph.edges, *extra]:
        ga, gb = where.get(e.a), where.get(e.b)
        if ga is None or gb is None or ga == gb:
            continue
        ia, ib = graph.infra.get(e.a, 0.0), graph.infra.get(e.b, 0.0)
        if ia >= 0.5 or ib >= 0.5:
            continue
        w = e.weight * (1 - ia) * (1 - ib) * KIND_WEIGHT.get(e.kind, 1.0)
        if w <= 0:
            continue
        pair = (ga, gb) if ga < gb else (gb, ga)
        a, b = (e.a, e.b) if ga < gb else (e.b, e.a)
        weight[pair] += w
        ties[pair].append(_tie(e.kind, a, b, w, list(e.evidence)))
    return dict(weight), ties


def _listed(weight: dict[tuple[str, str], float], ties: Ties) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pair, w in sorted(weight.items()):
        score = round(1.0 - math.exp(-w / SCALE), 3)
        if score < MIN_SCORE:
            continue
        best = sorted(ties[pair], key=lambda t: (-t["weight"], t["kind"], t["from"], t["to"]))
        for me, other in (pair, pair[::-1]):
            kept = best[:MAX_TIES]
            if me != pair[0]:  # each gang reads its ties from its own node
                kept = [t | {"from": t["to"], "to": t["from"]} for t in kept]
            out[me].append({"gang_id": other, "score": score, "ties": kept})
    return {
        g: sorted(v, key=lambda r: (-r["score"], r["gang_id"]))[:MAX_RELATED]
        for g, v in sorted(out.items())
    }


def relate_gangs(
    gangs: list[Any], groups: list[list[str]], graph: LinkGraph, ev: Evidence | None = None
) -> None:
    """Set each gang's `related` (`related` above) from the groups it was made of (a group's
    gang is the one named after its earliest report), with the ends of the gangs' money
    (`end_ties`) when `ev` is given, and its `stability` and `firmness`
    (`chaincut.gangs.stability`: how near the grouping came to merging it with another gang)."""
    members: dict[str, list[str]] = {}
    for group in groups:
        reports = sorted(n.partition(":")[2] for n in group if n.startswith("report:"))
        if reports:
            members[f"GANG-{reports[0]}"] = group
    extra = end_ties(members, ev, graph) if ev is not None else []
    weight, ties = _between(members, graph, extra)
    found = _listed(weight, ties)
    firm = firmness(members, graph)
    for g in gangs:
        g.related = found.get(g.gang_id, [])
        if g.gang_id in firm:
            g.stability, g.firmness = firm[g.gang_id].stability, firm[g.gang_id].json()


#: how many different pairs of numbers at the ends of two groups' money must have called or
#: messaged each other for the groups to be one gang, and the share of each group's reports
#: (of those whose money reached an end) whose ends talk to the other's (docs/gangs.md, "Round
#: seven: grouping")
MIN_END_TALK = 2
#: ... or one pair of them that called or messaged each other at least this many times in all
#: (both ways): one call may be a wrong number, a pair talking again and again is not
#: (round eight: on the training worlds no two numbers at the ends of different gangs' money
#: talked at all, docs/gangs.md "Round eight: grouping")
MIN_PAIR_CONTACTS = 3
MIN_END_SHARE = 0.5
#: move a report whose end people talk to another group's only (`end_moves`, round nine)
MOVE_REPORTS = True


def report_ends(ev: Evidence, graph: LinkGraph) -> dict[str, set[str]]:
    """report id -> the numbers of the people holding the accounts abroad its money reached:
    the traces' exits, and money from the accounts the report's money reached (`ev.ends`).
    An account the graph scores as shared infrastructure (an OTC desk, an exchange) is no
    one's end."""
    reached: dict[str, set[str]] = defaultdict(set)
    for t in ev.transfers:
        reached[str(t["report_id"])].add(str(t["dst_account"]))
    ends: dict[str, set[str]] = defaultdict(set)
    for tr in ev.traces:
        r = str(tr["report_id"])
        reached[r].update(str(o["account_id"]) for k in ("freeze", "verify", "hubs") for o in tr[k])
        reached[r].update(str(x["from"]) for x in tr["exits"])
        ends[r].update(str(x["to"]) for x in tr["exits"])
    out_of: dict[str, set[str]] = defaultdict(set)
    for row in ev.ends:
        out_of[str(row["src"])].add(str(row["dst"]))
    number_at = _numbers_at_ends(ev)
    out: dict[str, set[str]] = {}
    for r, accounts in reached.items():
        found = ends[r].union(*(out_of[a] for a in accounts))
        found = {a for a in found if graph.infra.get(node("account", a), 0.0) < 0.5}
        numbers = {number_at[a] for a in found if a in number_at}
        if numbers:
            out[r] = numbers
    return out


BossTalk = tuple[dict[str, set[str]], dict[tuple[str, str], int], dict[str, dict[str, int]]]
#: the last `_boss_talk` made: the rows, their number, what they gave
_boss_talked: list[tuple[Any, int, BossTalk]] = []


def _boss_talk(rows: Any) -> BossTalk:
    """Who talks to whom among the people at the money's ends (`ev.boss_contacts`): each
    number's partners, each pair's contacts and each number's contacts with each partner.
    The same for every grouping of one evidence (a live join brings no such rows), so made
    once while the same rows are asked about; readers must not change it."""
    last = _boss_talked[0] if _boss_talked else None
    if last is not None and last[0] is rows and last[1] == len(rows):
        return last[2]
    talk: dict[str, set[str]] = defaultdict(set)
    often: dict[tuple[str, str], int] = defaultdict(int)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s, d, n in gets(rows, "src", "dst", "n"):  # (three columns, no dicts)
        src, dst = str(s), str(d)
        talk[src].add(dst)
        talk[dst].add(src)
        often[(src, dst) if src < dst else (dst, src)] += int(n or 1)
        counts[src][dst] += int(n or 1)
        if dst != src:
            counts[dst][src] += int(n or 1)
    _boss_talked[:] = [(rows, len(rows), (talk, often, counts))]
    return talk, often, counts


def join_ends(groups: list[list[str]], ev: Evidence, graph: LinkGraph) -> list[list[str]]:
    """`groups` with any two joined where the people their money ends with (the holders of
    the accounts abroad it reached) talked to each other: at least `MIN_END_TALK` different
    pairs of them, and for at least `MIN_END_SHARE` of each group's reports whose money ends
    with someone; one pair of them that talked at least `MIN_PAIR_CONTACTS` times counts as
    enough pairs. The people a gang's money ends with are its bosses, and one gang's bosses
    talk; one call may be a wrong number or a broker serving two gangs, and a few reports
    tied in a group of many are another gang's reports the grouping put there: each such
    report whose end people talk to one other group's only moves there (`end_moves`)."""
    ends = report_ends(ev, graph)
    talk, often, counts = _boss_talk(ev.boss_contacts)
    # group -> its reports whose money ends with someone, and their numbers
    mine: dict[int, list[str]] = {}
    for k, group in enumerate(groups):
        reports = [i for n in group if n.startswith("report:") and (i := n[7:]) in ends]
        if reports:
            mine[k] = reports
    parts: DisjointSet[int] = DisjointSet(range(len(groups)))
    for a in sorted(mine):
        for b in sorted(mine):
            if a < b and _talk(mine[a], mine[b], ends, talk, often):
                parts.merge(a, b)
    joined: dict[int, list[str]] = defaultdict(list)
    for k, group in enumerate(groups):
        joined[parts[k]].extend(group)
    out = sorted((sorted(g) for g in joined.values()), key=lambda g: (-len(g), g[0]))
    # a report whose bosses talk to another group's bosses only goes there (round nine)
    moved = move_reports(out, ends, counts, graph) if MOVE_REPORTS else out
    return sorted(moved, key=lambda g: (-len(g), g[0]))


def _talk(
    a: list[str],
    b: list[str],
    ends: dict[str, set[str]],
    talk: dict[str, set[str]],
    often: dict[tuple[str, str], int],
) -> bool:
    """Whether the people at the ends of reports `a` and of reports `b` talk enough to be
    one gang's (`join_ends`)."""
    at_a = set().union(*(ends[r] for r in a))
    at_b = set().union(*(ends[r] for r in b))
    pairs = {(x, y) if x < y else (y, x) for x in at_a for y in talk[x] & at_b if x != y}
    if len(pairs) < MIN_END_TALK and not any(often[p] >= MIN_PAIR_CONTACTS for p in pairs):
        return False
    tied_a = sum(1 for r in a if any(talk[x] & at_b for x in ends[r]))
    tied_b = sum(1 for r in b if any(talk[x] & at_a for x in ends[r]))
    return tied_a >= MIN_END_SHARE * len(a) and tied_b >= MIN_END_SHARE * len(b)
