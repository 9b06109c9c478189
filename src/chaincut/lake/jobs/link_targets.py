"""Money from the people a gang's lines talked to into cards the mule-card model flags, as one
lake query.

`chaincut.gangs.collect` asks who the lines that reached several reported victims talked to,
which of those people hold accounts, and which of those accounts paid a flagged card. Asked as
three queries, each answer came into Python whole: at 10 M transactions 1.9 M contact rows,
1.3 M holder rows and 1.3 M payment rows, for a few hundred payments kept. Here the lake joins
them and returns only the payments, with the line and the contact that name the payer.

Pure Ibis; the engine executes. Every choice the Python loop made by the order of its rows is
made here by the same order: the first contact of a number (by time, then call or message id,
then line), the largest phone of a person, the largest holder id of an account.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from chaincut.lake.jobs.link_edges import link_contacts, link_holders, link_payers


def first_contacts(
    calls: ir.Table, messages: ir.Table, lines: ir.Table, victims: ir.Table
) -> ir.Table:
    """The numbers the `lines` (column `phone`) called or wrote to, other than the lines and
    the `victims` (column `phone`): `phone`, `line` and `contact` (the first call or message
    id) of its earliest contact with a line (by `first_ts`, then id, then line)."""
    c = link_contacts(calls, messages, lines)
    ln = lines.select(line_phone=lines.phone).distinct()
    vi = victims.select(victim_phone=victims.phone).distinct()
    c = c.semi_join(ln, c.src == ln.line_phone)
    again = ln.view()  # (one table twice in an expression must be two views)
    c = c.anti_join(again, c.dst == again.line_phone)
    c = c.anti_join(vi, c.dst == vi.victim_phone)
    order = ibis.window(group_by=c.dst, order_by=[c.first_ts, c.first_id, c.src])
    ranked = c.mutate(rank=ibis.row_number().over(order))
    first = ranked.filter(ranked.rank == 0)
    return first.select(phone=first.dst, line=first.src, contact=first.first_id)


def targeted_payments(
    calls: ir.Table,
    messages: ir.Table,
    persons: ir.Table,
    accounts: ir.Table,
    transactions: ir.Table,
    lines: ir.Table,
    victims: ir.Table,
    flagged: ir.Table,
) -> ir.Table:
    """Payments from accounts of the people registered with a number the `lines` talked to
    (`first_contacts`) into `flagged` accounts (column `account_id`) that the payer's own
    holder does not hold: `src`, `dst`, `n`, `amount`, `first_id`, `last_id` (as
    `link_payers`), `person` (the payer's holder), `line` and `contact` (the line and the
    first call or message id that reached the holder's number)."""
    first = first_contacts(calls, messages, lines, victims)
    p = persons.filter(persons.phone.notnull() & (persons.phone != ""))
    p = p.semi_join(first, p.phone == first.phone)
    phone_of = p.group_by(holder=p.person_id).aggregate(holder_phone=p.phone.max())
    h = link_holders(accounts)
    h = h.semi_join(phone_of, h.person_id == phone_of.holder)
    theirs = h.group_by(acc=h.account_id).aggregate(person=h.person_id.max())
    pay = link_payers(transactions, flagged)
    paid = pay.join(theirs, pay.src == theirs.acc)
    other = theirs.select(other_acc=theirs.acc, other_person=theirs.person)
    paid = paid.left_join(other, paid.dst == other.other_acc)
    # (one's own other card is no victim's payment)
    paid = paid.filter(paid.other_person.isnull() | (paid.other_person != paid.person))
    phones, lines_of = phone_of.view(), first.view()
    paid = paid.join(phones, paid.person == phones.holder)
    paid = paid.join(lines_of, paid.holder_phone == lines_of.phone)
    return paid.select("src", "dst", "n", "amount", "first_id", "last_id", "person", "line",
                       "contact")  # fmt: skip
