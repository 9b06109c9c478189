"""Gather the link graph's evidence from the lake: traced money, holders, registrations,
contacts and handsets, each with the ids an analyst can cite.

Everything runs on a lake engine (`chaincut.lake.engine`): the traces through
`chaincut.trace.batch` and the rest through the `link_*` jobs, so DuckDB and Spark give the
same evidence. Only the parties a report's money or calls reach are followed: the rest of the
city is no evidence about any gang.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

import ibis
import pyarrow as pa

from chaincut.gangs.rowset import RowSet, values
from chaincut.lake.engine.base import Capability, Engine
from chaincut.lake.jobs.link_cells import cell_reach, link_cells
from chaincut.lake.jobs.link_edges import (
    account_degree,
    device_reach,
    link_account_phones,
    link_contacts,
    link_devices,
    link_holders,
    link_messages,
    link_payers,
    link_registrations,
    link_transfers,
    report_transfers,
)
from chaincut.lake.jobs.link_reach import focused_reach
from chaincut.lake.jobs.link_targets import targeted_payments
from chaincut.trace.batch import Cut, cut_all, trace_all_engine
from chaincut.trace.model import TraceParams

Rows = list[dict[str, Any]]

#: the row sets kept as Arrow columns (`RowSet`): each grows with the city's people or traffic
#: (at 10 M transactions 424 k persons, 848 k registrations, 1.5 M and 2.8 M contact rows, as
#: dicts most of `collect`'s memory) and the analysis reads each a few times, never per gang
COLUMNAR = frozenset(
    {"gang persons", "gang registrations", "gang boss contacts", "gang ahead contacts"}
)


@dataclass
class Evidence:
    """What the lake says about the reports' surroundings (rows as plain dicts)."""

    traces: Rows = field(default_factory=list)
    #: report -> the `totals` of its trace as `trace --all` judges it (the mule model's scores
    #: weigh in the stop judge, `chaincut.trace.bystander_model`): what the gang's
    #: `money.stopped` adds up; empty where the graph's `traces` are judged the same way
    stops: dict[str, dict[str, str]] = field(default_factory=dict)
    transfers: Rows = field(default_factory=list)
    reports: Rows = field(default_factory=list)
    holders: Rows = field(default_factory=list)
    degrees: dict[str, int] = field(default_factory=dict)
    registrations: Rows = field(default_factory=list)
    persons: Rows = field(default_factory=list)
    account_phones: Rows = field(default_factory=list)
    contacts: Rows = field(default_factory=list)
    reach: dict[str, tuple[int, int]] = field(default_factory=dict)
    devices: Rows = field(default_factory=list)
    device_reach: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: mule-card scores (chaincut.scoring) of the flagged accounts
    scores: dict[str, float] = field(default_factory=dict)
    #: money between the chain's accounts and flagged accounts
    transfers_between: Rows = field(default_factory=list)
    #: money sent abroad to the accounts the traces' cross-border exits reached, by accounts
    #: the traces did not follow there (`src`, `dst`, `n`, `amount`, `first_id`, `last_id`)
    abroad: Rows = field(default_factory=list)
    #: identifiers in the messages the victims received and in the reports' narratives
    #: (`source`: a msg id or report id, `sender`: the number or report, `kind`, `value`)
    indicators: Rows = field(default_factory=list)
    #: money from people the gang's lines talked to into flagged cards (`link_transfers`
    #: rows with `person`, `line` and `contact`: the call or message id)
    targeted: Rows = field(default_factory=list)
    #: the holders of the accounts the mule-card model flags (`link_holders` rows): a listed
    #: card's holder who holds another flagged card (`analyse.sibling_cards`)
    owned: Rows = field(default_factory=list)
    #: the cells the lines that reached several reported victims called from
    #: (`link_cells.link_cells` rows: `phone`, `cell`, `n`, first and last call id and time)
    cells: Rows = field(default_factory=list)
    #: cell -> how many different numbers called from it (a city centre's cell: hundreds)
    cell_callers: dict[str, int] = field(default_factory=dict)
    #: every account of the persons who hold the chain's accounts (`holder_accounts` rows:
    #: kind, institution, opening time and counterparties): a listed card's holder's other
    #: accounts (`chaincut.gangs.cards`)
    kin: Rows = field(default_factory=list)
    #: where the money ends and who talks to the people behind it (`chaincut.gangs.ends`):
    #: money from the chain's cards to accounts abroad, those accounts' holders, and every
    #: contact of their numbers and of the numbers abroad the chain's people talk to
    ends: Rows = field(default_factory=list)
    end_holders: Rows = field(default_factory=list)
    boss_contacts: Rows = field(default_factory=list)
    den_visitors: Rows = field(default_factory=list)
    #: money the holders of `end_holders` paid out of any account they hold (`payer`, `src`,
    #: `dst`, `holder`: the payee's holder, `n`, `amount`, `first_id`, `last_id`)
    boss_payments: Rows = field(default_factory=list)
    #: calls and messages of the numbers in `reach` (`link_contacts` rows), and every account
    #: of the people they and the chain's people talk to that `kin` does not hold
    #: (`holder_accounts` rows): the gang's cards not used yet (`chaincut.gangs.ahead`)
    ahead_contacts: Rows = field(default_factory=list)
    ahead: Rows = field(default_factory=list)


