"""One tiny foreign world per test session (generating it takes about a second)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.foreign import ForeignTruth, generate

SEED = 11


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ForeignTruth]:
    out = tmp_path_factory.mktemp("foreign") / "world"
    return out, generate(out, SEED, "tiny")
