"""Number-clue verification (号码核查): a number's facts and its candidate dens, masked for
operators as `/v1/numbers/{n}` masks them (holders, their names and ID numbers, IMEIs, and every
number but the one asked), audited.

A holder's other numbers on the same ID number (SIMs bought on one person's ID) are phone
numbers: the API gives them as `numbers_on_same_id`, not under a name that reads as ID numbers.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from chaincut.model.phone import lake_forms
from chaincut.services import scorecache
from chaincut.services.context import Principal, ServiceState
from chaincut.services.errors import ServiceError
from chaincut.services.masking import mask_identifier
from chaincut.store import audit

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


_DIGITS = re.compile(r"\+?\d{7,}")
_IMEI = re.compile(r"(IMEI )([^\s*]+)")


def mask_clue(value: Any, asked: str, key: str | None = None) -> Any:
    """A clue's dict with holders, id numbers and every number but `asked` masked."""
    if isinstance(value, dict):
        return {k: mask_clue(v, asked, k) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_clue(v, asked, key) for v in value]
    if not isinstance(value, str):
        return value
    if key in _CLUE_PHONES:
        return value if value == asked else mask_identifier(value)
    if key in _CLUE_PERSONAL:
        return mask_identifier(value)
    if key == "detail":  # link details name the numbers and the IMEI they join by
        value = _IMEI.sub(lambda m: m[1] + mask_identifier(m[2]), value)
        return _DIGITS.sub(lambda m: m[0] if m[0] == asked else mask_identifier(m[0]), value)
    return value


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
    masked_out: dict[str, Any] = mask_clue(out, number) if who.mask else out
    return masked_out


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
