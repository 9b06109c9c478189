"""The same person across sources: probabilistic record linkage with Splink (MIT).

`persons` rows from different sources (a bank's holder, an operator's subscriber, a victim's
report) name one person under several ids. Splink compares pairs that share an ID number, a
phone or a name and birth date, and gives each pair a match weight (the log-odds of being one
person). Pairs are kept as pairwise links with their weights, never closed transitively: A~B
and B~C do not make A~C. An analyst's judgement ("same" or "not the same") overrides the model
in every run.

The m probabilities (how often a true match agrees) are set, not learnt, so that a small or
odd world cannot push them anywhere; the u probabilities (how often two random people agree)
are estimated from the data by random sampling with a fixed seed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from chaincut.gangs.rowset import RowSet

log = logging.getLogger("chaincut.gangs.people")

#: pairs below this match probability are not links
MIN_PROBABILITY = 0.8


@dataclass(frozen=True)
class PersonLink:
    """Two person ids judged to be one person, with Splink's match weight."""

    a: str
    b: str
    match_weight: float
    probability: float
    source: str = "splink"  # or "analyst"


@dataclass(frozen=True)
class Judgement:
    """An analyst's decision on a pair of person ids."""

    a: str
    b: str
    same: bool


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _settings() -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="person_id",
        probability_two_random_records_match=1e-4,
        comparisons=[
            cl.ExactMatch("id_number").configure(m_probabilities=[0.9, 0.1]),
            cl.ExactMatch("phone").configure(m_probabilities=[0.6, 0.4]),
            cl.ExactMatch("name").configure(m_probabilities=[0.85, 0.15]),
            cl.ExactMatch("birth_date").configure(m_probabilities=[0.9, 0.1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("id_number"),
            block_on("phone"),
            block_on("name", "birth_date"),
        ],
        retain_intermediate_calculation_columns=False,
    )


#: the columns of `persons` rows that record linkage compares
FIELDS = ("person_id", "name", "id_number", "birth_date", "phone")


def _text(value: Any) -> str | None:
    return None if value in ("", None) else str(value)


def _columns(rows: Sequence[dict[str, Any]]) -> dict[str, list[str | None]]:
    """`FIELDS` of `rows` as text columns, empty values as None. Rows kept as Arrow columns
    (`RowSet`, the persons `collect` gathers) are read a column at a time: the city's persons
    are never all dicts at once (4.2 M of them at 100 M transactions)."""
    if isinstance(rows, RowSet):
        return {k: [_text(v) for v in rows.column(k)] for k in FIELDS}
    return {k: [_text(r.get(k)) for r in rows] for k in FIELDS}


@contextmanager
def _splink_quiet() -> Iterator[None]:
    """Splink's warnings off (errors still shown) for the length of the block."""
    splink_log = logging.getLogger("splink")
    level = splink_log.level
    splink_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        splink_log.setLevel(level)


def resolve(rows: Sequence[dict[str, Any]], *, seed: int = 0) -> list[PersonLink]:
    """Pairwise links between `persons` rows (person_id, name, id_number, birth_date, phone)
    with a match probability of at least `MIN_PROBABILITY`."""
    if len(rows) < 2:
        return []
    import pandas as pd
    from splink import Linker
    from splink.backends.duckdb import DuckDBAPI

    frame = pd.DataFrame(_columns(rows))
    frame = frame.drop_duplicates("person_id")
    linker = Linker(DuckDBAPI().register(frame), _settings(), log_level=logging.WARNING)
    # the u sample: a quarter of all pairs, capped at a million. At the cap Splink warns that
    # this is its default value, "which may be too small": here the cap is chosen (another
    # would change the links and the run time), and the warning printed on every gangs run
    pairs = max(1000, min(len(frame) ** 2 // 4, 1_000_000))
    with _splink_quiet():
        try:
            linker.training.estimate_u_using_random_sampling(max_pairs=pairs, seed=seed)
        except Exception:  # noqa: BLE001 - a world too small to sample keeps the default u
            log.debug("u estimation failed; default u probabilities kept", exc_info=True)
        # predict() warns on every comparison whose u the sample could not fill: defaults are fine
        pred = linker.inference.predict(threshold_match_probability=MIN_PROBABILITY)
    out = pred.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    links = [
        PersonLink(*_pair(str(a), str(b)), float(w), float(p))
        for a, b, w, p in zip(
            out["person_id_l"],
            out["person_id_r"],
            out["match_weight"],
            out["match_probability"],
            strict=True,
        )  # fmt: skip
    ]
    return sorted(links, key=lambda k: (k.a, k.b))


def apply_judgements(
    links: Iterable[PersonLink], judgements: Iterable[Judgement]
) -> list[PersonLink]:
    """`links` with the analyst's word over the model's: "not the same" removes a pair,
    "same" adds it (or makes it certain)."""
    verdict = {_pair(j.a, j.b): j.same for j in judgements}
    out = {_pair(k.a, k.b): k for k in links if verdict.get(_pair(k.a, k.b), True)}
    for (a, b), same in verdict.items():
        if same:
            out[(a, b)] = PersonLink(a, b, math.inf, 1.0, "analyst")
    return [out[k] for k in sorted(out)]
