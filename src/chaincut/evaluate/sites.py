"""The foreign world's dens as sites, for judging the number clue as issue 12 means it.

Issue 12 asks that "the clue returns >= 0.9 of a den's numbers", where a den is one site: the
SIM boxes and lines at one place. The foreign world's gangs are not one site: a gang runs 1-2
dens abroad (its operators' foreign lines) and 1-3 SIM boxes in flats in Chinese cities, often
in different cities. `sites_json` writes `truth/sites.json` in the simulator's `world.json`
shape with one entry per site:

- a box site: the SIM boxes of one gang at one cell (their SIMs);
- a line site: one den abroad (`truth.json` `gangs[].dens`), with the operators' lines whose
  calls come mostly from that den's cells (a gang with one den takes all its operators).

Each site's `member_phones` holds the rest of its gang's numbers: a clue that also returns the
gang's other sites is not wrong (precision), it is only not asked for (recall is per site).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any


def _busiest_cells(calls_csv: Path, numbers: set[str]) -> dict[str, str]:
    """Per number of `numbers`, the cell it called from most often."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    if calls_csv.exists():
        with calls_csv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                caller = row.get("caller", "")
                if caller in numbers and row.get("cell_id"):
                    counts[caller][row["cell_id"]] += 1
    return {n: c.most_common(1)[0][0] for n, c in counts.items()}


def gang_sites(gang: dict[str, Any], busiest: dict[str, str]) -> list[dict[str, Any]]:
    """One gang's sites (boxes per cell, operators' lines per den abroad)."""
    phones = [m for m in gang.get("members", []) if m.get("kind") == "phone"]
    operators = [str(m["id"]) for m in phones if m.get("role") == "operator"]
    everyone = {str(m["id"]) for m in phones}
    everyone |= {str(s["number"]) for b in gang.get("boxes", []) for s in b.get("sims", [])}
    sites: list[dict[str, Any]] = []
    by_cell: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for box in gang.get("boxes", []):
        by_cell[str(box.get("cell", box.get("box_id")))].append(box)
    for cell, boxes in sorted(by_cell.items()):
        sims = [[str(s["number"]) for s in b.get("sims", [])] for b in boxes]
        sites.append({"den_id": f"{gang['gang_id']}@{cell}", "simboxes": sims, "lines": []})
    dens = gang.get("dens", [])
    for den in dens:
        cells = set(den.get("cells", []))
        mine = [p for p in operators if len(dens) == 1 or busiest.get(p) in cells]
        if mine:
            sites.append(
                {"den_id": f"{gang['gang_id']}@{den['den_id']}", "simboxes": [], "lines": mine}
            )
    out = []
    for site in sites:
        own = {n for sims in site["simboxes"] for n in sims} | set(site["lines"])
        out.append(
            {
                "den_id": site["den_id"],
                "gang": gang["gang_id"],
                "simboxes": [{"sims": sims} for sims in site["simboxes"]],
                "mobile_phones": site["lines"],
                "member_phones": sorted(everyone - own),
            }
        )
    return out


def sites_json(folder: Path) -> Path | None:
    """Write `truth/sites.json` (one den per site, the `world.json` shape) from the foreign
    world's `truth.json`; None when the folder has none."""
    source = folder / "truth.json"
    if not source.exists():
        return None
    truth = json.loads(source.read_text(encoding="utf-8"))
    gangs = truth.get("gangs", [])
    operators = {
        str(m["id"])
        for g in gangs
        for m in g.get("members", [])
        if m.get("kind") == "phone" and m.get("role") == "operator"
    }
    busiest = _busiest_cells(folder / "calls.csv", operators)
    dens = [site for gang in gangs for site in gang_sites(gang, busiest)]
    path = folder / "truth" / "sites.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"dens": dens}, ensure_ascii=False), encoding="utf-8")
    return path