def _rows(engine: Engine, expr: Any, label: str) -> Rows:
    table = _sorted(engine, expr, label)
    if label in COLUMNAR:
        # the same rows, read as the same dicts, but held as Arrow columns (read-only)
        return cast(Rows, RowSet(table))
    return list(table.to_pylist())


def _sorted(engine: Engine, expr: Any, label: str) -> pa.Table:
    engine.backend._register_in_memory_tables(expr)
    table: pa.Table = engine.execute(expr, label=label)
    # DuckDB returns groups and joins in no fixed order; every first-seen choice downstream
    # must be the same on every run, so the rows come sorted (by their plain columns)
    keys = [(c, "ascending") for c, f in zip(table.column_names, table.schema, strict=True)
            if not pa.types.is_nested(f.type)]  # fmt: skip
    return table.sort_by(keys) if keys else table


def _ids(values: set[str], column: str) -> Any:
    return ibis.memtable(pa.table({column: pa.array(sorted(values), pa.string())}))


def judged_totals(
    engine: Engine, params: TraceParams, *, cut: Cut | None = None
) -> dict[str, dict[str, str]]:
    """Report -> the `totals` of its trace as `trace --all` judges it: with the shipped mule
    model's scores of the lake (those `trace --all` kept in the home, else scored now and
    kept: `bystander_model.lake_scores`); none where `params` leave the model out (then the
    graph's traces are judged the same way). The link graph keeps its traces without the
    scores (docs/gangs.md "Round ten: the figures"): only the money figures read these.
    `cut`: the reports' subgraphs as the graph's traces read them (`trace.batch.cut_all`)."""
    if not (params.mule_model and params.judge_accounts):
        return {}
    from chaincut.trace.bystander_model import lake_scores

    scores = lake_scores(engine)
    if not scores:
        return {}
    judged = trace_all_engine(engine, params, scores, cut=cut)
    return {str(t["report_id"]): t["totals"] for t in judged}


def _scores(engine: Engine) -> dict[str, float]:
    # the last whole-lake scoring's flags when the lake and the model are the same since
    # (`chaincut score accounts` or an earlier run keeps them): half of `collect` at 1 M
    from chaincut.scoring.saved import flagged_accounts

    return flagged_accounts(engine)


#: how many different people's cards one phone must have registered to be a dealer's
DEALER_HOLDERS = 3


def dealer_phones(
    rows: Rows, chain: set[str], owners: dict[str, str] | None = None
) -> dict[str, set[str]]:
    """Registration phones (`link_account_phones` rows) that registered at least one of the
    `chain` accounts and the cards of `DEALER_HOLDERS` or more different people other than
    the phone's own registrant (`owners`: phone -> person): phone -> every card it
    registered."""
    owners = owners or {}
    cards: dict[str, set[str]] = defaultdict(set)
    holders: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        cards[r["phone"]].add(r["account_id"])
        holder = str(r.get("holder") or r["account_id"])
        if holder != owners.get(r["phone"]):
            holders[r["phone"]].add(holder)
    return {
        phone: found
        for phone, found in cards.items()
        if found & chain and len(holders[phone]) >= DEALER_HOLDERS
    }


