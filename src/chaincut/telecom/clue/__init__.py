"""The number clue's index and den search (号码核查): one module per part.

| module | what it holds |
|---|---|
| `build` | building the index from the lake |
| `store` | the index's files: arrays, compressed sparse rows, texts |
| `fresh` | finding (or rebuilding) the index of the lake's current generation |
| `facts` | the facts of one number, read from the index |
| `den` | the breadth-first search from a clue to its den |
| `result` | what an answer holds (`ClueResult`, plain JSON) |

The answer itself is `chaincut.telecom.clue(settings, numbers)` (`chaincut.telecom.verify`).
Because this sub-package is also the attribute `clue` of `chaincut.telecom` once imported
(Python sets a parent package's attribute to each sub-module it imports), the sub-package is
callable and answers like `verify.clue`, so `from chaincut.telecom import clue` gives something
that answers clues whichever of the two a caller gets.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chaincut.settings import Settings
    from chaincut.telecom.clue.result import ClueResult


class _CallableModule(types.ModuleType):
    def __call__(self, settings: Settings, numbers: Sequence[str]) -> ClueResult:
        from chaincut.telecom.verify import clue

        return clue(settings, numbers)


sys.modules[__name__].__class__ = _CallableModule
