"""Which accounts are a gang's cards beyond those its money, the mule-card model and a
dealer's registrations reach: a listed card's holder's other accounts, where the records tie
them to the gang (docs/gangs.md, "Round six: cards").

A person who rents one card to a gang holds others, mostly his own everyday or idle accounts:
on the training worlds of round five about 95 such accounts were the gang's against 1,100
innocent ones. Holding a listed card is therefore a weak prior, and each account is weighed
by what else the records say about it:

- an idle payment account (no counterparty yet) beside a payment account the gang uses: a
  score-running (跑分) lender lends several (Alipay and WeChat Pay), kept for the gang's use;
- opened at the same institution within a day of one of the gang's listed cards: a dealer
  opens the cards he sells in batches;
- opened in the months before the gang's first report: cards opened to be sold (断卡) are
  opened weeks before use, a person's own accounts mostly years before;
- against all of them, each counterparty: an account its holder lives on is his own.

The confidence is the logistic of the weighted sum; accounts under `MIN_CONFIDENCE` stay out.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from chaincut.gangs.ahead import by_role, freeze_ahead
from chaincut.gangs.ahead import when as parse_when
from chaincut.gangs.collect import Evidence
from chaincut.gangs.dealers import late_dealers
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.lenders import lenders
from chaincut.gangs.member import MIN_CONFIDENCE, Member, member, sig
from chaincut.gangs.sentences import Sentence, said

if TYPE_CHECKING:
    from chaincut.gangs.analyse import Gang

#: the log-odds that a listed card's holder's other account is the gang's, before evidence
PRIOR = -2.4
#: an idle payment account whose holder lends the gang another payment account
LENDS_PAYMENT = 3.9
#: opened at the same institution within `BATCH_DAYS` of one of the gang's listed cards
BATCH = 3.9
BATCH_DAYS = 1.0
#: opened at most `RECENT_DAYS` before the gang's first report
RECENT = 3.9
RECENT_DAYS = 120
#: counterparties an account kept for the gang may have before each one counts against it
QUIET = 0
#: the log-odds each counterparty past `QUIET` takes away
PER_COUNTERPARTY = 0.8
#: account kinds that can be a rented card or a lent payment account
CARD_KINDS = ("bank_card", "payment")


def kin_cards(gangs: list[Gang], ev: Evidence, graph: LinkGraph) -> None:
    """Add to each gang (in id order) the accounts of its listed cards' holders that the
    evidence above ties to it (`ev.kin`), in the role of the listed card they stand beside.
    An account already in a gang stays where it is; a victim's account, shared
    infrastructure and accounts of other kinds are never added."""
    kin: dict[str, list[dict[str, object]]] = {}
    row_of: dict[str, dict[str, object]] = {}
    for r in sorted(ev.kin, key=lambda r: str(r["account_id"])):
        kin.setdefault(str(r["person_id"]), []).append(r)
        row_of[str(r["account_id"])] = r
    taken = {m.id for g in gangs for m in g.members if m.kind == "account"}
    victims = {str(t["victim_account"]) for t in ev.transfers if t["victim_account"]}
    for g in gangs:
        listed = [m for m in g.members if m.kind == "account" and m.role in ("mule", "launderer")]
        opened = [
            (_when(row_of[m.id]), str(row_of[m.id]["institution"]), m.id)
            for m in listed
            if m.id in row_of and _when(row_of[m.id]) is not None
        ]
        first = _when({"opened_at": g.span[0]})
        added: list[Member] = []
        for m in listed:
            if m.id not in row_of:
                continue
            holder = str(row_of[m.id]["person_id"])
            for r in kin.get(holder, []):
                card = str(r["account_id"])
                if card in taken or card in victims or str(r["kind"]) not in CARD_KINDS:
                    continue
                if graph.infra.get(f"account:{card}", 0.0) >= 0.5:
                    continue
                found = _weigh(r, row_of[m.id], opened, first)
                if found is None:
                    continue
                conf, why = found
                taken.add(card)
                added.append(member("account", card, m.role, conf, [*why, holder, m.id]))
        if added:
            g.members = sorted(g.members + added, key=by_role)
    # then the cards of people the gang has not used yet (`chaincut.gangs.ahead`), and the
    # holders who lend it payment accounts rather than sell it bank cards (round twelve)
    freeze_ahead(gangs, ev, graph)
    lenders(gangs, ev)
    # (round thirteen) the phones that registered the accounts listed by the steps above
    late_dealers(gangs, ev)


def _weigh(
    row: dict[str, object],
    beside: dict[str, object],
    opened: list[tuple[datetime | None, str, str]],
    first: datetime | None,
) -> tuple[float, list[Sentence]] | None:
    """The confidence that `row` (an account of the holder of the listed card `beside`) is
    the gang's (whose listed cards were `opened` when and where, and whose first report is
    of `first`), with the sentences that say why; None without any evidence but the holder."""
    score, why = PRIOR, []
    parties = int(str(row["counterparties"]))
    # (a lent account is kept for the gang: one its holder has used is his own wallet, as the
    # simulator's mules' wallets with a payment or two are)
    if row["kind"] == "payment" and beside["kind"] == "payment" and parties == 0:
        score += LENDS_PAYMENT
        why.append(said("lends_payment", account=str(beside["account_id"])))
    when = _when(row)
    batch = sorted(
        (abs((when - t).total_seconds()), a)
        for t, inst, a in opened
        if when is not None and t is not None and inst == row["institution"]
        and a != row["account_id"] and abs((when - t).total_seconds()) <= BATCH_DAYS * 86400
    )  # fmt: skip
    if batch:
        score += BATCH
        why.append(said("opened_with", institution=str(row["institution"]),
                        day=str(row["opened_at"])[:10], account=batch[0][1]))  # fmt: skip
    if when is not None and first is not None and 0 <= (first - when).days <= RECENT_DAYS:
        score += RECENT
        why.append(said("opened_before", day=str(row["opened_at"])[:10],
                        days=str((first - when).days)))  # fmt: skip
    if not why:
        return None
    score -= PER_COUNTERPARTY * max(0, parties - QUIET)
    why.append(said("counterparties", n=str(parties)))
    conf = sig(score)
    return (conf, why) if conf >= MIN_CONFIDENCE else None


def _when(row: dict[str, object]) -> datetime | None:
    return parse_when(str(row.get("opened_at") or ""))
