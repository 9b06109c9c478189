"""Round ten: the roles' recall over the persons some row of the world names
(`evaluate.recorded_persons`, the `*_recall_recorded` keys) and the launderer accounts' recall
over the accounts the transactions show."""

from __future__ import annotations

from pathlib import Path

from chaincut.gangs.analyse import Gang
from chaincut.gangs.evaluate import TruthGang, evaluate, recorded_accounts, recorded_persons
from chaincut.gangs.member import member


def _write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")


def _world(folder: Path) -> None:
    _write(folder, "transactions", "txn_id,src_account,dst_account,amount\nT1,V,A,10.00\n")
    _write(folder, "calls", "call_id,caller,callee\nC1,+861,+862\n")
    _write(folder, "messages", "msg_id,sender,receiver\n")
    _write(
        folder,
        "persons",
        "person_id,name,id_number,birth_date,phone,registered_sims\n"
        "PA,a,1,,+869,\nPB,b,2,,+861,\nPC,c,3,,+868,+868;+862\nPD,d,4,,+867,\nPF,f,5,,+866,\n",
    )
    _write(
        folder,
        "accounts",
        "account_id,holder_id,kind,reg_phone\nA,PA,bank_card,+867\nIDLE,PF,bank_card,+866\n",
    )


def test_recorded_persons_name_holders_callers_sim_owners_and_registrants(tmp_path: Path) -> None:
    _world(tmp_path)
    got = recorded_persons(tmp_path)
    # PA holds a paid account, PB called, PC's second SIM was called, PD's number registered
    # the paid account (a dealer's); PF holds an account nobody paid and never called
    assert got == {"PA", "PB", "PC", "PD"}


def test_roles_recall_recorded_leaves_out_the_persons_in_no_record(tmp_path: Path) -> None:
    _world(tmp_path)
    truth = [
        TruthGang({"R1"}, {"A"}, {"A", "IDLE"}, {"financier": {"PF", "PB"}, "launderer": {"PA"}},
                  laundering={"A", "IDLE"}),
    ]  # fmt: skip
    named = [member("person", "PB", "financier", 0.9, ["T1"]),
             member("person", "PA", "launderer", 0.9, ["T1"]),
             member("account", "A", "launderer", 0.9, ["T1"])]  # fmt: skip
    gang = Gang("GANG-R1", ["R1"], named, {}, [])
    seen, paid = recorded_persons(tmp_path), recorded_accounts(tmp_path)
    out = evaluate([gang], truth, seen, recorded=paid)
    assert out["roles"]["financier"]["recall"] == 0.5  # the headline figure is unchanged
    assert out["financier_recall_recorded"] == 1.0 and out["financiers_recorded"] == 1
    assert out["financiers_true"] == 2
    assert out["launderer_recall_recorded"] == 1.0 and out["core_member_recall_recorded"] == 0.0
    assert out["launderer_accounts"]["recall"] == 0.5
    assert out["launderer_accounts"]["recall_recorded"] == 1.0
    assert out["launderer_accounts"]["recorded"] == 1
    # without the world's rows the old keys stay and the new ones are not given
    plain = evaluate([gang], truth)
    assert (
        "financier_recall_recorded" not in plain and "recorded" not in plain["launderer_accounts"]
    )


def test_launderers_recorded_are_those_whose_laundering_accounts_were_paid(tmp_path: Path) -> None:
    _world(tmp_path)
    # PB called (a record) but his score-running account IDLE was never paid: no record of
    # laundering; PA's account A was
    truth = [TruthGang({"R1"}, {"A"}, {"A", "IDLE"}, {"launderer": {"PA", "PB"}},
                       laundering={"A", "IDLE"})]  # fmt: skip
    gang = Gang("GANG-R1", ["R1"], [member("person", "PA", "launderer", 0.9, ["T1"])], {}, [])
    seen, paid = recorded_persons(tmp_path), recorded_accounts(tmp_path)
    out = evaluate([gang], truth, seen, recorded=paid, holders={"A": "PA", "IDLE": "PB"})
    assert out["roles"]["launderer"]["recall"] == 0.5
    assert out["roles"]["launderer"]["recall_recorded"] == 0.5  # both made some record
    assert out["launderer_recall_recorded"] == 1.0 and out["launderers_recorded"] == 1
    missed = evaluate([], truth, seen, recorded=paid, holders={"A": "PA", "IDLE": "PB"})
    assert missed["launderer_recall_recorded"] == 0.0
