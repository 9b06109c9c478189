"""The operational store: reports, freeze orders, cases, warnings, punishments, the fraud list,
users, audit.

SQLAlchemy 2 tables (`tables`) migrated by packaged Alembic revisions, on SQLite by default and
PostgreSQL in production. Open it with `open_store(url)` and work in `store.session()`; the
repositories are one module per resource, plain functions taking the session first:

    from chaincut.store import open_store, freeze_order
    with open_store(settings.resolved_store_url) as store, store.session() as s:
        freeze_order.issue_orders(s, "R1", specs)

Names are imported on first use, so `chaincut.store.enums` (the command line's choices) does
not pay for SQLAlchemy and Alembic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chaincut.store import (
        audit,
        case,
        fraud_list,
        freeze_order,
        gang,
        punishment,
        report,
        user,
        warning,
    )
    from chaincut.store.database import Store, alembic_config, head_revision, open_store
    from chaincut.store.errors import (
        AlreadyExists,
        AuthenticationFailed,
        IllegalTransition,
        NotFound,
        StoreBusy,
        StoreError,
    )

_MODULES = frozenset(
    {
        "audit",
        "case",
        "fraud_list",
        "freeze_order",
        "gang",
        "punishment",
        "report",
        "user",
        "warning",
    }
)
_WHERE = {
    "Store": "database",
    "alembic_config": "database",
    "head_revision": "database",
    "open_store": "database",
    "AlreadyExists": "errors",
    "AuthenticationFailed": "errors",
    "IllegalTransition": "errors",
    "NotFound": "errors",
    "StoreBusy": "errors",
    "StoreError": "errors",
}

__all__ = [
    "AlreadyExists",
    "AuthenticationFailed",
    "IllegalTransition",
    "NotFound",
    "Store",
    "StoreBusy",
    "StoreError",
    "alembic_config",
    "audit",
    "case",
    "fraud_list",
    "freeze_order",
    "gang",
    "head_revision",
    "open_store",
    "punishment",
    "report",
    "user",
    "warning",
]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return import_module(f"chaincut.store.{name}")
    if name in _WHERE:
        return getattr(import_module(f"chaincut.store.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'chaincut.store' has no attribute {name!r}")
