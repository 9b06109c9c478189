"""Use case: the gangs behind the reports (全链条打击), read from the last analysis
(`chaincut gangs` keeps it in the home), with the cases opened from each gang; identifiers
masked for roles below analyst; every look-up audited."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from chaincut.gangs import persist
from chaincut.gangs.summary import with_boxes
from chaincut.services import cases
from chaincut.services.case_figures import frozen, suspect_counts
from chaincut.services.context import Principal, ServiceState
from chaincut.services.errors import ServiceError
from chaincut.services.masking import mask_identifier
from chaincut.services.person_names import person_names
from chaincut.services.schemas import CaseCreate, CasePublic
from chaincut.store import audit, case, gang
from chaincut.store.enums import SuspectRole, SuspectStatus
from chaincut.store.errors import NotFound
from chaincut.store.report import ensure_report
from chaincut.store.tables import Report
from chaincut.store.types import as_utc

#: report id -> the lake's row of that report (`lake.readers.events.report_row`), or None
LakeReport = Callable[[str], dict[str, Any] | None]

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
        m
        | {"id": mask_identifier(m["id"]), "evidence": [], "evidence_codes": []}
        | ({"box": mask_identifier(m["box"])} if "box" in m else {})
        if m["kind"] in _PERSONAL
        else m
        for m in g["members"]
    ]
    out["victims"] = [mask_identifier(v) for v in g.get("victims", [])]
    if "boxes" in g:
        out["boxes"] = [
            b | {k: [mask_identifier(x) for x in b[k]]
                 for k in ("handsets", "lines", "operator_lines", "operator_handsets")}
            | {"box": mask_identifier(b["box"])}
            for b in g["boxes"]
        ]  # fmt: skip
    if "joined" in g:
        joined = g["joined"]
        out["joined"] = joined | {"shared_accounts": [mask_identifier(a)
                                                       for a in joined["shared_accounts"]]}  # fmt: skip
    return out


#: what `case_figures` says of each case of a gang (the case page's figures)
_FIGURES = ("status", "amount_involved", "amount_frozen", "amount_seized", "amount_returned",
            *case.COUNT_FIELDS)  # fmt: skip


def _shown(
    state: ServiceState, s: Session, who: Principal, g: dict[str, Any], named: bool
) -> dict[str, Any]:
    """Gang `g` as one gang's page and answer show it: its `boxes` (`with_boxes`), and where
    `named` each person member's `name` (from the lake, each look-up audited; masked below
    analyst) and `suspect` (the cases of the gang naming them: case id, role, status), and
    `case_figures`, each case's figures as its own page gives them (`cases.get_case`)."""
    out = with_boxes(g)
    if not named:
        return _masked(out, who)
    people = [m["id"] for m in out["members"] if m["kind"] == "person"]
    names = person_names(state, s, who, people, ("gang", g["gang_id"]))
    standing: dict[str, list[dict[str, str]]] = {}
    figures: list[dict[str, Any]] = []
    for case_id in out.get("cases", []):
        try:
            held = cases.get_case(s, case_id)
        except NotFound:
            continue
        shown = held.model_dump(mode="json")
        figures.append({"case_id": case_id} | {k: shown[k] for k in _FIGURES})
        for x in held.suspects:
            if x.person_id:
                standing.setdefault(x.person_id, []).append(
                    {"case": case_id, "role": x.role.value, "status": x.status.value}
                )
    out["members"] = [
        m | {"name": names.get(m["id"]), "suspect": standing.get(m["id"], [])}
        if m["kind"] == "person"
        else m
        for m in out["members"]
    ]
    out["case_figures"] = figures
    return _masked(out, who)


def list_gangs(state: ServiceState, s: Session, who: Principal) -> list[dict[str, Any]]:
    """Every gang of the last analysis, largest (most reports) first; with their `boxes`, not
    their people's names (`get_gang`)."""
    found = sorted(_all(state, s), key=lambda g: (-len(g["reports"]), g["gang_id"]))
    audit.record(s, who.username, "gang_list", "gang", "*", None, {"gangs": len(found)})
    return [_shown(state, s, who, g, named=False) for g in found]


