"""The world simulator: a seeded synthetic city with fraud gangs, in the interchange format.

    from chaincut.simulate import SimParams, simulate
    summary = simulate("out/", seed=7, scale="tiny", fmt="csv", params=SimParams(mule_layers=2))

See docs/simulator.md for what the world contains and the truth files' format.
"""

from chaincut.simulate.params import SCALES, SimParams, Sizes, default_format, resolve_scale
from chaincut.simulate.run import SimSummary, simulate

__all__ = [
    "SCALES",
    "SimParams",
    "SimSummary",
    "Sizes",
    "default_format",
    "resolve_scale",
    "simulate",
]
