"""Shared test configuration. Area-specific fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, settings

# The suite runs on shared 2-core machines: a property's examples may take long to generate or
# run there without anything being wrong, so time is not a failure (correctness still is; the
# benchmarks measure speed). Tests that set their own `settings` keep what they set.
settings.register_profile("chaincut", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("chaincut")

# Spark workers must run the same interpreter as the tests
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)


@pytest.fixture
def home(tmp_path):  # type: ignore[no-untyped-def]
    """An empty chaincut home folder."""
    path = tmp_path / "home"
    path.mkdir()
    return path
