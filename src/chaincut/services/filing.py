"""A filing checked against the ledger before it is traced (issue 16, point 1).

A report names fraud transfers; each must be in the lake and leave the victim's account (a
report whose victim is not the payer would trace someone else's money and stop the wrong
accounts). A transfer already in another report is refused with that report's id, or, when the
analyst asks for it (`on_duplicate="join"`), the filing's transfers join that report instead of
making a second one: the same money stopped twice would double the victims and losses counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.services.context import ServiceState
from chaincut.services.errors import ServiceError
from chaincut.services.phrases import phrase
from chaincut.store.tables import Report


@dataclass(frozen=True)
class FilingCheck:
    """What the ledger says of a filing: the payers of its transfers (empty when no lake), and
    the other report already holding any of them (None when none does)."""

    payers: frozenset[str]
    joins: Report | None


def _listed(ids: Sequence[str]) -> str:
    return ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def _ids(ids: Sequence[str]) -> str:
    """`ids` listed in no language (a phrase's value): the first ten, then how many more."""
    return ", ".join(ids[:10]) + (f" (+{len(ids) - 10})" if len(ids) > 10 else "")


def check_transfers(state: ServiceState, victim_account: str, txn_ids: Sequence[str]) -> set[str]:
    """The accounts the transfers leave; 400 when one is not in the lake or leaves another
    account than the victim's. Nothing is checked when there is no lake to check against."""
    if not state.lake.available:
        return set()
    ids = list(dict.fromkeys(txn_ids))
    with state.lake.gate.reading():
        found = {tid: src for tid, _, src, _ in state.lake.transfers(ids)}
    missing = [t for t in ids if t not in found]
    if missing:
        raise ServiceError(
            400,
            f"fraud transfer(s) not in the ledger: {_listed(missing)}; check the transaction "
            "ids on the victim's statement",
            "fraud_txn_ids",
            phrase=phrase("filing_not_in_ledger", txns=_ids(missing)),
        )
    foreign = [t for t in ids if found[t] != victim_account]
    if foreign:
        payers = sorted({found[t] for t in foreign})
        raise ServiceError(
            400,
            f"fraud transfer(s) {_listed(foreign)} leave account(s) {_listed(payers)}, not the "
            f"victim's account {victim_account}: file them under the account that paid",
            "victim_account",
            phrase=phrase(
                "filing_other_payer", txns=_ids(foreign), payers=_ids(payers), victim=victim_account
            ),
        )
    return set(found.values())


def already_reported(
    s: Session, txn_ids: Sequence[str], accounts: set[str], exclude: str | None = None
) -> dict[str, list[str]]:
    """The other reports that hold any of `txn_ids`: report id -> the transfers it shares.

    Only reports whose victim account is one of `accounts` can hold them (a transfer leaves
    one account), which keeps the scan to that victim's reports."""
    wanted = set(txn_ids)
    query = select(Report.report_id, Report.fraud_txn_ids).where(
        Report.victim_account.in_(sorted(accounts))
    )
    shared: dict[str, list[str]] = {}
    for report_id, ids in s.execute(query.order_by(Report.filed_at, Report.report_id)):
        if report_id == exclude:
            continue
        common = [t for t in ids if t in wanted]
        if common:
            shared[report_id] = common
    return shared


def check_filing(
    s: Session,
    state: ServiceState,
    victim_account: str,
    txn_ids: Sequence[str],
    on_duplicate: str,
) -> FilingCheck:
    """Check a filing (see the module docstring): 400 on a transfer the ledger does not have
    or that another account paid, 409 naming the report that already holds a transfer unless
    `on_duplicate` is "join" and exactly one report holds them."""
    payers = check_transfers(state, victim_account, txn_ids)
    shared = already_reported(s, txn_ids, payers | {victim_account})
    if not shared:
        return FilingCheck(frozenset(payers), None)
    names = "; ".join(f"report {rid} ({_listed(ids)})" for rid, ids in shared.items())
    reports = "; ".join(f"{rid} ({_ids(ids)})" for rid, ids in shared.items())
    if on_duplicate != "join":
        raise ServiceError(
            409,
            f"these transfers are already reported: {names}; add them to that report "
            '(on_duplicate="join") instead of filing them twice',
            "fraud_txn_ids",
            phrase=phrase("filing_already_reported", reports=reports),
        )
    if len(shared) > 1:
        raise ServiceError(
            409,
            f"the transfers are split over several reports: {names}",
            "fraud_txn_ids",
            phrase=phrase("filing_split", reports=reports),
        )
    joined = s.get(Report, next(iter(shared)))
    if joined is None:  # removed since the scan above: nothing to join, nothing shared
        return FilingCheck(frozenset(payers), None)
    return FilingCheck(frozenset(payers), joined)
