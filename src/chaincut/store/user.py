"""Users, their roles and their secrets (API tokens and console passwords).

Secrets are never stored: only a scrypt hash with a per-secret random salt, in the
self-describing form `scrypt$n$r$p$salt$hash`. A token reads `cc_<token id>_<secret>`: the
public token id finds the user in one indexed look-up, the secret is checked against the hash.
Tokens carry 256 random bits, so they use a cheaper scrypt cost than passwords, which people
choose and which must resist guessing; both costs are recorded in the hash, so they can change.

A token expires `lifetime` after it was issued (`CHAINCUT_TOKEN_LIFETIME_DAYS`, 90 days by
default, checked on every use: shortening the setting shortens every token at once); issuing a
new one (`chaincut users token NAME`) replaces the old, which stops working at once.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.store.enums import Role
from chaincut.store.errors import AlreadyExists, AuthenticationFailed, NotFound
from chaincut.store.tables import User
from chaincut.store.types import as_utc, utc_now

TOKEN_PREFIX = "cc"  # noqa: S105 - the public prefix of every token, not a secret
TOKEN_COST = 2**10
PASSWORD_COST = 2**14
MIN_PASSWORD_LENGTH = 10
#: how long a token lives when the caller does not say (the setting's default)
DEFAULT_TOKEN_LIFETIME = timedelta(days=90)
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
_SCRYPT_R, _SCRYPT_P, _KEY_BYTES, _SALT_BYTES = 8, 1, 32, 16


def hash_secret(secret: str, *, cost: int = PASSWORD_COST) -> str:
    """A salted scrypt hash of `secret`, self-describing (see the module docstring)."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _scrypt(secret, salt, cost, _SCRYPT_R, _SCRYPT_P)
    return f"scrypt${cost}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_secret(secret: str, encoded: str) -> bool:
    """Whether `secret` matches a hash made by `hash_secret` (constant-time comparison)."""
    try:
        scheme, cost, r, p, salt, key = encoded.split("$")
        if scheme != "scrypt":
            return False
        actual = _scrypt(secret, _unb64(salt), int(cost), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, _unb64(key))


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret.encode(), salt=salt, n=n, r=r, p=p, dklen=_KEY_BYTES, maxmem=64 * 1024 * 1024
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def create_user(
    session: Session,
    username: str,
    role: Role | str,
    institution: str | None = None,
    *,
    now: datetime | None = None,
) -> User:
    """A new enabled user without secrets; a bank user needs its `institution`."""
    role = Role(role)
    if not USERNAME.fullmatch(username):
        raise ValueError(f"invalid username {username!r}: use up to 64 letters, digits and _ . @ -")
    if role is Role.bank and not institution:
        raise ValueError(f"bank user {username!r} needs an institution")
    if session.get(User, username) is not None:
        raise AlreadyExists("user", username)
    user = User(
        username=username,
        role=role,
        institution=institution,
        created_at=as_utc(now) if now is not None else utc_now(),
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    user = session.get(User, username)
    if user is None:
        raise NotFound("user", username)
    return user


def list_users(
    session: Session, *, role: Role | None = None, include_disabled: bool = True
) -> list[User]:
    query = select(User).order_by(User.username)
    if role is not None:
        query = query.where(User.role == role)
    if not include_disabled:
        query = query.where(User.disabled_at.is_(None))
    return list(session.scalars(query))


def issue_token(session: Session, username: str, *, now: datetime | None = None) -> str:
    """A new API token for `username`, replacing any earlier one. Shown once: only its hash
    is kept."""
    user = get_user(session, username)
    token_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    user.token_id = token_id
    user.token_hash = hash_secret(secret, cost=TOKEN_COST)
    user.token_issued_at = as_utc(now) if now is not None else utc_now()
    session.flush()
    return f"{TOKEN_PREFIX}_{token_id}_{secret}"


def revoke_token(session: Session, username: str) -> None:
    user = get_user(session, username)
    user.token_id = user.token_hash = user.token_issued_at = None
    session.flush()


def token_expires_at(user: User, lifetime: timedelta = DEFAULT_TOKEN_LIFETIME) -> datetime | None:
    """When `user`'s current token stops working (None when it holds none)."""
    if user.token_issued_at is None:
        return None
    return as_utc(user.token_issued_at) + lifetime


def authenticate_token(
    session: Session,
    token: str,
    *,
    lifetime: timedelta = DEFAULT_TOKEN_LIFETIME,
    now: datetime | None = None,
) -> User:
    """The enabled user holding `token`, issued less than `lifetime` before `now`; raises
    `AuthenticationFailed` otherwise."""
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not token_id or not secret:
        raise AuthenticationFailed("malformed token")
    user = session.scalars(select(User).where(User.token_id == token_id)).one_or_none()
    if user is None or user.token_hash is None or not verify_secret(secret, user.token_hash):
        raise AuthenticationFailed("unknown or revoked token")
    if user.disabled_at is not None:
        raise AuthenticationFailed(f"user {user.username!r} is disabled")
    expires = token_expires_at(user, lifetime)
    at = as_utc(now) if now is not None else utc_now()
    if expires is None or expires <= at:
        when = f" on {expires:%Y-%m-%d %H:%M} UTC" if expires is not None else ""
        raise AuthenticationFailed(f"token expired{when}")
    return user


def set_password(session: Session, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")
    get_user(session, username).password_hash = hash_secret(password, cost=PASSWORD_COST)
    session.flush()


@functools.cache
def _dummy_hash() -> str:
    # checked when the user does not exist, so a miss costs as long as a wrong password
    return hash_secret(secrets.token_urlsafe(16), cost=PASSWORD_COST)


def authenticate_password(session: Session, username: str, password: str) -> User:
    """The enabled user `username` if `password` is theirs; raises `AuthenticationFailed`."""
    user = session.get(User, username)
    stored = user.password_hash if user is not None else None
    matches = verify_secret(password, stored or _dummy_hash())
    if user is None or stored is None or not matches:
        raise AuthenticationFailed("wrong username or password")
    if user.disabled_at is not None:
        raise AuthenticationFailed(f"user {username!r} is disabled")
    return user


def disable_user(session: Session, username: str, *, now: datetime | None = None) -> User:
    """Disable `username` and revoke its token; the record stays for the audit trail."""
    user = get_user(session, username)
    if user.disabled_at is None:
        user.disabled_at = as_utc(now) if now is not None else utc_now()
    user.token_id = user.token_hash = user.token_issued_at = None
    session.flush()
    return user


def enable_user(session: Session, username: str) -> User:
    user = get_user(session, username)
    user.disabled_at = None
    session.flush()
    return user
