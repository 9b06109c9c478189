"""Round thirteen: the worklist ranks by what is urgent and still preventable (the priority),
and says why in both languages; a person who has already paid goes to recovery."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chaincut.services.warnings import save_warnings, worklist
from chaincut.store import Store, open_store
from chaincut.warning.evaluate import worklist_entries
from chaincut.warning.events import Call, Message, Transfer
from chaincut.warning.evidence import RaisedWarning
from chaincut.warning.signals import Directory, Warner
from chaincut.warning.state import SubjectState
from chaincut.warning.urgency import (
    BY_SCORE,
    URGENCY_NAMES,
    UrgencyModel,
    default_urgency,
    urgency_features,
    urgency_why,
)
from chaincut.web.phrasing import signal_why

T0 = 1_772_000_000
HOUR = 3600
SCRIPT = "您好，我是公安局的，您涉嫌洗钱，请把钱转到安全账户，不要告诉家人"
BOOK = Directory({"+86victim": "P-V", "+86other": "P-O"}, {"ACC-V": "P-V", "ACC-O": "P-O"})
#: round thirteen's fitted order (training/warning/urgency-round13.json; not shipped: the package
#: ranks by the score, docs/warning.md "Round thirteen: the worklist's order")
FITTED = UrgencyModel.from_json(
    json.loads((Path(__file__).parents[2] / "training/warning/urgency-round13.json").read_text())
)


def _warning(person: str, ts: int, score: float, priority: float | None) -> RaisedWarning:
    return RaisedWarning(f"W-{person}-{ts}", "person", person, ts, score, "other", "sms", (),
                         priority)  # fmt: skip


def test_the_days_list_takes_the_most_urgent_not_the_highest_score() -> None:
    # P-PAID scores higher but paid already (low priority); P-NEXT is about to pay
    warnings = [_warning("P-PAID", T0, 0.9, 0.2), _warning("P-NEXT", T0 + 60, 0.6, 0.5)]
    assert [p for p, _ in worklist_entries(warnings, 1, Directory())] == ["P-NEXT"]
    # without a priority the score decides, as before round thirteen
    plain = [_warning("P-PAID", T0, 0.9, None), _warning("P-NEXT", T0 + 60, 0.6, None)]
    assert [p for p, _ in worklist_entries(plain, 1, Directory())] == ["P-PAID"]


def _worked(warner: Warner, number: str, phone: str, t: int) -> list[RaisedWarning]:
    for i in range(40):  # the gang's number has reached many people
        warner.process(Call(f"CC{number}{i}", t - 1000 + i, number, f"+86x{i}", 0))
    raised = warner.process(Call(f"C{phone}", t, number, phone, 1500))
    raised += warner.process(Message(f"M{phone}", t + 100, number, phone, SCRIPT, "sms"))
    return raised


def _pays(warner: Warner, t: int) -> list[RaisedWarning]:
    """The victim pays an account forty others paid (a fan-in, which the score weighs)."""
    for i in range(40):
        warner.process(Transfer(f"TP{i}", t - 300 + i, f"ACC-P{i}", "MULE", 100_000, "transfer"))
    return warner.process(Transfer("T1", t, "ACC-V", "MULE", 5_000_000, "transfer"))


def test_a_victim_who_has_paid_is_ranked_below_one_still_being_worked() -> None:
    warner = Warner(BOOK, urgency=FITTED)
    _worked(warner, "+86gang", "+86victim", T0)
    paid = _pays(warner, T0 + 400)
    assert paid, "the payment after the contact raised no warning"
    after = paid[-1]
    assert after.urgency[URGENCY_NAMES.index("paid")] == 1.0
    assert after.urgent is not None and after.urgent.parts[0][0] == "urgent_paid"
    # the same person, the same moment, not paid yet: more urgent
    subject = warner.subjects[("person", "P-V")]
    not_paid = urgency_features(subject, after.score, after.raised_at, "call")
    not_paid[URGENCY_NAMES.index("paid")] = 0.0
    assert FITTED.priority(not_paid) > after.rank


def test_a_fresh_contact_outranks_an_older_one_of_equal_score() -> None:
    model = FITTED
    old = warner_subject(T0, T0 + 30 * HOUR)
    new = warner_subject(T0 + 30 * HOUR, T0 + 30 * HOUR)
    now = T0 + 30 * HOUR + 600
    assert model.priority(urgency_features(new, 0.3, now, "message")) > model.priority(
        urgency_features(old, 0.3, now, "message")
    )


def warner_subject(first_warned: int, contact: int) -> SubjectState:
    """A subject state first warned at `first_warned`, last contacted at `contact`."""
    warner = Warner(BOOK)
    subject = warner._subject("phone", "+86other", contact)
    subject.first_warned_ts, subject.contact_last_ts = first_warned, contact
    return subject


def test_why_it_is_urgent_is_said_in_english_and_chinese() -> None:
    warner = Warner(BOOK)
    raised = _worked(warner, "+86gang", "+86victim", T0)
    assert raised and raised[-1].urgent is not None
    said: dict[str, Any] = {"why": raised[-1].urgent.text, "why_code": raised[-1].urgent.as_list()}
    assert said["why"].startswith("urgent: the last suspicious contact was")
    assert signal_why(said, "zh-CN").text.startswith("紧迫：最近一次可疑联系在")
    paid = _pays(warner, T0 + 400)
    assert paid and paid[-1].urgent is not None
    recovery: dict[str, Any] = {"why": paid[-1].urgent.text, "why_code": paid[-1].urgent.as_list()}
    assert "recovery" in recovery["why"]
    assert "止付与追赃" in signal_why(recovery, "zh-CN").text


def test_the_score_only_model_ranks_as_before() -> None:
    x = [0.0] * len(URGENCY_NAMES)
    for score in (0.05, 0.3, 0.9):
        x[0] = urgency_features(warner_subject(-1, -1), score, T0, "call")[0]
        assert BY_SCORE.priority(x) == pytest.approx(score)
    assert UrgencyModel.from_json(default_urgency().to_json()) == default_urgency()
    # what the package ships: the score's order (the fitted one lowered the evaluation)
    assert default_urgency().intercept == BY_SCORE.intercept
    assert default_urgency().weights == BY_SCORE.weights


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as opened:
        yield opened


def test_the_stored_worklist_ranks_by_priority_and_keeps_why(store: Store) -> None:
    warner = Warner(BOOK, urgency=FITTED)
    raised = _worked(warner, "+86gang", "+86victim", T0)
    raised += _pays(warner, T0 + 400)
    raised += _worked(warner, "+86gang2", "+86other", T0 + 500)
    with store.session() as s:
        save_warnings(s, raised)
        s.commit()
        listed = worklist(s, capacity=10)
    by_subject = {w.subject_id: w for w in listed}
    victim, other = by_subject["P-V"], by_subject["P-O"]
    # the one who paid scored higher, yet the one still being worked comes first
    assert victim.score > other.score
    assert victim.priority < other.priority
    assert [w.subject_id for w in listed] == ["P-O", "P-V"]
    assert victim.urgent is not None and "recovery" in victim.urgent["why"]
    assert other.urgent is not None and other.urgent["why_code"][0]["code"] == "urgent_contact"


def test_a_contact_days_ago_is_said_to_be_less_urgent() -> None:
    quiet = urgency_why(warner_subject(T0, T0), T0 + 2 * 86_400)
    assert quiet.parts[0][0] == "urgent_quiet" and quiet.text.endswith("less urgent")
    recent = urgency_why(warner_subject(T0, T0), T0 + 600)
    assert recent.parts[0][0] == "urgent_contact"