def get_gang(
    state: ServiceState, s: Session, who: Principal, gang_id: str, named: bool = True
) -> dict[str, Any]:
    """One gang with its members, roles and evidence (and, `named`, its people's names and
    standing in its cases: `_shown`); 404 when the analysis has no such gang."""
    g = next((g for g in _all(state, s) if g["gang_id"] == gang_id), None)
    if g is None:
        raise ServiceError(404, f"no gang {gang_id!r} in the last analysis", "gang_id")
    audit.record(s, who.username, "gang_view", "gang", gang_id, None, None)
    return _shown(state, s, who, g, named)


def report_gang(state: ServiceState, s: Session, who: Principal, report_id: str) -> dict[str, Any]:
    """The gang a report belongs to: from the last analysis, or, for a report filed since, the
    gang it joins live (`live_join`: its evidence added to the saved link graph, the parts it
    touches grouped again, the gangs saved) or the gang of its own it starts; `joined` says
    through which of the gang's accounts its money went. Where no graph was saved, or the
    lake changed since (an import: the graph is stale), the gang whose accounts its money
    reached, from the saved gangs (`joined.stale` says why). 404 when in none."""
    found = _all(state, s)
    g = next((g for g in found if report_id in g["reports"]), None)
    if g is None:
        from chaincut.services.gang_join import join_live  # (it keeps the cases current)

        g = join_live(state, s, who, report_id)
    if g is None:
        raise ServiceError(404, f"report {report_id!r} is in no gang of the last analysis",
                           "report_id")  # fmt: skip
    audit.record(s, who.username, "gang_view", "report", report_id, None, {"gang": g["gang_id"]})
    return _shown(state, s, who, g, named=True)


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
    """Open a supervised case (挂牌督办) from a gang: the gang's reports attached (a report
    the lake holds but nobody filed here is registered from the lake first, as issuing its
    orders would), its named persons as suspects at large with their roles, the amount
    involved its reported money, the amount frozen what the open stops and freezes of its
    reports hold, and the case tied to the gang (listed in the gang's `cases`); every later
    `chaincut gangs` run keeps it current (`keep_cases_current`). Audited; commits `s`."""
    g = get_gang(state, s, who, gang_id, named=False)
    body = body.model_copy(update={"amount_involved": Decimal(g["money"]["reported"])})
    created = cases.create_case(s, who, body)
    for report_id in g["reports"]:
        if _stored(s, report_id, state.lake.report):
            cases.attach_report(s, who, created.case_id, report_id)
    sync_case(s, created.case_id, g, who.username)
    gang.link_case(s, gang_id, created.case_id, who.username)
    audit.record(s, who.username, "gang_case", "gang", gang_id, None, {"case": created.case_id})
    s.commit()
    return cases.get_case(s, created.case_id)


def _stored(s: Session, report_id: str, lake_report: LakeReport | None) -> bool:
    """Whether report `report_id` is in the store, registering it from the lake (`source`
    "lake") where `lake_report` has it: a gang's reports are mostly the lake's, never filed
    here, and a case must list them. False for a report neither has (or one the lake lists
    no transaction for: the store needs one)."""
    if s.get(Report, report_id) is not None:
        return True
    row = lake_report(report_id) if lake_report is not None else None
    if row is None or not row.get("fraud_txn_ids"):
        return False
    ensure_report(s, report_id=report_id, filed_at=as_utc(row["ts"]),
                  victim_account=row["victim_account"], fraud_txn_ids=list(row["fraud_txn_ids"]),
                  victim_id=row.get("victim_id"), fraud_type=row.get("fraud_type"),
                  narrative=row.get("narrative"), source="lake")  # fmt: skip
    return True