#: indicator kinds that become nodes of the link graph (the text module's names)
LINKING = ("url", "wechat", "qq", "qq_group", "wechat_group", "crypto_wallet", "bank_card",
           "payment_account")  # fmt: skip


def _indicators(ev: Evidence, messages: Rows) -> Rows:
    """The linking identifiers (`LINKING`) in the victims' messages and the reports'
    narratives, each with where it was seen."""
    from chaincut.text.indicators import extract_indicators

    out: Rows = []
    for m in messages:
        for i in extract_indicators(str(m["text"])):
            if i.kind in LINKING:
                out.append({"source": str(m["msg_id"]), "sender": f"phone:{m['sender']}",
                            "kind": i.kind, "value": i.value})  # fmt: skip
    for r in ev.reports:
        for i in extract_indicators(str(r.get("narrative") or "")):
            if i.kind in LINKING:
                out.append({"source": f"report {r['report_id']}",
                            "sender": f"report:{r['report_id']}", "kind": i.kind,
                            "value": i.value})  # fmt: skip
    return out


def collect(engine: Engine, params: TraceParams | None = None, *, scores: bool = True) -> Evidence:
    """Every report's trace and the identifiers around its money and its victim; with
    `scores`, the accounts the mule-card model flags that money joins to the chain."""
    from chaincut.scoring.score import scoring_once

    # the judged traces' scores of every account and the flags are one scoring of the lake
    with scoring_once():
        return _collect(engine, params, scores=scores)


