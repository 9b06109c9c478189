"""A tiny world in the interchange format for the service tests: one victim, three mules at two
banks, a cash exit, a fraud number, and a report already in the lake."""

from __future__ import annotations

from pathlib import Path

ACCOUNTS = """account_id,holder_id,kind,institution,opened_at,country
6222020000001111,P1,bank_card,ICBC,2015-01-01,CN
6217000000002222,P2,bank_card,CCB,2024-04-20,CN
6228480000003333,P3,bank_card,ABC,2024-04-21,CN
6217000000004444,P4,bank_card,CCB,2024-04-22,CN
6222020000005555,P5,bank_card,ICBC,2012-03-01,CN
ATM0001,,cash,ABC,2010-01-01,CN
"""
PERSONS = """person_id,name,id_number,birth_date,phone
P1,张三,510104199001011234,1990-01-01,13800005678
P2,李四,510105199502021235,1995-02-02,13900001111
P3,王五,510106199803031236,1998-03-03,13700002222
P4,赵六,510107200004041237,2000-04-04,13600003333
P5,钱七,510108198505051238,1985-05-05,13500004444
"""
TRANSACTIONS = """txn_id,ts,src_account,dst_account,amount,currency,channel
N1,2024-04-25T09:00:00,6222020000005555,6222020000001111,8000.00,CNY,transfer
F1,2024-05-01T10:00:00,6222020000001111,6217000000002222,50000.00,CNY,transfer
T2,2024-05-01T10:20:00,6217000000002222,6228480000003333,30000.00,CNY,transfer
T3,2024-05-01T10:25:00,6217000000002222,6217000000004444,15000.00,CNY,transfer
T4,2024-05-01T11:00:00,6228480000003333,ATM0001,10000.00,CNY,atm_withdrawal
F2,2024-05-02T08:00:00,6222020000005555,6217000000004444,20000.00,CNY,transfer
"""
CALLS = """call_id,ts,caller,callee,duration_s,cell_id,imei
C1,2024-05-01T09:30:00,13900009999,13800005678,300,CELL1,IMEI1
C2,2024-05-01T09:40:00,13900009999,13500004444,20,CELL1,IMEI1
C3,2024-05-01T09:50:00,13800005678,13500004444,60,CELL2,IMEI2
"""
REPORTS = """report_id,ts,victim_id,victim_account,fraud_txn_ids,fraud_type,narrative
RL1,2024-05-01T12:00:00,P1,6222020000001111,F1,impersonate_police,called by fake police
"""
LABELS = """entity_id,entity_kind,label
13900009999,phone,fraud
6217000000002222,account,mule_l1
6222020000001111,account,victim
"""

TABLES = {
    "accounts": ACCOUNTS,
    "persons": PERSONS,
    "transactions": TRANSACTIONS,
    "calls": CALLS,
    "reports": REPORTS,
    "labels": LABELS,
}

VICTIM = "6222020000001111"
MULE1 = "6217000000002222"  # CCB
MULE2 = "6228480000003333"  # ABC
MULE3 = "6217000000004444"  # CCB
FRAUD_NUMBER = "13900009999"
#: how the lake holds it: the import stores a Chinese mobile in E.164 (chaincut.ingest.phones)
HELD_FRAUD_NUMBER = "+86" + FRAUD_NUMBER


def write_world(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TABLES.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder
