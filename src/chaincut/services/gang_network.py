"""A gang as a network to draw, its timeline, and the gangs an account or a number belongs to.

The saved analysis (`chaincut gangs`, docs/gangs.md) keeps each gang's members with their
evidence but not the link graph itself; the picture draws the links an analyst can check on the
page: a report to the accounts its money reached (its fraud transfers' payees and its orders'
accounts), a member to the other members its evidence names ("holder of account …",
"registered +86…"), and a den's handset to its lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.gangs import persist
from chaincut.gangs.roles import ROLES
from chaincut.model.phone import lake_forms
from chaincut.services.context import ServiceState
from chaincut.store.tables import Case, FreezeOrder, Report

#: the kinds of node the picture draws: a gang's reports and its members' kinds
KINDS = ("report", "account", "person", "phone", "device", "wallet", "id_number")
__all__ = ["KINDS", "ROLES", "gangs_of", "network", "reached_accounts", "timeline"]
#: what splits evidence text into the identifiers it names
_TOKENS = re.compile(r"[^\s,;:()]+")


def _node_id(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def reached_accounts(
    state: ServiceState, s: Session, reports: Iterable[str]
) -> dict[str, set[str]]:
    """For each filed report of `reports`: the accounts its money reached (its transfers'
    payees and the accounts of its orders). Reports the store does not hold are left out."""
    out: dict[str, set[str]] = {}
    for report_id in reports:
        filed = s.get(Report, report_id)
        if filed is None:
            continue
        payees = {dst for _, _, _, dst in state.lake.transfers(list(filed.fraud_txn_ids))}
        ordered = s.scalars(
            select(FreezeOrder.account_id).where(FreezeOrder.report_id == report_id)
        )
        out[report_id] = payees | set(ordered)
    return out


def network(gang: dict[str, Any], reached: dict[str, set[str]]) -> dict[str, list[dict[str, Any]]]:
    """The gang's nodes (its reports and members) and the links between them that the page can
    justify: money from a report (`reached`), evidence naming another member, a den's lines.
    Node ids are `kind:id`; a member listed twice (as two kinds) is two nodes."""
    nodes: dict[str, dict[str, Any]] = {}
    for report_id in gang["reports"]:
        nodes[_node_id("report", report_id)] = {
            "id": _node_id("report", report_id), "kind": "report", "label": report_id,
        }  # fmt: skip
    by_ident: dict[str, list[str]] = {}
    for m in gang["members"]:
        key = _node_id(m["kind"], m["id"])
        nodes[key] = {"id": key, "kind": m["kind"], "label": m["id"], "role": m["role"],
                      "confidence": m["confidence"], "evidence": m.get("evidence", [])}  # fmt: skip
        by_ident.setdefault(m["id"], []).append(key)
    edges: dict[tuple[str, str], str] = {}

    def link(a: str, b: str, why: str) -> None:
        if a != b and a in nodes and b in nodes and (b, a) not in edges:
            edges.setdefault((a, b), why)

    for report_id, accounts in sorted(reached.items()):
        for account in sorted(accounts):
            link(_node_id("report", report_id), _node_id("account", account), "money")
    for m in gang["members"]:
        here = _node_id(m["kind"], m["id"])
        for line in m.get("evidence", []):
            for token in _TOKENS.findall(str(line)):
                for other in by_ident.get(token, []):
                    link(here, other, "evidence")
    for den in gang.get("dens", []):
        for line in den.get("lines", []):
            link(_node_id("device", str(den.get("device", ""))), _node_id("phone", line), "den")
    return {
        "nodes": list(nodes.values()),
        "edges": [{"source": a, "target": b, "why": why} for (a, b), why in edges.items()],
    }


def timeline(s: Session, gang: dict[str, Any]) -> list[dict[str, str]]:
    """The gang's dated events, oldest first: its reports filed (the store's filing time, or the
    analysis's span for reports the store does not hold) and the cases opened on it."""
    events: list[dict[str, str]] = []
    for report_id in gang["reports"]:
        filed = s.get(Report, report_id)
        if filed is not None:
            when = filed.filed_at.strftime("%Y-%m-%d %H:%M")
            events.append({"when": when, "kind": "report", "id": report_id})
    for case_id in gang.get("cases", []):
        opened = s.get(Case, case_id)
        if opened is not None:
            when = opened.created_at.strftime("%Y-%m-%d %H:%M")
            events.append({"when": when, "kind": "case", "id": case_id})
    span = gang.get("span") or {}
    for edge in ("first", "last"):
        if span.get(edge):
            events.append({"when": str(span[edge])[:16].replace("T", " "), "kind": edge, "id": ""})
    return sorted(events, key=lambda e: (e["when"], e["kind"], e["id"]))


def gangs_of(state: ServiceState, kind: str, ident: str) -> list[dict[str, Any]]:
    """The gangs of the last analysis that list `ident` as a member of `kind` (account,
    phone, person, ...), each as {gang_id, role, confidence}; empty when none or before any
    `chaincut gangs` run. Reads the saved analysis only: the caller audits its own look-up."""
    found = persist.load(state.settings.home) or []
    # a number is one number however the analysis and the look-up write it
    forms = set(lake_forms(ident, state.settings.phone_region)) if kind == "phone" else {ident}
    out = []
    for g in found:
        for m in g["members"]:
            if m["kind"] == kind and m["id"] in forms:
                out.append({"gang_id": g["gang_id"], "role": m["role"],
                            "confidence": m["confidence"]})  # fmt: skip
                break
    return out