def _collect(engine: Engine, params: TraceParams | None, *, scores: bool) -> Evidence:
    ev = Evidence()
    t = engine.tables(["transactions", "accounts", "persons", "calls", "messages", "reports"])
    params = params or TraceParams()
    # the graph's traces and the judged ones read the same subgraphs: cut once
    cut = cut_all(engine, params)
    ev.traces = trace_all_engine(engine, params, cut=cut)
    ev.stops = judged_totals(engine, params, cut=cut)
    ev.reports = _rows(
        engine,
        t["reports"].select(
            "report_id", "ts", "victim_id", "victim_account", "fraud_type", "narrative"
        ),
        "gang reports",
    )
    ev.transfers = _rows(engine, report_transfers(t["reports"], t["transactions"]), "gang txns")
    chain: set[str] = {r["dst_account"] for r in ev.transfers}
    for tr in ev.traces:
        for key in ("freeze", "verify", "hubs"):
            chain.update(o["account_id"] for o in tr[key])
        for e in tr["exits"]:
            chain.update((e["from"], e["to"]))
    # who else paid the gang's accounts abroad: a branch of cards no report's money reached
    foreign = {e["to"] for tr in ev.traces for e in tr["exits"] if e["channel"] == "cross_border"}
    if foreign:
        ev.abroad = [
            r for r in _rows(engine, link_payers(t["transactions"], _ids(foreign, "account_id")),
                             "gang payers abroad")
            if r["src"] not in chain
        ]  # fmt: skip
        chain |= {r["src"] for r in ev.abroad}
    if scores:
        ev.scores = _scores(engine)
        pairs = link_transfers(t["transactions"], _ids(chain | set(ev.scores), "account_id"))
        ev.transfers_between = [
            r for r in _rows(engine, pairs, "gang transfers")
            if r["src"] in chain or r["dst"] in chain
        ]  # fmt: skip
        chain |= {r["src"] for r in ev.transfers_between} | {r["dst"] for r in ev.transfers_between}
    p = t["persons"]
    ev.persons = _rows(engine, p.select("person_id", "name", "id_number", "birth_date", "phone"),
                       "gang persons")  # fmt: skip
    owners = {str(ph): str(pid) for pid, ph in values(ev.persons, "person_id", "phone") if ph}
    if engine.supports(Capability.JSON_STRING_FIELD):
        ev.account_phones = _rows(engine, link_account_phones(t["accounts"]), "gang reg phones")
        # cards registered with a phone that registered one of the chain's cards and cards
        # of several other people: a dealer's (the cards of a family share a phone too, so
        # `dealer_phones` asks for more people than a family has)
        for cards in dealer_phones(ev.account_phones, chain, owners).values():
            chain |= cards
    accounts = _ids(chain, "account_id")
    ev.degrees = {
        r["account_id"]: int(r["counterparties"])
        for r in _rows(engine, account_degree(t["transactions"], accounts), "gang degree")
    }
    holders = link_holders(t["accounts"])
    ev.holders = _rows(engine, holders.semi_join(accounts, "account_id"), "gang holders")
    people = {h["person_id"] for h in ev.holders} | {
        str(r["victim_id"]) for r in ev.reports if r["victim_id"]
    }
    regs = link_registrations(p)
    ev.registrations = _rows(engine, regs, "gang registrations")
    phones = {
        value
        for person, kind, value in values(ev.registrations, "person_id", "kind", "value")
        if kind == "phone" and person in people
    }
    phones |= {r["phone"] for r in ev.account_phones}
    victim_people = {str(r["victim_id"]) for r in ev.reports if r["victim_id"]}
    victim_phones = {
        value
        for person, kind, value in values(ev.registrations, "person_id", "kind", "value")
        if kind == "phone" and person in victim_people
    }
    ev.contacts = _rows(
        engine, link_contacts(t["calls"], t["messages"], _ids(phones, "phone")), "gang contacts"
    )
    # numbers several of the chain's people talk to (a dealer, a recruiter): their reach too
    talks: dict[str, set[str]] = defaultdict(set)
    for c in ev.contacts:
        if c["src"] in phones:
            talks[c["dst"]].add(c["src"])
        if c["dst"] in phones:
            talks[c["src"]].add(c["dst"])
    popular = sorted(p for p, who in talks.items() if len(who - {p}) >= 2)
    # (only the numbers kept are grouped: the city's other traffic is never aggregated)
    reach = focused_reach(t["calls"], t["messages"], _ids(victim_phones, "phone"),
                          _ids(set(popular), "phone"))  # fmt: skip
    ev.reach = {
        r["phone"]: (int(r["contacts"]), int(r["victims"]))
        for r in _rows(engine, reach, "gang reach")
    }
    ev.indicators = _indicators(
        ev, _rows(engine, link_messages(t["messages"], _ids(victim_phones, "phone")), "gang msgs")
    )
    callers = {p for p, (_, v) in ev.reach.items() if v > 0} - victim_phones
    ev.devices = _rows(engine, link_devices(t["calls"], _ids(callers, "phone")), "gang devices")
    imeis = {str(d["imei"]) for d in ev.devices}
    ev.device_reach = {
        r["imei"]: (int(r["phones"]), int(r["contacts"]))
        for r in _rows(engine, device_reach(t["calls"], _ids(imeis, "imei")), "gang device reach")
    }
    _cells(engine, t, ev)
    if ev.scores:
        _targeted(engine, t, ev, chain, victim_phones)
        ev.owned = _owned(engine, t, set(ev.scores))
    ev.kin = holder_accounts(engine, t, {str(h["person_id"]) for h in ev.holders})
    from chaincut.gangs.ends import collect_ends

    collect_ends(engine, ev, chain)
    from chaincut.gangs.ahead import collect_ahead

    collect_ahead(engine, t, ev)
    return ev


def _cells(engine: Engine, t: dict[str, Any], ev: Evidence) -> None:
    """The cells of the lines that reached several reported victims (`ev.cells`) and how
    many numbers call from each (`ev.cell_callers`): a den's site or a city centre."""
    lines = {p for p, (_, v) in ev.reach.items() if v >= TARGETING_VICTIMS}
    if not lines:
        return
    ev.cells = _rows(engine, link_cells(t["calls"], _ids(lines, "phone")), "gang cells")
    cells = _ids({str(r["cell"]) for r in ev.cells}, "cell")
    ev.cell_callers = {
        str(r["cell"]): int(r["callers"])
        for r in _rows(engine, cell_reach(t["calls"], cells), "gang cell reach")
    }


