"""The warner on hand-made streams: evidence, escalation, the reverse trace, bounded state."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chaincut.warning.events import Call, Message, Report, Transfer
from chaincut.warning.scoring import INDEX, default_model
from chaincut.warning.signals import Directory, Warner
from chaincut.warning.state import KNOWN_CAP, PAYERS_CAP, REACH_CAP, SIGNALS_CAP

DAY = 86_400
T0 = 1_772_000_000
SCRIPT = "您好，我是公安局的，您涉嫌洗钱，请把钱转到安全账户，不要告诉家人"
BOOK = Directory({"+86victim": "P-V"}, {"ACC-V": "P-V", "ACC-O": "P-O"})


def _cold_calls(warner: Warner, number: str, n: int, t: int) -> None:
    for i in range(n):
        warner.process(Call(f"CC{number}{i}", t + i, number, f"+86x{i}", 0))


def _victim_story(warner: Warner) -> list[object]:
    _cold_calls(warner, "+86gang", 40, T0)
    raised: list[object] = []
    raised += warner.process(Call("C1", T0 + 100, "+86gang", "+86victim", 1500))
    raised += warner.process(Message("M1", T0 + 200, "+86gang", "+86victim", SCRIPT, "sms"))
    raised += warner.process(Message("M2", T0 + 300, "+86gang", "+86victim", SCRIPT, "sms"))
    raised += warner.process(Transfer("T1", T0 + 400, "ACC-V", "MULE", 5_000_000, "transfer"))
    return raised


def test_a_worked_victim_is_warned_with_the_call_and_message_that_gave_it_away() -> None:
    raised = _victim_story(Warner(BOOK))
    assert raised, "no warning for a long stranger call followed by fraud scripts"
    first = raised[0].to_json()  # type: ignore[attr-defined]
    assert set(first) == {"warning_id", "subject_kind", "subject_id", "raised_at", "score",
                          "fraud_type", "action", "signals"}  # fmt: skip
    assert (first["subject_kind"], first["subject_id"]) == ("person", "P-V")
    ids = {s["id"] for w in raised for s in w.to_json()["signals"]}  # type: ignore[attr-defined]
    assert "M1" in ids
    for w in raised:
        j = w.to_json()  # type: ignore[attr-defined]
        assert 0 < j["score"] < 1 and j["action"] in ("sms", "call", "visit")
        assert {s["kind"] for s in j["signals"]} <= {"call", "message", "transfer", "report"}


def test_warnings_about_one_subject_come_again_only_when_the_score_rises() -> None:
    raised = _victim_story(Warner(BOOK))
    scores = [w.score for w in raised]  # type: ignore[attr-defined]
    assert scores == sorted(scores)
    step = default_model().step
    assert all(b - a >= step - 1e-9 for a, b in zip(scores, scores[1:], strict=False))


def test_a_stranger_call_of_a_family_member_is_not_evidence() -> None:
    warner = Warner(BOOK)
    warner.process(Call("C0", T0, "+86victim", "+86mum", 60))  # the victim calls mum first
    warner.process(Call("C1", T0 + 10, "+86mum", "+86victim", 3000))
    assert warner.subjects[("person", "P-V")].features == [0.0] * len(default_model().weights)


def test_a_report_warns_the_others_who_paid_the_account() -> None:
    warner = Warner(BOOK)
    warner.process(Transfer("T1", T0, "ACC-O", "MULE", 80_000, "transfer"))
    warner.process(Transfer("T2", T0 + 60, "ACC-V", "MULE", 90_000, "transfer"))
    report = Report("R1", T0 + DAY, "P-V", "ACC-V", ("T2",), "impersonate_police")
    raised = warner.process(report)
    subjects = {(w.subject_kind, w.subject_id) for w in raised}
    assert ("person", "P-V") not in subjects  # the reporter knows already
    other = warner.subjects[("person", "P-O")]
    assert other.features[INDEX["reverse_trace"]] == 1
    assert other.fraud_type() == "impersonate_police"
    assert any(s.kind == "report" and s.id == "R1" for s in other.signals)


def test_payments_to_a_reported_account_weigh_after_the_report_only() -> None:
    before, after = Warner(BOOK), Warner(BOOK)
    for w in (before, after):
        w.process(Transfer("T0", T0, "ACC-X", "MULE", 10_000, "transfer"))
    after.process(Report("R1", T0 + 10, None, "ACC-X", ("T0",), "fake_loan"))
    for w in (before, after):
        w.process(Transfer("T1", T0 + 20, "ACC-O", "MULE", 10_000, "transfer"))
    index = INDEX["pay_flagged"]
    assert before.subjects[("person", "P-O")].features[index] == 0
    assert after.subjects[("person", "P-O")].features[index] == 1


def test_a_thread_with_a_stranger_weighs_more_than_a_script_left_unanswered() -> None:
    book = Directory({"+86a": "P-A", "+86b": "P-B"}, {})
    warner = Warner(book)
    for i, who in enumerate(("+86a", "+86b")):
        warner.process(Message(f"M{i}", T0 + i, "im:gang", who, SCRIPT, "im"))
    warner.process(Message("R1", T0 + 60, "+86b", "im:gang", "真的吗？怎么操作", "im"))
    warner.process(Message("M2", T0 + 120, "im:gang", "+86b", "请按我说的做", "im"))
    warner.process(Message("R2", T0 + 180, "+86b", "im:gang", "好的", "im"))
    thread = INDEX["thread"]
    assert warner.subjects[("person", "P-A")].features[thread] == 0
    worked = warner.subjects[("person", "P-B")]
    assert worked.features[thread] > 0
    assert worked.turns("im:gang") == 4


def test_a_thread_needs_a_script_or_a_long_call() -> None:
    warner = Warner(BOOK)
    for i in range(4):
        warner.process(Message(f"M{i}", T0 + 2 * i, "+86shop", "+86victim", "快递到了", "sms"))
        warner.process(Message(f"R{i}", T0 + 2 * i + 1, "+86victim", "+86shop", "好的", "sms"))
    assert warner.subjects[("person", "P-V")].features[INDEX["thread"]] == 0


def test_a_report_flags_the_lines_that_worked_the_reporter_and_their_handset() -> None:
    book = Directory({"+86victim": "P-V", "+86next": "P-N", "+86aunt": "P-T"}, {"ACC-V": "P-V"})
    warner = Warner(book)
    warner.process(Call("C1", T0, "+86gang1", "+86victim", 900, "IMEI-1"))
    warner.process(Message("M1", T0 + 60, "+86gang1", "+86victim", SCRIPT, "sms"))
    warner.process(Call("C2", T0 + 90, "+86aunt", "+86victim", 30))  # a short call: no flag
    listed = INDEX["listed_contact"]
    warner.process(Call("C3", T0 + DAY, "+86gang2", "+86next", 10, "IMEI-1"))
    assert warner.subjects[("person", "P-N")].features[listed] == 0  # not known yet
    warner.process(Report("R1", T0 + 2 * DAY, "P-V", "ACC-V", (), "impersonate_police"))
    assert warner.numbers["+86gang1"].flagged and not warner.numbers["+86aunt"].flagged
    # another SIM in the same handset, after the report: the contact weighs as a listed one
    warner.process(Call("C4", T0 + 3 * DAY, "+86gang3", "+86next", 10, "IMEI-1"))
    subject = warner.subjects[("person", "P-N")]
    assert subject.features[listed] == 1
    assert "R1" in subject.signals[-1].why


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 4000)),
                min_size=1, max_size=400))  # fmt: skip
def test_state_per_entity_stays_bounded(calls: list[tuple[int, int, int]]) -> None:
    warner = Warner()
    for i, (a, b, d) in enumerate(calls):
        warner.process(Call(f"C{i}", T0 + i, f"n{a % 3}", f"n{b}", d))
        warner.process(Transfer(f"T{i}", T0 + i, f"a{b}", f"a{a % 2}", 100 + d, "transfer"))
    assert all(n.reach <= REACH_CAP for n in warner.numbers.values())
    for account in warner.accounts.values():
        assert len(account.payers) <= PAYERS_CAP and len(account.payees) <= KNOWN_CAP
    for subject in warner.subjects.values():
        assert len(subject.signals) <= SIGNALS_CAP and len(subject.known) <= KNOWN_CAP
        assert all(0.0 <= f <= 1.0 for f in subject.features)


def test_idle_entities_are_forgotten() -> None:
    warner = Warner(BOOK)
    _victim_story(warner)
    assert warner.sweep(T0 + 40 * DAY) > 0
    assert not warner.numbers and not warner.accounts and not warner.subjects
