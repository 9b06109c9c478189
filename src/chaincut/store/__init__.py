"""The operational store: reports, freeze orders, cases, warnings, punishments, the fraud list,
users, audit.

SQLAlchemy 2 tables (`tables`) migrated by packaged Alembic revisions, on SQLite by default and
PostgreSQL in production. Open it with `open_store(url)` and work in `store.session()`; the
repositories are one module per resource, plain functions taking the session first:

    from chaincut.store import open_store, freeze_order
    with open_store(settings.resolved_store_url) as store, store.session() as s:
        freeze_order.issue_orders(s, "R1", specs)
"""

from chaincut.store import (
    audit,
    case,
    fraud_list,
    freeze_order,
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
    StoreError,
)

__all__ = [
    "AlreadyExists",
    "AuthenticationFailed",
    "IllegalTransition",
    "NotFound",
    "Store",
    "StoreError",
    "alembic_config",
    "audit",
    "case",
    "fraud_list",
    "freeze_order",
    "head_revision",
    "open_store",
    "punishment",
    "report",
    "user",
    "warning",
]
