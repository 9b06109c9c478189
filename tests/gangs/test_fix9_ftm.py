"""The FollowTheMoney export (issue 14 item 8) as FtM reads it: every line valid for its schema,
every account tied to its holder, every payment to its payer and payee, and a sender FtM does
not take as a phone number named in the call, not dropped."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from chaincut.gangs import Evidence, analyse
from chaincut.gangs.analyse import Gang
from chaincut.gangs.ftm import entities
from chaincut.gangs.member import member


def invalid(lines: list[dict[str, Any]]) -> list[str]:
    """What `followthemoney` finds wrong in `lines`: an unknown or abstract schema, a property
    the schema lacks, a value its type does not take as clean, a required property missing,
    a reference to an entity not exported, an id given twice."""
    from followthemoney import model

    ids = Counter(e["id"] for e in lines)
    wrong = [f"{i} twice" for i, n in ids.items() if n > 1]
    for e in lines:
        schema = model.get(e["schema"])
        if schema is None or schema.abstract:
            wrong.append(f"{e['id']}: schema {e['schema']}")
            continue
        schema.validate(e)  # type: ignore[arg-type]  # (raises on a value its type rejects)
        props = e["properties"]
        wrong += [f"{e['schema']} {e['id']}: no {r}" for r in schema.required if not props.get(r)]
        for name, values in props.items():
            prop = schema.get(name)
            if prop is None:
                wrong.append(f"{e['schema']} has no {name}")
                continue
            for v in values:
                if prop.type.clean(v) is None:
                    wrong.append(f"{e['schema']}.{name} {v!r}")
                if prop.type.name == "entity" and v not in ids:
                    wrong.append(f"{e['schema']}.{name} -> {v}: not exported")
    return wrong


def _one_gang() -> tuple[Any, Evidence]:
    ev = Evidence()
    ev.persons = [{"person_id": "P1", "name": "张三", "phone": "+8613800000001"}]
    ev.holders = [{"account_id": "A1", "person_id": "P1", "kind": "bank_card",
                   "institution": "ICBC", "country": "CN"}]  # fmt: skip
    ev.transfers = [{"report_id": "R1", "victim_id": "V1", "victim_account": "A9",
                     "txn_id": "T1", "ts": datetime(2026, 3, 1, 9), "dst_account": "A1",
                     "amount": Decimal("500.00")}]  # fmt: skip
    when = datetime(2026, 3, 1, 8)
    ev.contacts = [
        {"src": "95599", "dst": "+8613800000001", "channel": "msg", "n": 2, "first_ts": when,
         "last_ts": when, "first_id": "M1", "last_id": "M2"},
        {"src": "+8613800000001", "dst": "+8613900000002", "channel": "call", "n": 1,
         "first_ts": when, "last_ts": when, "first_id": "C1", "last_id": "C1"},
    ]  # fmt: skip
    members = [member("person", "P1", "financier", 0.9, []),
               member("account", "A1", "mule", 0.9, []),
               member("phone", "+8613800000001", "operator", 0.8, [])]  # fmt: skip
    gang = Gang("G1", ["R1"], members, {"reported": Decimal("500.00")}, [])
    return SimpleNamespace(gangs=[gang, gang]), ev  # (twice: each entity still once)


def test_accounts_have_holders_payments_have_parties_and_short_codes_are_said() -> None:
    analysis, ev = _one_gang()
    out = list(entities(analysis, ev))
    assert invalid(out) == []
    by_id = {e["id"]: e for e in out}
    owners = {
        by_id[o["properties"]["asset"][0]]["properties"]["accountNumber"][0]: by_id[
            o["properties"]["owner"][0]
        ]["properties"]["name"][0]
        for o in out
        if o["schema"] == "Ownership"
    }
    assert owners == {"A1": "张三"}
    (pay,) = [e for e in out if e["schema"] == "Payment"]
    assert by_id[pay["properties"]["payer"][0]]["properties"]["name"] == ["V1"]  # the victim
    assert by_id[pay["properties"]["beneficiary"][0]]["properties"]["name"] == ["张三"]
    calls = {e["properties"]["recordId"][0]: e["properties"] for e in out if e["schema"] == "Call"}
    assert "callerNumber" not in calls["M1"] and "95599" in calls["M1"]["description"][0]
    assert "short code" in calls["M1"]["description"][0]
    assert calls["C1"]["callerNumber"] == ["+8613800000001"] and "description" not in calls["C1"]
    assert by_id[calls["C1"]["caller"][0]]["properties"]["name"] == ["张三"]


def test_every_line_of_a_foreign_worlds_export_is_valid_ftm(evidence: Evidence) -> None:
    analysis = analyse(evidence)
    out = list(entities(analysis, evidence))
    assert invalid(out) == []
    tied = {v for e in out if e["schema"] == "Ownership" for v in e["properties"]["asset"]}
    accounts = [e["id"] for e in out if e["schema"] == "BankAccount"]
    assert accounts and all(a in tied for a in accounts)
    senders = {c["src"] for c in evidence.contacts}
    calls = [e["properties"] for e in out if e["schema"] == "Call"]
    # every call says who called: the number, or what the sender is
    assert calls and all("callerNumber" in c or "description" in c for c in calls)
    assert all(any(s in d for s in senders) for c in calls for d in c.get("description", []))
