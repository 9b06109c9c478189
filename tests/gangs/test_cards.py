"""A listed card's holder's other accounts (`chaincut.gangs.cards`), the accounts collected for
them (`collect.holder_accounts`) and the card figures of the evaluation."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.analyse import Gang
from chaincut.gangs.cards import kin_cards
from chaincut.gangs.collect import holder_accounts
from chaincut.gangs.evaluate import TruthGang, evaluate, recorded_accounts
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.member import MIN_CONFIDENCE, member
from chaincut.gangs.sentences import said
from chaincut.lake.engine.base import Engine

#: the gang's first report: accounts opened years before it are their holders' own
FIRST = "2026-03-05 10:00:00"


def _row(
    account: str, kind: str, opened: str, parties: int, inst: str = "Alipay"
) -> dict[str, object]:
    return {"account_id": account, "person_id": "P", "kind": kind, "institution": inst,
            "opened_at": opened, "counterparties": parties}  # fmt: skip


def _gang(*rows: dict[str, object], listed_kind: str = "payment") -> tuple[Gang, Evidence]:
    card = member("account", "L", "launderer", 0.9, [said("paid_by", victims="2"), "T1"])
    ev = Evidence(kin=[_row("L", listed_kind, "2024-05-01 09:00:00", 6), *rows])
    return Gang("GANG-R1", ["R1"], [card], {}, [], span=(FIRST, FIRST)), ev


def _added(g: Gang) -> dict[str, float]:
    return {m.id: m.confidence for m in g.members if m.id != "L"}


def test_an_idle_payment_account_beside_one_the_gang_uses_is_listed_with_its_evidence() -> None:
    g, ev = _gang(_row("IDLE", "payment", "2023-01-01 08:00:00", 0))
    kin_cards([g], ev, LinkGraph())
    added = {m.id: m for m in g.members if m.id != "L" and m.kind == "account"}
    assert set(added) == {"IDLE"} and added["IDLE"].role == "launderer"
    codes = [c["code"] for c in added["IDLE"].codes if c]
    assert codes == ["lends_payment", "counterparties"]
    # (round twelve) its holder lends the gang a wallet it has not used yet: a score-runner
    assert [(m.id, m.role) for m in g.members if m.kind == "person"] == [("P", "launderer")]
    assert added["IDLE"].evidence[-2:] == ["P", "L"]  # the holder and the account beside it


def test_an_account_its_holder_lives_on_stays_out() -> None:
    g, ev = _gang(_row("BUSY", "payment", "2023-01-01 08:00:00", 12))
    kin_cards([g], ev, LinkGraph())
    assert _added(g) == {}


def test_a_payment_account_already_used_is_its_holders_own_wallet() -> None:
    g, ev = _gang(_row("USED", "payment", "2023-01-01 08:00:00", 1))
    kin_cards([g], ev, LinkGraph())
    assert _added(g) == {}


def test_holding_a_listed_card_alone_lists_nothing() -> None:
    # an old bank card of the same holder, beside a bank card: the holder's own
    g, ev = _gang(
        _row("OWN", "bank_card", "2015-01-01 08:00:00", 0, "ICBC"), listed_kind="bank_card"
    )
    kin_cards([g], ev, LinkGraph())
    assert _added(g) == {}


def test_a_card_opened_weeks_before_the_first_report_or_with_the_gangs_cards_is_listed() -> None:
    recent = _row("NEW", "bank_card", "2026-01-20 08:00:00", 1, "ICBC")
    batch = _row("BATCH", "bank_card", "2024-05-01 15:00:00", 0)
    g, ev = _gang(recent, batch, listed_kind="bank_card")
    kin_cards([g], ev, LinkGraph())
    assert set(_added(g)) == {"NEW", "BATCH"}
    codes = {m.id: [c["code"] for c in m.codes if c] for m in g.members}
    assert "opened_before" in codes["NEW"] and "opened_with" in codes["BATCH"]


def test_another_gangs_card_a_victims_account_and_shared_infrastructure_stay_out() -> None:
    g, ev = _gang(*(_row(a, "payment", "2023-01-01 08:00:00", 0) for a in ("TAKEN", "VIC", "POOL")))
    ev.transfers = [
        {"report_id": "R1", "dst_account": "L", "txn_id": "T1", "victim_account": "VIC"}
    ]
    other = Gang("GANG-R0", ["R0"], [member("account", "TAKEN", "mule", 0.8, ["T0"])], {}, [])
    graph = LinkGraph()
    graph.infra["account:POOL"] = 0.9
    kin_cards([other, g], ev, graph)
    assert _added(g) == {}


@given(st.integers(0, 60), st.sampled_from(["payment", "bank_card"]), st.integers(0, 4000))
def test_more_counterparties_never_raise_confidence(parties: int, kind: str, age: int) -> None:
    from datetime import datetime, timedelta

    opened = str(datetime(2026, 3, 5) - timedelta(days=age))
    confs = []
    for n in (parties, parties + 1):
        g, ev = _gang(_row("X", kind, opened, n))
        kin_cards([g], ev, LinkGraph())
        confs.append(_added(g).get("X", 0.0))
    assert confs[1] <= confs[0]
    assert all(c == 0.0 or MIN_CONFIDENCE <= c < 1.0 for c in confs)


def test_holder_accounts_lists_every_account_of_the_persons_with_counterparties(
    duckdb_engine: Engine,
) -> None:
    t = duckdb_engine.tables(["transactions", "accounts"])
    accounts = duckdb_engine.execute(t["accounts"], label="test accounts").to_pylist()
    person = next(str(a["holder_id"]) for a in accounts if a["holder_id"])
    rows = holder_accounts(duckdb_engine, t, {person})
    want = {str(a["account_id"]) for a in accounts if a["holder_id"] == person}
    assert {r["account_id"] for r in rows} == want
    assert all(r["person_id"] == person and r["counterparties"] >= 0 for r in rows)
    assert holder_accounts(duckdb_engine, t, set()) == []


def _listed(*ids: str) -> Gang:
    return Gang("GANG-R1", ["R1"], [member("account", a, "mule", 0.9, ["T"]) for a in ids], {}, [])


def test_card_recall_recorded_counts_only_the_cards_the_transactions_show(tmp_path: Path) -> None:
    (tmp_path / "transactions.csv").write_text(
        "txn_id,ts,src_account,dst_account,amount\nT1,2026-03-02T00:00:00,V,A,10.00\n"
        "T2,2026-03-02T01:00:00,A,B,9.00\n",
        encoding="utf-8",
    )
    seen = recorded_accounts(tmp_path)
    assert seen == {"V", "A", "B"}
    truth = [TruthGang({"R1"}, {"A", "B", "IDLE"}, {"A", "B", "IDLE"}, {"mule": {"PA"}})]
    out = evaluate([_listed("A", "X")], truth, recorded=seen, holders={"A": "PA", "X": "PX"})
    assert out["mule_card_recall"] == round(1 / 3, 3)  # the headline figure is unchanged
    assert out["card_recall_recorded"] == 0.5 and out["cards_recorded"] == 2
    assert out["innocent_share"] == 0.5
    assert out["innocent_persons"] == 1 and out["innocent_person_share"] == 0.5
    # a gang member's own account listed by mistake harms no innocent person
    mine = evaluate([_listed("A", "X")], truth, holders={"A": "PA", "X": "PA"})
    assert mine["innocent_persons"] == 0 and "card_recall_recorded" not in mine
