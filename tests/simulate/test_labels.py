"""Every entity has exactly one ground-truth label, and the labels tell the story."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from chaincut.model.schema import FRAUD_TYPES
from tests.simulate.conftest import World


def labels(world: World) -> dict[tuple[str, str], str]:
    rows = world.table("labels")
    out = {(r["entity_id"], r["entity_kind"]): r["label"] for r in rows}
    assert len(out) == len(rows), "one label per entity"
    return out


def test_every_entity_is_labelled(world: World) -> None:
    lab = labels(world)
    assert all((a["account_id"], "account") in lab for a in world.table("accounts"))
    assert all((p["person_id"], "person") in lab for p in world.table("persons"))
    assert all((m["msg_id"], "message") in lab for m in world.table("messages"))
    calls = world.table("calls")
    phones = {c["caller"] for c in calls} | {c["callee"] for c in calls}
    assert all((p, "phone") in lab for p in phones)
    assert all((c["imei"], "device") in lab for c in calls if c["imei"])


def test_label_vocabulary(world: World) -> None:
    by_kind = Counter((kind, label) for (_, kind), label in labels(world).items())
    kinds = {k for k, _ in by_kind}
    assert kinds == {"account", "person", "phone", "device", "message"}
    for label in ("mule_l1", "mule_l2", "mule_l3", "runner", "victim", "normal", "merchant",
                  "pooled", "exchange", "cash", "foreign"):  # fmt: skip
        assert by_kind[("account", label)] > 0, label
    for label in ("financier", "core", "operator", "logistics", "card_dealer", "launderer",
                  "recruiter", "mule", "victim", "normal", "sim_registrant"):  # fmt: skip
        assert by_kind[("person", label)] > 0, label
    assert {lab for k, lab in by_kind if k == "phone"} == {"fraud", "simbox", "normal", "member"}
    assert {lab for k, lab in by_kind if k == "device"} == {"fraud", "simbox", "normal", "member"}
    fraud_messages = {lab for k, lab in by_kind if k == "message"} - {"normal"}
    assert fraud_messages <= set(FRAUD_TYPES) and len(fraud_messages) >= 3


def test_mule_cards_are_recent_and_held_by_real_people(world: World) -> None:
    lab = labels(world)
    start = datetime.fromisoformat(world.info["window"]["start"])
    for a in world.table("accounts"):
        if lab[(a["account_id"], "account")] in ("mule_l1", "mule_l2", "mule_l3", "runner"):
            opened = datetime.fromisoformat(a["opened_at"].replace("Z", "+00:00"))
            assert start - timedelta(days=61) < opened < start + timedelta(days=1)
            assert lab[(a["holder_id"], "person")] == "mule"


def test_victims_and_fraud_scripts(world: World) -> None:
    lab = labels(world)
    for r in world.table("reports"):
        assert lab[(r["victim_id"], "person")] == "victim"
        assert lab[(r["victim_account"], "account")] == "victim"
    texts = {m["msg_id"]: m["text"] for m in world.table("messages")}
    fraud = [
        texts[i] for (i, kind), label in lab.items() if kind == "message" and label != "normal"
    ]
    assert len(set(fraud)) > 20
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in fraud)
