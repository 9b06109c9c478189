"""The floor tests' evaluations, each run once per session.

`randomised` (randomised simulator world 1000, tiny) and `foreign` (foreign world 1000, tiny) are
every area's figures of one `evaluate(plan=...)` each, shared by test_floors.py and
test_text_floors.py. The text floors read the foreign world's text rows from the same run as the
other floors (before round thirteen they built, imported and evaluated that world a second time):
an area's figures do not depend on which other areas ran, each step reads the imported lake
(`chaincut.evaluate.run._run_world`).
"""

from __future__ import annotations

import importlib.util

import pytest

from chaincut.evaluate import Column, evaluate, simulator_world
from chaincut.evaluate.worlds import foreign_world


def _figures(name: str, column: Column) -> dict[str, float | int]:
    assert not column.errors, f"{name}: {column.errors}"
    return column.figures


@pytest.fixture(scope="session")
def randomised() -> dict[str, float | int]:
    result = evaluate(plan=[simulator_world(1000, "tiny", randomised=True)])
    return _figures("randomised-1000", result.columns[0])


@pytest.fixture(scope="session")
def foreign() -> dict[str, float | int]:
    if importlib.util.find_spec("chaincut.foreign") is None:
        pytest.skip("chaincut.foreign is not installed")
    world = foreign_world(1000, "tiny")
    assert world is not None
    return _figures("foreign", evaluate(plan=[world]).columns[0])
