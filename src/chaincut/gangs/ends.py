"""Where the gangs' money ends, and who talks to the people behind it: the evidence of the
financiers (金主) and core members (骨干), gathered from the lake after `collect`.

- `ends`: money the chain's cards sent to accounts abroad (a bank in another country than the
  chain's cards'), one row per card and account with the first and last transaction id,
  across every report's cards, not only the ones a trace followed to the border;
- `end_holders`: the holders of those accounts (the `accounts` rows);
- `boss_contacts`: every call and message of the numbers of those holders and of the numbers
  abroad that the chain's people talk to (a core member deals with the launderers and the
  logistics at home; a financier keeps away), so that "talks to no number here" is read over
  all the records, not over the part `collect` gathered around the cards.

- `den_visitors`: the calls from a SIM box's cell by numbers other than the boxes' lines
  (the logistics who keep the boxes running, and neighbours), with whom they called.
- `boss_payments`: the money those holders paid out of any account they hold, with the
  payee's holder: the one who funds the operation pays for its cards, SIMs, salaries and
  dens (`chaincut.gangs.funders`).

These rows only name members; they take no part in the grouping (`build` never reads them).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

import phonenumbers

from chaincut.gangs.collect import Evidence, Rows, _ids, _rows
from chaincut.lake.engine.base import Engine
from chaincut.lake.jobs.link_edges import link_contacts, link_holders


def home_country(ev: Evidence) -> str:
    """The country of most of the chain's accounts (the country the reports come from)."""
    counts = Counter(str(h.get("country") or "") for h in ev.holders)
    counts.pop("", None)
    return min(counts, key=lambda c: (-counts[c], c)) if counts else "CN"


@lru_cache(maxsize=1 << 16)  # asked for every contact of every gang: 144 k times a join on fw5
def abroad_number(phone: str, home: str) -> bool:
    """Whether a number is registered in another country than `home` (its calling code)."""
    code = phonenumbers.country_code_for_region(home)
    if code and phone.startswith(f"+{code}"):
        return False  # (the home country's numbers, nearly all of them: no parsing)
    try:
        region = phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
    except phonenumbers.NumberParseException:
        return False
    return region is not None and region not in (home, "ZZ")


def _sent_abroad(engine: Engine, t: dict[str, Any], chain: set[str], home: str) -> Rows:
    """Money from the `chain` accounts into accounts of a bank abroad: `src`, `dst`, `n`,
    `amount`, `first_id`, `last_id`, `holder`, `country`."""
    tx = t["transactions"]
    src = _ids(chain, "want")
    tx = tx.semi_join(src, tx.src_account == src.want)
    acc = t["accounts"]
    abroad = acc.filter(acc.country.notnull() & (acc.country != "") & (acc.country != home))
    abroad = abroad.select(dst_id=abroad.account_id, holder=abroad.holder_id.fill_null(""),
                           country=abroad.country)  # fmt: skip
    j = tx.join(abroad, tx.dst_account == abroad.dst_id)
    expr = j.group_by(
        src=j.src_account, dst=j.dst_account, holder=j.holder, country=j.country
    ).aggregate(  # fmt: skip
        n=j.txn_id.count(),
        amount=j.amount.sum(),
        first_id=j.txn_id.min(),
        last_id=j.txn_id.max(),
    )
    return _rows(engine, expr, "gang ends abroad")


def _visitors(engine: Engine, t: dict[str, Any], ev: Evidence) -> Rows:
    """Calls from the cell of a SIM box (a handset carrying several of the lines that reach
    victims) by numbers other than the boxes' own lines: `phone`, `cell`, `callee`, `n`,
    `first_id`. The logistics who keep the boxes running show up there, and call the members
    abroad from there; so do neighbours, who call their friends."""
    lines: dict[str, set[str]] = {}
    cells: dict[str, set[str]] = {}
    for d in ev.devices:
        lines.setdefault(str(d["imei"]), set()).add(str(d["phone"]))
        if d.get("cell"):
            cells.setdefault(str(d["imei"]), set()).add(str(d["cell"]))
    sites = {c for imei, p in lines.items() if len(p) >= 2 for c in cells.get(imei, ())}
    if not sites:
        return []
    calls = t["calls"]
    site = _ids(sites, "cell")
    at = calls.semi_join(site, calls.cell_id == site.cell)
    # the boxes' own lines left out by a join, not a literal list: 33 000 lines at 10 M made
    # a NOT IN of that many constants, 600 s of the run (docs/benchmarks.md, round eight)
    own = _ids({p for ps in lines.values() for p in ps}, "line")
    at = at.filter(at.caller.notnull()).anti_join(own, at.caller == own.line)
    expr = at.group_by(phone=at.caller, cell=at.cell_id, callee=at.callee).aggregate(
        n=at.call_id.count(), first_id=at.call_id.min()
    )
    return _rows(engine, expr, "gang den visitors")


def _paid_out(engine: Engine, t: dict[str, Any], persons: set[str]) -> Rows:
    """Money out of every account the `persons` hold, at home or abroad: `payer`, `src`,
    `dst`, `holder` (the payee's holder, '' when none), `n`, `amount`, `first_id`,
    `last_id`."""
    if not persons:
        return []
    acc = t["accounts"]
    want = _ids(persons, "person_id")
    mine = acc.semi_join(want, acc.holder_id == want.person_id)
    mine = mine.select(src_id=mine.account_id, payer=mine.holder_id)
    tx = t["transactions"]
    tx = tx.join(mine, tx.src_account == mine.src_id)
    payee = acc.select(dst_id=acc.account_id, holder=acc.holder_id.fill_null(""))
    j = tx.left_join(payee, tx.dst_account == payee.dst_id)
    expr = j.group_by(
        payer=j.payer, src=j.src_account, dst=j.dst_account, holder=j.holder.fill_null("")
    ).aggregate(
        n=j.txn_id.count(),
        amount=j.amount.sum(),
        first_id=j.txn_id.min(),
        last_id=j.txn_id.max(),
    )
    return _rows(engine, expr, "gang boss payments")


def collect_ends(engine: Engine, ev: Evidence, chain: set[str]) -> None:
    """Fill `ev.ends`, `ev.end_holders`, `ev.boss_payments` and `ev.boss_contacts` (see the module's text) for the
    `chain` accounts (the traced, reported and linked cards)."""
    t = engine.tables(["transactions", "accounts", "calls", "messages"])
    home = home_country(ev)
    ev.ends = _sent_abroad(engine, t, chain, home)
    ends = {str(r["dst"]) for r in ev.ends}
    ends |= {e["to"] for tr in ev.traces for e in tr["exits"] if e["channel"] == "cross_border"}
    if ends:
        holders = link_holders(t["accounts"]).semi_join(_ids(ends, "account_id"), "account_id")
        ev.end_holders = _rows(engine, holders, "gang end holders")
    bosses = {str(h["person_id"]) for h in ev.end_holders}
    ev.boss_payments = _paid_out(engine, t, bosses)
    phones = {str(p["phone"]) for p in ev.persons if p["phone"] and str(p["person_id"]) in bosses}
    # the numbers abroad registered to persons here (a den's members abroad among them)
    phones |= {str(p["phone"]) for p in ev.persons if abroad_number(str(p["phone"] or ""), home)}
    for c in ev.contacts:
        phones |= {p for p in (str(c["src"]), str(c["dst"])) if abroad_number(p, home)}
    ev.den_visitors = _visitors(engine, t, ev)
    phones |= {str(v["phone"]) for v in ev.den_visitors}
    if phones:
        ev.boss_contacts = _rows(
            engine,
            link_contacts(t["calls"], t["messages"], _ids(phones, "phone")),
            "gang boss contacts",
        )
