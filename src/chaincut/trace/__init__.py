"""Fund tracing (资金流向), emergency stop-payment orders (紧急止付) and restitution (追赃挽损).

The public API; the implementation lives in the submodules:

- `kernel` — the engine-free, time-ordered taint simulation (`trace_reports`, `trace_one`);
- `rules` — FIFO, LIBR and pro rata per account; `route` — exits, hubs, established accounts;
- `ledger` / `index` / `freshness` — where the kernel reads the ledger (`ensure_index`);
- `subgraph` / `batch` — per-report subgraphs on a lake engine (DuckDB or Spark) for `--all`;
- `bystander` — the stop-or-verify judge; `scored` — a ledger with the bank's mule scores;
- `restitution`, `jsonout`, `render`, `persist`, `evaluate`.
"""

from chaincut.trace.api import trace_all, trace_case, trace_report
from chaincut.trace.index import TraceIndex
from chaincut.trace.index.freshness import IndexUnavailable, ensure_index
from chaincut.trace.jsonout import report_json
from chaincut.trace.kernel import trace_one, trace_reports
from chaincut.trace.ledger import Ledger, MemoryLedger
from chaincut.trace.model import AccountInfo, ReportInfo, Rule, TraceParams, Txn, to_micros
from chaincut.trace.money import fmt, to_cents
from chaincut.trace.render import money_tree
from chaincut.trace.restitution import Restitution, allocate_recovered, restitution_json
from chaincut.trace.result import Order, OrderKind, Outcome, Totals, TraceResult
from chaincut.trace.scored import ScoredLedger

__all__ = [
    "AccountInfo",
    "IndexUnavailable",
    "Ledger",
    "MemoryLedger",
    "Order",
    "OrderKind",
    "Outcome",
    "ReportInfo",
    "Restitution",
    "Rule",
    "ScoredLedger",
    "Totals",
    "TraceIndex",
    "TraceParams",
    "TraceResult",
    "Txn",
    "allocate_recovered",
    "ensure_index",
    "fmt",
    "money_tree",
    "report_json",
    "restitution_json",
    "to_cents",
    "to_micros",
    "trace_all",
    "trace_case",
    "trace_one",
    "trace_report",
    "trace_reports",
]
