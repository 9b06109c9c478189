"""A gang as a network to draw, its timeline, and the gangs an account or a number belongs to.

The saved analysis (`chaincut gangs`, docs/gangs.md) keeps each gang's members with their
evidence but not the link graph itself; the picture draws the links an analyst can check on the
page: a report to the accounts its money reached (its fraud transfers' payees and its orders'
accounts, or the transactions the members' evidence names that left its victim), money between
two member accounts, a member to the other members its evidence names ("holder of account …",
"registered +86…"), and a den's handset to its lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
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
__all__ = ["KINDS", "ROLES", "MoneyLinks", "gangs_of", "money_links", "network", "timeline"]
#: what splits evidence text into the identifiers it names
_TOKENS = re.compile(r"[^\s,;:()]+")


def _node_id(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


@dataclass
class MoneyLinks:
    """The money the page can show: the accounts each report's money reached, and transfers
    between two of the gang's accounts (from the transactions its members' evidence names)."""

    reached: dict[str, set[str]] = field(default_factory=dict)
    between: set[tuple[str, str]] = field(default_factory=set)
    #: when each report of the lake was made (read with the victims, for the timeline)
    report_times: dict[str, datetime] = field(default_factory=dict)


def _evidence_ids(gang: dict[str, Any]) -> list[str]:
    """The identifiers the account members' evidence names (txn ids among them): tokens with
    a digit that are not themselves members."""
    members = {m["id"] for m in gang["members"]}
    return sorted(
        {
            token
            for m in gang["members"]
            if m["kind"] == "account"
            for line in m.get("evidence", [])
            for token in _TOKENS.findall(str(line))
            if token not in members and any(c.isdigit() for c in token)
        }
    )


def money_links(state: ServiceState, s: Session, gang: dict[str, Any]) -> MoneyLinks:
    """Where the gang's money went, as far as the page can show it: for a report filed here,
    its transfers' payees and its orders' accounts; for any report, the payees of the
    transfers the members' evidence names that left its victim (the victim's account, or an
    account the victim holds); and those transfers between two member accounts."""
    out = MoneyLinks()
    victims: dict[str, set[str]] = {}  # victim person or account -> its reports
    for report_id in gang["reports"]:
        filed = s.get(Report, report_id)
        if filed is None:
            continue
        payees = {dst for _, _, _, dst in state.lake.transfers(list(filed.fraud_txn_ids))}
        ordered = s.scalars(
            select(FreezeOrder.account_id).where(FreezeOrder.report_id == report_id)
        )
        out.reached[report_id] = payees | set(ordered)
        for victim in (filed.victim_account, filed.victim_id):
            if victim:
                victims.setdefault(victim, set()).add(report_id)
    wanted = set(gang["reports"])
    for report_id, ts, victim, _, _ in state.lake.report_losses():
        if report_id in wanted:
            out.report_times[report_id] = ts
            if victim:
                victims.setdefault(victim, set()).add(report_id)
    accounts = {m["id"] for m in gang["members"] if m["kind"] == "account"}
    holders: dict[str, str | None] = {}
    for _, _, src, dst in state.lake.transfers(_evidence_ids(gang)):
        if src in accounts and dst in accounts:
            out.between.add((src, dst))
            continue
        if src not in holders:
            facts = state.lake.account(src) if src not in victims else None
            holders[src] = str(facts["holder_id"]) if facts and facts.get("holder_id") else None
        for report_id in victims.get(src, set()) | victims.get(holders[src] or "", set()):
            out.reached.setdefault(report_id, set()).add(dst)
    return out


def network(gang: dict[str, Any], money: MoneyLinks) -> dict[str, list[dict[str, Any]]]:
    """The gang's nodes (its reports and members) and the links between them that the page can
    justify: money from a report or between two members (`money`), evidence naming another
    member, a den's handset and its lines.
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

    for report_id, accounts in sorted(money.reached.items()):
        for account in sorted(accounts):
            link(_node_id("report", report_id), _node_id("account", account), "money")
    for src, dst in sorted(money.between):
        link(_node_id("account", src), _node_id("account", dst), "money")
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


def timeline(
    s: Session, gang: dict[str, Any], lake_times: dict[str, datetime] | None = None
) -> list[dict[str, str]]:
    """The gang's dated events, oldest first: its reports (filed here, or made as the lake
    records them in `lake_times`), the cases opened on it, and the analysis's first and last
    report time when some report has no time of its own."""
    events: list[dict[str, str]] = []
    for report_id in gang["reports"]:
        filed = s.get(Report, report_id)
        made = filed.filed_at if filed is not None else (lake_times or {}).get(report_id)
        if made is not None:
            when = made.strftime("%Y-%m-%d %H:%M")
            events.append({"when": when, "kind": "report", "id": report_id})
    untimed = len(events) < len(gang["reports"])
    for case_id in gang.get("cases", []):
        opened = s.get(Case, case_id)
        if opened is not None:
            when = opened.created_at.strftime("%Y-%m-%d %H:%M")
            events.append({"when": when, "kind": "case", "id": case_id})
    span = gang.get("span") or {}
    for edge in ("first", "last"):
        if untimed and span.get(edge):
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
