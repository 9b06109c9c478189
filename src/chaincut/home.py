"""The home folder's permissions: the lake and the store hold personal data.

A home chaincut creates is readable by its owner only (0700), and the lake and store files in it
are 0600, whatever the process's umask: other users of the machine must not read victims'
accounts, phone numbers or the audit log. A folder the user made beforehand keeps its mode (an
operator may share it with a service group on purpose); the files are still made 0600.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_folder(path: Path) -> Path:
    """Create `path` (and missing parents) with the folder itself readable by its owner only."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(path, PRIVATE_DIR)
    return path


def private_file(path: Path) -> None:
    """Make an existing file readable and writable by its owner only (no-op if it is already)."""
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, mode & ~0o077 & 0o777)
