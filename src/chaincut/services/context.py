"""What every use case is given: the service's state (settings, store, lake, caches) and the
principal acting. The API builds them from a request, the console from its cookie, the CLI
from its options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from chaincut.service.lakeview import LakeView
from chaincut.services.ratelimit import RateLimiter
from chaincut.services.scorecache import ScoreCache
from chaincut.services.tracing import Tracer
from chaincut.settings import Settings
from chaincut.store import Store, user
from chaincut.store.enums import Role
from chaincut.warning.live import LiveWarnings

#: the console's cookie holding the same API token a client sends as a bearer token
SESSION_COOKIE = "chaincut_token"
#: roles that see personal identifiers unmasked
UNMASKED_ROLES = frozenset({Role.analyst, Role.admin})


@dataclass
class ServiceState:
    """Everything the service holds for its lifetime (the app keeps it on
    `app.state.chaincut`)."""

    settings: Settings
    store: Store
    limiter: RateLimiter
    tracer: Tracer
    lake: LakeView
    scores: ScoreCache = field(default_factory=ScoreCache)
    #: the live early-warning state `POST /v1/events` feeds
    warnings: LiveWarnings = field(default_factory=LiveWarnings)
    #: how long a request waits for the lake's scores (or the clue index) before answering
    #: without them: under an HTTP client's usual 10 s read timeout, on a loaded machine too
    score_wait_s: float = 5.0


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    username: str
    role: Role
    institution: str | None

    @property
    def mask(self) -> bool:
        """Whether personal identifiers are masked for this caller."""
        return self.role not in UNMASKED_ROLES


def authenticate(state: ServiceState, token: str) -> Principal:
    """The principal holding `token` (issued within `CHAINCUT_TOKEN_LIFETIME_DAYS`); raises
    `AuthenticationFailed`."""
    lifetime = timedelta(days=state.settings.token_lifetime_days)
    with state.store.session(readonly=True) as s:
        found = user.authenticate_token(s, token, lifetime=lifetime)
        return Principal(found.username, found.role, found.institution)
