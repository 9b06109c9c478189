"""`/v1/reports`: file a victim's report (the trace runs and freeze orders come back), read it
(`chaincut.services.reports`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from chaincut.service.deps import MAX_OFFSET, Analyst, Purpose, ReadSession, State, WriteSession
from chaincut.services import reports
from chaincut.services.schemas import ReportCreate, ReportFiled, ReportPublic, TracePublic
from chaincut.store.enums import TracingRule

router = APIRouter(prefix="/v1/reports", tags=["reports"])


@router.post("", status_code=201, response_model=ReportFiled)
def file_report(body: ReportCreate, s: WriteSession, who: Analyst, state: State) -> ReportFiled:
    """File a report; when the lake has its transfers, trace them and issue freeze orders.

    What the report involves (the accounts its fraud transfers paid into, the numbers that
    first contacted the victim just before, the identifiers the victim names) goes on the
    fraud list.
    """
    return reports.file_report(body, s, who, state)


@router.get("", response_model=list[ReportPublic])
def list_reports(
    s: ReadSession,
    _who: Analyst,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> list[ReportPublic]:
    return reports.list_reports(s, limit=limit, offset=offset)


@router.get("/{report_id}", response_model=ReportPublic)
def get_report(report_id: str, s: WriteSession, who: Analyst, why: Purpose) -> ReportPublic:
    """One report (audited: it names a victim and an account)."""
    return reports.view_report(s, who, report_id, why)


@router.get("/{report_id}/trace", response_model=TracePublic)
def trace_report(
    report_id: str,
    who: Analyst,
    why: Purpose,
    state: State,
    rule: TracingRule = TracingRule.libr,
) -> TracePublic:
    """The report's money flow traced again now (read-only: no orders are issued)."""
    return reports.trace_report(state, who, report_id, rule, why).trace
