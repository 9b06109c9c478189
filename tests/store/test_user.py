"""Users: roles, tokens shown once and stored hashed, passwords, disabling."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from chaincut.store import AlreadyExists, AuthenticationFailed
from chaincut.store import user as us
from chaincut.store.enums import Role
from chaincut.store.tables import User


def test_token_is_stored_only_as_a_salted_hash(session: Session) -> None:
    us.create_user(session, "bank1", Role.bank, "ICBC")
    token = us.issue_token(session, "bank1")
    stored = session.get_one(User, "bank1")
    assert token.startswith("cc_")
    assert stored.token_hash is not None and stored.token_hash.startswith("scrypt$")
    secret = token.split("_", 2)[2]
    assert secret not in stored.token_hash and token not in stored.token_hash
    assert us.authenticate_token(session, token).username == "bank1"


def test_same_secret_hashes_differently_each_time() -> None:
    first = us.hash_secret("correct horse", cost=us.TOKEN_COST)
    second = us.hash_secret("correct horse", cost=us.TOKEN_COST)
    assert first != second
    assert us.verify_secret("correct horse", first) and us.verify_secret("correct horse", second)
    assert not us.verify_secret("correct hors", first)
    assert not us.verify_secret("x", "not-a-hash") and not us.verify_secret("x", "md5$a$b$c$d$e")


@pytest.mark.parametrize(
    "bad", ["", "cc_", "cc_abc", "xx_abc_def", "cc_000000000000_wrong", "Bearer something"]
)
def test_bad_tokens_are_refused(session: Session, bad: str) -> None:
    us.create_user(session, "a1", Role.analyst)
    us.issue_token(session, "a1")
    with pytest.raises(AuthenticationFailed):
        us.authenticate_token(session, bad)


def test_a_new_token_replaces_the_old_one(session: Session) -> None:
    us.create_user(session, "a1", Role.analyst)
    old = us.issue_token(session, "a1")
    new = us.issue_token(session, "a1")
    with pytest.raises(AuthenticationFailed):
        us.authenticate_token(session, old)
    assert us.authenticate_token(session, new).role is Role.analyst
    us.revoke_token(session, "a1")
    with pytest.raises(AuthenticationFailed):
        us.authenticate_token(session, new)


def test_tampered_secret_is_refused(session: Session) -> None:
    us.create_user(session, "a1", Role.analyst)
    token = us.issue_token(session, "a1")
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(AuthenticationFailed):
        us.authenticate_token(session, tampered)


def test_disabled_user_cannot_authenticate(session: Session) -> None:
    us.create_user(session, "t1", Role.telecom, "CMCC")
    token = us.issue_token(session, "t1")
    us.set_password(session, "t1", "a long passphrase")
    us.disable_user(session, "t1")
    with pytest.raises(AuthenticationFailed):
        us.authenticate_token(session, token)
    with pytest.raises(AuthenticationFailed, match="disabled"):
        us.authenticate_password(session, "t1", "a long passphrase")
    assert [u.username for u in us.list_users(session, include_disabled=False)] == []
    us.enable_user(session, "t1")
    assert us.authenticate_password(session, "t1", "a long passphrase").username == "t1"


def test_passwords(session: Session) -> None:
    us.create_user(session, "admin", Role.admin)
    with pytest.raises(AuthenticationFailed):
        us.authenticate_password(session, "admin", "anything at all")  # none set yet
    with pytest.raises(ValueError, match="too short"):
        us.set_password(session, "admin", "short")
    us.set_password(session, "admin", "a long passphrase")
    stored = session.get_one(User, "admin").password_hash
    assert stored is not None and "a long passphrase" not in stored
    assert us.authenticate_password(session, "admin", "a long passphrase").role is Role.admin
    for username, password in (("admin", "a long passphrasE"), ("nobody", "a long passphrase")):
        with pytest.raises(AuthenticationFailed, match="wrong username or password"):
            us.authenticate_password(session, username, password)


def test_roles_and_institutions(session: Session) -> None:
    with pytest.raises(ValueError, match="needs an institution"):
        us.create_user(session, "bank1", Role.bank)
    with pytest.raises(ValueError):
        us.create_user(session, "x", "superuser")
    with pytest.raises(ValueError, match="invalid username"):
        us.create_user(session, "bad name", Role.public)
    us.create_user(session, "bank1", "bank", "ICBC")
    us.create_user(session, "pub", Role.public)
    with pytest.raises(AlreadyExists):
        us.create_user(session, "pub", Role.public)
    assert [u.username for u in us.list_users(session)] == ["bank1", "pub"]
    assert [u.institution for u in us.list_users(session, role=Role.bank)] == ["ICBC"]
