"""Shared test configuration. Area-specific fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable if hasattr(os, "sys") else "python3")


@pytest.fixture
def home(tmp_path):  # type: ignore[no-untyped-def]
    """An empty chaincut home folder."""
    path = tmp_path / "home"
    path.mkdir()
    return path
