"""The chaincut service: a versioned JSON API (`/v1`) and the analyst console.

from chaincut.service import create_app, seed_demo_users

The names are loaded on first use: `chaincut.services` imports modules of this package (the
lake view), which must not import the whole app and, through it, `chaincut.services` again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chaincut.service.app import create_app
    from chaincut.service.demo import DemoUser, seed_demo_users

__all__ = ["DemoUser", "create_app", "seed_demo_users"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from chaincut.service.app import create_app

        return create_app
    if name in ("DemoUser", "seed_demo_users"):
        from chaincut.service import demo

        return getattr(demo, name)
    raise AttributeError(f"module 'chaincut.service' has no attribute {name!r}")
