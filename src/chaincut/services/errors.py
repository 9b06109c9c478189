"""What a use case refuses with: `ServiceError`, a status in HTTP's vocabulary (400 bad input,
403 not for your role, 404 not found or not yours, 409 conflict, 429 too many, 503 not ready)
with the message for the user and the input at fault. The API answers it as its one error
shape; the console shows the message on the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class ServiceError(Exception):
    """A refusal to show to the user, with its status and the field at fault."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.headers = headers


@contextmanager
def invalid_input(field: str | None = None) -> Iterator[None]:
    """Turn a `ValueError` from the domain (a bad value the user gave) into a 400."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        raise ServiceError(400, str(exc), field) from exc
