"""Demo users, one per role, with fresh tokens, and the lines the demo prints about them.

Tokens are made at run time and shown once; only their hashes are stored. Calling again keeps
the users and replaces their tokens.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from chaincut.store import Store, user
from chaincut.store.enums import Role
from chaincut.store.tables import FreezeOrder, User

DEFAULT_BANK = "ICBC"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    institution: str | None
    token: str


def busiest_institution(store: Store) -> str | None:
    """The institution with the most freeze orders (the demo bank sees a full queue)."""
    with store.session(readonly=True) as s:
        counts = Counter(i for i in s.scalars(select(FreezeOrder.institution)) if i is not None)
    return counts.most_common(1)[0][0] if counts else None


def seed_demo_users(store: Store, *, bank: str | None = None) -> list[DemoUser]:
    """Create `demo-<role>` for every role (the bank user at `bank`, by default the institution
    with the most freeze orders) and issue each a new token."""
    institution = bank or busiest_institution(store) or DEFAULT_BANK
    made: list[DemoUser] = []
    with store.session() as s:
        for role in Role:
            name = f"demo-{role.value}"
            existing = s.get(User, name)
            if existing is None:
                user.create_user(s, name, role, institution if role is Role.bank else None)
            elif existing.disabled_at is not None:
                user.enable_user(s, name)
            token = user.issue_token(s, name)
            found = user.get_user(s, name)
            made.append(DemoUser(name, found.role, found.institution, token))
    return made


def describe(users: list[DemoUser], url: str) -> str:
    """What the demo prints: the console's address and how to sign in as each role."""
    lines = [f"chaincut console: {url}/console   API: {url}/v1   OpenAPI: {url}/docs", ""]
    lines.append(
        "Sign in with one of these tokens (shown once; `chaincut users token` makes more):"
    )
    for u in users:
        where = f" ({u.institution})" if u.institution else ""
        lines.append(f"  {u.role.value:<8} {u.username}{where}")
        lines.append(f"           {u.token}")
    return "\n".join(lines)
