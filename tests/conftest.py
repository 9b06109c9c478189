"""Shared test configuration. Area-specific fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

import os
import sys

import pytest

# Spark workers must run the same interpreter as the tests
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)


@pytest.fixture
def home(tmp_path):  # type: ignore[no-untyped-def]
    """An empty chaincut home folder."""
    path = tmp_path / "home"
    path.mkdir()
    return path
