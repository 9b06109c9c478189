"""Freeze ahead, round nine: an account opened in the weeks before the gang's first report and
the mule-card model's score as weighted features of a lead (`chaincut.gangs.ahead`,
docs/gangs.md "Round nine: cards")."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.gangs import Evidence
from chaincut.gangs.ahead import AHEAD_CAP, AHEAD_MIN, RECENT_DAYS, freeze_ahead, leads
from chaincut.gangs.ahead_model import COEF, FEATURES
from chaincut.gangs.analyse import Gang
from chaincut.gangs.graph import LinkGraph
from chaincut.gangs.member import member

FIRST = "2026-03-05 10:00:00"


def _account(account: str, kind: str, days: int, parties: int) -> dict[str, object]:
    """Q's account opened `days` before the gang's first report."""
    opened = str(datetime(2026, 3, 5, 10) - timedelta(days=days))
    return {"account_id": account, "person_id": "Q", "kind": kind,
            "institution": "Alipay" if kind == "payment" else "ICBC", "opened_at": opened,
            "counterparties": parties}  # fmt: skip


def _gang() -> Gang:
    members = [member("account", "L", "mule", 0.9, ["T1"]),
               member("person", "H", "mule", 0.85, ["L"]),
               member("phone", "+86200", "recruiter", 0.8, ["C0"])]  # fmt: skip
    return Gang("GANG-R1", ["R1"], members, {}, [], span=(FIRST, FIRST))


def _world(card: dict[str, object], score: float = 0.0) -> Evidence:
    """Q (+86900) talks to H (+86902), the holder of the gang's listed card L, and to its
    recruiter; Q holds `card`, which the mule-card model scores `score` (0: not flagged)."""
    contacts = [{"src": a, "dst": "+86900", "channel": "call", "n": 3, "first_id": f"C{k}",
                 "last_id": f"C{k}", "first_ts": FIRST, "last_ts": FIRST}
                for k, a in enumerate(("+86902", "+86200"))]  # fmt: skip
    persons = [{"person_id": "Q", "phone": "+86900"}, {"person_id": "H", "phone": "+86902"}]
    kin = [{"account_id": "L", "person_id": "H", "kind": "bank_card", "institution": "ICBC",
            "opened_at": "2026-01-02 09:00:00", "counterparties": 8}]  # fmt: skip
    scores = {str(card["account_id"]): score} if score else {}
    return Evidence(persons=persons, kin=kin, ahead_contacts=contacts, ahead=[card],
                    scores=scores)  # fmt: skip


def _confidence(card: dict[str, object], score: float = 0.0) -> float:
    g = _gang()
    freeze_ahead([g], _world(card, score), LinkGraph())
    found = [m.confidence for m in g.members if m.id == card["account_id"]]
    return found[0] if found else 0.0


def test_a_wallet_opened_weeks_before_the_first_report_is_a_lead_and_says_so() -> None:
    g, ev = _gang(), _world(_account("W", "payment", 20, 0), score=0.7)
    freeze_ahead([g], ev, LinkGraph())
    (found,) = [m for m in g.members if m.id == "W"]
    assert found.role == "mule" and AHEAD_MIN <= found.confidence <= AHEAD_CAP
    codes = {c["code"]: c["args"] for c in found.codes if c}
    assert codes["opened_before"]["days"] == "20"
    assert codes["model_score"]["score"] == "0.70"
    # the same wallet opened half a year before and used by its holder is his own (idle, it is
    # a lead: round thirteen's calibration, tests/gangs/test_cards13.py)
    assert _confidence(_account("W", "payment", 200, 3)) == 0.0


def test_an_account_the_model_does_not_flag_says_no_score() -> None:
    g, ev = _gang(), _world(_account("W", "payment", 20, 0))
    freeze_ahead([g], ev, LinkGraph())
    (found,) = [m for m in g.members if m.id == "W"]
    assert "model_score" not in {c["code"] for c in found.codes if c}


def test_a_new_everyday_card_with_a_flag_alone_is_no_lead() -> None:
    # used by its holder (twelve counterparties): the recency and the model are weights,
    # not a veto of the counterparties' and the ties' evidence
    assert _confidence(_account("C", "bank_card", 20, 12), score=1.0) == 0.0


def test_the_features_are_the_models() -> None:
    (lead,) = leads([_gang()], _world(_account("W", "payment", 20, 0), 0.5), LinkGraph())
    assert set(lead.x) == set(FEATURES) == set(COEF)
    assert lead.x["recent"] == 1.0 and lead.x["flagged"] == 0.5 and lead.days == 20
    (lead,) = leads([_gang()], _world(_account("W", "payment", RECENT_DAYS + 1, 0)), LinkGraph())
    assert lead.x["recent"] == 0.0 and lead.x["flagged"] == 0.0


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.integers(0, 4000), st.integers(0, 9),
       st.sampled_from(["payment", "bank_card"]))  # fmt: skip
def test_a_higher_model_score_or_a_recent_opening_never_lowers_the_confidence(
    s1: float, s2: float, days: int, parties: int, kind: str
) -> None:
    lo, hi = sorted((s1, s2))
    old = days + RECENT_DAYS + 1
    confs = [
        _confidence(_account("X", kind, old, parties), lo),
        _confidence(_account("X", kind, old, parties), hi),
        _confidence(_account("X", kind, min(days, RECENT_DAYS), parties), hi),
    ]
    assert confs[0] <= confs[1] <= confs[2]
    assert all(c == 0.0 or AHEAD_MIN <= c <= AHEAD_CAP for c in confs)
