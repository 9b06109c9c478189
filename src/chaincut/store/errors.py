"""Errors the store raises for callers to show to users (the message says what and what to do)."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of the store's own errors."""


class NotFound(StoreError, LookupError):
    """A record that was asked for does not exist."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class AlreadyExists(StoreError):
    """A record with the same key exists already."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} exists already")
        self.kind = kind
        self.key = key


class IllegalTransition(StoreError):
    """A lifecycle step that the record's current state does not allow."""


class AuthenticationFailed(StoreError):
    """A token or password that does not match an enabled user."""


class StoreBusy(StoreError):
    """The store could not be written in time because other writers held it."""