def sync_case(
    s: Session,
    case_id: str,
    g: dict[str, Any],
    actor: str,
    lake_report: LakeReport | None = None,
) -> list[str]:
    """Bring case `case_id` in line with gang `g` (a saved gang object): the gang's reports
    attached (those in the store, and with `lake_report` those the lake holds, registered
    from it), its named persons suspects with their roles (new ones at large; a suspect still
    at large takes the role the gang now gives; no suspect is ever removed or has an arrest
    undone), the financier and core member counts derived from the suspects' status, the
    amount involved the gang's reported money and the amount frozen what the open stops and
    freezes of the case's reports hold (`frozen`). Returns what changed, in words. Does not
    commit."""
    found = case.get_case(s, case_id)
    said: list[str] = []
    attached = {r.report_id for r in found.reports}
    for report_id in g["reports"]:
        if report_id not in attached and _stored(s, report_id, lake_report):
            case.attach_report(s, case_id, report_id)
            said.append(f"report {report_id} attached")
    suspects = {x.person_id: x for x in found.suspects if x.person_id}
    for m in g["members"]:
        if m["kind"] != "person" or m["role"] not in _SUSPECTS:
            continue
        role = SuspectRole(m["role"])
        known = suspects.get(m["id"])
        if known is None:
            suspects[m["id"]] = case.add_suspect(s, case_id, role, person_id=m["id"])
            said.append(f"{m['id']} named {role.value}")
        elif known.role is not role and known.status is SuspectStatus.at_large:
            said.append(f"{m['id']} now {role.value} (was {known.role.value})")
            known.role = role
    s.flush()
    s.refresh(found)
    counts = suspect_counts(found.suspects)
    held = frozen(s, {r.report_id for r in found.reports})
    amounts = {"amount_involved": Decimal(g["money"]["reported"]), "amount_frozen": held}
    before = {k: getattr(found, k) for k in [*counts, *amounts]}
    note = f"figures from gang {g['gang_id']}" + (f": {'; '.join(said)}" if said else "")
    case.update_case(s, case_id, counts=counts, amounts=amounts, note=note, actor=actor)
    if any(getattr(found, k) != v for k, v in before.items()):
        said.append("figures recomputed")
    return said


def gangs_of_case(s: Session, case_id: str) -> list[str]:
    """The gangs case `case_id` follows (tied when opened from a gang), for a link back."""
    return sorted(g for g, ids in gang.cases_by_gang(s).items() if case_id in ids)


def keep_cases_current(
    s: Session, gangs: list[dict[str, Any]], actor: str, lake_report: LakeReport | None = None
) -> dict[str, str]:
    """After a gang analysis: every case tied to a gang brought in line with it
    (`sync_case`, the lake's reports registered through `lake_report` where given). A gang that lost its id (an earlier report joined it, so its `GANG-` id
    changed) is found again as the new gang holding most of the case's reports (or, with no
    filed report, naming most of its suspects), and the tie moves to it. Returns case id -> the gang id it follows now. Does not commit."""
    by_id = {g["gang_id"]: g for g in gangs}
    where = {r: g["gang_id"] for g in gangs for r in g["reports"]}
    out: dict[str, str] = {}
    for gang_id, case_ids in gang.cases_by_gang(s).items():
        for case_id in case_ids:
            g = by_id.get(gang_id)
            if g is None:
                held = case.get_case(s, case_id)
                votes = Counter(where[r.report_id] for r in held.reports if r.report_id in where)
                if not votes:  # reports never filed here: the gang naming its suspects
                    named = {x.person_id for x in held.suspects if x.person_id}
                    votes = Counter(
                        g["gang_id"] for g in gangs for m in g["members"]
                        if m["kind"] == "person" and m["id"] in named
                    )  # fmt: skip
                if not votes:
                    continue  # the gang is gone: the case keeps its own figures
                g = by_id[min(votes, key=lambda k: (-votes[k], k))]
                gang.link_case(s, g["gang_id"], case_id, actor)
                stale = s.get(gang.GangCase, (gang_id, case_id))
                if stale is not None:
                    s.delete(stale)
            sync_case(s, case_id, g, actor, lake_report)
            out[case_id] = g["gang_id"]
    return out
