"""A gang's members counted for people: by role, and within a role by kind.

A role counts persons, lines, handsets and accounts apart: a SIM box's hundreds of lines and
handsets listed as operators are hardware, not hundreds of operators (docs/gangs.md "Round ten:
the figures"), and the operator lines and handsets of a box are folded under it: one row "box
IMEI: 64 SIMs" (docs/gangs.md "Round eleven: cases and gang pages"). The member list
(`Member.json`) is unchanged; only its summary is, and a member folded under a box may say so
(`with_boxes`: a `box` key added).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

#: member kinds in the order a summary names them, with their words (one, several)
KINDS: dict[str, tuple[str, str]] = {
    "person": ("person", "persons"),
    "phone": ("line", "lines"),
    "device": ("handset", "handsets"),
    "account": ("account", "accounts"),
}
#: the other words a summary counts with
_WORDS = KINDS | {"SIM": ("SIM", "SIMs")}


def role_counts(members: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Role -> kind -> how many members of that role are of that kind (`Member.json` objects),
    roles sorted by name and kinds in `KINDS` order (unknown kinds last, by name)."""
    found: dict[str, dict[str, int]] = {}
    for m in members:
        kind = str(m.get("kind") or "member")  # (a hand-made object may name no kind)
        kinds = found.setdefault(str(m["role"]), {})
        kinds[kind] = kinds.get(kind, 0) + 1
    order = {k: i for i, k in enumerate(KINDS)}
    return {
        role: {k: kinds[k] for k in sorted(kinds, key=lambda k: (order.get(k, len(order)), k))}
        for role, kinds in sorted(found.items())
    }


def _words(kind: str, n: int) -> str:
    one, many = _WORDS.get(kind, (kind, kind + "s"))
    return f"{n} {one if n == 1 else many}"


#: the SIMs a phone holds at most (dual-SIM); a handset that carried more lines is a box
_PHONE_SIMS = 2


def boxes(gang: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The gang's dens (`dens`: a handset, the gang's lines it carried, the cells it was seen
    in) as boxes: handsets that carried a common line or stood in a common cell are one box
    (a SIM box moves its SIMs between slots and each slot answers with an IMEI of its own,
    some rotate them, so one box shows as many handsets, all at its site). Each box:
    `box` (its handset with most lines, the lowest IMEI on a tie), `handsets`, `lines` and
    `cells` (sorted), `kind` ("box" where one of its handsets carried more than two of the
    lines, else "phones": dual-SIM phones at one site, a den's, not a box), and the operator members among them (`operator_lines`,
    `operator_handsets`) that a summary folds under it; most lines first."""
    dens = [d for d in gang.get("dens", []) if d.get("device")]
    g: nx.Graph[str] = nx.Graph()
    for d in dens:
        g.add_node(f"device:{d['device']}")
        g.add_edges_from((f"device:{d['device']}", f"phone:{line}") for line in d["lines"])
        g.add_edges_from((f"device:{d['device']}", f"cell:{c}") for c in d.get("cells") or [])
    operators = {(m.get("kind"), m["id"]) for m in gang.get("members", [])
                 if m.get("role") == "operator"}  # fmt: skip
    carried = {str(d["device"]): len(d["lines"]) for d in dens}
    cells: dict[str, set[str]] = {}
    for d in dens:
        cells.setdefault(str(d["device"]), set()).update(d.get("cells") or [])
    out: list[dict[str, Any]] = []
    for part in nx.connected_components(g):
        handsets = sorted(n.removeprefix("device:") for n in part if n.startswith("device:"))
        lines = sorted(n.removeprefix("phone:") for n in part if n.startswith("phone:"))
        out.append({
            "box": min(handsets, key=lambda h: (-carried[h], h)),
            # (a phone holds one or two SIMs: a handset that carried more is a box's)
            "kind": "box" if max(carried[h] for h in handsets) > _PHONE_SIMS else "phones",
            "handsets": handsets,
            "lines": lines,
            "cells": sorted(set().union(*(cells[h] for h in handsets))),
            "operator_lines": [x for x in lines if ("phone", x) in operators],
            "operator_handsets": [x for x in handsets if ("device", x) in operators],
        })  # fmt: skip
    return sorted(out, key=lambda b: (-len(b["lines"]), b["box"]))


def with_boxes(gang: Mapping[str, Any]) -> dict[str, Any]:
    """`gang` with its `boxes` (`boxes`) and, on each operator line and handset folded under
    one, a `box` key naming it; every other key and member as they were."""
    found = boxes(gang)
    where = {(kind, x): b["box"] for b in found
             for kind, key in (("phone", "operator_lines"), ("device", "operator_handsets"))
             for x in b[key]}  # fmt: skip
    members = [
        m | {"box": where[m.get("kind"), m["id"]]}
        if m.get("role") == "operator" and (m.get("kind"), m["id"]) in where
        else m
        for m in gang.get("members", [])
    ]
    return dict(gang) | {"members": members, "boxes": found}


#: boxes a summary names one by one; the rest are counted on one line
SHOWN_BOXES = 3


def count_lines(
    members: Iterable[Mapping[str, Any]], found: Sequence[Mapping[str, Any]] = ()
) -> list[str]:
    """The summary's lines: per role "ROLE N KIND", its other kinds on an indented line after
    ("operator 7 persons", "  3 lines"); every member counted once. The operator lines and
    handsets of the boxes `found` (`boxes`) are not counted as lines and handsets but folded,
    a box a line ("  box 860006453255388: 211 SIMs, 392 handsets"; dual-SIM phones at one site "  phones
    864462035073607: 6 SIMs, 3 handsets"), those past `SHOWN_BOXES` on one ("  + 5 more: 40 SIMs")."""
    folded = {("phone", x) for b in found for x in b["operator_lines"]}
    folded |= {("device", x) for b in found for x in b["operator_handsets"]}
    kept = [m for m in members
            if m.get("role") != "operator" or (m.get("kind"), m.get("id")) not in folded]  # fmt: skip
    shown = [b for b in found if b["operator_lines"] or b["operator_handsets"]]
    out: list[str] = []
    counts = role_counts(kept)
    if shown and "operator" not in counts:
        counts = dict(sorted((counts | {"operator": {}}).items()))
    for role, kinds in counts.items():
        parts = [_words(k, n) for k, n in kinds.items()]
        if role == "operator" and shown:
            sims = sum(len(b["operator_lines"]) for b in shown)
            out.append(f"{role} {parts[0]}" if parts else f"{role} {_words('SIM', sims)}")
            out.extend("  " + p for p in [", ".join(parts[1:])] if p)
            named = len(shown) if len(shown) <= SHOWN_BOXES + 1 else SHOWN_BOXES
            out.extend(f"  {b['kind']} {b['box']}: {_sims(b)}" for b in shown[:named])
            rest = shown[named:]
            if rest:
                sims = sum(len(b["operator_lines"]) for b in rest)
                out.append(f"  + {len(rest)} more: {_words('SIM', sims)}")
            continue
        out.append(f"{role} {parts[0]}")
        if parts[1:]:
            out.append("  " + ", ".join(parts[1:]))
    return out


def _sims(box: Mapping[str, Any]) -> str:
    said = _words("SIM", len(box["operator_lines"]))
    handsets = len(box["handsets"])
    return said + (f", {handsets} handsets" if handsets > 1 else "")
