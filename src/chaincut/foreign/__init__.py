"""The foreign world: an independent generator of synthetic fraud worlds in the interchange format.

Written apart from `chaincut.simulate` (from the product brief, the domain references and public
descriptions of the fraud chain), so that every detector can be judged on a world it was not
designed on. See docs/foreign-world.md.
"""

from chaincut.foreign.generate import SIZES, generate, resolve_size
from chaincut.foreign.output import ForeignTruth, read_truth

__all__ = ["SIZES", "ForeignTruth", "generate", "read_truth", "resolve_size"]