def holder_accounts(engine: Engine, t: dict[str, Any], persons: set[str]) -> Rows:
    """Every account the `persons` hold: `account_id`, `person_id`, `kind`, `institution`,
    `opened_at` (ISO text, '' when the source gives none) and `counterparties` (0 for an
    account with no transaction in the lake). A person who lends the gang one account often
    lends it the others (`chaincut.gangs.cards`)."""
    if not persons:
        return []
    a, want = t["accounts"], _ids(persons, "person_id")
    mine = a.semi_join(want, a.holder_id == want.person_id)
    table = _sorted(
        engine,
        mine.select(
            "account_id",
            person_id=mine.holder_id,
            kind=mine.kind.fill_null(""),
            institution=mine.institution.fill_null(""),
            opened_at=mine.opened_at.cast("string").fill_null(""),
        ),
        "gang holders' accounts",
    )
    accounts = table.column("account_id").to_pylist()
    ids = {str(a) for a in accounts}
    degree = {
        r["account_id"]: int(r["counterparties"])
        for r in _rows(
            engine,
            account_degree(t["transactions"], _ids(ids, "account_id")),
            "gang holders' accounts degree",
        )  # fmt: skip
    }
    # kept as columns (`RowSet`): the accounts of everyone the gang's numbers talk to, 129 k
    # rows at 1 M transactions, read once or twice per run
    parties = pa.array([degree.get(a, 0) for a in accounts], pa.int64())
    return cast(Rows, RowSet(table.append_column("counterparties", parties)))


def _owned(engine: Engine, t: dict[str, Any], flagged: set[str]) -> Rows:
    """The holders of the `flagged` accounts (`link_holders` rows)."""
    holders = link_holders(t["accounts"]).semi_join(_ids(flagged, "account_id"), "account_id")
    return _rows(engine, holders, "gang flagged holders")


#: how many reported victims a number must reach before the people it talks to count as
#: the gang's targets
TARGETING_VICTIMS = 2


def _targeted(
    engine: Engine, t: dict[str, Any], ev: Evidence, chain: set[str], victim_phones: set[str]
) -> None:
    """Money from the people the gang's lines talked to (numbers that reached several
    reported victims) into cards the mule-card model flags: victims who did not report, and
    the cards their money went to (`ev.targeted`, with the line and the contact as
    evidence); those cards' degrees and holders join the evidence."""
    lines = {p for p, (_, v) in ev.reach.items() if v >= TARGETING_VICTIMS}
    if not lines:
        return
    # one join in the lake: the contacts, their holders' accounts and those accounts'
    # payments came into Python as three row sets (1.9 M, 1.3 M and 1.3 M rows at 10 M)
    paid = targeted_payments(
        t["calls"], t["messages"], t["persons"], t["accounts"], t["transactions"],
        _ids(lines, "phone"), _ids(victim_phones, "phone"),
        _ids(set(ev.scores) - chain, "account_id"),
    )  # fmt: skip
    ev.targeted = _rows(engine, paid, "gang targets' payments")
    new = {r["dst"] for r in ev.targeted}
    if new:
        accounts = _ids(new, "account_id")
        ev.degrees |= {
            r["account_id"]: int(r["counterparties"])
            for r in _rows(engine, account_degree(t["transactions"], accounts), "gang degree 2")
        }
        ev.holders += _rows(engine, link_holders(t["accounts"]).semi_join(accounts, "account_id"),
                            "gang holders 2")  # fmt: skip


#: the gatherers' helpers under public names, for the evidence of one filed report
#: (`chaincut.gangs.filed`): a lake query's rows sorted, a set of ids as a table, and the
#: linking identifiers in messages and narratives
lake_rows = _rows
id_table = _ids
message_indicators = _indicators
