"""The service's view of tracing (issue 3): run a trace for a filed report, get JSON back.

The trace package is optional at import time: when it is absent (or the lake is missing) a
report is still filed and the response says why no orders came with it. The result is the
trace's documented JSON (`report_json`, with flows), turned here into order specs for the store
and a money-flow graph for the console.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from chaincut.lake.engine import get_engine
from chaincut.lake.readers import events
from chaincut.service.lakeview import LakeView
from chaincut.services.earlier_stops import HeldStops, ReadStops
from chaincut.services.phrases import Phrase, phrase
from chaincut.settings import Settings
from chaincut.store.enums import OrderKind, TracingRule
from chaincut.store.freeze_order import OrderSpec, judged_detail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FiledReport:
    """What the trace needs to know about a report."""

    report_id: str
    filed_at: datetime
    victim_account: str
    fraud_txn_ids: Sequence[str]


@dataclass(frozen=True)
class Transfer:
    """A fraud transfer as the trace read it: what the report's fraud list entries come from."""

    txn_id: str
    at: datetime  # naive UTC, as the lake keeps it
    src: str
    dst: str


@dataclass
class TraceOutcome:
    """A trace's JSON (`data`, empty when it did not run), why not (`note`), and the report's
    fraud transfers found in the lake (`transfers`, also when the trace itself failed)."""

    ran: bool
    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    transfers: list[Transfer] | None = None
    #: `note` by code and values, for a reader in another language
    note_code: Phrase | None = None

    def order_specs(self) -> list[OrderSpec]:
        """The orders to issue: emergency stops, verify orders (they hold nothing; the amount
        is what a stop would hold), both with the judge's score and reasons, and sub-account
        detail requests at hubs."""
        rule = TracingRule(self.data.get("rule", TracingRule.libr))
        specs = [_spec(o, OrderKind.emergency_stop, rule) for o in self.data.get("freeze", [])]
        specs += [
            _spec(o, OrderKind.verify, rule)
            for o in self.data.get("verify", [])
            if Decimal(str(o.get("claim", o["amount"]))) > 0
        ]
        specs += [
            _spec(h, OrderKind.request_subaccount_detail, rule)
            for h in self.data.get("hubs", [])
            if h.get("order") and h.get("kind") == OrderKind.request_subaccount_detail
        ]
        return specs


def _spec(order: dict[str, Any], kind: OrderKind, rule: TracingRule) -> OrderSpec:
    return OrderSpec(
        account_id=str(order["account_id"]),
        kind=kind,
        # an emergency stop holds its claim (what may be the victim's money; docs/tracing.md)
        amount=Decimal(str(order.get("claim", order["amount"]))),
        hop=int(order.get("hop", 0)),
        rule=TracingRule(order.get("rule", rule)),
        evidence=[list(map(str, chain)) for chain in order.get("evidence", [])],
        institution=order.get("institution"),
        # the judge's score and reasons go with a verify order and with a judged stop (an
        # analyst reads why: a stop for an earlier report's victim names that report)
        detail=judged_detail(
            kind, order.get("score"), order.get("reasons", []), order.get("reason_codes", [])
        ),
    )


def _not_traced(why: Phrase, transfers: list[Transfer] | None = None) -> TraceOutcome:
    return TraceOutcome(False, why.text, {}, transfers, note_code=why)


def _naive(micros: int) -> datetime:
    return datetime(1970, 1, 1) + timedelta(microseconds=micros)


class Tracer:
    """Runs traces through `chaincut.trace` when it is installed."""

    def __init__(self, settings: Settings, lake: LakeView | None = None) -> None:
        self.settings = settings
        self.lake = lake

    @staticmethod
    def _module(name: str) -> Any | None:
        try:
            return importlib.import_module(name)
        except ImportError:
            return None

    def available(self) -> bool:
        return self._function("trace_report") is not None

    def _function(self, name: str) -> Any | None:
        for module in ("chaincut.trace", "chaincut.trace.api", "chaincut.trace.kernel"):
            found = getattr(self._module(module), name, None)
            if found is not None:
                return found
        return None

    def trace(
        self, report: FiledReport, rule: TracingRule, held: ReadStops | None = None
    ) -> TraceOutcome:
        """Trace `report` under `rule` as the stop-payment desk would at its filing time.

        `held` reads the stops the store holds on an account for other reports
        (`chaincut.services.earlier_stops`): the judge weighs those of reports filed before
        this one, as `chaincut trace --all` does."""
        model = self._module("chaincut.trace.model")
        freshness = self._module("chaincut.trace.index.freshness")
        jsonout = self._module("chaincut.trace.jsonout")
        trace_reports = self._function("trace_reports")
        if not (model and freshness and jsonout and trace_reports and self.available()):
            return _not_traced(phrase("trace_not_installed"))
        if not self.settings.lake_path.exists():
            return _not_traced(phrase("trace_no_lake", path=self.settings.lake_path))
        params = model.TraceParams(rule=model.Rule(rule.value))
        try:
            index = freshness.ensure_index(self.settings)
            try:
                info = index.report(report.report_id)
            except KeyError:
                info = self._report_info(model, report)
            transfers = [Transfer(t.txn_id, _naive(t.ts), t.src, t.dst) for t in info.fraud_txns]
            if not info.fraud_txns:
                missing = ", ".join(report.fraud_txn_ids)
                return _not_traced(phrase("trace_not_in_lake", txns=missing), [])
            result = trace_reports(self._ledger(index, model, held, params), [info], params)
            data: dict[str, Any] = jsonout.report_json(result, report.report_id, flows=True)
        except Exception as exc:  # a trace failure must not lose the report
            log.exception("trace of %s failed", report.report_id)
            return _not_traced(phrase("trace_failed", error=exc))
        return TraceOutcome(True, None, data, transfers)

    def _ledger(self, index: Any, model: Any, held: ReadStops | None, params: Any) -> Any:
        """The index, with the stops held for earlier reports where the judge weighs them."""
        scored = self._module("chaincut.trace.scored")
        if held is None or scored is None or not (params.earlier_stops and params.judge_accounts):
            return index

        def when(report_id: str, filed_at: datetime) -> int:
            try:  # the time the report's own trace used: the lake's where it has the report
                return int(index.report(report_id).ts)
            except KeyError:
                return int(model.to_micros(filed_at))

        return scored.ScoredLedger(index, {}, stops=HeldStops(held, when))

    def _report_info(self, model: Any, report: FiledReport) -> Any:
        """A report the lake does not have, with its fraud transfers read from the lake."""
        ids = list(dict.fromkeys(report.fraud_txn_ids))
        if self.lake is not None:  # the service's shared engine: no 20-50 ms open
            rows = self.lake.transfer_rows(ids)
        else:
            with get_engine(self.settings) as engine:
                rows = events.transfer_rows(engine, ids)
        txns = sorted(
            (
                model.Txn(model.to_micros(ts), tid, src, dst, int(amount * 100), channel)
                for tid, ts, src, dst, amount, channel in rows
            ),
            key=lambda t: t.key,
        )
        found = {t.txn_id for t in txns}
        return model.ReportInfo(
            report.report_id,
            model.to_micros(report.filed_at),
            report.victim_account,
            tuple(txns),
            tuple(t for t in ids if t not in found),
        )
