"""The names of the people a case or a gang page shows (its suspects, its members), read
from the lake's persons table in one look-up; every person named is an audited look-up (one
row each, action `person_name`, the case or gang as its purpose), and the names are masked for
roles below analyst (docs/security.md)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from chaincut.services.context import Principal, ServiceState
from chaincut.services.masking import masked
from chaincut.store import audit


def person_names(
    state: ServiceState,
    s: Session,
    who: Principal,
    person_ids: Iterable[str],
    where: tuple[str, str],
) -> dict[str, str | None]:
    """Person id -> name (None where the lake records none or does not hold the person) for
    `person_ids`, shown on `where` (`("case", id)` or `("gang", id)`); each look-up audited
    with whether a name was found. Masked when `who` is below analyst. Does not commit."""
    ids = sorted({p for p in person_ids if p})
    if not ids:
        return {}
    found = state.lake.person_names(ids)
    kind, ident = where
    for person_id in ids:
        audit.record(
            s, who.username, "person_name", "person", person_id, f"{kind} {ident}",
            {kind: ident, "found": found.get(person_id) is not None},
        )  # fmt: skip
    return {p: masked(found.get(p), who.mask) for p in ids}
