"""One build at a time per index: an exclusive file lock in the home's index folder."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from chaincut.settings import Settings


@contextmanager
def index_lock(settings: Settings, name: str) -> Iterator[None]:
    """Hold `<index_dir>/<name>.lock` exclusively (other processes building the same index
    wait) for the `with` block."""
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with (settings.index_dir / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
