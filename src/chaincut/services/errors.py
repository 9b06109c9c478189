"""What a use case refuses with: `ServiceError`, a status in HTTP's vocabulary (400 bad input,
403 not for your role, 404 not found or not yours, 409 conflict, 429 too many, 503 not ready)
with the message for the user and the input at fault. The API answers it as its one error
shape; the console shows the message on the page, in its reader's language where the refusal
carries its sentence by code (`phrase`: a `chaincut.services.phrases.Phrase`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chaincut.services.phrases import Phrase


class ServiceError(Exception):
    """A refusal to show to the user, with its status and the field at fault."""

    def __init__(
        self,
        status: int,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        phrase: Phrase | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.headers = headers
        #: `message` by code and values (None: a message in English only)
        self.phrase = phrase


@contextmanager
def invalid_input(field: str | None = None) -> Iterator[None]:
    """Turn a `ValueError` from the domain (a bad value the user gave) into a 400."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        raise ServiceError(400, str(exc), field) from exc
