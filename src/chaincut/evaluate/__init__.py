"""Every detector measured on worlds it was not designed on (`chaincut evaluate`).

    from chaincut.evaluate import evaluate, evaluation_table
    result = evaluate(worlds=3, seed=1000, scale="tiny", data=Path("../shared/data"))
    console.print(evaluation_table(result))

Worlds: the simulator's default world, randomised simulator worlds (`chaincut.simulate.ranges`,
seeds from 1000), the foreign world (`chaincut.foreign`, where installed) and public data. Each
detector runs with its shipped default; figures come from `chaincut.metrics`. See
docs/evaluation.md.
"""

from chaincut.evaluate.report import ROWS, evaluation_table, markdown
from chaincut.evaluate.run import AREAS, Column, Evaluation, evaluate, parse_only
from chaincut.evaluate.worlds import World, plan_worlds, register_world_kind, simulator_world

__all__ = [
    "AREAS",
    "ROWS",
    "Column",
    "Evaluation",
    "World",
    "evaluate",
    "evaluation_table",
    "markdown",
    "parse_only",
    "plan_worlds",
    "register_world_kind",
    "simulator_world",
]
