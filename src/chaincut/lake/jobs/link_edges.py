"""The link graph's edges as lake jobs: who holds what, who talks to whom, where reports paid.

Gang analysis (`chaincut.gangs`) joins reports, accounts, persons, phones, devices and ID
numbers through the evidence these jobs return. Each edge keeps the ids an analyst can cite:
transaction ids, call and message ids, registration rows (`persons` and `accounts` rows).
Bulk tables (calls, messages) are cut down to the parties of interest first (`phones`, a table
with one column `phone`): the whole city's chatter is no evidence about a gang.

Pure Ibis; the engine executes. Aggregates are unordered (Spark cannot order inside them), so
evidence ids are the first and last id of each pair, with the count.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def link_holders(accounts: ir.Table) -> ir.Table:
    """Every account with a holder: `account_id`, `person_id`, `kind`, `institution`,
    `country` (the holder edge; its evidence is the `accounts` row)."""
    a = accounts.filter(accounts.holder_id.notnull() & (accounts.holder_id != ""))
    return a.select(
        "account_id",
        person_id=a.holder_id,
        kind=a.kind.fill_null(""),
        institution=a.institution.fill_null(""),
        country=a.country.fill_null(""),
    )


def link_registrations(persons: ir.Table) -> ir.Table:
    """A person's registered identifiers (the `persons` row is the evidence): `person_id`,
    `kind` ('phone' or 'id_number'), `value`."""
    p = persons
    phone = p.filter(p.phone.notnull() & (p.phone != "")).select(
        "person_id", kind=ibis.literal("phone"), value=p.phone
    )
    idn = p.filter(p.id_number.notnull() & (p.id_number != "")).select(
        "person_id", kind=ibis.literal("id_number"), value=p.id_number
    )
    return phone.union(idn, distinct=False)


def link_account_phones(accounts: ir.Table, field: str = "reg_phone") -> ir.Table:
    """The phone an account was registered with, where the source gives one as an extra
    column `field`: `account_id`, `phone`, `holder` (the account's holder id, '' when none).
    Needs `Capability.JSON_STRING_FIELD`."""
    value = accounts.extra[field].str
    a = accounts.select("account_id", phone=value, holder=accounts.holder_id.fill_null(""))
    return a.filter(a.phone.notnull() & (a.phone != ""))


def _pairs(calls: ir.Table, messages: ir.Table) -> ir.Table:
    c = calls.select(a=calls.caller, b=calls.callee, ts=calls.ts, event_id=calls.call_id,
                     channel=ibis.literal("call"))  # fmt: skip
    m = messages.select(a=messages.sender, b=messages.receiver, ts=messages.ts,
                        event_id=messages.msg_id, channel=ibis.literal("msg"))  # fmt: skip
    return c.union(m, distinct=False)


def link_contacts(calls: ir.Table, messages: ir.Table, phones: ir.Table) -> ir.Table:
    """Calls and messages where either party is in `phones`, one row per ordered pair and
    channel: `src`, `dst`, `channel` ('call' or 'msg'), `n`, `first_ts`, `last_ts`,
    `first_id`, `last_id` (the smallest and largest call or message id, as evidence)."""
    e = _pairs(calls, messages)
    want = phones.select(phone=phones.phone).distinct()
    hit_a = e.semi_join(want, e.a == want.phone)
    hit_b = e.semi_join(want, e.b == want.phone)
    both = hit_a.union(hit_b, distinct=True)
    return both.group_by(src=both.a, dst=both.b, channel=both.channel).aggregate(
        n=both.event_id.count(),
        first_ts=both.ts.min(),
        last_ts=both.ts.max(),
        first_id=both.event_id.min(),
        last_id=both.event_id.max(),
    )


def phone_reach(calls: ir.Table, messages: ir.Table, victims: ir.Table) -> ir.Table:
    """How widely each number reaches out, and how many victims among them: `phone`,
    `contacts` (distinct numbers it called or wrote to), `victims` (distinct ones in `victims`,
    a table with column `phone`). A fraud line reaches several victims among few contacts; a
    courier or a switchboard reaches many people, a victim now and then."""
    e = _pairs(calls, messages)
    v = victims.select(vphone=victims.phone).distinct()
    j = e.left_join(v, e.b == v.vphone)
    return j.group_by(phone=j.a).aggregate(
        contacts=j.b.nunique(),
        victims=j.vphone.nunique(),
    )


def calls_from(calls: ir.Table, phones: ir.Table, column: str) -> ir.Table:
    """The calls made by the numbers in `phones` (column `phone`) that name `column` (a
    handset or a cell)."""
    c = calls.filter(calls[column].notnull() & (calls[column] != ""))
    want = phones.select(phone=phones.phone).distinct()
    return c.semi_join(want, c.caller == want.phone)


def link_devices(calls: ir.Table, phones: ir.Table) -> ir.Table:
    """The handsets (IMEIs) the numbers in `phones` called from: `phone`, `imei`, `n`,
    `first_id`, `last_id`, `cell` (the first cell id, where the handset or box stands)."""
    c = calls_from(calls, phones, "imei")
    return c.group_by(phone=c.caller, imei=c.imei).aggregate(
        n=c.call_id.count(),
        first_id=c.call_id.min(),
        last_id=c.call_id.max(),
        cell=c.cell_id.min(),
    )


def device_reach(calls: ir.Table, imeis: ir.Table) -> ir.Table:
    """Every number each IMEI in `imeis` (column `imei`) carried: `imei`, `phones` (distinct
    numbers), `contacts` (distinct callees)."""
    c = calls.filter(calls.imei.notnull())
    want = imeis.select(want=imeis.imei).distinct()
    c = c.semi_join(want, c.imei == want.want)
    return c.group_by("imei").aggregate(phones=c.caller.nunique(), contacts=c.callee.nunique())


def report_transfers(reports: ir.Table, transactions: ir.Table) -> ir.Table:
    """Each report's fraud transfers as the ledger has them: `report_id`, `victim_id`,
    `victim_account`, `txn_id`, `ts`, `dst_account`, `amount`."""
    r = reports.select("report_id", "victim_id", "victim_account",
                       txn_id=reports.fraud_txn_ids.unnest())  # fmt: skip
    t = transactions
    j = r.join(t, r.txn_id == t.txn_id)
    return j.select(
        r.report_id, r.victim_id, r.victim_account, r.txn_id, t.ts,
        dst_account=t.dst_account, amount=t.amount,
    )  # fmt: skip


def account_degree(transactions: ir.Table, accounts: ir.Table) -> ir.Table:
    """How many distinct counterparties each account in `accounts` (column `account_id`)
    has: `account_id`, `counterparties`, `txns`. Pooled accounts, merchants and exchanges
    have thousands; a rented card a few dozen."""
    t = transactions
    sides = t.select(account_id=t.src_account, other=t.dst_account).union(
        t.select(account_id=t.dst_account, other=t.src_account), distinct=False
    )
    want = accounts.select("account_id").distinct()
    s = sides.semi_join(want, "account_id")
    return s.group_by("account_id").aggregate(counterparties=s.other.nunique(), txns=s.count())


def link_transfers(transactions: ir.Table, accounts: ir.Table) -> ir.Table:
    """Money between two accounts of `accounts` (column `account_id`), one row per ordered
    pair: `src`, `dst`, `n`, `amount` (total), `first_id`, `last_id` (transaction ids)."""
    src = accounts.select(want_src=accounts.account_id).distinct()
    paid = link_payers(transactions, accounts)
    return paid.semi_join(src, paid.src == src.want_src)


def link_payers(transactions: ir.Table, accounts: ir.Table) -> ir.Table:
    """Money into the accounts of `accounts` (column `account_id`) from anyone, one row per
    ordered pair: `src`, `dst`, `n`, `amount`, `first_id`, `last_id` (transaction ids). Who
    else paid the account abroad that a gang's traced money exited to."""
    t = transactions.filter(transactions.src_account != transactions.dst_account)
    dst = accounts.select(want_dst=accounts.account_id).distinct()
    t = t.semi_join(dst, t.dst_account == dst.want_dst)
    return t.group_by(src=t.src_account, dst=t.dst_account).aggregate(
        n=t.txn_id.count(),
        amount=t.amount.sum(),
        first_id=t.txn_id.min(),
        last_id=t.txn_id.max(),
    )


def link_messages(messages: ir.Table, phones: ir.Table) -> ir.Table:
    """The messages received by the numbers in `phones` (column `phone`), with their text:
    `msg_id`, `sender`, `receiver`, `text`. The identifiers in a fraud message (a link, a
    card, a QQ or WeChat id, a wallet) tie its sender to the gang's other lines and cards."""
    want = phones.select(phone=phones.phone).distinct()
    m = messages.filter(messages.text.notnull())
    m = m.semi_join(want, m.receiver == want.phone)
    return m.select("msg_id", "sender", "receiver", "text")
