"""Every module of the package imports on its own, first, in a fresh interpreter state.

An import cycle shows only when its modules are imported in one order (here,
`chaincut.services.lookup` before `chaincut.service`), which the rest of the suite never does
because conftest and the CLI import the app first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import chaincut

SCRIPT = r"""
import importlib, json, sys, traceback
failed = {}
for name in json.loads(sys.argv[1]):
    for loaded in [m for m in sys.modules if m == "chaincut" or m.startswith("chaincut.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception:
        failed[name] = traceback.format_exc(limit=-3)
print(json.dumps(failed))
"""


def _modules() -> list[str]:
    root = Path(chaincut.__file__).parent
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if "alembic" in parts or parts[-1] == "__main__":
            continue  # migrations run inside Alembic; __main__ runs the CLI
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_the_service_layers_import_alone() -> None:
    names = [n for n in _modules() if n.startswith(("chaincut.services", "chaincut.service",
                                                    "chaincut.web"))]  # fmt: skip
    assert len(names) > 30
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(names)],
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    failed = json.loads(out.stdout.strip().splitlines()[-1])
    assert failed == {}, "\n".join(f"{k}:\n{v}" for k, v in failed.items())
