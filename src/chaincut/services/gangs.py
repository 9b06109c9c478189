"""Use case: the gangs behind the reports (全链条打击), read from the last analysis
(`chaincut gangs` keeps it in the home), with the cases opened from each gang; identifiers
masked for roles below analyst; every look-up audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.gangs import incremental, persist
from chaincut.services import cases
from chaincut.services.context import Principal, ServiceState
from chaincut.services.errors import ServiceError
from chaincut.services.masking import mask_identifier
from chaincut.services.schemas import CaseCreate, CasePublic, SuspectCreate
from chaincut.store import audit, case, gang
from chaincut.store.enums import SuspectRole
from chaincut.store.tables import FreezeOrder, Report

#: member kinds whose ids are personal identifiers
_PERSONAL = frozenset({"account", "person", "phone", "device", "wallet", "id_number"})


def _all(state: ServiceState, s: Session) -> list[dict[str, Any]]:
    found = persist.load(state.settings.home)
    if found is None:
        raise ServiceError(
            503,
            "no gang analysis in this home yet: run `chaincut gangs` (docs/gangs.md)",
            headers={"Retry-After": "600"},
        )
    cases = gang.cases_by_gang(s)
    for g in found:
        g["cases"] = sorted(set(g.get("cases", [])) | set(cases.get(g["gang_id"], [])))
    return found


def _masked(g: dict[str, Any], who: Principal) -> dict[str, Any]:
    if not who.mask:
        return g
    out = dict(g)
    out["members"] = [
        m | {"id": mask_identifier(m["id"]), "evidence": []} if m["kind"] in _PERSONAL else m
        for m in g["members"]
    ]
    out["victims"] = [mask_identifier(v) for v in g.get("victims", [])]
    return out


def list_gangs(state: ServiceState, s: Session, who: Principal) -> list[dict[str, Any]]:
    """Every gang of the last analysis, largest (most reports) first."""
    found = sorted(_all(state, s), key=lambda g: (-len(g["reports"]), g["gang_id"]))
    audit.record(s, who.username, "gang_list", "gang", "*", None, {"gangs": len(found)})
    return [_masked(g, who) for g in found]


def get_gang(state: ServiceState, s: Session, who: Principal, gang_id: str) -> dict[str, Any]:
    """One gang with its members, roles and evidence; 404 when the analysis has no such gang."""
    g = next((g for g in _all(state, s) if g["gang_id"] == gang_id), None)
    if g is None:
        raise ServiceError(404, f"no gang {gang_id!r} in the last analysis", "gang_id")
    audit.record(s, who.username, "gang_view", "gang", gang_id, None, None)
    return _masked(g, who)


def _reached(state: ServiceState, s: Session, report_id: str) -> list[str]:
    """The accounts a filed report's money reached: its transfers' payees and its orders'."""
    filed = s.get(Report, report_id)
    if filed is None:
        return []
    payees = [dst for _, _, _, dst in state.lake.transfers(list(filed.fraud_txn_ids))]
    ordered = s.scalars(select(FreezeOrder.account_id).where(FreezeOrder.report_id == report_id))
    return sorted(set(payees) | set(ordered))


def report_gang(state: ServiceState, s: Session, who: Principal, report_id: str) -> dict[str, Any]:
    """The gang a report belongs to: from the last analysis, or, for a report filed since, the
    gang its money reached (`joined` says through which accounts); 404 when in none."""
    found = _all(state, s)
    g = next((g for g in found if report_id in g["reports"]), None)
    if g is None:
        g = incremental.join(found, report_id, _reached(state, s, report_id))
    if g is None:
        raise ServiceError(404, f"report {report_id!r} is in no gang of the last analysis",
                           "report_id")  # fmt: skip
    audit.record(s, who.username, "gang_view", "report", report_id, None, {"gang": g["gang_id"]})
    return _masked(g, who)


def judge_people(
    s: Session, who: Principal, a: str, b: str, same: bool, reason: str
) -> dict[str, Any]:
    """Record the analyst's word on whether person ids `a` and `b` are one person; every
    later `chaincut gangs` run applies it."""
    try:
        row = gang.judge(s, a, b, same, reason, who.username)
    except ValueError as exc:
        raise ServiceError(400, str(exc), "person_b") from exc
    audit.record(s, who.username, "person_judgement", "person", row.person_a, None,
                 {"other": row.person_b, "same": same})  # fmt: skip
    return {"person_a": row.person_a, "person_b": row.person_b, "same": row.same,
            "reason": row.reason, "judged_by": row.judged_by}  # fmt: skip


#: gang roles a supervised case lists as suspects (mules are the cards' holders: the joint
#: punishment register, not the case's suspect list, is where they go)
_SUSPECTS = ("financier", "core_member", "operator", "card_dealer", "launderer", "recruiter",
             "logistics")  # fmt: skip


def open_case(
    state: ServiceState, s: Session, who: Principal, gang_id: str, body: CaseCreate
) -> CasePublic:
    """Open a supervised case (挂牌督办) from a gang: its filed reports attached, its named
    persons as suspects at large with their roles, the amount involved its reported money, and
    the case tied to the gang (listed in the gang's `cases`). Audited; commits `s`."""
    g = get_gang(state, s, who, gang_id)
    body = body.model_copy(update={"amount_involved": Decimal(g["money"]["reported"])})
    created = cases.create_case(s, who, body)
    for report_id in g["reports"]:
        if s.get(Report, report_id) is not None:  # lake reports never filed here stay out
            cases.attach_report(s, who, created.case_id, report_id)
    named: set[str] = set()
    for m in g["members"]:
        if m["kind"] == "person" and m["role"] in _SUSPECTS and m["id"] not in named:
            named.add(m["id"])
            cases.add_suspect(
                s,
                who,
                created.case_id,
                SuspectCreate(role=SuspectRole(m["role"]), person_id=m["id"]),
            )
    # the case's figures from the gang, so that the register agrees with its suspect list
    roles = [m["role"] for m in g["members"] if m["kind"] == "person" and m["id"] in named]
    case.update_case(
        s,
        created.case_id,
        counts={
            "financiers_at_large": roles.count("financier"),
            "financiers_caught": 0,
            "core_members_at_large": roles.count("core_member"),
            "core_members_caught": 0,
        },
        amounts={"amount_frozen": Decimal(g["money"]["stopped"])},
        note=f"figures from gang {gang_id}",
        actor=who.username,
    )
    gang.link_case(s, gang_id, created.case_id, who.username)
    audit.record(s, who.username, "gang_case", "gang", gang_id, None, {"case": created.case_id})
    s.commit()
    return cases.get_case(s, created.case_id)
