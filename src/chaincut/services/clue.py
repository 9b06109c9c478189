"""Number-clue verification (号码核查): a number's facts and its candidate dens, masked for
operators as `/v1/numbers/{n}` masks them (holders, their names and ID numbers, IMEIs, and every
number but the one asked), audited. Masked by need: an operator sees the numbers of its own
number blocks in full, and the holders and handsets of those numbers.

A holder's other numbers on the same ID number (SIMs bought on one person's ID) are phone
numbers: the API gives them as `numbers_on_same_id`, not under a name that reads as ID numbers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from chaincut.model.phone import lake_forms
from chaincut.services import scorecache
from chaincut.services.carriers import holds_number, operator_of_institution
from chaincut.services.context import Principal, ServiceState
from chaincut.services.errors import ServiceError
from chaincut.services.masking import mask_identifier
from chaincut.store import audit
from chaincut.store.enums import Role

#: keys of a clue's dict that hold phone numbers, and those that hold personal data
_CLUE_PHONES = frozenset(
    {"number", "victim", "via", "clues", "sims", "reached_by", "numbers_on_same_id"}
)
_CLUE_PERSONAL = frozenset({"name", "id_number", "person_id", "holders", "imei", "imeis"})
#: the clue's own names -> the API's
_RENAMED = {"id_numbers": "numbers_on_same_id"}


def public_clue(value: Any) -> Any:
    """A clue's dict with its keys as the API names them (`_RENAMED`)."""
    if isinstance(value, dict):
        return {_RENAMED.get(k, k): public_clue(v) for k, v in value.items()}
    if isinstance(value, list):
        return [public_clue(v) for v in value]
    return value


#: in a link's detail: the IMEI two numbers share, or a number
_DETAIL = re.compile(r"(IMEI )([^\s*]+)|\+?\d{7,}")


def _nobody(_: str) -> bool:
    return False


def mask_clue(
    value: Any,
    asked: str,
    key: str | None = None,
    holds: Callable[[str], bool] = _nobody,
    own: bool = False,
) -> Any:
    """A clue's dict with holders, ID numbers, IMEIs and every number but `asked` masked, except
    what the caller holds (`holds`, masking by need): its own numbers in full, and the holders
    and handsets of a number of its own (the parts of the clue about that number, `_about_own`)."""
    if isinstance(value, dict):
        own = _about_own(value, holds, own)
        return {k: mask_clue(v, asked, k, holds, own) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_clue(v, asked, key, holds, own) for v in value]
    if not isinstance(value, str):
        return value
    if key in _CLUE_PHONES:
        return value if value == asked or holds(value) else mask_identifier(value)
    if key in _CLUE_PERSONAL:
        return value if own else mask_identifier(value)
    if key == "detail":  # link details name the numbers and the IMEI they join by
        return _DETAIL.sub(lambda m: _detail_part(m, asked, holds, own), value)
    return value


def _detail_part(m: re.Match[str], asked: str, holds: Callable[[str], bool], own: bool) -> str:
    if m[1]:  # the IMEI: of the link's numbers' handsets, whoever holds those numbers sees it
        return m[0] if own else m[1] + mask_identifier(m[2])
    return m[0] if m[0] == asked or holds(m[0]) else mask_identifier(m[0])


def _about_own(part: dict[str, Any], holds: Callable[[str], bool], inherited: bool) -> bool:
    """Whether a part of a clue is about a number the caller holds: a number's facts, a den's
    member and a link are about their `number` (a link about its `via` too: the handset they
    share was seen with either SIM); a SIM box about its SIMs (any one: its operator saw the
    box's handsets on its network); any other part is about what the part holding it is."""
    number, via, sims = part.get("number"), part.get("via"), part.get("sims")
    if isinstance(number, str):
        return holds(number) or (isinstance(via, str) and holds(via))
    if isinstance(sims, list):
        return any(isinstance(sim, str) and holds(sim) for sim in sims)
    return inherited


def number_clue(
    s: Session, who: Principal, number: str, purpose: str, state: ServiceState
) -> dict[str, Any] | None:
    """The clue of `number` (any written form), None when the lake does not know it; a 503
    `ServiceError` with `Retry-After` while the clue index is being built. Audited; commits."""
    from chaincut.telecom.verify import ClueUnavailable, clue

    forms = lake_forms(number, state.settings.phone_region)
    number = number.strip()  # audited as asked when the lake does not know it
    try:
        _clue_index(state)
        with state.lake.gate.reading():
            for form in forms:  # imported data keeps numbers as written: E.164, then national
                result = clue(state.settings, [form])
                if result.numbers and result.numbers[0].known:
                    number = form
                    break
    except ClueUnavailable as exc:
        audit.record(s, who.username, "clue_number", "phone", number, purpose, {"found": False})
        s.commit()
        retry = {"Retry-After": str(scorecache.RETRY_AFTER_S)}
        raise ServiceError(503, str(exc), None, retry) from exc
    found = bool(result.numbers) and result.numbers[0].known
    audit.record(s, who.username, "clue_number", "phone", number, purpose, {"found": found})
    s.commit()
    if not found:
        return None
    out: dict[str, Any] = public_clue(result.to_dict())
    if not who.mask:
        return out
    masked_out: dict[str, Any] = mask_clue(out, number, holds=_holder(who, state))
    return masked_out


def _holder(who: Principal, state: ServiceState) -> Callable[[str], bool]:
    """Whether `who` holds a number: an operator the numbers of its own number blocks
    (`chaincut.services.carriers`); nobody else any."""
    if who.role is not Role.telecom or operator_of_institution(who.institution) is None:
        return _nobody
    region = state.settings.phone_region
    return functools.cache(lambda n: holds_number(who.institution, n, region))


def _clue_index(state: ServiceState) -> None:
    """Bring the clue index up to date in the background, waiting `score_wait_s` at most;
    raises `ClueUnavailable` when it cannot be built or is still being built."""
    from chaincut.telecom.clue.fresh import ensure_clue_index
    from chaincut.telecom.verify import ClueUnavailable

    def build() -> None:
        with state.lake.gate.reading():
            ensure_clue_index(state.settings)

    key = scorecache.lake_key(state.settings)
    worker = state.scores.background("clue-index", key, build)
    worker.join(state.score_wait_s)
    if worker.is_alive():
        raise ClueUnavailable(
            "the clue index of this lake is being built; ask again in a few seconds"
        )
    failed = state.scores.failure("clue-index", key)
    if failed is not None:
        raise ClueUnavailable(str(failed)) from failed
